//! The episode list: recorded episodes (with metrics) of an eval folder, or the episodes of a
//! file for live runs; sortable by any of the task's metrics.

use crate::sources::assets_dir;
use crate::track::Trajectory;
use anyhow::{Context, Result, bail};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use waymark_core::{
    ContinuousEpisode, ContinuousNavObservation, DiscreteNavObservation, GroundingObservation,
    HouseholdObservation, MetricDef, NavEpisode, Steve1Family, VoxelObservation,
};
use waymark_eval::run_dir::RunDir;
use waymark_eval::{EpisodeRecord, RunManifest};
use waymark_scenes::read_r2r_episodes;
use waymark_scenes::vlnce::read_vlnce_episodes;

/// What the planner was asked to do.
#[derive(Clone, Debug)]
pub enum EpisodeSpec {
    /// An R2R-style graph episode.
    Discrete(NavEpisode),
    /// A VLN-CE episode.
    Continuous(ContinuousEpisode),
    /// A household (ALFRED) episode: its instruction.
    Household(String),
    /// A voxel-world episode: its instruction (the STEVE-1 prompt, or Crafter's).
    Voxel(String),
    /// A grounding (SG3D) episode: the task's description and steps.
    Grounding(String),
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
    /// The recorded trajectory, parsed as the task's observation kind says.
    pub trajectory: Option<Trajectory>,
}

impl EpisodeEntry {
    /// The instruction text, when known.
    pub fn instruction(&self) -> Option<&str> {
        match &self.spec {
            Some(EpisodeSpec::Discrete(e)) => Some(&e.instruction),
            Some(EpisodeSpec::Continuous(e)) => Some(&e.instruction),
            Some(
                EpisodeSpec::Household(instruction)
                | EpisodeSpec::Voxel(instruction)
                | EpisodeSpec::Grounding(instruction),
            ) => Some(instruction),
            None => None,
        }
    }
}

/// The column the list is sorted by: the position in the file, or one of the task's metrics
/// (by its name in the task's metric definitions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Position in the episodes file.
    Index,
    /// A metric of the task, by name.
    Metric(&'static str),
}

