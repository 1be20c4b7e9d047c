//! The discrete vision-and-language navigation environment, with Matterport3DSimulator's
//! semantics: a state of (scan, viewpoint, heading, elevation, step); navigable candidates with
//! relative heading, elevation and distance sorted by angular distance from the view centre;
//! moves along graph edges that keep the heading; turns; stop; a step limit.
//!
//! Unlike MatterSim, a move may go to any adjacent viewpoint, not only those inside the
//! camera's field of view (the panoramic action space every modern R2R agent uses);
//! `Candidate::in_view` still says which ones MatterSim would list.

use crate::error::SimError;
use crate::navgraph::{NavGraph, NodeIx};
use std::sync::Arc;
pub use waymark_core::StepOutcome;
use waymark_core::angles::{wrap_to_pi, wrap_to_tau};
use waymark_core::{
    Action, Candidate, DiscreteNavObservation, InstrId, NavEpisode, Observation, TrajectoryPoint,
};

/// Settings of the discrete environment.
#[derive(Clone, Debug, PartialEq)]
pub struct DiscreteNavConfig {
    /// Actions allowed before the episode ends as if the agent stopped.
    pub max_steps: u32,
    /// Camera vertical field of view in degrees (R2R uses 60°).
    pub vfov_deg: f64,
    /// Camera width / height (R2R renders 640 × 480).
    pub aspect: f64,
    /// Lowest elevation in radians (MatterSim: −0.94).
    pub min_elevation_rad: f64,
    /// Highest elevation in radians (MatterSim: 0.94).
    pub max_elevation_rad: f64,
}

impl Default for DiscreteNavConfig {
    fn default() -> Self {
        Self {
            max_steps: 30,
            vfov_deg: 60.0,
            aspect: 640.0 / 480.0,
            min_elevation_rad: -0.94,
            max_elevation_rad: 0.94,
        }
    }
}

/// One episode in progress on one scan's navigation graph.
#[derive(Debug)]
pub struct DiscreteNavEnv {
    graph: Arc<NavGraph>,
    config: DiscreteNavConfig,
    /// `cos` of half the horizontal field of view, as MatterSim computes it.
    cos_half_hfov: f64,
    instr_id: InstrId,
    goal: NodeIx,
    viewpoint: NodeIx,
    heading_rad: f64,
    elevation_rad: f64,
    step: u32,
    done: bool,
    trajectory: Vec<TrajectoryPoint>,
}

impl DiscreteNavEnv {
    /// Starts `episode` at its first reference viewpoint and heading, elevation 0.
    pub fn new(
        graph: Arc<NavGraph>,
        config: DiscreteNavConfig,
        episode: &NavEpisode,
    ) -> Result<Self, SimError> {
        let empty = || SimError::Empty {
            instr_id: episode.instr_id.clone(),
            what: "reference path",
        };
        let start = graph.require(episode.start().ok_or_else(empty)?)?;
        let goal = graph.require(episode.goal().ok_or_else(empty)?)?;
        let cos_half_hfov = (config.vfov_deg.to_radians() * config.aspect / 2.0).cos();
        let mut env = Self {
            graph,
            config,
            cos_half_hfov,
            instr_id: episode.instr_id.clone(),
            goal,
            viewpoint: start,
            heading_rad: 0.0,
            elevation_rad: 0.0,
            step: 0,
            done: false,
            trajectory: Vec::new(),
        };
        env.set_heading_elevation(episode.start_heading_rad, 0.0);
        env.record();
        Ok(env)
    }

    fn set_heading_elevation(&mut self, heading_rad: f64, elevation_rad: f64) {
        self.heading_rad = wrap_to_tau(heading_rad);
        self.elevation_rad =
            elevation_rad.clamp(self.config.min_elevation_rad, self.config.max_elevation_rad);
    }

    fn record(&mut self) {
        self.trajectory.push(TrajectoryPoint {
            viewpoint: self.graph.id(self.viewpoint).clone(),
            heading_rad: self.heading_rad,
            elevation_rad: self.elevation_rad,
        });
    }

    /// The observation of the current state.
    pub fn observe(&self) -> Observation {
        Observation::DiscreteNav(self.observe_nav())
    }

