//! Reading a submission, `[{instr_id, trajectory: [[viewpoint, heading, elevation], …]}]`:
//! a fast reader for the usual shape, serde for anything else.
//!
//! The fast reader takes each entry's id and its steps' viewpoints straight from the bytes
//! and only checks the angles (numbers in `f64`'s range, as serde checks them), allocating
//! nothing per entry. It accepts exactly what the serde types below accept in the usual
//! spelling; anything else (an escaped string, another key, a repeated key, a value of another
//! type) makes it give up, and the file is read with serde, which names the fault.

use serde::Deserialize;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;
use waymark_io::json_cursor::JsonCursor;
use waymark_io::{IoError, JsonStr, parse_json};

/// One entry as serde reads it, borrowing its strings from the file's bytes where it can.
#[derive(Deserialize)]
pub(super) struct SubmissionEntry<'a> {
    #[serde(borrow)]
    instr_id: JsonStr<'a>,
    #[serde(borrow)]
    trajectory: Vec<Pose<'a>>,
}

/// One step of a trajectory, `[viewpoint, heading, elevation]`: the viewpoint. The angles
/// must be numbers; scoring does not read them.
#[derive(Deserialize)]
#[serde(from = "(JsonStr<'a>, f64, f64)", bound(deserialize = "'de: 'a"))]
struct Pose<'a>(JsonStr<'a>);

impl<'a> From<(JsonStr<'a>, f64, f64)> for Pose<'a> {
    fn from((viewpoint, _, _): (JsonStr<'a>, f64, f64)) -> Self {
        Self(viewpoint)
    }
}

/// A submission as read: each entry's instruction id and the viewpoints its trajectory
/// visits, in file order.
pub(super) struct Submission<'a> {
    /// Per entry: its id and its steps' place in `viewpoints`.
    entries: Vec<(&'a str, Range<usize>)>,
    viewpoints: Vec<&'a str>,
}

impl<'a> Submission<'a> {
    /// Reads the submission in `bytes` (from `path`, named in errors). When the fast reader
    /// gives up, serde's entries are kept in `slow`, and the result borrows from them.
    pub(super) fn parse(
        path: &Path,
        bytes: &'a [u8],
        slow: &'a OnceLock<Vec<SubmissionEntry<'a>>>,
    ) -> Result<Self, IoError> {
        // The whole file checked as UTF-8 at once; serde names the fault of one that is not.
        let fast = std::str::from_utf8(bytes).ok().and_then(Self::parse_fast);
        if let Some(submission) = fast {
            return Ok(submission);
        }
        let parsed = parse_json(path, bytes)?;
        let entries: &'a [SubmissionEntry<'a>] = slow.get_or_init(|| parsed);
        let mut viewpoints = Vec::new();
        let entries = entries
            .iter()
            .map(|entry| {
                let start = viewpoints.len();
                viewpoints.extend(entry.trajectory.iter().map(|pose| pose.0.as_str()));
                (entry.instr_id.as_str(), start..viewpoints.len())
            })
            .collect();
        Ok(Self {
            entries,
            viewpoints,
        })
    }

    /// The number of entries.
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Entry `i`'s instruction id.
    pub(super) fn id(&self, i: usize) -> &'a str {
        self.entries[i].0
    }

    /// The viewpoints entry `i`'s trajectory visits, in order.
    pub(super) fn trajectory(&self, i: usize) -> &[&'a str] {
        &self.viewpoints[self.entries[i].1.clone()]
    }

    /// The fast reader; `None` when it cannot vouch for the result.
    fn parse_fast(text: &'a str) -> Option<Self> {
        let mut json = JsonCursor::new(text);
        let mut submission = Self {
            entries: Vec::new(),
            // A step takes at least 10 bytes (`["",0,0],`): never grown. Pages of it that are
            // never written cost nothing.
            viewpoints: Vec::with_capacity(text.len() / 10),
        };
        json.array(|json| {
            let entry = entry(json, &mut submission.viewpoints)?;
            submission.entries.push(entry);
            Some(())
        })?;
        json.at_end().then_some(submission)
    }
}

/// One entry, `{"instr_id": …, "trajectory": …}` in either order, its viewpoints appended to
/// `viewpoints`.
fn entry<'a>(
    json: &mut JsonCursor<'a>,
    viewpoints: &mut Vec<&'a str>,
) -> Option<(&'a str, Range<usize>)> {
    let (mut id, mut steps) = (None, None);
    json.object(|key, json| match key {
        "instr_id" => Some(id.replace(json.string()?).is_none()),
        "trajectory" => Some(steps.replace(trajectory(json, viewpoints)?).is_none()),
        _ => None,
    })?;
    Some((id?, steps?))
}

