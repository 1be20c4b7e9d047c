//! The episode list: recorded episodes (with metrics) of an eval folder, or the episodes of a
//! file for live runs; sortable by any metric.

use crate::sources::assets_dir;
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use waymark_core::{ContinuousEpisode, NavEpisode};
use waymark_eval::RunManifest;
use waymark_eval::record::EpisodeRecord;
use waymark_eval::run_dir::RunDir;
use waymark_scenes::read_r2r_episodes;
use waymark_scenes::vlnce::read_vlnce_episodes;

/// What the planner was asked to do.
#[derive(Clone, Debug)]
pub enum EpisodeSpec {
    /// An R2R-style graph episode.
    Discrete(NavEpisode),
    /// A VLN-CE episode.
    Continuous(ContinuousEpisode),
}

/// One row of the list.
#[derive(Clone, Debug)]
pub struct EpisodeEntry {
    /// Instruction (or episode) id.
    pub id: String,
    /// The scan or scene it takes place in.
    pub scan: String,
    /// The episode itself, when its file was found.
    pub spec: Option<EpisodeSpec>,
    /// The recorded run, in an eval folder.
    pub record: Option<EpisodeRecord>,
}

impl EpisodeEntry {
    /// The instruction text, when known.
    pub fn instruction(&self) -> Option<&str> {
        match &self.spec {
            Some(EpisodeSpec::Discrete(e)) => Some(&e.instruction),
            Some(EpisodeSpec::Continuous(e)) => Some(&e.instruction),
            None => None,
        }
    }
}

/// The column the list is sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Position in the episodes file.
    Index,
    /// Success.
    Sr,
    /// Success weighted by path length.
    Spl,
    /// Navigation error.
    Ne,
    /// nDTW.
    Ndtw,
    /// Trajectory length.
    Tl,
    /// Steps.
    Steps,
}

impl SortKey {
    const ALL: [Self; 7] = [
        Self::Index,
        Self::Sr,
        Self::Spl,
        Self::Ne,
        Self::Ndtw,
        Self::Tl,
        Self::Steps,
    ];

    /// The column's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Index => "index",
            Self::Sr => "SR",
            Self::Spl => "SPL",
            Self::Ne => "NE",
            Self::Ndtw => "nDTW",
            Self::Tl => "TL",
            Self::Steps => "steps",
        }
    }

    /// The next column.
    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|k| *k == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    fn value(self, position: usize, entry: &EpisodeEntry) -> f64 {
        let Some(r) = &entry.record else {
            return position as f64;
        };
        let m = &r.metrics;
        match self {
            Self::Index => r.index as f64,
            Self::Sr => m.sr,
            Self::Spl => m.spl,
            Self::Ne => m.ne,
            Self::Ndtw => m.ndtw,
            Self::Tl => m.tl,
            Self::Steps => f64::from(m.steps),
        }
    }
}

/// The list with its order and selection.
#[derive(Debug, Default)]
pub struct EpisodeList {
    /// The rows in file order.
    pub entries: Vec<EpisodeEntry>,
    /// Row indices in display order.
    pub order: Vec<usize>,
    /// The sort column.
    pub sort: Option<SortKey>,
    /// Whether the order is descending.
    pub descending: bool,
    /// Position in `order` of the highlighted row.
    pub cursor: usize,
    /// The row that is open (index into `entries`).
    pub open: Option<usize>,
    /// The run's manifest, for eval folders.
    pub manifest: Option<RunManifest>,
}

impl EpisodeList {
    /// A list of `entries` in file order.
    pub fn new(entries: Vec<EpisodeEntry>, manifest: Option<RunManifest>) -> Self {
        let order = (0..entries.len()).collect();
        Self {
            entries,
            order,
            sort: Some(SortKey::Index),
            descending: false,
            cursor: 0,
            open: None,
            manifest,
        }
    }

    /// Re-sorts by `key` (descending when asked), keeping the highlighted row.
    pub fn sort_by(&mut self, key: SortKey, descending: bool) {
        let highlighted = self.order.get(self.cursor).copied();
        self.sort = Some(key);
        self.descending = descending;
        let entries = &self.entries;
        self.order.sort_by(|&a, &b| {
            let (va, vb) = (key.value(a, &entries[a]), key.value(b, &entries[b]));
            let ord = va.total_cmp(&vb).then(a.cmp(&b));
            if descending { ord.reverse() } else { ord }
        });
        if let Some(h) = highlighted {
            self.cursor = self.order.iter().position(|&i| i == h).unwrap_or(0);
        }
    }

    /// Moves the highlight by `delta` rows.
    pub fn move_cursor(&mut self, delta: isize) {
        if self.order.is_empty() {
            return;
        }
        let last = self.order.len() as isize - 1;
        self.cursor = (self.cursor as isize + delta).clamp(0, last) as usize;
    }

