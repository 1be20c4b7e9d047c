//! The window's state as Bevy resources, and opening an episode.

use crate::episodes::{EpisodeList, EpisodeSpec};
use crate::grounding::GroundingReplay;
use crate::household::HouseholdReplay;
use crate::live::LiveSession;
use crate::sources::{ScanData, Sources};
use crate::step_log::{StepLog, read_step_log};
use crate::track::{Pose, Track, Trajectory};
use crate::voxel::VoxelReplay;
use bevy::prelude::*;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use waymark_alfred::Attempt;
use waymark_continuous::{NavScene, WalkableConfig};
use waymark_core::{
    ContinuousNavObservation, GroundingObservation, HouseholdObservation, VoxelObservation,
};
use waymark_eval::run_dir::RunDir;

/// The walkable area of the loaded scene, built in the background on first use.
#[derive(Default)]
pub enum Walkable {
    /// Not asked for yet.
    #[default]
    NotStarted,
    /// Being built.
    Building(Mutex<Receiver<Result<Arc<NavScene>, String>>>),
    /// Built.
    Ready(Arc<NavScene>),
    /// The scene has none (a point cloud, no floor).
    Failed(String),
}

/// The loaded scan: scene, graph, walkable area.
#[derive(Resource)]
pub struct Loaded {
    /// Where scenes and graphs come from.
    pub sources: Sources,
    /// The scan on show.
    pub scan: ScanData,
    /// Bumped whenever `scan` changes (meshes are rebuilt).
    pub generation: u64,
    /// Its walkable area.
    pub walkable: Walkable,
    /// Height above the floor that hides upper geometry.
    pub cut_height_m: f32,
}

impl Loaded {
    /// Starts building the walkable area in the background (once).
    pub fn request_walkable(&mut self) {
        if !matches!(self.walkable, Walkable::NotStarted) {
            return;
        }
        let Some(scene) = self.scan.scene.clone() else {
            self.walkable = Walkable::Failed("no scene".into());
            return;
        };
        if scene.mesh.is_point_cloud() {
            self.walkable = Walkable::Failed("a point cloud has no walkable area".into());
            return;
        }
        let (send, receive) = channel();
        std::thread::spawn(move || {
            let started = std::time::Instant::now();
            let built = NavScene::new(&scene, &WalkableConfig::default())
                .map(Arc::new)
                .map_err(|e| e.to_string());
            tracing::info!(
                ms = started.elapsed().as_millis() as u64,
                ok = built.is_ok(),
                "walkable area built"
            );
            let _ = send.send(built);
        });
        self.walkable = Walkable::Building(Mutex::new(receive));
    }

    /// The walkable area, when built.
    pub fn nav(&self) -> Option<Arc<NavScene>> {
        match &self.walkable {
            Walkable::Ready(nav) => Some(nav.clone()),
            _ => None,
        }
    }
}

/// The episode list, the open episode and its playback.
#[derive(Resource, Default)]
pub struct Episodes {
    /// The list.
    pub list: EpisodeList,
    /// The eval folder, when replaying one.
    pub eval_dir: Option<PathBuf>,
    /// The open episode's poses, reference path and goal.
    pub track: Track,
    /// Its planner log, grouped by step.
    pub step_log: StepLog,
    /// The replay's current step.
    pub step: usize,
    /// Whether the replay plays.
    pub playing: bool,
    /// Seconds since the last replay step.
    pub timer_s: f32,
    /// The live session, when one runs.
    pub live: Option<LiveSession>,
    /// Whether the live planner steps on its own.
    pub live_auto: bool,
    /// The planner live mode starts.
    pub planner: String,
    /// The run's success radius.
    pub success_m: f32,
    /// The open household episode's states, step by step.
    pub household: Option<HouseholdReplay>,
    /// The open voxel episode's game, re-run to the replay's step.
    pub voxel: Option<VoxelReplay>,
    /// The open grounding episode's steps over its scene's map.
    pub grounding: Option<GroundingReplay>,
}

impl Episodes {
    /// The agent's pose now: live, or the replay's step.
    pub fn pose(&self) -> Option<Pose> {
        match &self.live {
            Some(live) => live.poses.last().copied(),
            None => self
                .track
                .poses
                .get(self.step.min(self.track.poses.len().saturating_sub(1)))
                .copied(),
        }
    }

    /// The trajectory drawn: live poses or the recorded ones.
    pub fn trajectory(&self) -> Vec<Pose> {
        match &self.live {
            Some(live) => live.poses.clone(),
            None => self.track.poses.clone(),
        }
    }

    /// Whether the episodes are continuous (VLN-CE) ones.
    pub fn is_continuous(&self) -> bool {
        self.list.observation_kind == Some(ContinuousNavObservation::KIND)
    }

    /// Whether the episodes are household (ALFRED) ones.
    pub fn is_household(&self) -> bool {
        self.list.observation_kind == Some(HouseholdObservation::KIND)
    }

    /// The open household episode's recorded actions.
    pub fn household_attempts(&self) -> &[Attempt] {
        match self.list.open_entry().and_then(|e| e.trajectory.as_ref()) {
            Some(Trajectory::Household(attempts)) => attempts,
            _ => &[],
        }
    }

