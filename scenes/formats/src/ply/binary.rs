//! Binary PLY bodies, little or big endian.
//!
//! Speed comes from decoding column by column with one type dispatch per property. Elements of
//! scalars have a fixed row size; so do list elements whose every list has the length of the
//! first row's (triangle meshes: `3` everywhere), which is checked byte-wise before relying on
//! it. Anything else is read row by row.

use super::column::{PropertyData, ScalarColumn};
use super::{ElementData, ElementDef, PropertyKind, ScalarType};
use crate::error::SceneError;
use std::path::Path;

/// Reads every element of a binary body; returns the columns and the offset after the last one.
pub(super) fn read_binary<const BIG: bool>(
    path: &Path,
    defs: &[ElementDef],
    body: &[u8],
) -> Result<(Vec<ElementData>, usize), SceneError> {
    let mut pos = 0;
    let mut elements = Vec::with_capacity(defs.len());
    for def in defs {
        let columns = if def.properties.is_empty() {
            Vec::new() // nothing stored, whatever the count
        } else if let Some(columns) = read_uniform::<BIG>(def, body, &mut pos) {
            columns
        } else {
            read_variable::<BIG>(path, def, body, &mut pos)?
        };
        elements.push(ElementData {
            def: def.clone(),
            columns,
        });
    }
    Ok((elements, pos))
}

/// Reads one scalar at `pos`; `None` when the bytes run out.
#[inline(always)]
fn read_scalar<const BIG: bool>(bytes: &[u8], pos: usize, ty: ScalarType) -> Option<f64> {
    macro_rules! num {
        ($t:ty, $n:expr) => {{
            let raw: [u8; $n] = bytes.get(pos..pos.checked_add($n)?)?.try_into().ok()?;
            (if BIG {
                <$t>::from_be_bytes(raw)
            } else {
                <$t>::from_le_bytes(raw)
            }) as f64
        }};
    }
    Some(match ty {
        ScalarType::I8 => num!(i8, 1),
        ScalarType::U8 => num!(u8, 1),
        ScalarType::I16 => num!(i16, 2),
        ScalarType::U16 => num!(u16, 2),
        ScalarType::I32 => num!(i32, 4),
        ScalarType::U32 => num!(u32, 4),
        ScalarType::F32 => num!(f32, 4),
        ScalarType::F64 => num!(f64, 8),
    })
}

/// For every `stride`-byte row of `data`, appends to `out` the `items` values of `out`'s type
/// that start at byte `start` of the row. Rows too short to hold them are skipped (callers size
/// rows so that none is).
#[inline(always)]
fn decode<const BIG: bool>(
    data: &[u8],
    stride: usize,
    start: usize,
    items: usize,
    out: &mut ScalarColumn,
) {
    if stride == 0 || items == 0 {
        return;
    }
    macro_rules! run {
        ($out:expr, $t:ty, $n:expr) => {{
            let end = start + items * $n;
            for row in data.chunks_exact(stride) {
                let Some(field) = row.get(start..end) else {
                    continue;
                };
                $out.extend(field.chunks_exact($n).map(|raw| {
                    let raw: [u8; $n] = raw.try_into().unwrap_or([0; $n]); // always $n bytes
                    if BIG {
                        <$t>::from_be_bytes(raw)
                    } else {
                        <$t>::from_le_bytes(raw)
                    }
                }));
            }
        }};
    }
    match out {
        ScalarColumn::I8(v) => run!(v, i8, 1),
        ScalarColumn::U8(v) => run!(v, u8, 1),
        ScalarColumn::I16(v) => run!(v, i16, 2),
        ScalarColumn::U16(v) => run!(v, u16, 2),
        ScalarColumn::I32(v) => run!(v, i32, 4),
        ScalarColumn::U32(v) => run!(v, u32, 4),
        ScalarColumn::F32(v) => run!(v, f32, 4),
        ScalarColumn::F64(v) => run!(v, f64, 8),
    }
}

