//! R2R-family episode files: R2R, RxR-style (a `language` per instruction) and REVERIE
//! (`id`, `objId`).
//!
//! Each record is `{distance, scan, path_id, path, heading, instructions}`; every instruction
//! becomes one [`NavEpisode`] with id `"{path_id}_{k}"` (REVERIE: `"{id}_{k}"`).

use crate::error::SceneError;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;
use waymark_core::{InstrId, NavEpisode, ScanId, ViewpointId};
use waymark_io::{read_json, write_json_atomic};

/// One record of an R2R-family episode file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct R2rRecord {
    /// Length of `path` in metres, as the file states it.
    pub distance: f64,
    /// The scan id.
    pub scan: String,
    /// The path id (R2R); REVERIE files carry it too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_id: Option<i64>,
    /// The reference path, start to goal.
    pub path: Vec<String>,
    /// Start heading in radians.
    pub heading: f64,
    /// One or more instructions for this path.
    pub instructions: Vec<String>,
    /// Language tag: one for all instructions, or one per instruction (RxR style).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Languages>,
    /// REVERIE's record id; when present, instruction ids are `"{id}_{k}"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// REVERIE's target object id.
    #[serde(default, rename = "objId", skip_serializing_if = "Option::is_none")]
    pub obj_id: Option<serde_json::Value>,
    /// Marks episodes that waymark generated rather than people wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<bool>,
}

/// The `language` field: a single tag or one tag per instruction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Languages {
    /// The same language for every instruction.
    One(String),
    /// One language per instruction.
    PerInstruction(Vec<String>),
}

/// Reads an R2R-family file and expands it into one episode per instruction, in file order.
pub fn read_r2r_episodes(path: &Path) -> Result<Vec<NavEpisode>, SceneError> {
    let records: Vec<R2rRecord> = read_json(path)?;
    episodes_from_records(path, records)
}

/// Writes records as an R2R-family JSON file (atomically).
pub fn write_r2r_records(path: &Path, records: &[R2rRecord]) -> Result<(), SceneError> {
    Ok(write_json_atomic(path, records, true)?)
}

fn episodes_from_records(
    path: &Path,
    records: Vec<R2rRecord>,
) -> Result<Vec<NavEpisode>, SceneError> {
    let mut episodes = Vec::with_capacity(records.iter().map(|r| r.instructions.len()).sum());
    let mut ids = HashSet::with_capacity(episodes.capacity());
    for (i, rec) in records.into_iter().enumerate() {
        let at = || match rec.path_id {
            Some(p) => format!("[{i}] (path_id {p})"),
            None => format!("[{i}]"),
        };
        let prefix = match (&rec.id, rec.path_id) {
            (Some(id), _) => id.clone(),
            (None, Some(p)) => p.to_string(),
            (None, None) => {
                return Err(SceneError::record(
                    path,
                    at(),
                    "has neither `path_id` nor `id`",
                ));
            }
        };
        if rec.path.is_empty() {
            return Err(SceneError::record(path, at(), "`path` is empty"));
        }
        if !rec.heading.is_finite() || !rec.distance.is_finite() {
            return Err(SceneError::record(
                path,
                at(),
                "`heading` and `distance` must be finite",
            ));
        }
        if let Some(Languages::PerInstruction(langs)) = &rec.language
            && langs.len() != rec.instructions.len()
        {
            return Err(SceneError::record(
                path,
                at(),
                format!(
                    "{} languages for {} instructions",
                    langs.len(),
                    rec.instructions.len()
                ),
            ));
        }
        let reference_path: Vec<ViewpointId> = rec.path.iter().map(ViewpointId::new).collect();
        let scan = ScanId::new(&rec.scan);
        for (k, instruction) in rec.instructions.into_iter().enumerate() {
            let instr_id = InstrId::new(format!("{prefix}_{k}"));
            if !ids.insert(instr_id.clone()) {
                return Err(SceneError::record(
                    path,
                    at(),
                    format!("duplicate instruction id {instr_id}"),
                ));
            }
            let language = match &rec.language {
                None => None,
                Some(Languages::One(l)) => Some(l.clone()),
                Some(Languages::PerInstruction(ls)) => ls.get(k).cloned(),
            };
            episodes.push(NavEpisode {
                instr_id,
                scan: scan.clone(),
                path_id: rec.path_id.unwrap_or(i as i64),
                reference_path: reference_path.clone(),
                start_heading_rad: rec.heading,
                instruction,
                language,
                distance_m: rec.distance,
                target_object_id: rec.obj_id.as_ref().map(|v| match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                }),
            });
        }
    }
    Ok(episodes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use waymark_io::parse_json;

    fn parse(text: &str) -> Result<Vec<NavEpisode>, SceneError> {
        let p = Path::new("eps.json");
        let records: Vec<R2rRecord> = parse_json(p, text.as_bytes())?;
        episodes_from_records(p, records)
    }

    #[test]
    fn expands_instructions_with_r2r_ids() {
        let eps = parse(
            r#"[{"distance": 7.5, "scan": "s1", "path_id": 42, "path": ["a","b"],
                 "heading": 1.0, "instructions": ["go", "walk"]}]"#,
        )
        .unwrap();
        assert_eq!(eps.len(), 2);
        assert_eq!(eps[1].instr_id.as_str(), "42_1");
        assert_eq!(eps[1].instruction, "walk");
        assert_eq!(eps[0].goal().unwrap().as_str(), "b");
        assert_eq!(eps[0].language, None);
    }

    #[test]
    fn reads_per_instruction_languages_and_reverie_ids() {
        let eps = parse(
            r#"[{"distance": 1, "scan": "s", "path_id": 7, "id": "7_31", "objId": 31,
                 "path": ["a"], "heading": 0, "instructions": ["x", "y"],
                 "language": ["en-US", "ar"]}]"#,
        )
        .unwrap();
        assert_eq!(eps[0].instr_id.as_str(), "7_31_0");
        assert_eq!(eps[1].language.as_deref(), Some("ar"));
        assert_eq!(eps[1].target_object_id.as_deref(), Some("31"));
    }

    #[test]
    fn missing_field_names_the_record() {
        let err = parse(
            r#"[{"distance": 1, "scan": "s", "path_id": 1, "path": ["a"],
                          "instructions": []}]"#,
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("eps.json") && text.contains("heading"),
            "{text}"
        );
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let rec = r#"{"distance": 1, "scan": "s", "path_id": 1, "path": ["a"], "heading": 0,
                      "instructions": ["x"]}"#;
        let err = parse(&format!("[{rec},{rec}]")).unwrap_err();
        assert!(err.to_string().contains("duplicate instruction id 1_0"));
    }

    #[test]
    fn language_count_must_match() {
        let err = parse(
            r#"[{"distance": 1, "scan": "s", "path_id": 1, "path": ["a"], "heading": 0,
                 "instructions": ["x"], "language": ["en", "ar"]}]"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("2 languages for 1 instructions"));
    }
}