    /// Whether the episodes are voxel-world ones.
    pub fn is_voxel(&self) -> bool {
        self.list.observation_kind == Some(VoxelObservation::KIND)
    }

    /// Whether the episodes are grounding (SG3D) ones.
    pub fn is_grounding(&self) -> bool {
        self.list.observation_kind == Some(GroundingObservation::KIND)
    }

    /// Whether the episodes replay in the image rather than in the 3-D view (households,
    /// voxel worlds, grounding).
    pub fn replays_in_image(&self) -> bool {
        self.is_household() || self.is_voxel() || self.is_grounding()
    }

    /// The last step of the replay (households and voxel episodes: one step per recorded
    /// action; grounding: one per task step).
    pub fn last_step(&self) -> usize {
        if self.is_household() {
            return self.household_attempts().len();
        }
        if let Some(replay) = &self.grounding {
            return replay.last_step();
        }
        if let Some(replay) = &self.voxel {
            return replay.len();
        }
        self.track.poses.len().saturating_sub(1)
    }
}

/// Problems and notices shown in the window (the newest last).
#[derive(Resource, Default)]
pub struct Messages(pub Vec<String>);

impl Messages {
    /// Shows `text` (and logs it).
    pub fn push(&mut self, text: impl Into<String>) {
        let text = text.into();
        tracing::warn!("{text}");
        self.0.push(text);
        if self.0.len() > 4 {
            self.0.remove(0);
        }
    }
}

/// Opens row `index` of the list: loads its scan when it differs, its track and step log.
pub fn open_episode(
    index: usize,
    loaded: &mut Loaded,
    episodes: &mut Episodes,
    messages: &mut Messages,
    start_step: Option<usize>,
) {
    let Some(entry) = episodes.list.entries.get(index).cloned() else {
        return;
    };
    let continuous = episodes.is_continuous();
    // A household, a voxel world or a grounding episode is drawn from its replay.
    if !episodes.replays_in_image() && entry.scan != loaded.scan.name {
        let need_scene = continuous || loaded.scan.scene.is_some();
        match ScanData::load(&loaded.sources, &entry.scan, need_scene) {
            Ok(scan) => {
                for note in &scan.notes {
                    messages.push(note.clone());
                }
                loaded.scan = scan;
                loaded.generation += 1;
                loaded.walkable = Walkable::NotStarted;
            }
            Err(e) => {
                messages.push(format!("{e:#}"));
                return;
            }
        }
    }
    if continuous {
        loaded.request_walkable();
    }
    let graph = loaded.scan.graph.as_deref();
    episodes.track = Track::of(&entry, graph, episodes.success_m);
    if entry.record.is_none() {
        episodes.track.poses.clear();
    }
    if matches!(entry.spec, Some(EpisodeSpec::Discrete(_))) && graph.is_none() {
        messages.push(format!(
            "no graph for {}: pass --connectivity DIR",
            entry.scan
        ));
    }
    episodes.step_log = match &episodes.eval_dir {
        Some(dir) => {
            let path = RunDir::new(dir).step_log_path(&entry.id);
            read_step_log(&path).unwrap_or_else(|e| {
                messages.push(format!("{e:#}"));
                StepLog::default()
            })
        }
        None => StepLog::default(),
    };
    episodes.household = match (&entry.trajectory, &episodes.list.household) {
        (Some(Trajectory::Household(attempts)), Some(alfred)) => {
            use waymark_task::TaskEpisodes as _;
            // The record's index is the episode's position in the file.
            let position = entry.record.as_ref().map(|r| r.index).filter(|&p| {
                alfred
                    .set()
                    .episodes
                    .get(p)
                    .is_some_and(|m| m.id == entry.id)
            });
            match position.map(|p| crate::household::replay(alfred, p, attempts)) {
                Some(Ok(replay)) => Some(replay),
                Some(Err(e)) => {
                    messages.push(format!("{}: cannot replay: {e:#}", entry.id));
                    None
                }
                None => {
                    messages.push(format!("{} is not in the episodes found", entry.id));
                    None
                }
            }
        }
        _ => None,
    };
    episodes.voxel = match &entry.trajectory {
        Some(Trajectory::Voxel(trajectory)) => Some(VoxelReplay::new((**trajectory).clone())),
        _ => None,
    };
    episodes.grounding = match (&entry.trajectory, &episodes.list.grounding, &entry.record) {
        (Some(Trajectory::Grounding(trajectory)), Some(source), Some(record)) => {
            match GroundingReplay::new(source, record.index, trajectory) {
                Ok(replay) => Some(replay),
                Err(e) => {
                    messages.push(format!("{}: cannot replay: {e:#}", entry.id));
                    None
                }
            }
        }
        _ => None,
    };
    episodes.list.open = Some(index);
    episodes.step = start_step.unwrap_or(0).min(episodes.last_step());
    episodes.playing = false;
    episodes.timer_s = 0.0;
    episodes.live = None;
    episodes.live_auto = false;
}
