//! The continuous vision-and-language navigation environment (VLN-CE): forward steps and turns
//! of fixed size, a physical agent body, a step limit, and a geodesic teacher.

use crate::agent::{AgentBody, CollisionWorld};
use crate::error::{ActionError, NavError};
use crate::geodesic::GeodesicField;
use crate::metrics::{ContinuousOutcome, score_continuous};
use crate::walkable::{WalkableConfig, WalkableGrid};
use glam::Vec3;
use std::f32::consts::{FRAC_PI_2, TAU};
use std::sync::Arc;
use waymark_core::{Action, ContinuousEpisode, ContinuousNavObservation, NavMetrics, Observation};
use waymark_scenes::scene::Scene;

/// Action sizes and limits (VLN-CE's defaults).
#[derive(Clone, Debug, PartialEq)]
pub struct ContinuousNavConfig {
    /// `MOVE_FORWARD` distance in metres.
    pub forward_m: f32,
    /// `TURN_LEFT` / `TURN_RIGHT` angle in degrees.
    pub turn_deg: f32,
    /// `LOOK_UP` / `LOOK_DOWN` angle in degrees.
    pub look_deg: f32,
    /// Actions allowed before the episode ends (without a STOP).
    pub max_steps: u32,
    /// The teacher stops within this distance of the goal, in metres.
    pub teacher_stop_m: f32,
    /// How far a start or goal may lie from the walkable area and still be snapped onto it.
    pub snap_m: f32,
}

impl Default for ContinuousNavConfig {
    fn default() -> Self {
        Self {
            forward_m: 0.25,
            turn_deg: 15.0,
            look_deg: 30.0,
            max_steps: 500,
            teacher_stop_m: 0.5,
            snap_m: 0.5,
        }
    }
}

/// A scene prepared for continuous navigation: its walkable area and collision geometry.
#[derive(Debug)]
pub struct NavScene {
    /// The scene's name.
    pub name: String,
    /// Where the agent can stand.
    pub grid: WalkableGrid,
    /// What it collides with.
    pub world: Arc<CollisionWorld>,
}

impl NavScene {
    /// Builds the walkable area and the collision geometry of `scene`.
    pub fn new(scene: &Scene, config: &WalkableConfig) -> Result<Self, NavError> {
        let grid = WalkableGrid::build(scene, config)?;
        Ok(Self {
            name: scene.name.clone(),
            world: Arc::new(CollisionWorld::new(&grid)),
            grid,
        })
    }
}

/// One episode in progress.
#[derive(Debug)]
pub struct ContinuousNavEnv {
    scene: Arc<NavScene>,
    config: ContinuousNavConfig,
    field: GeodesicField,
    body: AgentBody,
    heading_rad: f32,
    elevation_rad: f32,
    step: u32,
    collisions: u32,
    stopped: bool,
    done: bool,
    positions: Vec<Vec3>,
    headings: Vec<f32>,
    reference: Vec<Vec3>,
}

impl ContinuousNavEnv {
    /// Starts `episode`: start and goal are snapped onto the walkable area (within
    /// `config.snap_m`) and must share an island.
    pub fn new(
        scene: Arc<NavScene>,
        config: ContinuousNavConfig,
        episode: &ContinuousEpisode,
    ) -> Result<Self, NavError> {
        let grid = &scene.grid;
        let (start_cell, start) = grid
            .snap(episode.start_position_m, config.snap_m, None)
            .ok_or(NavError::OffWalkable {
                what: format!("episode {} start", episode.episode_id),
                point: episode.start_position_m,
                max_m: config.snap_m,
            })?;
        let field = GeodesicField::new(grid, episode.goal_position_m, config.snap_m)?;
        if field.distance(grid, grid.centre(start_cell)).is_none() {
            return Err(NavError::NoPath {
                from: episode.start_position_m,
                to: episode.goal_position_m,
            });
        }
        let start = episode.start_position_m.truncate().extend(start.z);
        let body = AgentBody::new(scene.world.clone(), grid.config(), start);
        let heading = episode.start_heading_rad.rem_euclid(TAU);
        Ok(Self {
            config,
            field,
            body,
            heading_rad: heading,
            elevation_rad: 0.0,
            step: 0,
            collisions: 0,
            stopped: false,
            done: false,
            positions: vec![start],
            headings: vec![heading],
            reference: episode.reference_path_m.clone(),
            scene,
        })
    }

