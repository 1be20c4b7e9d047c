use super::unsupported;
use crate::{Action, EpisodeContext, Observation, Planner, PlannerError};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One discretized heading step of MatterSim: 30°.
const TURN_RAD: f64 = std::f64::consts::PI / 6.0;
/// Forward moves before stopping (discrete: viewpoint hops).
const FORWARD_MOVES: u32 = 5;
/// Forward steps before stopping in continuous space (20 × 0.25 m: 5 m, about five hops).
const CONTINUOUS_FORWARD_STEPS: u32 = 20;
/// Actions before stopping in a household.
const HOUSEHOLD_ACTIONS: u32 = 100;

/// The random agent of the R2R paper (Anderson et al. 2018): turn right 0–11 times by 30° (a
/// uniformly random heading), then move forward to the in-view candidate nearest the view
/// centre, turning right when none is in view, until five moves are made; then stop.
/// In continuous space it turns to the same random heading in 15° steps, then walks 20 steps.
/// In a household (ALFRED has no random agent of its own) it takes 100 uniformly drawn
/// actions, then stops: half the time, when something is in view, an interaction of a random
/// kind with a random visible object, else one of the five moves. In a grounding task it
/// answers each step with an object drawn uniformly from the candidates (stopping when there
/// are none), so its expected step accuracy is the mean of 1 / candidates; in
/// navigate-then-ground, each action is, half the time when a candidate is in view, the
/// answer of one drawn uniformly from those in view, else a uniformly drawn move forward,
/// turn left or turn right. In the voxel world
/// it never stops: in Crafter's action space each action is drawn uniformly from the 17
/// (Crafter's random agent, `action_space.sample()`); in MineRL's each key is pressed with
/// probability 1/2 and the camera turns by a uniform draw in ±180° on each axis, as MineRL's
/// `action_space.sample()` does (inventory and crafting stay off: they are not among
/// MineRL's sampled keys here).
#[derive(Debug, Default)]
pub struct RandomPlanner {
    /// 30° turns to make first.
    turns_left: u32,
    /// Discrete: forward moves made; continuous and households: actions taken.
    moves: u32,
    /// Households and grounding: the episode's draws.
    rng: Option<ChaCha8Rng>,
}

impl Planner for RandomPlanner {
    fn reset(&mut self, context: &EpisodeContext) -> Result<(), PlannerError> {
        let mut rng = ChaCha8Rng::seed_from_u64(context.seed);
        self.turns_left = rng.random_range(0..12);
        self.moves = 0;
        self.rng = Some(rng);
        Ok(())
    }

    fn act(&mut self, observation: &Observation) -> Result<Action, PlannerError> {
        let obs = match observation {
            Observation::DiscreteNav(obs) => obs,
            Observation::ContinuousNav(_) => return Ok(self.act_continuous()),
            Observation::Household(obs) => return Ok(self.act_household(obs)),
            Observation::Grounding(obs) => return Ok(self.act_grounding(obs)),
            Observation::Voxel(obs) => return Ok(self.act_voxel(obs)),
            other => return Err(unsupported("random", other)),
        };
        let turn = Action::Turn {
            heading_delta_rad: TURN_RAD,
            elevation_delta_rad: 0.0,
        };
        if self.moves >= FORWARD_MOVES {
            return Ok(Action::Stop);
        }
        if self.turns_left > 0 {
            self.turns_left -= 1;
            return Ok(turn);
        }
        match obs.navigable.iter().find(|c| c.in_view) {
            Some(ahead) => {
                self.moves += 1;
                Ok(Action::MoveTo {
                    viewpoint: ahead.viewpoint.clone(),
                })
            }
            None => Ok(turn),
        }
    }
}