/// A trajectory, `[[viewpoint, heading, elevation], …]`: its viewpoints appended to
/// `viewpoints`, their range returned.
fn trajectory<'a>(
    json: &mut JsonCursor<'a>,
    viewpoints: &mut Vec<&'a str>,
) -> Option<Range<usize>> {
    let start = viewpoints.len();
    json.array(|json| {
        json.expect(b'[')?;
        viewpoints.push(json.string()?);
        json.expect(b',')?;
        json.unread_number()?;
        json.expect(b',')?;
        json.unread_number()?;
        json.expect(b']')
    })?;
    Some(start..viewpoints.len())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // tests may panic

    use super::*;

    /// What the reader gives: each entry's id and viewpoints.
    fn read(text: &str) -> Result<Vec<(String, Vec<String>)>, String> {
        let slow = OnceLock::new();
        let submission = Submission::parse(Path::new("s.json"), text.as_bytes(), &slow)
            .map_err(|e| e.to_string())?;
        Ok((0..submission.len())
            .map(|i| {
                let steps = submission.trajectory(i).iter().map(|v| v.to_string());
                (submission.id(i).to_string(), steps.collect())
            })
            .collect())
    }

    /// What serde alone gives for the same text.
    fn read_by_serde(text: &str) -> Result<Vec<(String, Vec<String>)>, String> {
        let entries: Vec<SubmissionEntry<'_>> =
            parse_json(Path::new("s.json"), text.as_bytes()).map_err(|e| e.to_string())?;
        Ok(entries
            .iter()
            .map(|e| {
                let steps = e.trajectory.iter().map(|p| p.0.as_str().to_string());
                (e.instr_id.as_str().to_string(), steps.collect())
            })
            .collect())
    }

    const USUAL: &str = r#"[{"instr_id": "1_0", "trajectory": [["a", 0.0, 0.0], ["b", -1.5, 2]]},
        {"trajectory":[["c",3.14159,-0.5e-2]],"instr_id":"1_1"}, {"instr_id": "2_0", "trajectory": []}]"#;

    #[test]
    fn the_usual_shape_reads_fast_and_as_serde_reads_it() {
        assert!(Submission::parse_fast(USUAL).is_some());
        let read = read(USUAL).unwrap();
        assert_eq!(read, read_by_serde(USUAL).unwrap());
        assert_eq!(read[0], ("1_0".into(), vec!["a".into(), "b".into()]));
        assert_eq!(read[2], ("2_0".into(), vec![]));
        assert_eq!(self::read(" [ ] ").unwrap(), vec![]);
    }

    #[test]
    fn anything_else_is_read_by_serde_with_its_errors() {
        for text in [
            // Read by serde, to the same entries.
            USUAL.replace(r#""a""#, r#""\u0061""#),
            USUAL.replace(r#""1_1""#, r#""1_\u0031""#),
            USUAL.replace(
                r#""instr_id": "2_0""#,
                r#""extra": {"x": [1]}, "instr_id": "2_0""#,
            ),
            USUAL.replace("-1.5, 2", "-1.5E+1, 2"),
            // Errors, named by serde.
            USUAL.replace("-1.5, 2", "-1.5, 1e999"),
            USUAL.replace("-1.5, 2", "-1.5, \"2\""),
            USUAL.replace("-1.5, 2", "-1.5"),
            USUAL.replace("-1.5, 2", "-1.5, 2, 3"),
            USUAL.replace(r#""instr_id": "2_0", "#, ""),
            USUAL.replace(
                r#""instr_id": "2_0""#,
                r#""instr_id": "2_0", "instr_id": "2_1""#,
            ),
            USUAL.replace(r#""a""#, "7"),
            USUAL.replace("0.0, 0.0", "00, 0.0"),
            format!("{USUAL} ]"),
            USUAL.replace('[', "{"),
        ] {
            let serde = read_by_serde(&text);
            assert_eq!(read(&text), serde, "{text}");
            if serde.is_ok() {
                assert!(
                    Submission::parse_fast(&text).is_none() || text.contains("E+1"),
                    "{text}"
                );
            }
        }
        let error = read(&USUAL.replace("-1.5, 2", "-1.5, true")).unwrap_err();
        assert!(
            error.contains("s.json") && error.contains("[0].trajectory[1]"),
            "{error}"
        );
        assert!(read("[{\"instr_id\": \"\u{ff}\"}]").is_err());
        let slow = OnceLock::new();
        let latin1 = Submission::parse(Path::new("s.json"), b"[\"\xff\"]", &slow);
        assert!(latin1.is_err());
    }
}