    /// The scene this episode runs on.
    pub fn scene(&self) -> &NavScene {
        &self.scene
    }

    /// The observation of the current state; the teacher's action (a geodesic path search)
    /// is computed and included only when `privileged`.
    pub fn observe(&self, privileged: bool) -> Observation {
        Observation::ContinuousNav(ContinuousNavObservation {
            scene: self.scene.name.clone(),
            position_m: self.body.position(),
            heading_rad: self.heading_rad,
            elevation_rad: self.elevation_rad,
            step: self.step,
            collisions: self.collisions,
            sensors: None,
            teacher: privileged.then(|| self.teacher()),
        })
    }

    /// The action a geodesic path follower takes: stop near the goal, else turn towards the
    /// next corner of the shortest path until facing it within half a turn, then step.
    pub fn teacher(&self) -> Action {
        let grid = &self.scene.grid;
        let p = self.body.position();
        let Some(path) = self.field.path_snapped(grid, p, self.config.snap_m) else {
            return Action::Stop;
        };
        let remaining: f32 = path
            .windows(2)
            .map(|w| w[0].truncate().distance(w[1].truncate()))
            .sum();
        if remaining <= self.config.teacher_stop_m {
            return Action::Stop;
        }
        // Aim past corners closer than one step.
        let target = path[1..]
            .iter()
            .find(|q| q.truncate().distance(p.truncate()) > self.config.forward_m * 0.5)
            .copied()
            .unwrap_or(path[path.len() - 1]);
        let d = target - p;
        let desired = d.x.atan2(d.y);
        let rel = (desired - self.heading_rad + TAU + std::f32::consts::PI).rem_euclid(TAU)
            - std::f32::consts::PI;
        let half_turn = self.config.turn_deg.to_radians() / 2.0;
        if rel > half_turn {
            Action::TurnRight
        } else if rel < -half_turn {
            Action::TurnLeft
        } else {
            Action::MoveForward
        }
    }

    /// Takes one action; returns whether the episode goes on. Graph actions are rejected.
    pub fn step(&mut self, action: &Action) -> Result<bool, ActionError> {
        if self.done {
            return Err(ActionError::Ended);
        }
        match action {
            Action::Stop => {
                self.stopped = true;
                self.done = true;
                return Ok(false);
            }
            Action::MoveForward => self.forward(),
            Action::TurnLeft => {
                self.heading_rad =
                    (self.heading_rad - self.config.turn_deg.to_radians()).rem_euclid(TAU)
            }
            Action::TurnRight => {
                self.heading_rad =
                    (self.heading_rad + self.config.turn_deg.to_radians()).rem_euclid(TAU)
            }
            Action::LookUp => {
                self.elevation_rad =
                    (self.elevation_rad + self.config.look_deg.to_radians()).min(FRAC_PI_2)
            }
            Action::LookDown => {
                self.elevation_rad =
                    (self.elevation_rad - self.config.look_deg.to_radians()).max(-FRAC_PI_2)
            }
            Action::MoveTo { .. }
            | Action::Turn { .. }
            | Action::Interact { .. }
            | Action::Ground { .. }
            | Action::Crafter { .. }
            | Action::Minerl { .. } => {
                return Err(ActionError::NotContinuous {
                    action: format!("{action:?}"),
                });
            }
        }
        self.step += 1;
        self.positions.push(self.body.position());
        self.headings.push(self.heading_rad);
        if self.step >= self.config.max_steps {
            self.done = true;
        }
        Ok(!self.done)
    }

    /// One forward step through the physics. The agent is kept on the walkable area, as
    /// Habitat keeps it on its navmesh: a step ending just off it (sliding past a door jamb)
    /// is settled on the nearest walkable cell centre within a cell and a half; a step ending
    /// farther off is undone. The base then takes the floor height of its cell. A step cut
    /// short or settled counts as a collision.
    fn forward(&mut self) {
        let before = self.body.position();
        let (s, c) = self.heading_rad.sin_cos();
        let desired = Vec3::new(s, c, 0.0) * self.config.forward_m;
        let moved = self.body.move_by(desired);
        let grid = &self.scene.grid;
        let after = self.body.position();
        let island = self.field.island();
        let on_island = grid.contains(after)
            && grid
                .cell_at(after.truncate())
                .is_some_and(|c| grid.island(c) == island);
        if on_island {
            if let Some(c) = grid.cell_at(after.truncate()) {
                self.body
                    .teleport(after.truncate().extend(grid.centre(c).z));
            }
            if moved.truncate().length() < self.config.forward_m - 0.01 {
                self.collisions += 1;
            }
            return;
        }
        self.collisions += 1;
        match grid.snap(after, grid.config().cell_m * 1.5, Some(island)) {
            Some((_, settled)) => self.body.teleport(settled),
            None => self.body.teleport(before),
        }
    }

