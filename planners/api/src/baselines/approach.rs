//! Walking up to a chosen object without a map, for navigate-then-ground baselines: face its
//! box centre and walk; after a bump, turn away and walk on a few steps; ground it once it is
//! in view, or after [`GIVE_UP_MOVES`] moves all the same.

use crate::Action;
use std::f32::consts::PI;
use waymark_core::angles::wrap_to_pi;
use waymark_core::{GroundingAgent, GroundingObservation};

/// Moves per step before answering unseen.
pub const GIVE_UP_MOVES: u32 = 120;
/// Turns away from an obstacle after a bump (15° each).
const DETOUR_TURNS: u32 = 4;
/// Forward moves after those turns before facing the object again.
const DETOUR_STEPS: u32 = 4;
/// Facing is good enough within this angle.
const FACING_RAD: f32 = 10.0 * PI / 180.0;

/// The walk towards one step's object.
#[derive(Debug, Default)]
pub struct Approach {
    /// The step being walked for.
    step: Option<u32>,
    moves: u32,
    /// The agent's collision count last seen.
    collisions: u32,
    turns_left: u32,
    steps_left: u32,
}

impl Approach {
    /// The next action towards `target` (a candidate of `obs`).
    pub fn act(
        &mut self,
        obs: &GroundingObservation,
        agent: &GroundingAgent,
        target: u32,
    ) -> Action {
        if self.step != Some(obs.step) {
            *self = Self {
                step: Some(obs.step),
                collisions: agent.collisions,
                ..Self::default()
            };
        }
        let seen = agent.in_view.iter().any(|v| v.id == target);
        let Some(object) = obs
            .object(target)
            .filter(|_| !seen && self.moves < GIVE_UP_MOVES)
        else {
            return Action::Ground { object_id: target };
        };
        self.moves += 1;
        if agent.collisions > self.collisions {
            self.collisions = agent.collisions;
            self.turns_left = DETOUR_TURNS;
            self.steps_left = DETOUR_STEPS;
        }
        if self.turns_left > 0 {
            self.turns_left -= 1;
            return Action::TurnRight;
        }
        if self.steps_left > 0 {
            self.steps_left -= 1;
            return Action::MoveForward;
        }
        let to = object.centre_m - agent.position_m;
        let turn = wrap_to_pi(f64::from(to.x.atan2(to.y) - agent.heading_rad)) as f32;
        if turn > FACING_RAD {
            Action::TurnRight
        } else if turn < -FACING_RAD {
            Action::TurnLeft
        } else {
            Action::MoveForward
        }
    }
}