impl SortKey {
    /// The column's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Index => "index",
            Self::Metric(name) => name,
        }
    }

    /// The next column of a list of the task metrics `metrics` (after the last, `index`).
    pub fn next(self, metrics: &[MetricDef]) -> Self {
        let keys: Vec<Self> = std::iter::once(Self::Index)
            .chain(metrics.iter().map(|d| Self::Metric(d.name)))
            .collect();
        let i = keys.iter().position(|k| *k == self).unwrap_or(0);
        keys[(i + 1) % keys.len()]
    }

    fn value(self, position: usize, entry: &EpisodeEntry) -> f64 {
        let Some(r) = &entry.record else {
            return position as f64;
        };
        match self {
            Self::Index => r.index as f64,
            Self::Metric(name) => r.metrics.real(name),
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
    /// The task's metric definitions (the sort columns), for eval folders.
    pub metrics: &'static [MetricDef],
    /// The kind of the episodes' observations (`discrete_nav`, `continuous_nav`, `household`),
    /// when known.
    pub observation_kind: Option<&'static str>,
    /// Household runs: their episodes, opened for replay (`None` when the episodes or the
    /// layouts were not found).
    pub household: Option<std::sync::Arc<waymark_alfred::AlfredEpisodes>>,
    /// Grounding runs: their tasks and scenes, opened for replay (`None` when they were not
    /// found).
    pub grounding: Option<std::sync::Arc<crate::grounding::GroundingSource>>,
}

impl EpisodeList {
    /// A list of `entries` in file order, of a task with the metrics `metrics` and the
    /// observation kind `observation_kind`.
    pub fn new(
        entries: Vec<EpisodeEntry>,
        manifest: Option<RunManifest>,
        metrics: &'static [MetricDef],
        observation_kind: Option<&'static str>,
    ) -> Self {
        let order = (0..entries.len()).collect();
        Self {
            entries,
            order,
            sort: Some(SortKey::Index),
            descending: false,
            cursor: 0,
            open: None,
            manifest,
            metrics,
            observation_kind,
            household: None,
            grounding: None,
        }
    }

    /// The column after the current sort column.
    pub fn next_sort_key(&self) -> SortKey {
        self.sort
            .map_or(SortKey::Index, |key| key.next(self.metrics))
    }

    /// The definition of the metric named `name`, when the task defines one.
    pub fn metric_def(&self, name: &str) -> Option<&'static MetricDef> {
        self.metrics.iter().find(|d| d.name == name)
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

/// Reads an eval folder: its manifest, records (with their trajectories) and, when found, the
/// episodes they ran. The task comes from the task registry by the manifest's name.
pub fn load_eval_dir(
    dir: &Path,
    episodes_flag: Option<&Path>,
    layouts_flag: Option<&Path>,
) -> Result<(EpisodeList, Vec<String>)> {
    let (manifest, records) = RunDir::new(dir)
        .read()
        .with_context(|| format!("cannot read eval folder {}", dir.display()))?;
    let info = waymark_eval::tasks::find(&manifest.task)
        .with_context(|| format!("cannot show eval folder {}", dir.display()))?
        .info();
    let kind = info.observation_kind;
    if kind == HouseholdObservation::KIND {
        return load_household_dir(dir, manifest, records, info, episodes_flag, layouts_flag);
    }
    if kind == GroundingObservation::KIND {
        // The task file and scenes are those run.json's options name (or --episodes).
        let mut notes = Vec::new();
        let source = match crate::grounding::GroundingSource::open(&manifest, episodes_flag) {
            Ok(source) => Some(std::sync::Arc::new(source)),
            Err(e) => {
                notes.push(format!(
                    "cannot open the run's tasks and scenes for replay: {e:#}"
                ));
                None
            }
        };
        let entries = record_entries(dir, records, kind, |r| {
            let instruction = source.as_ref()?.instruction(r.index)?;
            Some(EpisodeSpec::Grounding(instruction))
        })?;
        let mut list = EpisodeList::new(entries, Some(manifest), info.metrics, Some(kind));
        list.grounding = source;
        return Ok((list, notes));
    }
    if kind == VoxelObservation::KIND {
        // A voxel trajectory holds its world's seed: the records are all a replay needs. The
        // instruction is the prompt of the episode's STEVE-1 family (its task type), or
        // Crafter's.
        let crafter = manifest.task == "crafter";
        let entries = record_entries(dir, records, kind, |r| {
            let prompt = r.task_type.as_deref().and_then(Steve1Family::from_name);
            match prompt {
                Some(family) => Some(EpisodeSpec::Voxel(family.prompt().to_string())),
                None if crafter => Some(EpisodeSpec::Voxel(
                    waymark_voxel_tasks::CRAFTER_INSTRUCTION.to_string(),
                )),
                None => None,
            }
        })?;
        let list = EpisodeList::new(entries, Some(manifest), info.metrics, Some(kind));
        return Ok((list, Vec::new()));
    }
    let continuous = is_continuous(kind)
        .with_context(|| format!("cannot show eval folder {}", dir.display()))?;
    let mut notes = Vec::new();
    let candidates = episode_candidates(dir, &manifest, episodes_flag, &assets_dir().join("demo"));
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
    let entries = record_entries(dir, records, kind, |r| specs.remove(r.id.as_str()))?;
    let list = EpisodeList::new(entries, Some(manifest), info.metrics, Some(kind));
    Ok((list, notes))
}

/// Where the episodes of a run may be: `--episodes`, else the manifest's file name in the run
/// folder, beside it, and in `fallback`.
fn episode_candidates(
    dir: &Path,
    manifest: &RunManifest,
    episodes_flag: Option<&Path>,
    fallback: &Path,
) -> Vec<PathBuf> {
    if let Some(p) = episodes_flag {
        return vec![p.to_path_buf()];
    }
    let name = &manifest.episodes_file;
    let mut candidates = vec![dir.join(name)];
    if let Some(parent) = dir.parent() {
        candidates.push(parent.join(name));
    }
    candidates.push(fallback.join(name));
    candidates
}

/// The list's rows for `records`, their trajectories parsed as `kind` records them (an error
/// names the file and the episode) and their episodes from `spec_of`.
fn record_entries(
    dir: &Path,
    records: Vec<EpisodeRecord>,
    kind: &str,
    mut spec_of: impl FnMut(&EpisodeRecord) -> Option<EpisodeSpec>,
) -> Result<Vec<EpisodeEntry>> {
    records
        .into_iter()
        .map(|r| {
            let trajectory = Trajectory::of(&r, kind).with_context(|| {
                format!(
                    "{}: episode {}",
                    dir.join(waymark_eval::run_dir::EPISODES_FILE).display(),
                    r.id
                )
            })?;
            Ok(EpisodeEntry {
                id: r.id.clone(),
                scan: r.scene.clone(),
                spec: spec_of(&r),
                record: Some(r),
                trajectory: Some(trajectory),
            })
        })
        .collect()
}

/// Reads a household (ALFRED) eval folder: the records, and the episodes and floor-plan
/// layouts they ran, opened for replay when found (`--episodes`, `--layouts`, else beside the
/// run or in the shipped household demo). Without them the list and the actions still show.
fn load_household_dir(
    dir: &Path,
    manifest: RunManifest,
    records: Vec<EpisodeRecord>,
    info: &'static waymark_task::TaskInfo,
    episodes_flag: Option<&Path>,
    layouts_flag: Option<&Path>,
) -> Result<(EpisodeList, Vec<String>)> {
    use waymark_task::TaskEpisodes as _;
    let mut notes = Vec::new();
    let household = assets_dir().join("household");
    let episodes = episode_candidates(dir, &manifest, episodes_flag, &household)
        .into_iter()
        .find(|p| p.exists());
    let layouts = layouts_flag.map(Path::to_path_buf).or_else(|| {
        let beside = episodes
            .as_ref()
            .and_then(|e| e.parent())
            .map(|p| p.join("layouts"));
        [beside, Some(household.join("layouts"))]
            .into_iter()
            .flatten()
            .find(|p| p.is_dir())
    });
    let opened = match (&episodes, &layouts) {
        (Some(episodes), Some(layouts)) => {
            // No limits: a replay never ends before the recorded actions do.
            let args = waymark_eval::TaskArgs::new()
                .with("episodes", episodes.to_string_lossy())
                .with("layouts", layouts.to_string_lossy())
                .with("max-steps", u32::MAX.to_string())
                .with("max-fails", u32::MAX.to_string());
            match waymark_alfred::AlfredEpisodes::open(&args) {
                Ok(opened) => Some(opened),
                Err(e) => {
                    notes.push(format!("cannot open the household episodes: {e}"));
                    None
                }
            }
        }
        _ => {
            notes.push(format!(
                "episodes {} or their layouts not found: pass --episodes PATH --layouts DIR for the map",
                manifest.episodes_file
            ));
            None
        }
    };
    let kind = info.observation_kind;
    let entries = record_entries(dir, records, kind, |r| {
        let o = opened.as_ref()?;
        // The record's index is the episode's position in the file.
        let position = r.index;
        if o.set().episodes.get(position)?.id != r.id {
            return None;
        }
        let context = o.context(position, 0, false).ok()?;
        Some(EpisodeSpec::Household(context.instruction))
    })?;
    let mut list = EpisodeList::new(entries, Some(manifest), info.metrics, Some(kind));
    list.household = opened.map(std::sync::Arc::new);
    Ok((list, notes))
}

/// Whether episodes of `observation_kind` are continuous ones; an error for kinds the window
/// cannot show.
fn is_continuous(observation_kind: &str) -> Result<bool> {
    match observation_kind {
        DiscreteNavObservation::KIND => Ok(false),
        ContinuousNavObservation::KIND => Ok(true),
        other => bail!("the window shows navigation episodes, not {other} ones"),
    }
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
                EpisodeSpec::Household(_) | EpisodeSpec::Voxel(_) | EpisodeSpec::Grounding(_) => {
                    String::new()
                }
            },
            spec: Some(spec),
            record: None,
            trajectory: None,
        })
        .collect();
    let kind = if continuous {
        ContinuousNavObservation::KIND
    } else {
        DiscreteNavObservation::KIND
    };
    Ok(EpisodeList::new(entries, None, &[], Some(kind)))
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
        EpisodeSpec::Household(_) | EpisodeSpec::Voxel(_) | EpisodeSpec::Grounding(_) => {
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use waymark_core::NAV_METRICS;

    fn entry(id: &str, sr: f64, ne: f64) -> EpisodeEntry {
        let record: EpisodeRecord = serde_json::from_value(serde_json::json!({
            "index": id.len(), "instr_id": id, "scan": "s", "language": null,
            "tl": 1.0, "ne": ne, "sr": sr, "osr": sr, "spl": sr, "ndtw": 0.5, "sdtw": 0.5,
            "cls": 0.5, "steps": 3, "collisions": 0, "end": "stopped",
            "trajectory": [["a", 0.0, 0.0]]
        }))
        .unwrap();
        let trajectory = Trajectory::of(&record, DiscreteNavObservation::KIND).unwrap();
        EpisodeEntry {
            id: id.into(),
            scan: "s".into(),
            spec: None,
            record: Some(record),
            trajectory: Some(trajectory),
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
            &NAV_METRICS,
            Some(DiscreteNavObservation::KIND),
        );
        list.cursor = 2;
        list.sort_by(SortKey::Metric("ne"), false);
        assert_eq!(list.order, vec![1, 2, 0]);
        assert_eq!(list.highlighted(), Some(2));
        list.sort_by(SortKey::Metric("sr"), true);
        assert_eq!(list.order, vec![2, 1, 0]);
        list.move_cursor(10);
        assert_eq!(list.highlighted(), Some(0));
    }

    #[test]
    fn sort_keys_are_the_index_then_the_task_metrics_in_order() {
        let mut key = SortKey::Index;
        let mut names = Vec::new();
        for _ in 0..=NAV_METRICS.len() {
            key = key.next(&NAV_METRICS);
            names.push(key.name());
        }
        let mut expected: Vec<&str> = NAV_METRICS.iter().map(|d| d.name).collect();
        expected.push("index");
        assert_eq!(names, expected);
        assert_eq!(
            SortKey::Index.next(&[]),
            SortKey::Index,
            "no metrics, no other key"
        );
        assert_eq!(
            SortKey::Metric("gone").next(&NAV_METRICS),
            SortKey::Metric("tl"),
            "an unknown key starts over"
        );
    }
}