    /// The camera elevation in radians.
    pub fn elevation_rad(&self) -> f32 {
        self.elevation_rad
    }

    /// Collisions so far.
    pub fn collisions(&self) -> u32 {
        self.collisions
    }

    /// Whether the episode has ended.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Positions after each step, the start first.
    pub fn positions(&self) -> &[Vec3] {
        &self.positions
    }

    /// Headings after each step, the start first.
    pub fn headings(&self) -> &[f32] {
        &self.headings
    }

    /// The episode's metrics so far (final once it is done).
    pub fn metrics(&self, threshold_m: f64) -> NavMetrics {
        score_continuous(
            &self.scene.grid,
            &self.field,
            self.config.snap_m,
            &ContinuousOutcome {
                positions: &self.positions,
                reference: &self.reference,
                stopped: self.stopped,
                steps: self.step,
                collisions: self.collisions,
            },
            threshold_m,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::walkable::tests::two_rooms;

    fn episode(start: Vec3, goal: Vec3) -> ContinuousEpisode {
        ContinuousEpisode {
            episode_id: "e1".into(),
            scene: "two rooms".into(),
            start_position_m: start,
            start_heading_rad: 0.0,
            goal_position_m: goal,
            reference_path_m: vec![start, Vec3::new(3.0, 0.5, 0.0), goal],
            instruction: "go through the door".into(),
            language: Some("en".into()),
            geodesic_distance_m: 0.0,
        }
    }

    #[test]
    fn the_teacher_walks_around_the_wall_and_succeeds() {
        let scene = Arc::new(NavScene::new(&two_rooms(), &WalkableConfig::default()).unwrap());
        let ep = episode(Vec3::new(1.5, 3.0, 0.0), Vec3::new(4.5, 3.0, 0.0));
        let mut env = ContinuousNavEnv::new(scene, ContinuousNavConfig::default(), &ep).unwrap();
        while !env.is_done() {
            let action = env.teacher();
            env.step(&action).unwrap();
        }
        let m = env.metrics(3.0);
        assert_eq!(m.sr, 1.0, "{m:?}");
        assert!(m.spl > 0.9, "{m:?}");
        assert!(m.ne < 0.6, "{m:?}");
        let last = *env.positions().last().unwrap();
        assert!(last.x > 3.05, "ends in the other room: {last}");
    }

    #[test]
    fn graph_actions_and_off_area_starts_are_rejected() {
        let scene = Arc::new(NavScene::new(&two_rooms(), &WalkableConfig::default()).unwrap());
        // Outside the building: nothing walkable within the 0.5 m snapping distance.
        let off = episode(Vec3::new(9.0, 9.0, 0.0), Vec3::new(4.5, 3.0, 0.0));
        assert!(matches!(
            ContinuousNavEnv::new(scene.clone(), ContinuousNavConfig::default(), &off),
            Err(NavError::OffWalkable { .. })
        ));
        let ep = episode(Vec3::new(1.5, 3.0, 0.0), Vec3::new(4.5, 3.0, 0.0));
        let mut env = ContinuousNavEnv::new(scene, ContinuousNavConfig::default(), &ep).unwrap();
        assert!(
            env.step(&Action::Turn {
                heading_delta_rad: 0.1,
                elevation_delta_rad: 0.0
            })
            .is_err()
        );
        // Walking into the wall counts collisions and never crosses it.
        env.step(&Action::TurnRight).unwrap();
        for _ in 0..6 {
            env.step(&Action::TurnRight).unwrap();
        }
        // Now facing 105° (east, a little south); walk east into the partition.
        env.step(&Action::TurnLeft).unwrap();
        for _ in 0..12 {
            env.step(&Action::MoveForward).unwrap();
        }
        assert!(env.positions().iter().all(|p| p.x < 2.95));
        assert!(env.metrics(3.0).collisions > 0);
        assert_eq!(env.metrics(3.0).sr, 0.0, "no STOP yet");
    }
}