    /// The observation of the current state, as the discrete-navigation variant.
    pub fn observe_nav(&self) -> DiscreteNavObservation {
        let mut navigable: Vec<Candidate> = self
            .graph
            .edges(self.viewpoint)
            .iter()
            .map(|e| {
                let rel_heading_rad = wrap_to_pi(e.heading_rad - self.heading_rad);
                Candidate {
                    viewpoint: self.graph.id(e.to).clone(),
                    rel_heading_rad,
                    rel_elevation_rad: e.elevation_rad - self.elevation_rad,
                    dist_m: e.dist_m,
                    in_view: rel_heading_rad.cos() >= self.cos_half_hfov,
                }
            })
            .collect();
        navigable.sort_by(|a, b| {
            let angle = |c: &Candidate| c.rel_heading_rad.hypot(c.rel_elevation_rad);
            angle(a).total_cmp(&angle(b))
        });
        DiscreteNavObservation {
            scan: self.graph.scan().clone(),
            viewpoint: self.graph.id(self.viewpoint).clone(),
            heading_rad: self.heading_rad,
            elevation_rad: self.elevation_rad,
            step: self.step,
            navigable,
            sensors: None,
            teacher: self
                .graph
                .next_hop(self.viewpoint, self.goal)
                .map(|v| self.graph.id(v).clone()),
        }
    }

    /// Takes one action. Moves and turns append one trajectory entry; stop appends none.
    pub fn step(&mut self, action: &Action) -> Result<StepOutcome, SimError> {
        if self.done {
            return Err(self.invalid("the episode has already ended"));
        }
        match action {
            Action::Stop => {
                self.done = true;
                return Ok(StepOutcome::Stopped);
            }
            Action::MoveTo { viewpoint } => {
                let to = self.graph.require(viewpoint)?;
                if self.graph.edge(self.viewpoint, to).is_none() {
                    return Err(SimError::NotAdjacent {
                        instr_id: self.instr_id.clone(),
                        scan: self.graph.scan().clone(),
                        from: self.graph.id(self.viewpoint).clone(),
                        to: viewpoint.clone(),
                    });
                }
                self.viewpoint = to;
            }
            Action::Turn {
                heading_delta_rad,
                elevation_delta_rad,
            } => {
                if !heading_delta_rad.is_finite() || !elevation_delta_rad.is_finite() {
                    return Err(self.invalid("turn angles must be finite"));
                }
                self.set_heading_elevation(
                    self.heading_rad + heading_delta_rad,
                    self.elevation_rad + elevation_delta_rad,
                );
            }
            Action::MoveForward
            | Action::TurnLeft
            | Action::TurnRight
            | Action::LookUp
            | Action::LookDown => {
                return Err(self.invalid(&format!(
                    "{action:?} is a continuous action; graph navigation takes MoveTo, Turn and Stop"
                )));
            }
            Action::Interact { .. } => {
                return Err(self.invalid(
                    "interactions belong to households; graph navigation takes MoveTo, Turn and Stop",
                ));
            }
            Action::Ground { .. } => {
                return Err(self.invalid(
                    "grounding answers belong to grounding tasks; graph navigation takes MoveTo, Turn and Stop",
                ));
            }
            Action::Crafter { .. } | Action::Minerl { .. } => {
                return Err(self.invalid(
                    "voxel actions belong to the voxel world; graph navigation takes MoveTo, Turn and Stop",
                ));
            }
        }
        self.step += 1;
        self.record();
        if self.step >= self.config.max_steps {
            self.done = true;
            return Ok(StepOutcome::StepLimit);
        }
        Ok(StepOutcome::Running)
    }

    fn invalid(&self, message: &str) -> SimError {
        SimError::InvalidAction {
            instr_id: self.instr_id.clone(),
            message: message.to_string(),
        }
    }

    /// Whether the episode has ended.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The current viewpoint index.
    pub fn viewpoint(&self) -> NodeIx {
        self.viewpoint
    }

    /// The trajectory so far: the start, then one entry per move or turn.
    pub fn trajectory(&self) -> &[TrajectoryPoint] {
        &self.trajectory
    }

    /// Consumes the environment and returns its trajectory.
    pub fn into_trajectory(self) -> Vec<TrajectoryPoint> {
        self.trajectory
    }

