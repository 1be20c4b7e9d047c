//! The PLY header: `ply`, `format`, `comment`/`obj_info`, `element`, `property`, `end_header`.

use super::{ElementDef, PlyEncoding, PlyHeader, PropertyDef, PropertyKind, ScalarType};
use crate::error::SceneError;
use std::path::Path;

/// Parses the header at the start of `bytes`; returns it with the offset where the body starts
/// (just after the `end_header` line's newline).
pub fn parse_header(path: &Path, bytes: &[u8]) -> Result<(PlyHeader, usize), SceneError> {
    let at_line =
        |n: usize, message: String| SceneError::record(path, format!("header line {n}"), message);
    let mut pos = 0;
    let mut line_no = 0;
    let mut encoding = None;
    let mut comments = Vec::new();
    let mut obj_info = Vec::new();
    let mut elements: Vec<ElementDef> = Vec::new();
    loop {
        let Some(rest) = bytes.get(pos..).filter(|r| !r.is_empty()) else {
            return Err(if line_no == 0 {
                SceneError::record(path, "header", "not a PLY file: the file is empty")
            } else {
                SceneError::record(
                    path,
                    "header",
                    format!("the header has no `end_header` line (file ends after line {line_no})"),
                )
            });
        };
        let (raw, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(n) => (&rest[..n], pos + n + 1),
            None => (rest, bytes.len()),
        };
        pos = next;
        line_no += 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line_no == 1 {
            if raw.trim_ascii() != b"ply" {
                return Err(SceneError::record(
                    path,
                    "header",
                    "not a PLY file: it does not start with a `ply` line",
                ));
            }
            continue;
        }
        let line = String::from_utf8_lossy(raw);
        let mut words = line.split_ascii_whitespace();
        let Some(keyword) = words.next() else {
            continue; // blank header lines are harmless
        };
        match keyword {
            "format" => {
                let (Some(name), Some(version), None) = (words.next(), words.next(), words.next())
                else {
                    return Err(at_line(
                        line_no,
                        format!("expected `format <kind> 1.0`, found `{line}`"),
                    ));
                };
                if encoding.is_some() {
                    return Err(at_line(line_no, "a second `format` line".into()));
                }
                encoding = Some(match name {
                    "ascii" => PlyEncoding::Ascii,
                    "binary_little_endian" => PlyEncoding::BinaryLittleEndian,
                    "binary_big_endian" => PlyEncoding::BinaryBigEndian,
                    other => {
                        return Err(at_line(
                            line_no,
                            format!(
                                "unknown format `{other}` (expected ascii, binary_little_endian or binary_big_endian)"
                            ),
                        ));
                    }
                });
                if !version.starts_with('1') {
                    return Err(at_line(
                        line_no,
                        format!("unsupported PLY version `{version}` (expected 1.0)"),
                    ));
                }
            }
            "comment" => comments.push(rest_after_keyword(&line, "comment")),
            "obj_info" => obj_info.push(rest_after_keyword(&line, "obj_info")),
            "element" => {
                let (Some(name), Some(count), None) = (words.next(), words.next(), words.next())
                else {
                    return Err(at_line(
                        line_no,
                        format!("expected `element <name> <count>`, found `{line}`"),
                    ));
                };
                let count: u64 = count.parse().map_err(|_| {
                    at_line(
                        line_no,
                        format!("element `{name}` has count `{count}`, not a non-negative integer"),
                    )
                })?;
                elements.push(ElementDef {
                    name: name.to_owned(),
                    count,
                    properties: Vec::new(),
                });
            }
            "property" => {
                let Some(element) = elements.last_mut() else {
                    return Err(at_line(
                        line_no,
                        "a `property` line before any `element` line".into(),
                    ));
                };
                let property = parse_property(words).map_err(|m| at_line(line_no, m))?;
                if element.properties.iter().any(|p| p.name == property.name) {
                    return Err(at_line(
                        line_no,
                        format!(
                            "element `{}` declares property `{}` twice",
                            element.name, property.name
                        ),
                    ));
                }
                element.properties.push(property);
            }
            "end_header" => {
                let Some(encoding) = encoding else {
                    return Err(at_line(
                        line_no,
                        "`end_header` before any `format` line".into(),
                    ));
                };
                let header = PlyHeader {
                    encoding,
                    comments,
                    obj_info,
                    elements,
                };
                return Ok((header, pos));
            }
            other => {
                return Err(at_line(
                    line_no,
                    format!("unknown header keyword `{other}`"),
                ));
            }
        }
    }
}

