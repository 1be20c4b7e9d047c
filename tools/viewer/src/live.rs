//! Live mode: an episode run step by step inside the window, by a planner or from the keyboard.

use crate::episodes::EpisodeSpec;
use crate::track::{Pose, continuous_pose, graph_pose};
use anyhow::{Result, anyhow, bail};
use bevy::platform::cell::SyncCell;
use std::sync::Arc;
use waymark_continuous::{ContinuousNavConfig, ContinuousNavEnv, NavScene};
use waymark_core::angles::wrap_to_pi;
use waymark_core::{Action, ContinuousNavObservation, DiscreteNavObservation, Observation};
use waymark_eval::seed::episode_seed;
use waymark_planner::{EpisodeContext, Planner, PlannerRegistry};
use waymark_sim::{DiscreteNavConfig, DiscreteNavEnv, NavGraph, StepOutcome};

/// The environment of a live episode.
enum Env {
    Discrete(Box<DiscreteNavEnv>),
    Continuous(Box<ContinuousNavEnv>),
}

/// A keyboard command for the agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Drive {
    /// Forward (graph: to the neighbour nearest straight ahead, within view).
    Forward,
    /// Turn left (graph: 30°).
    Left,
    /// Turn right.
    Right,
    /// Stop and end the episode.
    Stop,
}

/// One live episode.
pub struct LiveSession {
    // `SyncCell`s: Bevy resources must be `Sync`; these are only touched through `&mut self`.
    env: SyncCell<Env>,
    context: EpisodeContext,
    graph: Option<Arc<NavGraph>>,
    planner: SyncCell<Box<dyn Planner>>,
    /// The planner's name.
    pub planner_name: String,
    /// Whether the planner declared it needs privileged information (only then does it see
    /// the teacher).
    privileged: bool,
    planner_ready: bool,
    /// The poses so far (the start first).
    pub poses: Vec<Pose>,
    /// One line per action taken: who took it and what it was.
    pub actions: Vec<String>,
    /// Whether the episode has ended.
    pub done: bool,
}

impl LiveSession {
    /// Starts `spec` with `planner_name` from the baselines registry, as an episode of `task`
    /// (when `None`, the registry's first task with the episode's observation kind) in a run
    /// of seed `run_seed`: the planner's seed derives from it and the episode id as in a batch.
    pub fn start(
        spec: &EpisodeSpec,
        graph: Option<Arc<NavGraph>>,
        nav: Option<Arc<NavScene>>,
        planner_name: &str,
        task: Option<&str>,
        run_seed: u64,
    ) -> Result<Self> {
        let registry = PlannerRegistry::with_baselines();
        let info = registry.info(planner_name)?;
        let (env, context) = match spec {
            EpisodeSpec::Household(_) => {
                bail!("live mode runs navigation episodes; household runs replay only")
            }
            EpisodeSpec::Voxel(_) => {
                bail!("live mode runs navigation episodes; voxel runs replay only")
            }
            EpisodeSpec::Grounding(_) => {
                bail!("live mode runs navigation episodes; grounding runs replay only")
            }
            EpisodeSpec::Discrete(e) => {
                let graph = graph
                    .clone()
                    .ok_or_else(|| anyhow!("live mode needs the scan's graph (--connectivity)"))?;
                let config = DiscreteNavConfig::default();
                let context = EpisodeContext {
                    task: task_name(task, DiscreteNavObservation::KIND),
                    observation_kind: DiscreteNavObservation::KIND.into(),
                    episode_id: e.instr_id.to_string(),
                    scene: e.scan.to_string(),
                    instruction: e.instruction.clone(),
                    language: e.language.clone(),
                    seed: episode_seed(run_seed, e.instr_id.as_str()),
                    max_steps: config.max_steps,
                    privileged: None,
                };
                let env = Env::Discrete(Box::new(DiscreteNavEnv::new(graph, config, e)?));
                (env, context)
            }
            EpisodeSpec::Continuous(e) => {
                let nav = nav.ok_or_else(|| {
                    anyhow!("the walkable area is not ready yet; try again in a moment")
                })?;
                let config = ContinuousNavConfig::default();
                let context = EpisodeContext {
                    task: task_name(task, ContinuousNavObservation::KIND),
                    observation_kind: ContinuousNavObservation::KIND.into(),
                    episode_id: e.episode_id.clone(),
                    scene: e.scene.clone(),
                    instruction: e.instruction.clone(),
                    language: e.language.clone(),
                    seed: episode_seed(run_seed, &e.episode_id),
                    max_steps: config.max_steps,
                    privileged: None,
                };
                let env = Env::Continuous(Box::new(ContinuousNavEnv::new(nav, config, e)?));
                (env, context)
            }
        };
        if !info.supports(&context.task, &context.observation_kind) {
            bail!(
                "planner {planner_name} does not drive {} episodes (it supports {})",
                context.task,
                info.supports.join(", ")
            );
        }
        let privileged = info.privileged;
        let planner = registry.create(planner_name)?;
        let mut session = Self {
            env: SyncCell::new(env),
            context,
            graph,
            planner: SyncCell::new(planner),
            planner_name: planner_name.to_string(),
            privileged,
            planner_ready: false,
            poses: Vec::new(),
            actions: Vec::new(),
            done: false,
        };
        let start = session.pose();
        session.poses.push(start);
        Ok(session)
    }

