//! Sequential grounding in 3D scenes (SG3D): each step of a task names one object of the
//! scene, and the planner answers its id.
//!
//! Object ids are the benchmark's (SG3D's `target_id`: ScanNet's aggregation `objectId`),
//! not waymark's instance ids; the task crate documents the mapping. Positions are in
//! waymark's world frame: z up, metres.

use glam::Vec3;
use serde::{Deserialize, Serialize};

/// One step of a grounding task to answer, with the whole task as its context.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroundingObservation {
    /// The scene (`scene0451_01`).
    pub scene: String,
    /// The task's description (`Make me a cup of coffee.`); SG3D's `task_description`
    /// (`task` is the observation's kind tag in JSON).
    pub task_description: String,
    /// Every step's text, in order.
    pub steps: Vec<String>,
    /// The index in `steps` of the step to answer now.
    pub step: u32,
    /// The planner's answers to the earlier steps, in order.
    pub answers: Vec<u32>,
    /// The objects a step may name, by id.
    pub objects: Vec<GroundingObject>,
    /// The gold object of this step. Privileged: present only for planners that declare
    /// they need it (oracles, training).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teacher: Option<u32>,
    /// What the sensors saw, when the planner asked for readings (plain grounding: from the
    /// task's viewpoint; navigate-then-ground: from the agent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensors: Option<crate::SensorReadings>,
    /// Navigate-then-ground (SG3D's embodied variant): the agent that must see a step's
    /// object before it grounds it; absent in plain grounding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Box<GroundingAgent>>,
}

/// The agent of navigate-then-ground: it walks with the continuous navigation actions
/// (`MoveForward`, `TurnLeft`, `TurnRight`, `LookUp`, `LookDown`) and answers a step with
/// `Ground`, which counts only for an object in [`Self::in_view`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroundingAgent {
    /// Its base position on the floor (world, metres, z up).
    pub position_m: Vec3,
    /// Heading in `[0, 2π)` radians, clockwise from `+y`.
    pub heading_rad: f32,
    /// Camera elevation in radians.
    pub elevation_rad: f32,
    /// Navigation actions taken so far in this task.
    pub moves: u32,
    /// Collisions so far in this task.
    pub collisions: u32,
    /// An object can be grounded when some of it is seen within this distance (metres).
    pub ground_within_m: f32,
    /// The candidates seen now in the agent's own view within `ground_within_m`, nearest
    /// first.
    pub in_view: Vec<InView>,
    /// The next action of a geodesic follower that grounds the gold object once it sees it.
    /// Privileged, like the step's `teacher`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teacher: Option<crate::Action>,
}

/// A candidate object in the agent's view.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct InView {
    /// Its id.
    pub id: u32,
    /// The distance to its nearest visible pixel, metres.
    pub distance_m: f32,
    /// How many pixels of it are visible.
    pub pixels: u32,
}

impl GroundingObservation {
    /// The kind name of these observations.
    pub const KIND: &'static str = "grounding";

    /// The object with id `id`.
    pub fn object(&self, id: u32) -> Option<&GroundingObject> {
        self.objects.iter().find(|o| o.id == id)
    }
}

/// An object of the scene a step may name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroundingObject {
    /// Its id (the benchmark's).
    pub id: u32,
    /// Its label (`desk`, `coffee maker`).
    pub label: String,
    /// The centre of its axis-aligned box.
    pub centre_m: Vec3,
    /// The box's minimum corner.
    pub min_m: Vec3,
    /// The box's maximum corner.
    pub max_m: Vec3,
    /// The mean colour of its points or vertices (sRGB, 0–255).
    pub colour_rgb: [u8; 3],
    /// How it relates to other objects, sorted by relation, then object id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<Relation>,
}

impl GroundingObject {
    /// The edge lengths of its box.
    pub fn size_m(&self) -> Vec3 {
        self.max_m - self.min_m
    }
}

/// "This object is `kind` the object `object_id`" (`on` the desk, `left_of` the lamp).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Relation {
    /// The relation.
    pub kind: RelationKind,
    /// The other object's id.
    pub object_id: u32,
}

/// A spatial relation between two objects; the task crate documents each rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// Resting on top of the other.
    On,
    /// Inside the other's box.
    In,
    /// Close to the other.
    Near,
    /// Left of the other, seen from the scene's centre.
    LeftOf,
    /// Right of the other, seen from the scene's centre.
    RightOf,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn observations_round_trip_with_snake_case_relations() {
        let cup = GroundingObject {
            id: 19,
            label: "cups".into(),
            centre_m: Vec3::new(1.0, 2.0, 0.8),
            min_m: Vec3::new(0.9, 1.9, 0.75),
            max_m: Vec3::new(1.1, 2.1, 0.85),
            colour_rgb: [250, 250, 250],
            relations: vec![Relation {
                kind: RelationKind::On,
                object_id: 15,
            }],
        };
        let obs = GroundingObservation {
            scene: "scene0000_00".into(),
            task_description: "Make coffee.".into(),
            steps: vec!["Go to the desk.".into(), "Take a cup.".into()],
            step: 1,
            answers: vec![15],
            objects: vec![cup],
            teacher: None,
            sensors: None,
            agent: None,
        };
        let text = serde_json::to_string(&obs).unwrap();
        assert!(text.contains(r#""relations":[{"kind":"on","object_id":15}]"#));
        assert!(!text.contains("teacher"));
        let tagged = serde_json::to_value(crate::Observation::Grounding(obs.clone())).unwrap();
        assert_eq!(tagged["task"], "grounding");
        assert_eq!(tagged["task_description"], "Make coffee.");
        assert_eq!(
            serde_json::from_str::<GroundingObservation>(&text).unwrap(),
            obs
        );
        assert!((obs.object(19).unwrap().size_m() - Vec3::new(0.2, 0.2, 0.1)).length() < 1e-6);
        let names: Vec<String> = [
            RelationKind::On,
            RelationKind::In,
            RelationKind::Near,
            RelationKind::LeftOf,
            RelationKind::RightOf,
        ]
        .iter()
        .map(|k| serde_json::to_string(k).unwrap())
        .collect();
        assert_eq!(
            names,
            [
                r#""on""#,
                r#""in""#,
                r#""near""#,
                r#""left_of""#,
                r#""right_of""#
            ]
        );
    }
}