    /// The highlighted row's index into `entries`.
    pub fn highlighted(&self) -> Option<usize> {
        self.order.get(self.cursor).copied()
    }

    /// The open row.
    pub fn open_entry(&self) -> Option<&EpisodeEntry> {
        self.open.and_then(|i| self.entries.get(i))
    }
}

/// Reads an eval folder: its manifest, records and (when found) the episodes they ran.
pub fn load_eval_dir(
    dir: &Path,
    episodes_flag: Option<&Path>,
) -> Result<(EpisodeList, Vec<String>)> {
    let (manifest, records) = RunDir::new(dir)
        .read()
        .with_context(|| format!("cannot read eval folder {}", dir.display()))?;
    let mut notes = Vec::new();
    let continuous = manifest.task == "vlnce";
    let candidates: Vec<PathBuf> = match episodes_flag {
        Some(p) => vec![p.to_path_buf()],
        None => {
            let name = &manifest.episodes_file;
            let mut c = vec![dir.join(name)];
            if let Some(parent) = dir.parent() {
                c.push(parent.join(name));
            }
            c.push(assets_dir().join("demo").join(name));
            c
        }
    };
    let mut specs: HashMap<String, EpisodeSpec> = HashMap::new();
    match candidates.iter().find(|p| p.is_file()) {
        Some(path) => {
            for spec in read_specs(path, continuous)? {
                specs.insert(spec_id(&spec), spec);
            }
        }
        None => notes.push(format!(
            "episodes file {} not found: pass --episodes FILE for instructions and reference paths",
            manifest.episodes_file
        )),
    }
    let entries = records
        .into_iter()
        .map(|r| EpisodeEntry {
            id: r.instr_id.to_string(),
            scan: r.scan.to_string(),
            spec: specs.remove(r.instr_id.as_str()),
            record: Some(r),
        })
        .collect();
    Ok((EpisodeList::new(entries, Some(manifest)), notes))
}

/// Reads an episodes file for live runs (R2R format when `continuous` is false, else VLN-CE).
pub fn load_episodes_file(path: &Path, continuous: bool) -> Result<EpisodeList> {
    let entries = read_specs(path, continuous)?
        .into_iter()
        .map(|spec| EpisodeEntry {
            id: spec_id(&spec),
            scan: match &spec {
                EpisodeSpec::Discrete(e) => e.scan.to_string(),
                EpisodeSpec::Continuous(e) => e.scene.clone(),
            },
            spec: Some(spec),
            record: None,
        })
        .collect();
    Ok(EpisodeList::new(entries, None))
}

fn read_specs(path: &Path, continuous: bool) -> Result<Vec<EpisodeSpec>> {
    let context = || format!("cannot read episodes file {}", path.display());
    Ok(if continuous {
        read_vlnce_episodes(path)
            .with_context(context)?
            .into_iter()
            .map(EpisodeSpec::Continuous)
            .collect()
    } else {
        read_r2r_episodes(path)
            .with_context(context)?
            .into_iter()
            .map(EpisodeSpec::Discrete)
            .collect()
    })
}

fn spec_id(spec: &EpisodeSpec) -> String {
    match spec {
        EpisodeSpec::Discrete(e) => e.instr_id.to_string(),
        EpisodeSpec::Continuous(e) => e.episode_id.clone(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn entry(id: &str, sr: f64, ne: f64) -> EpisodeEntry {
        let record: EpisodeRecord = serde_json::from_value(serde_json::json!({
            "index": id.len(), "instr_id": id, "scan": "s", "language": null,
            "tl": 1.0, "ne": ne, "sr": sr, "osr": sr, "spl": sr, "ndtw": 0.5, "sdtw": 0.5,
            "cls": 0.5, "steps": 3, "end": "stopped", "trajectory": [["a", 0.0, 0.0]]
        }))
        .unwrap();
        EpisodeEntry {
            id: id.into(),
            scan: "s".into(),
            spec: None,
            record: Some(record),
        }
    }

    #[test]
    fn sorts_by_metric_and_keeps_the_highlight() {
        let mut list = EpisodeList::new(
            vec![
                entry("a", 0.0, 5.0),
                entry("bb", 1.0, 1.0),
                entry("ccc", 1.0, 3.0),
            ],
            None,
        );
        list.cursor = 2;
        list.sort_by(SortKey::Ne, false);
        assert_eq!(list.order, vec![1, 2, 0]);
        assert_eq!(list.highlighted(), Some(2));
        list.sort_by(SortKey::Sr, true);
        assert_eq!(list.order, vec![2, 1, 0]);
        list.move_cursor(10);
        assert_eq!(list.highlighted(), Some(0));
    }
}