/// One property's place in a fixed-size row.
struct Field {
    /// Byte offset of the scalar, or of a list's count.
    offset: usize,
    /// The scalar type, or the list's item type.
    ty: ScalarType,
    /// For lists: the count's size in bytes and the (uniform) item count.
    list: Option<(usize, usize)>,
}

/// Reads an element whose rows all have the layout of its first row, column by column.
/// `None` (and nothing consumed) when that does not hold or the data is short; the row-by-row
/// reader then finds and reports the exact problem.
fn read_uniform<const BIG: bool>(
    def: &ElementDef,
    body: &[u8],
    pos: &mut usize,
) -> Option<Vec<PropertyData>> {
    let available = body.get(*pos..)?;
    let mut fields = Vec::with_capacity(def.properties.len());
    let mut stride = 0usize;
    for p in &def.properties {
        let offset = stride;
        match p.kind {
            PropertyKind::Scalar(ty) => {
                fields.push(Field {
                    offset,
                    ty,
                    list: None,
                });
                stride += ty.size();
            }
            PropertyKind::List { count, item } => {
                let n = read_scalar::<BIG>(available, offset, count)?;
                if n < 0.0 {
                    return None;
                }
                let n = n as usize; // integer count types only
                let bytes = n.checked_mul(item.size())?;
                fields.push(Field {
                    offset,
                    ty: item,
                    list: Some((count.size(), n)),
                });
                stride = stride.checked_add(count.size())?.checked_add(bytes)?;
                if stride > available.len() {
                    return None;
                }
            }
        }
    }
    let rows = usize::try_from(def.count).ok()?;
    let data = available.get(..rows.checked_mul(stride)?)?;
    // Every row's list counts must be byte-identical to the first row's.
    for field in &fields {
        if let Some((count_size, _)) = field.list {
            let range = field.offset..field.offset + count_size;
            let first = data.get(range.clone())?;
            if !data
                .chunks_exact(stride)
                .all(|row| row.get(range.clone()) == Some(first))
            {
                return None;
            }
        }
    }
    let mut columns = Vec::with_capacity(fields.len());
    for field in &fields {
        columns.push(match field.list {
            None => {
                let mut values = ScalarColumn::with_capacity(field.ty, rows);
                decode::<BIG>(data, stride, field.offset, 1, &mut values);
                PropertyData::Scalar(values)
            }
            Some((count_size, n)) => {
                let mut values = ScalarColumn::with_capacity(field.ty, rows * n);
                decode::<BIG>(data, stride, field.offset + count_size, n, &mut values);
                PropertyData::List {
                    offsets: (0..=rows).map(|r| r * n).collect(),
                    values,
                }
            }
        });
    }
    *pos += data.len();
    Some(columns)
}

fn truncated(path: &Path, def: &ElementDef, row: u64) -> SceneError {
    SceneError::element(
        path,
        &def.name,
        row,
        format!(
            "the file ends inside this element (truncated: {} declared)",
            def.count
        ),
    )
}

/// Reads an element row by row, checking every count; reports the first bad row.
fn read_variable<const BIG: bool>(
    path: &Path,
    def: &ElementDef,
    body: &[u8],
    pos: &mut usize,
) -> Result<Vec<PropertyData>, SceneError> {
    let min_row: usize = def
        .properties
        .iter()
        .map(|p| match p.kind {
            PropertyKind::Scalar(ty) => ty.size(),
            PropertyKind::List { count, .. } => count.size(),
        })
        .sum();
    let available = body.len().saturating_sub(*pos);
    let rows_cap = usize::try_from(def.count)
        .unwrap_or(usize::MAX)
        .min(available / min_row.max(1));
    let mut columns: Vec<PropertyData> = def
        .properties
        .iter()
        .map(|p| {
            let items = match p.kind {
                PropertyKind::List { item, .. } => {
                    (rows_cap.saturating_mul(3)).min(available / item.size())
                }
                PropertyKind::Scalar(_) => 0,
            };
            PropertyData::with_capacity(p.kind, rows_cap, items)
        })
        .collect();
    for row in 0..def.count {
        for (p, column) in def.properties.iter().zip(columns.iter_mut()) {
            match (p.kind, column) {
                (PropertyKind::Scalar(ty), PropertyData::Scalar(values)) => {
                    let field = body
                        .get(*pos..*pos + ty.size())
                        .ok_or_else(|| truncated(path, def, row))?;
                    decode::<BIG>(field, field.len(), 0, 1, values);
                    *pos += ty.size();
                }
                (PropertyKind::List { count, item }, PropertyData::List { offsets, values }) => {
                    let n = read_scalar::<BIG>(body, *pos, count)
                        .ok_or_else(|| truncated(path, def, row))?;
                    *pos += count.size();
                    let remaining = body.len().saturating_sub(*pos);
                    let n = list_len(path, def, row, &p.name, n, item.size(), remaining)?;
                    let items = body
                        .get(*pos..*pos + n * item.size())
                        .ok_or_else(|| truncated(path, def, row))?;
                    decode::<BIG>(items, items.len(), 0, n, values);
                    *pos += items.len();
                    offsets.push(values.len());
                }
                _ => return Err(truncated(path, def, row)), // unreachable: columns follow kinds
            }
        }
    }
    Ok(columns)
}

