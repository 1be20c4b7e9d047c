//! One voxel episode in progress, its trajectory (the seed and every action, enough to
//! replay it exactly) and its scoring.

use crate::TaskKind;
use crate::crafter::CrafterStats;
use crate::episodes::ResolvedEpisode;
use crate::steve1::Measures;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use waymark_core::sensors::RenderedView;
use waymark_core::{
    Action, CrafterAction, MineRlInput, Observation, SensorReadings, SensorRequest, StepOutcome,
    VoxelActionSpace,
};
use waymark_task::{Environment, EpisodeEnd, StepError, TaskError};
use waymark_voxel::render::{VIEW_DISTANCE_M, cast_ray};
use waymark_voxel::{Block, Game, GameConfig};

/// The actions of an episode, in its action space.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actions {
    /// Crafter's action indices (0–16, its order).
    Crafter(Vec<u8>),
    /// MineRL inputs.
    Minerl(Vec<MineRlInput>),
}

/// An episode's trajectory: how to rebuild its world, every action, and its end.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trajectory {
    /// The world seed.
    pub seed: u64,
    /// The world's side in chunks.
    pub world_chunks: u32,
    /// The actions, in order.
    pub actions: Actions,
    /// Times each Crafter achievement was earned, in Crafter's order.
    pub achievement_counts: Vec<u32>,
    /// Crafter's return.
    pub reward: f64,
    /// Whether the agent died.
    pub died: bool,
    /// The feet position at the end, metres.
    pub final_position_m: [f32; 3],
}

impl Trajectory {
    /// Crafter's statistics of the episode.
    pub fn stats(&self) -> CrafterStats {
        let mut counts = [0u32; 22];
        for (c, &n) in counts.iter_mut().zip(&self.achievement_counts) {
            *c = n;
        }
        CrafterStats {
            length: match &self.actions {
                Actions::Crafter(a) => a.len() as u32,
                Actions::Minerl(a) => a.len() as u32,
            },
            reward: self.reward,
            counts,
            died: self.died,
        }
    }

    /// The game at its start.
    pub fn start(&self) -> Game {
        Game::new(GameConfig {
            seed: self.seed,
            size_chunks: self.world_chunks,
            action_space: match self.actions {
                Actions::Crafter(_) => VoxelActionSpace::Crafter,
                Actions::Minerl(_) => VoxelActionSpace::Minerl,
            },
        })
    }

    /// How many actions it holds.
    pub fn len(&self) -> usize {
        match &self.actions {
            Actions::Crafter(a) => a.len(),
            Actions::Minerl(a) => a.len(),
        }
    }

    /// Whether it holds no action.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Applies action `i` to `game` (nothing when out of range).
    pub fn apply(&self, game: &mut Game, i: usize) {
        match &self.actions {
            Actions::Crafter(a) => {
                if let Some(action) = a
                    .get(i)
                    .and_then(|&k| CrafterAction::ALL.get(usize::from(k)))
                {
                    game.step_crafter(*action);
                }
            }
            Actions::Minerl(a) => {
                if let Some(input) = a.get(i) {
                    game.step_minerl(input);
                }
            }
        }
    }
}

/// A voxel episode in progress.
pub struct VoxelEnv<'a> {
    kind: TaskKind,
    episode: &'a ResolvedEpisode,
    game: Game,
    actions: Actions,
    measures: Measures,
    reward: f64,
    last_health: i32,
    done: bool,
}

impl<'a> VoxelEnv<'a> {
    pub(crate) fn new(kind: TaskKind, episode: &'a ResolvedEpisode) -> Self {
        let game = Game::new(GameConfig {
            seed: episode.episode.seed,
            size_chunks: episode.world_chunks,
            action_space: episode.action_space,
        });
        let last_health = game.player.health;
        Self {
            kind,
            episode,
            actions: match episode.action_space {
                VoxelActionSpace::Crafter => Actions::Crafter(Vec::new()),
                VoxelActionSpace::Minerl => Actions::Minerl(Vec::new()),
            },
            game,
            measures: Measures::default(),
            reward: 0.0,
            last_health,
            done: false,
        }
    }

    fn error(&self, message: String) -> StepError {
        StepError {
            episode: self.episode.episode.id.clone(),
            message,
        }
    }

