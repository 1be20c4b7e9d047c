//! One plan step at a time, as the LLM household planners write them: go to an object, or
//! one interaction with it. Going walks the floor plan's grid, by the shortest path, to the
//! standing cell nearest the object, turned to face it most squarely (where ALFRED's
//! released LLM-Planner agent teleports: the reachable position nearest the object, facing
//! it); an interaction is one low-level action whose result the next observation reports.
//! An interaction with an object out of view walks to it first, the same way: a plan's
//! navigation step names a receptacle ("go to the desk"), and the object on it may lie
//! beyond reach of the desk's nearest cell (the released agent's grounding shares that
//! trouble, and fails the step).

use crate::grid::{Grid, GridPose};
use crate::grounding::History;
use crate::scene::Scene;
use std::collections::VecDeque;
use waymark_core::{Action, HouseholdObservation, Interaction};

/// What a step does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Primitive {
    /// Walk to the object.
    GoTo,
    /// Interact with the object.
    Interact(Interaction),
}

/// Why a step failed: a short cause for counters (`cannot_reach`, `action_failed`) and the
/// environment's or executor's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepFailure {
    /// The cause, in snake case.
    pub cause: &'static str,
    /// What went wrong.
    pub message: String,
}

/// Where the current step stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Progress {
    /// Take this action and report back.
    Act(Action),
    /// The step is over.
    Done(Result<(), StepFailure>),
}

#[derive(Clone, Debug)]
enum Running {
    /// The moves left, whether one has been taken, and the interaction that follows.
    Walking(VecDeque<Action>, bool, Option<(Interaction, String)>),
    Unreachable(String),
    Issuing {
        interaction: Interaction,
        target: String,
    },
    Awaiting,
}

/// A visible object closer than this is not walked to (ALFRED's released LLM-Planner agent
/// does not move then).
pub const NO_MOVE_M: f64 = 1.0;

/// Runs [`Primitive`] steps on a scene.
#[derive(Clone, Debug, Default)]
pub struct PrimitiveExecutor {
    grid: Grid,
    scene: Scene,
    running: Option<Running>,
    /// The running step, and what the agent held when it started.
    step: Option<(Primitive, Option<String>)>,
    /// What the episode's steps did that grounding reads ([`History`]).
    sliced_before: bool,
    placed: Vec<String>,
    navigated_since_put: bool,
}

/// How well a pose serves to reach `target`: the distance from its cell in metres, plus a
/// hundredth of a metre per 90° the object lies off its facing (so the nearest cell wins,
/// then the facing most towards the object).
fn approach_cost(grid: &Grid, pose: GridPose, target: glam::DVec2) -> f64 {
    let d = target - grid.position_m(pose);
    let bearing = d.x.atan2(d.y).to_degrees() - f64::from(pose.rotation_deg);
    let off_deg = ((bearing + 180.0).rem_euclid(360.0) - 180.0).abs();
    d.length() + off_deg / 9000.0
}

impl PrimitiveExecutor {
    /// An executor walking on `grid` among `scene`'s objects.
    pub fn new(grid: Grid, scene: Scene) -> Self {
        Self {
            grid,
            scene,
            ..Self::default()
        }
    }

    /// What the steps so far say about which instance a new step means: whether something
    /// was sliced, what was put where, whether the agent has walked since the last put.
    pub fn history(&self) -> History<'_> {
        History {
            sliced_before: self.sliced_before,
            placed: &self.placed,
            navigated_since_put: self.navigated_since_put,
        }
    }

    /// The scene as last observed.
    pub fn scene(&self) -> &Scene {
        &self.scene
    }

    /// Updates the scene from `obs` (call once per observation, before choosing targets).
    pub fn observe(&mut self, obs: &HouseholdObservation) {
        self.scene.observe(obs);
    }

    /// Starts `primitive` on the object `target` (an id of the scene).
    pub fn start(&mut self, primitive: Primitive, target: &str, obs: &HouseholdObservation) {
        match primitive {
            Primitive::GoTo => self.navigated_since_put = true,
            Primitive::Interact(Interaction::Slice) => self.sliced_before = true,
            Primitive::Interact(_) => {}
        }
        self.step = Some((primitive, obs.held.clone()));
        self.running = Some(match primitive {
            Primitive::GoTo => {
                let near = obs
                    .visible
                    .iter()
                    .any(|o| o.id == target && o.distance_m < NO_MOVE_M);
                self.walk(target, near, obs, None)
            }
            Primitive::Interact(interaction) => {
                let seen = obs.visible.iter().any(|o| o.id == target);
                self.walk(target, seen, obs, Some((interaction, target.to_string())))
            }
        });
    }

    /// A walk towards `target` (none when `stay`), then `then`.
    fn walk(
        &self,
        target: &str,
        stay: bool,
        obs: &HouseholdObservation,
        then: Option<(Interaction, String)>,
    ) -> Running {
        let walk = match (stay, self.scene.get(target)) {
            (true, _) => Some(Vec::new()),
            (false, Some(object)) => {
                let goal = glam::DVec2::new(object.position_m.x, object.position_m.z);
                let here = self.grid.pose_of(obs.position_m, obs.rotation_deg);
                self.grid
                    .path_to_best(here, |p| approach_cost(&self.grid, p, goal))
            }
            (false, None) => None,
        };
        match (walk, then) {
            (Some(actions), then) => Running::Walking(actions.into(), false, then),
            // An interaction is tried where the agent stands: the world says why it fails.
            (None, Some((interaction, target))) => Running::Issuing {
                interaction,
                target,
            },
            (None, None) => Running::Unreachable(target.to_string()),
        }
    }

    /// The next action of the running step, or how it ended. With no step running, `Done(Ok)`.
    pub fn poll(&mut self, obs: &HouseholdObservation) -> Progress {
        let progress = self.advance(obs);
        if let Progress::Done(result) = &progress
            && let (Ok(()), Some((Primitive::Interact(Interaction::Put), Some(held)))) =
                (result, self.step.take())
        {
            self.placed.push(held);
            self.navigated_since_put = false;
        }
        progress
    }

    fn advance(&mut self, obs: &HouseholdObservation) -> Progress {
        let Some(running) = self.running.take() else {
            return Progress::Done(Ok(()));
        };
        match running {
            Running::Walking(mut actions, moved, then) => match actions.pop_front() {
                // A move the world refuses ends the walk where it stands.
                Some(action) if !moved || obs.last_action.as_ref().is_none_or(|r| r.success) => {
                    self.running = Some(Running::Walking(actions, true, then));
                    Progress::Act(action)
                }
                _ => match then {
                    Some((interaction, target)) => {
                        self.running = Some(Running::Awaiting);
                        Progress::Act(Action::Interact {
                            interaction,
                            object_id: target,
                        })
                    }
                    None => Progress::Done(Ok(())),
                },
            },
            Running::Unreachable(target) => Progress::Done(Err(StepFailure {
                cause: "cannot_reach",
                message: format!("cannot move to {target}"),
            })),
            Running::Issuing {
                interaction,
                target,
            } => {
                self.running = Some(Running::Awaiting);
                Progress::Act(Action::Interact {
                    interaction,
                    object_id: target,
                })
            }
            Running::Awaiting => Progress::Done(match &obs.last_action {
                Some(result) if result.success => Ok(()),
                Some(result) => Err(StepFailure {
                    cause: "action_failed",
                    message: result
                        .error
                        .clone()
                        .unwrap_or_else(|| format!("{} failed", result.action)),
                }),
                None => Err(StepFailure {
                    cause: "action_failed",
                    message: "the environment reported no result".into(),
                }),
            }),
        }
    }
}