/// The text after `keyword` and one separating space (the rest is kept verbatim).
fn rest_after_keyword(line: &str, keyword: &str) -> String {
    let rest = line.trim_start().strip_prefix(keyword).unwrap_or("");
    let rest = rest.strip_prefix([' ', '\t']).unwrap_or(rest);
    rest.trim_end().to_owned()
}

fn parse_property<'a>(mut words: impl Iterator<Item = &'a str>) -> Result<PropertyDef, String> {
    let scalar = |name: &str| {
        ScalarType::from_name(name).ok_or_else(|| format!("unknown property type `{name}`"))
    };
    let first = words.next().ok_or("a `property` line without a type")?;
    let kind = if first == "list" {
        let count = scalar(words.next().ok_or("a list property without a count type")?)?;
        let item = scalar(words.next().ok_or("a list property without an item type")?)?;
        if count.is_float() {
            return Err(format!(
                "list count type `{}` is not an integer type",
                count.name()
            ));
        }
        PropertyKind::List { count, item }
    } else {
        PropertyKind::Scalar(scalar(first)?)
    };
    let name = words.next().ok_or("a `property` line without a name")?;
    if let Some(extra) = words.next() {
        return Err(format!("unexpected `{extra}` after property `{name}`"));
    }
    Ok(PropertyDef {
        name: name.to_owned(),
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(text: &str) -> Result<(PlyHeader, usize), SceneError> {
        parse_header(Path::new("h.ply"), text.as_bytes())
    }

    #[test]
    fn parses_elements_comments_and_aliases() {
        let text = "ply\r\nformat binary_big_endian 1.0\r\ncomment made by hand\r\nobj_info scanner 3\r\n\
                    element vertex 2\r\nproperty float32 x\r\nproperty uint8 red\r\n\
                    element face 1\r\nproperty list uint8 int32 vertex_indices\r\nend_header\r\nBODY";
        let (h, body) = header(text).unwrap();
        assert_eq!(&text.as_bytes()[body..], b"BODY");
        assert_eq!(h.encoding, PlyEncoding::BinaryBigEndian);
        assert_eq!(h.comments, vec!["made by hand".to_owned()]);
        assert_eq!(h.obj_info, vec!["scanner 3".to_owned()]);
        assert_eq!(h.elements.len(), 2);
        assert_eq!(
            h.elements[0].properties[0].kind,
            PropertyKind::Scalar(ScalarType::F32)
        );
        assert_eq!(
            h.elements[0].properties[1].kind,
            PropertyKind::Scalar(ScalarType::U8)
        );
        assert_eq!(
            h.elements[1].properties[0].kind,
            PropertyKind::List {
                count: ScalarType::U8,
                item: ScalarType::I32
            }
        );
    }

    #[test]
    fn rejects_non_ply_naming_the_file() {
        let text = header("solid cube\nfacet normal 0 0 1\n")
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("h.ply") && text.contains("not a PLY file"),
            "{text}"
        );
        let text = header("").unwrap_err().to_string();
        assert!(text.contains("not a PLY file"), "{text}");
    }

    #[test]
    fn rejects_unknown_format_naming_the_line() {
        let text = header("ply\nformat binary_middle_endian 1.0\nend_header\n")
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("h.ply") && text.contains("header line 2"),
            "{text}"
        );
        assert!(
            text.contains("unknown format `binary_middle_endian`"),
            "{text}"
        );
    }

    #[test]
    fn rejects_bad_header_lines() {
        for (text, needle) in [
            (
                "ply\nformat ascii 1.0\nproperty float x\nend_header\n",
                "before any `element`",
            ),
            (
                "ply\nformat ascii 1.0\nelement vertex -3\nend_header\n",
                "`-3`",
            ),
            (
                "ply\nformat ascii 1.0\nelement vertex 1\nproperty quad x\nend_header\n",
                "unknown property type `quad`",
            ),
            (
                "ply\nformat ascii 1.0\nelement f 1\nproperty list float int v\nend_header\n",
                "not an integer type",
            ),
            (
                "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float x\nend_header\n",
                "twice",
            ),
            (
                "ply\nformat ascii 1.0\nbogus line\nend_header\n",
                "unknown header keyword `bogus`",
            ),
            ("ply\nelement vertex 1\nend_header\n", "before any `format`"),
            (
                "ply\nformat ascii 1.0\nelement vertex 1\n",
                "no `end_header`",
            ),
            ("ply\nformat ascii 2.0\nend_header\n", "version"),
        ] {
            let message = header(text).unwrap_err().to_string();
            assert!(
                message.contains("h.ply") && message.contains(needle),
                "{text:?}: {message}"
            );
        }
    }
}