/// Checks a list count read from the file: not negative, and within what is left.
fn list_len(
    path: &Path,
    def: &ElementDef,
    row: u64,
    name: &str,
    n: f64,
    item_size: usize,
    remaining: usize,
) -> Result<usize, SceneError> {
    if n < 0.0 {
        return Err(SceneError::element(
            path,
            &def.name,
            row,
            format!("list `{name}` has a negative count {n}"),
        ));
    }
    let n = n as usize; // integer count types only (the header checks), so exact
    if n.saturating_mul(item_size) > remaining {
        return Err(SceneError::element(
            path,
            &def.name,
            row,
            format!(
                "list `{name}` count {n} needs {} bytes but only {remaining} remain: \
                 an absurd count or a truncated file",
                n.saturating_mul(item_size)
            ),
        ));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ply::PropertyDef;

    fn faces(count: u64) -> ElementDef {
        ElementDef {
            name: "face".into(),
            count,
            properties: vec![
                PropertyDef {
                    name: "vertex_indices".into(),
                    kind: PropertyKind::List {
                        count: ScalarType::U8,
                        item: ScalarType::U16,
                    },
                },
                PropertyDef {
                    name: "flags".into(),
                    kind: PropertyKind::Scalar(ScalarType::I8),
                },
            ],
        }
    }

    #[test]
    fn uniform_and_row_by_row_readers_agree() {
        // Big endian: [3: 1 2 3, -1], [3: 4 5 6, 7]
        let uniform = [3, 0, 1, 0, 2, 0, 3, 0xff, 3, 0, 4, 0, 5, 0, 6, 7];
        let mut pos = 0;
        let fast = read_uniform::<true>(&faces(2), &uniform, &mut pos).unwrap();
        assert_eq!(pos, uniform.len());
        let mut pos = 0;
        let slow =
            read_variable::<true>(Path::new("f.ply"), &faces(2), &uniform, &mut pos).unwrap();
        assert_eq!(pos, uniform.len());
        assert_eq!(fast, slow);
        assert_eq!(fast[0].list(1), Some(vec![4.0, 5.0, 6.0]));
        assert_eq!(fast[1], PropertyData::Scalar(ScalarColumn::I8(vec![-1, 7])));

        // A quad after a triangle: not uniform, so the row-by-row reader takes over.
        let mixed = [3, 0, 1, 0, 2, 0, 3, 0, 4, 0, 1, 0, 2, 0, 3, 0, 4, 9];
        let mut pos = 0;
        assert!(read_uniform::<true>(&faces(2), &mixed, &mut pos).is_none());
        assert_eq!(pos, 0);
        let slow = read_variable::<true>(Path::new("f.ply"), &faces(2), &mixed, &mut pos).unwrap();
        assert_eq!(pos, mixed.len());
        assert_eq!(slow[0].list(1), Some(vec![1.0, 2.0, 3.0, 4.0]));
    }
}
