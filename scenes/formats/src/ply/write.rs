//! Writing a [`Ply`] in any of the three encodings.

use super::column::each;
use super::{ElementData, Ply, PlyEncoding, PropertyData, PropertyKind, ScalarColumn, ScalarType};
use crate::error::SceneError;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

/// Serialises `ply` (header and body) in `ply.header.encoding`. `path` only names the file in
/// errors: a column whose length or type disagrees with its property, a list longer than its
/// count type holds, or a comment with a line break.
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

/// Every column must hold exactly `count` rows of its property's kind and type.
fn check_shape(path: &Path, element: &ElementData) -> Result<(), SceneError> {
    let def = &element.def;
    let bad =
        |message: String| SceneError::record(path, format!("element `{}`", def.name), message);
    if element.columns.len() != def.properties.len() {
        return Err(bad(format!(
            "{} columns for {} properties",
            element.columns.len(),
            def.properties.len()
        )));
    }
    let rows = usize::try_from(def.count).ok();
    for (p, column) in def.properties.iter().zip(&element.columns) {
        let fits = match (p.kind, column) {
            (PropertyKind::Scalar(ty), PropertyData::Scalar(values)) => values.scalar_type() == ty,
            (PropertyKind::List { item, .. }, PropertyData::List { offsets, values }) => {
                values.scalar_type() == item
                    && offsets.first() == Some(&0)
                    && offsets.windows(2).all(|w| w[0] <= w[1])
                    && offsets.last().is_some_and(|&end| end <= values.len())
            }
            _ => false,
        };
        if !fits || Some(column.rows()) != rows {
            return Err(bad(format!(
                "property `{}` holds {} rows of another kind or type than its declared {:?} \
                 ({} rows)",
                p.name,
                column.rows(),
                p.kind,
                def.count
            )));
        }
    }
    Ok(())
}

/// A list length as the count type `ty` holds it, or an error naming the element and row.
fn list_count(
    path: &Path,
    element: &ElementData,
    row: usize,
    property: &str,
    ty: ScalarType,
    len: usize,
) -> Result<f64, SceneError> {
    match ty.int_range() {
        Some((_, hi)) if (len as u64) <= hi as u64 => Ok(len as f64),
        _ => Err(SceneError::element(
            path,
            &element.def.name,
            row as u64,
            format!(
                "list `{property}` has {len} items, more than a {} count holds",
                ty.name()
            ),
        )),
    }
}

/// Appends value `i` of `column` in binary.
fn push_binary<const BIG: bool>(out: &mut Vec<u8>, column: &ScalarColumn, i: usize) {
    each!(column, v => if let Some(x) = v.get(i) {
        out.extend_from_slice(&if BIG { x.to_be_bytes() } else { x.to_le_bytes() });
    })
}

/// Appends value `i` of `column` as text (`{}` prints the shortest text that parses back
/// exactly; writing into a Vec cannot fail).
fn push_ascii(out: &mut Vec<u8>, column: &ScalarColumn, i: usize) {
    each!(column, v => if let Some(x) = v.get(i) {
        let _ = write!(out, "{x}");
    })
}

/// Appends a list count of type `ty` in binary (the caller checked that it fits).
fn push_count<const BIG: bool>(out: &mut Vec<u8>, ty: ScalarType, n: f64) {
    push_binary::<BIG>(out, &ScalarColumn::from_f64(ty, [n]), 0);
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
                (PropertyKind::Scalar(_), PropertyData::Scalar(values)) => {
                    push_binary::<BIG>(out, values, row);
                }
                (PropertyKind::List { count, .. }, PropertyData::List { values, .. }) => {
                    let items = column.list_range(row).unwrap_or_default();
                    let n = list_count(path, element, row, &p.name, count, items.len())?;
                    push_count::<BIG>(out, count, n);
                    for k in items {
                        push_binary::<BIG>(out, values, k);
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
        for (k, (p, column)) in props.iter().zip(&element.columns).enumerate() {
            if k > 0 {
                out.push(b' ');
            }
            match (p.kind, column) {
                (PropertyKind::Scalar(_), PropertyData::Scalar(values)) => {
                    push_ascii(out, values, row);
                }
                (PropertyKind::List { count, .. }, PropertyData::List { values, .. }) => {
                    let items = column.list_range(row).unwrap_or_default();
                    let n = list_count(path, element, row, &p.name, count, items.len())?;
                    let _ = write!(out, "{n}");
                    for i in items {
                        out.push(b' ');
                        push_ascii(out, values, i);
                    }
                }
                _ => {}
            }
        }
        out.push(b'\n');
    }
    Ok(())
}