impl RandomPlanner {
    /// A household: a random move or interaction, [`HOUSEHOLD_ACTIONS`] times, then stop.
    fn act_household(&mut self, obs: &waymark_core::HouseholdObservation) -> Action {
        const MOVES: [Action; 5] = [
            Action::MoveForward,
            Action::TurnLeft,
            Action::TurnRight,
            Action::LookUp,
            Action::LookDown,
        ];
        self.moves += 1;
        let rng = self.rng.get_or_insert_with(|| ChaCha8Rng::seed_from_u64(0));
        if self.moves > HOUSEHOLD_ACTIONS {
            return Action::Stop;
        }
        if !obs.visible.is_empty() && rng.random_bool(0.5) {
            let object = &obs.visible[rng.random_range(0..obs.visible.len())];
            let all = waymark_core::Interaction::ALL;
            return Action::Interact {
                interaction: all[rng.random_range(0..all.len())],
                object_id: object.id.clone(),
            };
        }
        MOVES[rng.random_range(0..MOVES.len())].clone()
    }

    /// The voxel world: a uniform Crafter action, or a MineRL sample.
    fn act_voxel(&mut self, obs: &waymark_core::VoxelObservation) -> Action {
        let rng = self.rng.get_or_insert_with(|| ChaCha8Rng::seed_from_u64(0));
        match obs.action_space {
            waymark_core::VoxelActionSpace::Crafter => {
                let all = waymark_core::CrafterAction::ALL;
                Action::Crafter {
                    action: all[rng.random_range(0..all.len())],
                }
            }
            waymark_core::VoxelActionSpace::Minerl => {
                let mut key = || rng.random_bool(0.5);
                let mut input = waymark_core::MineRlInput {
                    forward: key(),
                    back: key(),
                    left: key(),
                    right: key(),
                    jump: key(),
                    sneak: key(),
                    sprint: key(),
                    attack: key(),
                    use_item: key(),
                    ..Default::default()
                };
                input.camera = [
                    rng.random_range(-180.0..180.0),
                    rng.random_range(-180.0..180.0),
                ];
                Action::Minerl { input }
            }
        }
    }

    /// Grounding: a candidate drawn uniformly (navigate-then-ground: see the type's doc).
    fn act_grounding(&mut self, obs: &waymark_core::GroundingObservation) -> Action {
        let rng = self.rng.get_or_insert_with(|| ChaCha8Rng::seed_from_u64(0));
        if let Some(agent) = &obs.agent {
            if !agent.in_view.is_empty() && rng.random_bool(0.5) {
                return Action::Ground {
                    object_id: agent.in_view[rng.random_range(0..agent.in_view.len())].id,
                };
            }
            return [Action::MoveForward, Action::TurnLeft, Action::TurnRight]
                [rng.random_range(0..3)]
            .clone();
        }
        if obs.objects.is_empty() {
            return Action::Stop;
        }
        Action::Ground {
            object_id: obs.objects[rng.random_range(0..obs.objects.len())].id,
        }
    }