    /// The graph the episode runs on.
    pub fn graph(&self) -> &Arc<NavGraph> {
        &self.graph
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::navgraph::tests::square;
    use std::f64::consts::PI;
    use waymark_core::{ScanId, ViewpointId};

    fn episode(path: &[&str], heading: f64) -> NavEpisode {
        NavEpisode {
            instr_id: InstrId::new("9_0"),
            scan: ScanId::new("sq"),
            path_id: 9,
            reference_path: path.iter().map(ViewpointId::new).collect(),
            start_heading_rad: heading,
            instruction: "go".into(),
            language: None,
            distance_m: 0.0,
            target_object_id: None,
        }
    }

    #[test]
    fn candidates_are_relative_and_sorted_by_angle() {
        // At a, facing +x (heading π/2): b is straight ahead, c at 53.13° left, d at 90° left.
        let env = DiscreteNavEnv::new(
            Arc::new(square()),
            DiscreteNavConfig::default(),
            &episode(&["a", "c"], PI / 2.0),
        )
        .unwrap();
        let obs = env.observe_nav();
        let order: Vec<&str> = obs.navigable.iter().map(|c| c.viewpoint.as_str()).collect();
        assert_eq!(order, ["b", "c", "d"]);
        assert!(obs.navigable[0].rel_heading_rad.abs() < 1e-12);
        assert!((obs.navigable[1].rel_heading_rad + (4.0_f64).atan2(3.0)).abs() < 1e-12);
        assert!((obs.navigable[2].rel_heading_rad + PI / 2.0).abs() < 1e-12);
        assert_eq!(obs.navigable[1].dist_m, 5.0);
        // MatterSim's 60° vfov at 4:3 shows ±40° horizontally: only b is in view.
        let in_view: Vec<bool> = obs.navigable.iter().map(|c| c.in_view).collect();
        assert_eq!(in_view, [true, false, false]);
        assert_eq!(obs.teacher.as_ref().map(ViewpointId::as_str), Some("c"));
    }

    #[test]
    fn moves_keep_heading_and_turns_wrap() {
        let mut env = DiscreteNavEnv::new(
            Arc::new(square()),
            DiscreteNavConfig::default(),
            &episode(&["a", "c"], 0.0),
        )
        .unwrap();
        assert_eq!(
            env.step(&Action::Turn {
                heading_delta_rad: -PI / 6.0,
                elevation_delta_rad: 2.0
            })
            .unwrap(),
            StepOutcome::Running
        );
        let obs = env.observe_nav();
        assert!((obs.heading_rad - 11.0 * PI / 6.0).abs() < 1e-12);
        assert_eq!(obs.elevation_rad, 0.94, "clamped to MatterSim's limit");
        env.step(&Action::MoveTo {
            viewpoint: ViewpointId::new("b"),
        })
        .unwrap();
        assert_eq!(env.step(&Action::Stop).unwrap(), StepOutcome::Stopped);
        let t = env.trajectory();
        assert_eq!(t.len(), 3);
        assert_eq!(t[2].viewpoint.as_str(), "b");
        assert_eq!(t[2].heading_rad, t[1].heading_rad);
        assert!(env.step(&Action::Stop).is_err(), "no action after the end");
    }

    #[test]
    fn rejects_non_adjacent_moves_and_enforces_the_step_limit() {
        let config = DiscreteNavConfig {
            max_steps: 2,
            ..Default::default()
        };
        let mut env =
            DiscreteNavEnv::new(Arc::new(square()), config, &episode(&["a", "c"], 0.0)).unwrap();
        assert!(matches!(
            env.step(&Action::MoveTo {
                viewpoint: ViewpointId::new("e")
            }),
            Err(SimError::NotAdjacent { .. })
        ));
        assert!(matches!(
            env.step(&Action::MoveTo {
                viewpoint: ViewpointId::new("zz")
            }),
            Err(SimError::UnknownViewpoint { .. })
        ));
        env.step(&Action::MoveTo {
            viewpoint: ViewpointId::new("b"),
        })
        .unwrap();
        assert_eq!(
            env.step(&Action::MoveTo {
                viewpoint: ViewpointId::new("c")
            })
            .unwrap(),
            StepOutcome::StepLimit
        );
        assert!(env.is_done());
        assert_eq!(env.trajectory().len(), 3);
    }
}
