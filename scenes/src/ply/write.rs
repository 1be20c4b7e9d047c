//! Writing a [`Ply`] in any of the three encodings.

use super::{ElementData, Ply, PlyEncoding, PropertyData, PropertyKind, ScalarType};
use crate::error::SceneError;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

/// Serialises `ply` (header and body) in `ply.header.encoding`. `path` only names the file in
/// errors: a column whose length disagrees with its element's count, a value that does not fit
/// its type, or a comment with a line break.
pub fn write_ply_bytes(path: &Path, ply: &Ply) -> Result<Vec<u8>, SceneError> {
    let header = &ply.header;
    let mut text = String::from("ply\n");
    let _ = writeln!(text, "format {} 1.0", header.encoding.header_name());
    for (keyword, lines) in [
        ("comment", &header.comments),
        ("obj_info", &header.obj_info),
    ] {
        for line in lines.iter() {
            if line.contains(['\n', '\r']) {
                return Err(SceneError::record(
                    path,
                    "header",
                    format!("{keyword} `{}` contains a line break", line.escape_debug()),
                ));
            }
            let _ = writeln!(text, "{keyword} {line}");
        }
    }
    for element in &ply.elements {
        let def = &element.def;
        let _ = writeln!(text, "element {} {}", def.name, def.count);
        for p in &def.properties {
            let _ = match p.kind {
                PropertyKind::Scalar(ty) => writeln!(text, "property {} {}", ty.name(), p.name),
                PropertyKind::List { count, item } => writeln!(
                    text,
                    "property list {} {} {}",
                    count.name(),
                    item.name(),
                    p.name
                ),
            };
        }
    }
    text.push_str("end_header\n");
    let mut out = text.into_bytes();
    for element in &ply.elements {
        check_shape(path, element)?;
        let rows = element.len();
        match header.encoding {
            PlyEncoding::Ascii => write_ascii(path, element, rows, &mut out)?,
            PlyEncoding::BinaryLittleEndian => {
                write_binary::<false>(path, element, rows, &mut out)?
            }
            PlyEncoding::BinaryBigEndian => write_binary::<true>(path, element, rows, &mut out)?,
        }
    }
    Ok(out)
}

/// Every column must hold exactly `count` rows and match its property's kind.
fn check_shape(path: &Path, element: &ElementData) -> Result<(), SceneError> {
    let def = &element.def;
    let rows = usize::try_from(def.count).ok();
    if element.columns.len() != def.properties.len() {
        return Err(SceneError::record(
            path,
            format!("element `{}`", def.name),
            format!(
                "{} columns for {} properties",
                element.columns.len(),
                def.properties.len()
            ),
        ));
    }
    for (p, column) in def.properties.iter().zip(&element.columns) {
        let len = match (p.kind, column) {
            (PropertyKind::Scalar(_), PropertyData::Scalar(values)) => Some(values.len()),
            (PropertyKind::List { .. }, PropertyData::List { offsets, values }) => {
                let ordered = offsets.first() == Some(&0)
                    && offsets.windows(2).all(|w| w[0] <= w[1])
                    && offsets.last().is_some_and(|&end| end <= values.len());
                ordered.then(|| offsets.len() - 1)
            }
            _ => None,
        };
        if len != rows {
            return Err(SceneError::record(
                path,
                format!("element `{}`", def.name),
                format!(
                    "property `{}` holds {len:?} rows of the right kind, the element declares {}",
                    p.name, def.count
                ),
            ));
        }
    }
    Ok(())
}

/// The value as the integer type `ty` holds it, or an error naming the element and row.
fn checked(
    path: &Path,
    element: &ElementData,
    row: usize,
    property: &str,
    ty: ScalarType,
    value: f64,
) -> Result<f64, SceneError> {
    match ty.int_range() {
        None => Ok(value),
        Some((lo, hi)) if value.fract() == 0.0 && value >= lo as f64 && value <= hi as f64 => {
            Ok(value)
        }
        Some(_) => Err(SceneError::element(
            path,
            &element.def.name,
            row as u64,
            format!(
                "property `{property}` value {value} does not fit a {}",
                ty.name()
            ),
        )),
    }
}

fn push_scalar<const BIG: bool>(out: &mut Vec<u8>, ty: ScalarType, value: f64) {
    macro_rules! put {
        ($t:ty) => {{
            let v = value as $t;
            out.extend_from_slice(&if BIG {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            });
        }};
    }
    match ty {
        ScalarType::I8 => put!(i8),
        ScalarType::U8 => put!(u8),
        ScalarType::I16 => put!(i16),
        ScalarType::U16 => put!(u16),
        ScalarType::I32 => put!(i32),
        ScalarType::U32 => put!(u32),
        ScalarType::F32 => put!(f32),
        ScalarType::F64 => put!(f64),
    }
}

fn push_ascii(out: &mut Vec<u8>, ty: ScalarType, value: f64) {
    // Writing into a Vec cannot fail. `{}` prints the shortest text that parses back exactly.
    let _ = match ty {
        ScalarType::F32 => write!(out, "{}", value as f32),
        ScalarType::F64 => write!(out, "{value}"),
        _ => write!(out, "{}", value as i64),
    };
}

fn write_binary<const BIG: bool>(
    path: &Path,
    element: &ElementData,
    rows: usize,
    out: &mut Vec<u8>,
) -> Result<(), SceneError> {
    let props = &element.def.properties;
    if props.is_empty() {
        return Ok(());
    }
    for row in 0..rows {
        for (p, column) in props.iter().zip(&element.columns) {
            match (p.kind, column) {
                (PropertyKind::Scalar(ty), PropertyData::Scalar(values)) => {
                    let v = values.get(row).copied().unwrap_or_default();
                    push_scalar::<BIG>(out, ty, checked(path, element, row, &p.name, ty, v)?);
                }
                (PropertyKind::List { count, item }, list) => {
                    let items = list.list(row).unwrap_or_default();
                    let n = checked(path, element, row, &p.name, count, items.len() as f64)?;
                    push_scalar::<BIG>(out, count, n);
                    for &v in items {
                        push_scalar::<BIG>(
                            out,
                            item,
                            checked(path, element, row, &p.name, item, v)?,
                        );
                    }
                }
                _ => {} // check_shape rules this out
            }
        }
    }
    Ok(())
}

fn write_ascii(
    path: &Path,
    element: &ElementData,
    rows: usize,
    out: &mut Vec<u8>,
) -> Result<(), SceneError> {
    let props = &element.def.properties;
    if props.is_empty() {
        return Ok(());
    }
    for row in 0..rows {
        let mut first = true;
        let mut sep = |out: &mut Vec<u8>| {
            if !std::mem::take(&mut first) {
                out.push(b' ');
            }
        };
        for (p, column) in props.iter().zip(&element.columns) {
            match (p.kind, column) {
                (PropertyKind::Scalar(ty), PropertyData::Scalar(values)) => {
                    let v = values.get(row).copied().unwrap_or_default();
                    sep(out);
                    push_ascii(out, ty, checked(path, element, row, &p.name, ty, v)?);
                }
                (PropertyKind::List { count, item }, list) => {
                    let items = list.list(row).unwrap_or_default();
                    let n = checked(path, element, row, &p.name, count, items.len() as f64)?;
                    sep(out);
                    push_ascii(out, count, n);
                    for &v in items {
                        sep(out);
                        push_ascii(out, item, checked(path, element, row, &p.name, item, v)?);
                    }
                }
                _ => {}
            }
        }
        out.push(b'\n');
    }
    Ok(())
}