    /// Continuous space: two 15° right turns per 30° of the drawn heading, then forward
    /// steps, then stop (`moves` counts every action of the episode).
    fn act_continuous(&mut self) -> Action {
        let turns = 2 * self.turns_left;
        let k = self.moves;
        self.moves += 1;
        if k < turns {
            Action::TurnRight
        } else if k < turns + CONTINUOUS_FORWARD_STEPS {
            Action::MoveForward
        } else {
            Action::Stop
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use waymark_core::{Candidate, DiscreteNavObservation, ScanId, ViewpointId};

    fn obs(in_view: bool) -> Observation {
        Observation::DiscreteNav(DiscreteNavObservation {
            scan: ScanId::new("s"),
            viewpoint: ViewpointId::new("a"),
            heading_rad: 0.0,
            elevation_rad: 0.0,
            step: 0,
            navigable: vec![Candidate {
                viewpoint: ViewpointId::new("b"),
                rel_heading_rad: 0.0,
                rel_elevation_rad: 0.0,
                dist_m: 1.0,
                in_view,
            }],
            sensors: None,
            teacher: None,
        })
    }

    #[test]
    fn turns_then_moves_five_times_then_stops() {
        let context = EpisodeContext {
            task: "r2r".into(),
            observation_kind: "discrete_nav".into(),
            episode_id: "1_0".into(),
            scene: "s".into(),
            instruction: String::new(),
            language: None,
            seed: 7,
            max_steps: 30,
            privileged: None,
        };
        let mut p = RandomPlanner::default();
        p.reset(&context).unwrap();
        let turns = p.turns_left;
        assert!(turns < 12);
        let mut actions = Vec::new();
        for _ in 0..turns {
            actions.push(p.act(&obs(true)).unwrap());
        }
        assert!(actions.iter().all(|a| matches!(a, Action::Turn { .. })));
        assert!(
            matches!(p.act(&obs(false)).unwrap(), Action::Turn { .. }),
            "nothing in view: turn"
        );
        for _ in 0..5 {
            assert!(matches!(p.act(&obs(true)).unwrap(), Action::MoveTo { .. }));
        }
        assert_eq!(p.act(&obs(true)).unwrap(), Action::Stop);
        // The same seed gives the same heading.
        let mut q = RandomPlanner::default();
        q.reset(&context).unwrap();
        assert_eq!(q.turns_left, turns);
        // In continuous space: twice as many 15° turns, then 20 steps forward, then stop.
        let cont = Observation::ContinuousNav(waymark_core::ContinuousNavObservation {
            scene: "s".into(),
            position_m: glam::Vec3::ZERO,
            heading_rad: 0.0,
            elevation_rad: 0.0,
            step: 0,
            collisions: 0,
            sensors: None,
            teacher: None,
        });
        let n = 2 * turns as usize;
        let actions: Vec<Action> = (0..n + 21).map(|_| q.act(&cont).unwrap()).collect();
        assert!(actions[..n].iter().all(|a| *a == Action::TurnRight));
        assert!(actions[n..n + 20].iter().all(|a| *a == Action::MoveForward));
        assert_eq!(actions.last(), Some(&Action::Stop));
    }

    #[test]
    fn grounding_draws_each_candidate_uniformly_per_episode_seed() {
        use waymark_core::{GroundingObject, GroundingObservation};
        let object = |id: u32| GroundingObject {
            id,
            label: "chair".into(),
            centre_m: glam::Vec3::ZERO,
            min_m: glam::Vec3::ZERO,
            max_m: glam::Vec3::ONE,
            colour_rgb: [0, 0, 0],
            relations: Vec::new(),
        };
        let mut obs = GroundingObservation {
            scene: "s".into(),
            task_description: "Sit down.".into(),
            steps: vec!["Go to a chair.".into()],
            step: 0,
            answers: Vec::new(),
            objects: (10..14).map(object).collect(),
            teacher: None,
            sensors: None,
            agent: None,
        };
        let mut hits = [0u32; 4];
        for seed in 0..4000 {
            let mut p = RandomPlanner::default();
            let context = EpisodeContext {
                task: "sg3d".into(),
                observation_kind: "grounding".into(),
                episode_id: seed.to_string(),
                scene: "s".into(),
                instruction: String::new(),
                language: None,
                seed,
                max_steps: 1,
                privileged: None,
            };
            p.reset(&context).unwrap();
            let Action::Ground { object_id } = p.act(&Observation::Grounding(obs.clone())).unwrap()
            else {
                panic!("not a grounding answer")
            };
            hits[(object_id - 10) as usize] += 1;
        }
        // Each of 4 candidates: 1000 expected, σ ≈ 27.
        assert!(hits.iter().all(|&h| (880..1120).contains(&h)), "{hits:?}");
        obs.objects.clear();
        let mut p = RandomPlanner::default();
        assert_eq!(p.act(&Observation::Grounding(obs)).unwrap(), Action::Stop);
    }
}
