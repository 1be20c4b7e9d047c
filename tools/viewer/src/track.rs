//! An episode as poses in the world: the agent's trajectory, the reference path and the goal.

use crate::episodes::{EpisodeEntry, EpisodeSpec};
use anyhow::{Context, Result, bail};
use bevy::math::Vec3;
use waymark_alfred::Attempt;
use waymark_core::{
    ContinuousNavObservation, DiscreteNavObservation, GroundingObservation, HouseholdObservation,
    PosePoint, TrajectoryPoint, VoxelObservation,
};
use waymark_eval::EpisodeRecord;
use waymark_sim::{NavGraph, NodeIx};

/// Eye height above the floor of a graph viewpoint (Matterport cameras stand about 1.5 m up).
pub const GRAPH_EYE_HEIGHT_M: f32 = 1.5;
/// Eye height of the continuous agent (VLN-CE's 1.25 m camera).
pub const CONTINUOUS_EYE_HEIGHT_M: f32 = 1.25;

/// A recorded trajectory, in the layout of its task's observation kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Trajectory {
    /// Graph poses (`discrete_nav` tasks): `[viewpoint, heading, elevation]` triples.
    Graph(Vec<TrajectoryPoint>),
    /// Continuous poses (`continuous_nav` tasks): `{position, heading}` objects.
    Continuous(Vec<PosePoint>),
    /// Household actions (`household` tasks): each attempted call and what came of it.
    Household(Vec<Attempt>),
    /// A voxel episode (`voxel` tasks): its seed and every action.
    Voxel(Box<waymark_voxel_tasks::Trajectory>),
    /// A grounding episode (`grounding` tasks): the answers, and the walk when the agent
    /// walked (navigate-then-ground).
    Grounding(crate::grounding::GroundingTrajectory),
}

impl Trajectory {
    /// Parses `record`'s trajectory as tasks whose observations are of kind
    /// `observation_kind` record it.
    pub fn of(record: &EpisodeRecord, observation_kind: &str) -> Result<Self> {
        Ok(match observation_kind {
            DiscreteNavObservation::KIND => Self::Graph(
                record
                    .trajectory_as()
                    .context("the trajectory is not a list of graph poses")?,
            ),
            ContinuousNavObservation::KIND => Self::Continuous(
                record
                    .trajectory_as()
                    .context("the trajectory is not a list of continuous poses")?,
            ),
            HouseholdObservation::KIND => Self::Household(
                record
                    .trajectory_as()
                    .context("the trajectory is not a list of household attempts")?,
            ),
            VoxelObservation::KIND => Self::Voxel(Box::new(
                record
                    .trajectory_as()
                    .context("the trajectory is not a voxel trajectory")?,
            )),
            GroundingObservation::KIND => {
                use crate::grounding::GroundingTrajectory;
                Self::Grounding(
                    match record.trajectory.get().trim_start().starts_with('{') {
                        true => GroundingTrajectory::Walk(
                            record
                                .trajectory_as()
                                .context("the trajectory is not a navigate-then-ground walk")?,
                        ),
                        false => GroundingTrajectory::Answers(
                            record
                                .trajectory_as()
                                .context("the trajectory is not a list of object ids")?,
                        ),
                    },
                )
            }
            other => bail!("the window cannot show trajectories of {other} tasks"),
        })
    }
}

/// The agent at one step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pose {
    /// Where it stands (waymark frame, metres).
    pub floor_m: Vec3,
    /// Its eye.
    pub eye_m: Vec3,
    /// Heading, radians clockwise from `+y`.
    pub heading_rad: f32,
    /// Elevation, radians up.
    pub elevation_rad: f32,
    /// The viewpoint it stands on, in graph episodes.
    pub viewpoint: Option<NodeIx>,
}

/// What the overlays and the replay draw for one episode.
#[derive(Clone, Debug, Default)]
pub struct Track {
    /// The agent's poses, one per recorded step (the start first).
    pub poses: Vec<Pose>,
    /// The reference path's floor points.
    pub reference_m: Vec<Vec3>,
    /// The goal's floor point and success radius.
    pub goal: Option<(Vec3, f32)>,
}