    /// The observation now; privileged information (the teacher) only when `privileged`.
    fn observe(&mut self, privileged: bool) -> Observation {
        match self.env.get() {
            Env::Discrete(env) => {
                let mut observation = env.observe();
                if !privileged {
                    observation.strip_privileged();
                }
                observation
            }
            Env::Continuous(env) => env.observe(privileged),
        }
    }

    /// The agent now.
    fn pose(&mut self) -> Pose {
        let observation = self.observe(false);
        match (self.env.get(), observation) {
            (Env::Discrete(env), Observation::DiscreteNav(o)) => graph_pose(
                env.graph(),
                env.viewpoint(),
                o.heading_rad as f32,
                o.elevation_rad as f32,
            ),
            (_, Observation::ContinuousNav(o)) => continuous_pose(o.position_m, o.heading_rad),
            // Observation is non-exhaustive; every variant this session makes is above.
            _ => self
                .poses
                .last()
                .copied()
                .unwrap_or(continuous_pose(bevy::math::Vec3::ZERO, 0.0)),
        }
    }

    /// Lets the planner choose and take one action.
    pub fn planner_step(&mut self) -> Result<()> {
        if self.done {
            bail!("the episode has ended");
        }
        if !self.planner_ready {
            self.planner.get().reset(&self.context)?;
            self.planner_ready = true;
        }
        let observation = self.observe(self.privileged);
        let action = self.planner.get().act(&observation)?;
        let who = self.planner_name.clone();
        self.apply(&action, &who)
    }

    /// Takes a keyboard action.
    pub fn drive(&mut self, drive: Drive) -> Result<()> {
        if self.done {
            bail!("the episode has ended");
        }
        let action = match (self.env.get(), drive) {
            (_, Drive::Stop) => Action::Stop,
            (Env::Continuous(_), Drive::Forward) => Action::MoveForward,
            (Env::Continuous(_), Drive::Left) => Action::TurnLeft,
            (Env::Continuous(_), Drive::Right) => Action::TurnRight,
            (Env::Discrete(_), Drive::Left | Drive::Right) => {
                let degrees: f64 = if drive == Drive::Left { -30.0 } else { 30.0 };
                Action::Turn {
                    heading_delta_rad: degrees.to_radians(),
                    elevation_delta_rad: 0.0,
                }
            }
            (Env::Discrete(env), Drive::Forward) => {
                let obs = env.observe_nav();
                let ahead = obs
                    .navigable
                    .iter()
                    .filter(|c| wrap_to_pi(c.rel_heading_rad).abs() < 45f64.to_radians())
                    .min_by(|a, b| a.rel_heading_rad.abs().total_cmp(&b.rel_heading_rad.abs()))
                    .ok_or_else(|| anyhow!("no viewpoint ahead within 45 deg; turn first"))?;
                Action::MoveTo {
                    viewpoint: ahead.viewpoint.clone(),
                }
            }
        };
        self.apply(&action, "keyboard")
    }

    fn apply(&mut self, action: &Action, who: &str) -> Result<()> {
        let goes_on = match self.env.get() {
            Env::Discrete(env) => env.step(action)? == StepOutcome::Running,
            Env::Continuous(env) => env.step(action).map_err(|e| anyhow!(e))?,
        };
        self.actions.push(format!(
            "{who}: {}",
            describe(action, self.graph.as_deref())
        ));
        let pose = self.pose();
        self.poses.push(pose);
        self.done = !goes_on;
        Ok(())
    }
}

/// The task of a live episode: `task` when known (an eval folder's), else the registry's first
/// task whose observations are of kind `observation_kind`.
fn task_name(task: Option<&str>, observation_kind: &str) -> String {
    match task {
        Some(task) => task.to_string(),
        None => waymark_eval::tasks::all()
            .into_iter()
            .map(|t| t.info())
            .find(|info| info.observation_kind == observation_kind)
            .map_or_else(
                || observation_kind.to_string(),
                |info| info.name.to_string(),
            ),
    }
}

fn describe(action: &Action, graph: Option<&NavGraph>) -> String {
    match action {
        Action::MoveTo { viewpoint } => {
            let known = graph.and_then(|g| g.index_of(viewpoint.as_str())).is_some();
            format!(
                "move to {viewpoint}{}",
                if known { "" } else { " (unknown)" }
            )
        }
        Action::Turn {
            heading_delta_rad, ..
        } => format!("turn {:+.0} deg", heading_delta_rad.to_degrees()),
        other => format!("{other:?}"),
    }
}