    /// Updates the STEVE-1 measures and Crafter's return after a step.
    fn account(&mut self, unlocked_before: usize) {
        let g = &self.game;
        let p = &g.player;
        let m = &mut self.measures;
        m.steps += 1;
        let from = p.spawn_m.truncate();
        m.travel_dist_m = m
            .travel_dist_m
            .max(f64::from(p.position_m.truncate().distance(from)));
        m.dig_depth_m = m.dig_depth_m.max(f64::from(p.spawn_m.z - p.position_m.z));
        m.logs = m.logs.max(p.inventory.count(waymark_voxel::Item::Wood));
        m.dirt = m.dirt.max(p.inventory.count(waymark_voxel::Item::Dirt));
        m.seeds = m.seeds.max(p.inventory.count(waymark_voxel::Item::Seeds));
        m.leaves = g.broken[Block::Leaves as usize];
        m.flowers = g.broken[Block::Flower as usize];
        let looking_up = p.pitch_deg > 0.0;
        if looking_up
            && cast_ray(&g.world, p.eye_m(), p.view_dir(), VIEW_DISTANCE_M, |b| {
                b != Block::Air
            })
            .is_none()
        {
            m.sky_steps += 1;
        }
        m.swim_steps += u32::from(g.world.block(p.cell()) == Block::Water);
        m.underwater_steps += u32::from(waymark_voxel::observe::underwater(g));
        m.inventory_steps += u32::from(p.inventory_open);
        self.reward += f64::from(p.health - self.last_health) / 10.0;
        self.last_health = p.health;
        self.reward += (p.unlocked.len() - unlocked_before) as f64;
    }

    fn readings(&self, request: &SensorRequest) -> Result<Option<SensorReadings>, TaskError> {
        let Some(view) = &request.views else {
            return Ok(None);
        };
        crate::episodes::check_request(self.kind, request)?;
        let (rgb, depth) =
            waymark_voxel::observe::render_pngs(&self.game, view.width, view.height, view.hfov_deg)
                .map_err(TaskError::source)?;
        let b64 = base64::engine::general_purpose::STANDARD;
        Ok(Some(SensorReadings {
            views: vec![RenderedView {
                heading_deg: self.game.player.yaw_deg,
                elevation_deg: self.game.player.pitch_deg,
                png_base64: b64.encode(rgb),
                depth_png_base64: Some(b64.encode(depth)),
            }],
            ..Default::default()
        }))
    }
}

impl Environment for VoxelEnv<'_> {
    fn observe(&self, privileged: bool, sensors: &SensorRequest) -> Result<Observation, TaskError> {
        let mut obs = waymark_voxel::observe::observation(
            &self.game,
            &format!("seed-{}", self.episode.episode.seed),
            privileged,
        );
        obs.sensors = self.readings(sensors)?;
        Ok(Observation::Voxel(Box::new(obs)))
    }

    fn step(&mut self, action: &Action) -> Result<StepOutcome, StepError> {
        if self.done {
            return Err(self.error("the episode has already ended".into()));
        }
        let before = self.game.player.unlocked.len();
        match (action, &mut self.actions) {
            (Action::Stop, _) => {
                self.done = true;
                return Ok(StepOutcome::Stopped);
            }
            (Action::Crafter { action }, Actions::Crafter(log)) => {
                let index = CrafterAction::ALL
                    .iter()
                    .position(|a| a == action)
                    .unwrap_or(0);
                log.push(index as u8);
                self.game.step_crafter(*action);
            }
            (Action::Minerl { input }, Actions::Minerl(log)) => {
                log.push(input.clone());
                self.game.step_minerl(input);
            }
            (other, _) => {
                let space = match self.episode.action_space {
                    VoxelActionSpace::Crafter => "Crafter (one of its 17 actions)",
                    VoxelActionSpace::Minerl => "MineRL (keys and camera)",
                };
                return Err(self.error(format!(
                    "{other:?} is not an action of this episode's space: {space}, or Stop"
                )));
            }
        }
        self.account(before);
        if self.game.dead() {
            self.done = true;
            return Ok(StepOutcome::Stopped);
        }
        if self.game.steps >= self.episode.max_steps {
            self.done = true;
            return Ok(StepOutcome::StepLimit);
        }
        Ok(StepOutcome::Running)
    }

    fn finish(self: Box<Self>) -> Result<EpisodeEnd, TaskError> {
        let p = &self.game.player;
        let died = self.game.dead();
        let trajectory = Trajectory {
            seed: self.episode.episode.seed,
            world_chunks: self.episode.world_chunks,
            achievement_counts: p.achievement_counts.to_vec(),
            reward: (self.reward * 1e6).round() / 1e6,
            died,
            final_position_m: p.position_m.to_array(),
            actions: self.actions,
        };
        let metrics = match (self.kind, self.episode.family) {
            (TaskKind::Steve1, Some(family)) => self.measures.metrics(family, died),
            _ => trajectory.stats().metrics(),
        };
        let json = serde_json::to_string(&trajectory).map_err(TaskError::source)?;
        Ok(EpisodeEnd {
            metrics,
            trajectory: RawValue::from_string(json).map_err(TaskError::source)?,
        })
    }
}