impl Track {
    /// The track of `entry`'s recorded trajectory (empty without a record).
    pub fn of(entry: &EpisodeEntry, graph: Option<&NavGraph>, success_m: f32) -> Self {
        let poses = match &entry.trajectory {
            Some(Trajectory::Graph(points)) => graph
                .map(|g| {
                    points
                        .iter()
                        .filter_map(|p| {
                            let v = g.index_of(p.viewpoint.as_str())?;
                            Some(graph_pose(
                                g,
                                v,
                                p.heading_rad as f32,
                                p.elevation_rad as f32,
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default(),
            Some(Trajectory::Continuous(points)) => points
                .iter()
                .map(|p| continuous_pose(Vec3::from(p.position), p.heading))
                .collect(),
            // Households, voxel and grounding episodes replay in their own image
            // (`household.rs`, `voxel.rs`, `grounding.rs`), not in the 3-D view.
            Some(Trajectory::Household(_) | Trajectory::Voxel(_) | Trajectory::Grounding(_))
            | None => Vec::new(),
        };
        let mut track = Self::reference_of(entry, graph, success_m);
        track.poses = poses;
        track
    }

    /// The reference path and goal of `entry`, without a trajectory.
    pub fn reference_of(entry: &EpisodeEntry, graph: Option<&NavGraph>, success_m: f32) -> Self {
        let (reference_m, goal) = match &entry.spec {
            Some(EpisodeSpec::Discrete(e)) => {
                let points: Vec<Vec3> = graph
                    .map(|g| {
                        e.reference_path
                            .iter()
                            .filter_map(|v| g.index_of(v.as_str()))
                            .map(|v| graph_floor(g, v))
                            .collect()
                    })
                    .unwrap_or_default();
                let goal = points.last().map(|p| (*p, success_m));
                (points, goal)
            }
            Some(EpisodeSpec::Continuous(e)) => (
                e.reference_path_m.clone(),
                Some((e.goal_position_m, success_m)),
            ),
            Some(EpisodeSpec::Household(_) | EpisodeSpec::Voxel(_) | EpisodeSpec::Grounding(_))
            | None => (Vec::new(), None),
        };
        Self {
            poses: Vec::new(),
            reference_m,
            goal,
        }
    }
}

/// The floor point under graph viewpoint `v`.
pub fn graph_floor(graph: &NavGraph, v: NodeIx) -> Vec3 {
    graph.position(v).as_vec3() - Vec3::Z * GRAPH_EYE_HEIGHT_M
}

/// The agent standing on graph viewpoint `v`.
pub fn graph_pose(graph: &NavGraph, v: NodeIx, heading_rad: f32, elevation_rad: f32) -> Pose {
    let eye_m = graph.position(v).as_vec3();
    Pose {
        floor_m: eye_m - Vec3::Z * GRAPH_EYE_HEIGHT_M,
        eye_m,
        heading_rad,
        elevation_rad,
        viewpoint: Some(v),
    }
}

/// The continuous agent standing at `floor_m`.
pub fn continuous_pose(floor_m: Vec3, heading_rad: f32) -> Pose {
    Pose {
        floor_m,
        eye_m: floor_m + Vec3::Z * CONTINUOUS_EYE_HEIGHT_M,
        heading_rad,
        elevation_rad: 0.0,
        viewpoint: None,
    }
}

/// A short description of the action that led from `a` to `b`.
pub fn describe_move(graph: Option<&NavGraph>, a: &Pose, b: &Pose) -> String {
    match (a.viewpoint, b.viewpoint) {
        (Some(va), Some(vb)) if va != vb => {
            let name = graph.map(|g| g.id(vb).to_string()).unwrap_or_default();
            format!("move to {name}")
        }
        _ if (b.floor_m - a.floor_m).length() > 1e-3 => format!(
            "forward {:.2} m",
            (b.floor_m - a.floor_m).truncate().length()
        ),
        _ => {
            let turn = (b.heading_rad - a.heading_rad).to_degrees();
            let turn = (turn + 540.0).rem_euclid(360.0) - 180.0;
            if turn.abs() < 0.05 {
                "stop".to_string()
            } else if turn > 0.0 {
                format!("turn right {turn:.0} deg")
            } else {
                format!("turn left {:.0} deg", -turn)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn record(trajectory: serde_json::Value) -> EpisodeRecord {
        serde_json::from_value(serde_json::json!({
            "index": 0, "instr_id": "e", "scan": "s", "language": null, "sr": 1.0,
            "end": "stopped", "trajectory": trajectory
        }))
        .unwrap()
    }

    #[test]
    fn trajectories_parse_as_their_task_kind_says() {
        let graph = record(serde_json::json!([["a", 0.5, 0.0], ["b", 1.0, 0.1]]));
        match Trajectory::of(&graph, DiscreteNavObservation::KIND).unwrap() {
            Trajectory::Graph(points) => {
                assert_eq!(points.len(), 2);
                assert_eq!(points[1].viewpoint.as_str(), "b");
            }
            other => panic!("{other:?}"),
        }
        let continuous = record(serde_json::json!([{"position": [1.0, 2.0, 0.0], "heading": 0.5}]));
        assert_eq!(
            Trajectory::of(&continuous, ContinuousNavObservation::KIND).unwrap(),
            Trajectory::Continuous(vec![PosePoint {
                position: [1.0, 2.0, 0.0],
                heading: 0.5
            }])
        );
        let err = Trajectory::of(&continuous, DiscreteNavObservation::KIND).unwrap_err();
        assert!(format!("{err:#}").contains("graph poses"), "{err:#}");
        assert!(Trajectory::of(&graph, "interaction").is_err());
    }
}
