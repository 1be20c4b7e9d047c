//! A fast reader for well-formed Matterport `<scan>_connectivity.json` files.
//!
//! Most of a connectivity file is its two `N × N` boolean arrays (`visible`, `unobstructed`);
//! a generic JSON deserializer spends most of a scoring run's time on them. This reader scans
//! the bytes once, keeps only what a graph needs (ids, positions, the `true` entries of
//! `unobstructed`) and counts `visible`. It accepts exactly what
//! [`waymark_scenes::read_connectivity`] accepts in the files' usual shape and gives the same
//! [`NavGraphSpec`]; anything else (an escaped string, an unknown key, a malformed value, an
//! inconsistent record) makes it give up, and the caller falls back on
//! [`waymark_scenes::read_connectivity`], which reads the file again and names the fault.

use glam::DVec3;
use std::collections::HashSet;
use waymark_core::{ScanId, ViewpointId};
use waymark_io::json_cursor::JsonCursor;
use waymark_scenes::NavGraphSpec;

/// One viewpoint record, reduced to what the graph needs.
struct Record<'a> {
    image_id: &'a str,
    /// `pose[3]`, `pose[7]`, `pose[11]`.
    position: DVec3,
    included: bool,
    visible_len: usize,
    /// Indices `j` with `unobstructed[j] == true`, ascending.
    unobstructed: Vec<u32>,
    unobstructed_len: usize,
}

/// Parses `bytes` as `scan`'s connectivity file; `None` when the fast path cannot vouch for
/// the result (then [`waymark_scenes::read_connectivity`] must read the file).
pub(crate) fn parse(scan: &ScanId, bytes: &[u8]) -> Option<NavGraphSpec> {
    // The whole file checked as UTF-8 at once; serde names the fault of one that is not.
    let records = records(&mut JsonCursor::new(std::str::from_utf8(bytes).ok()?))?;
    graph_from_records(scan, &records)
}

/// [`waymark_scenes`]' rules for turning records into a graph, on the reduced records.
fn graph_from_records(scan: &ScanId, records: &[Record<'_>]) -> Option<NavGraphSpec> {
    let n = records.len();
    let mut index_of_record = vec![None; n];
    let mut viewpoints = Vec::new();
    let mut seen = HashSet::with_capacity(n);
    for (i, rec) in records.iter().enumerate() {
        if rec.unobstructed_len != n || rec.visible_len != n || !seen.insert(rec.image_id) {
            return None;
        }
        if !rec.included {
            continue;
        }
        if !rec.position.is_finite() {
            return None;
        }
        index_of_record[i] = Some(viewpoints.len() as u32);
        viewpoints.push((ViewpointId::new(rec.image_id), rec.position));
    }
    let mut edges = Vec::new();
    for (i, rec) in records.iter().enumerate() {
        let Some(a) = index_of_record[i] else {
            continue;
        };
        for &j in &rec.unobstructed {
            let j = j as usize;
            let Some(b) = index_of_record[j] else {
                continue;
            };
            if i == j {
                continue;
            }
            if records[j].unobstructed.binary_search(&(i as u32)).is_err() {
                return None;
            }
            if a < b {
                edges.push((a, b));
            }
        }
    }
    Some(NavGraphSpec {
        scan: scan.clone(),
        viewpoints,
        edges,
    })
}

/// The top-level array of records, then nothing but white space.
fn records<'a>(json: &mut JsonCursor<'a>) -> Option<Vec<Record<'a>>> {
    let mut records = Vec::new();
    json.array(|json| {
        records.push(record(json)?);
        Some(())
    })?;
    json.at_end().then_some(records)
}

