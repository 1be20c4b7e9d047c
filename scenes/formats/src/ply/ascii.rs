//! ASCII PLY bodies: one element per non-blank line, whitespace-separated values.

use super::{ElementData, ElementDef, PropertyData, PropertyKind, ScalarType};
use crate::error::SceneError;
use std::path::Path;

/// Reads every element of an ASCII body, one element per non-blank line.
pub(super) fn read_ascii(
    path: &Path,
    defs: &[ElementDef],
    body: &[u8],
    first_line: usize,
) -> Result<(Vec<ElementData>, usize), SceneError> {
    let mut lines = Lines {
        bytes: body,
        pos: 0,
        line_no: first_line - 1,
    };
    let mut elements = Vec::with_capacity(defs.len());
    for def in defs {
        if def.properties.is_empty() {
            elements.push(ElementData {
                def: def.clone(),
                columns: Vec::new(),
            });
            continue;
        }
        // Every value takes at least two bytes (a digit and a separator).
        let remaining = body.len().saturating_sub(lines.pos);
        let rows_cap = usize::try_from(def.count)
            .unwrap_or(usize::MAX)
            .min(remaining / (2 * def.properties.len()));
        let mut columns: Vec<PropertyData> = def
            .properties
            .iter()
            .map(|p| {
                PropertyData::with_capacity(
                    p.kind,
                    rows_cap,
                    rows_cap.saturating_mul(3).min(remaining / 2),
                )
            })
            .collect();
        for row in 0..def.count {
            let Some((line, line_no)) = lines.next_non_blank() else {
                return Err(SceneError::element(
                    path,
                    &def.name,
                    row,
                    format!(
                        "the file ends inside this element (fewer lines than the {} declared)",
                        def.count
                    ),
                ));
            };
            read_ascii_row(path, def, row, line, line_no, &mut columns)?;
        }
        elements.push(ElementData {
            def: def.clone(),
            columns,
        });
    }
    let end = lines.pos;
    if let Some((_, line_no)) = lines.next_non_blank() {
        let message = format!("line {line_no}: more lines than the elements declare");
        return Err(match defs.last() {
            Some(last) => SceneError::element(path, &last.name, last.count, message),
            None => SceneError::record(path, "body", message),
        });
    }
    Ok((elements, end))
}

fn read_ascii_row(
    path: &Path,
    def: &ElementDef,
    row: u64,
    line: &[u8],
    line_no: usize,
    columns: &mut [PropertyData],
) -> Result<(), SceneError> {
    let err = |message: String| {
        SceneError::element(path, &def.name, row, format!("line {line_no}: {message}"))
    };
    let mut tokens = line
        .split(|b| b.is_ascii_whitespace())
        .filter(|t| !t.is_empty());
    // `what` describes the missing value; it is only formatted when the line runs short.
    let mut next = |what: &dyn Fn() -> String| {
        tokens.next().ok_or_else(|| {
            err(format!(
                "the line ends before {} (fewer values than the properties declare)",
                what()
            ))
        })
    };
    for (p, column) in def.properties.iter().zip(columns.iter_mut()) {
        match (p.kind, column) {
            (PropertyKind::Scalar(ty), PropertyData::Scalar(values)) => {
                let token = next(&|| format!("property `{}`", p.name))?;
                values.push_f64(
                    parse_token(ty, token).ok_or_else(|| bad_token(&err, token, ty, &p.name))?,
                );
            }
            (PropertyKind::List { count, item }, PropertyData::List { offsets, values }) => {
                let token = next(&|| format!("the count of list `{}`", p.name))?;
                let n = parse_token(count, token)
                    .ok_or_else(|| bad_token(&err, token, count, &p.name))?;
                if n < 0.0 {
                    return Err(err(format!("list `{}` has a negative count {n}", p.name)));
                }
                if n > line.len() as f64 {
                    return Err(err(format!(
                        "list `{}` count {n} is absurd: the line is only {} bytes long",
                        p.name,
                        line.len()
                    )));
                }
                for k in 0..n as usize {
                    let token = next(&|| format!("item {k} of list `{}` ({n} declared)", p.name))?;
                    values.push_f64(
                        parse_token(item, token)
                            .ok_or_else(|| bad_token(&err, token, item, &p.name))?,
                    );
                }
                offsets.push(values.len());
            }
            _ => return Err(err("internal column mismatch".into())), // unreachable
        }
    }
    if let Some(extra) = tokens.next() {
        return Err(err(format!(
            "more values than the properties declare (extra `{}`)",
            String::from_utf8_lossy(extra)
        )));
    }
    Ok(())
}

fn bad_token(
    err: &impl Fn(String) -> SceneError,
    token: &[u8],
    ty: ScalarType,
    property: &str,
) -> SceneError {
    err(format!(
        "`{}` is not a valid {} (property `{property}`)",
        String::from_utf8_lossy(token),
        ty.name()
    ))
}

/// Parses one ASCII value of type `ty`. Integers must be in range (a float spelling such as
/// `3.0` is accepted when it is integral); `float` values are rounded to `f32`.
fn parse_token(ty: ScalarType, token: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(token).ok()?;
    match ty.int_range() {
        None => {
            let value: f64 = text.parse().ok()?;
            Some(if ty == ScalarType::F32 {
                value as f32 as f64
            } else {
                value
            })
        }
        Some((lo, hi)) => {
            let value = match text.parse::<i64>() {
                Ok(v) => v as f64,
                Err(_) => text.parse::<f64>().ok().filter(|v| v.fract() == 0.0)?,
            };
            (value >= lo as f64 && value <= hi as f64).then_some(value)
        }
    }
}

/// Lines of an ASCII body with their 1-based line numbers in the file.
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    line_no: usize,
}

impl<'a> Lines<'a> {
    fn next_non_blank(&mut self) -> Option<(&'a [u8], usize)> {
        loop {
            let rest = self.bytes.get(self.pos..).filter(|r| !r.is_empty())?;
            let (line, advance) = match rest.iter().position(|&b| b == b'\n') {
                Some(n) => (&rest[..n], n + 1),
                None => (rest, rest.len()),
            };
            self.pos += advance;
            self.line_no += 1;
            if !line.trim_ascii().is_empty() {
                return Some((line, self.line_no));
            }
        }
    }
}