fn record<'a>(json: &mut JsonCursor<'a>) -> Option<Record<'a>> {
    let (mut image_id, mut position, mut included) = (None, None, None);
    let (mut visible_len, mut unobstructed, mut height) = (None, None, false);
    json.object(|key, json| {
        Some(match key {
            "image_id" => image_id.replace(json.string()?).is_none(),
            "pose" => position.replace(pose(json)?).is_none(),
            "included" => included.replace(json.boolean()?).is_none(),
            "visible" => visible_len.replace(json.booleans(|_| {})?).is_none(),
            "unobstructed" => {
                let mut open = Vec::new();
                let len = json.booleans(|j| open.push(j))?;
                unobstructed.replace((open, len)).is_none()
            }
            "height" => {
                json.number_or_null()?;
                !std::mem::replace(&mut height, true)
            }
            _ => return None,
        })
    })?;
    let (unobstructed, unobstructed_len) = unobstructed?;
    Some(Record {
        image_id: image_id?,
        position: position?,
        included: included?,
        visible_len: visible_len?,
        unobstructed,
        unobstructed_len,
    })
}

/// `pose`: 16 numbers; returns the position (`pose[3]`, `pose[7]`, `pose[11]`).
fn pose(json: &mut JsonCursor<'_>) -> Option<DVec3> {
    json.expect(b'[')?;
    let mut position = [0.0; 3];
    for k in 0..16 {
        if k > 0 {
            json.expect(b',')?;
        }
        if k % 4 == 3 && k < 12 {
            position[k / 4] = json.number()?;
        } else {
            json.unread_number()?;
        }
    }
    json.expect(b']')?;
    Some(DVec3::from_array(position))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan() -> ScanId {
        ScanId::new("s")
    }

    #[test]
    fn reads_a_small_file_like_the_scene_reader() {
        let text = br#"[
            {"image_id":"a","pose":[1,0,0,0.5,0,1,0,-2,0,0,1,1.5e0,0,0,0,1],"included":true,
             "visible":[false,true,true],"unobstructed":[false,true,true],"height":1.5},
            {"image_id":"b","pose":[1,0,0,3,0,1,0,0,0,0,1,1.5,0,0,0,1],"included":true,
             "visible":[true,false,true],"unobstructed":[true,false,true],"height":null},
            {"image_id":"c","pose":[1,0,0,9,0,1,0,9,0,0,1,1.5,0,0,0,1],"included":false,
             "visible":[true,true,false],"unobstructed":[true,true,false]}
        ]"#;
        let g = parse(&scan(), text).unwrap();
        assert_eq!(g.viewpoints.len(), 2);
        assert_eq!(g.viewpoints[0].1, DVec3::new(0.5, -2.0, 1.5));
        assert_eq!(g.edges, vec![(0, 1)]);
    }

    #[test]
    fn gives_up_on_anything_unusual() {
        let good = r#"[{"image_id":"a","pose":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"included":true,"visible":[false],"unobstructed":[false]}]"#;
        assert!(parse(&scan(), good.as_bytes()).is_some());
        for bad in [
            good.replace(r#""a""#, r#""a\u0062""#),
            good.replace("\"included\":true", "\"included\":true,\"included\":true"),
            good.replace("\"included\":true", "\"extra\":1,\"included\":true"),
            good.replace("\"included\":true,", ""),
            good.replace("[false]", "[0]"),
            good.replace("[false]", "[false,]"),
            good.replace("\"visible\":[false]", "\"visible\":[false,false]"),
            good.replace("[0,0,0,0,", "[0,0,0,"),
            good.replace("[0,0,0,0,", "[0,0,0,01,"),
            good.replace("[0,0,0,0,", "[0,0,0,1.,"),
            good.replace("[0,0,0,0,", "[0,0,0,+1,"),
            good.replace("[0,0,0,0,", "[0,0,0,1e999,"),
            // Unused pose entries are checked too.
            good.replace("[0,0,0,0,", "[1e999,0,0,0,"),
            good.replace("[0,0,0,0,", "[01,0,0,0,"),
            good.replace("[0,0,0,0,", "[-,0,0,0,"),
            format!("{good} x"),
        ] {
            assert!(parse(&scan(), bad.as_bytes()).is_none(), "{bad}");
        }
    }
}
