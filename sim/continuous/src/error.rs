//! Errors of continuous navigation.

use glam::Vec3;

/// A failure to build a walkable area or to place an episode on it.
#[derive(Debug, thiserror::Error)]
pub enum NavError {
    /// The scene has no triangles (point clouds cannot be walked).
    #[error("scene {scene}: {message}")]
    Scene {
        /// The scene.
        scene: String,
        /// What is wrong.
        message: String,
    },
    /// A point is not on (or near) the walkable area.
    #[error(
        "{what} {point:?} is not on the walkable area (nearest walkable cell farther than {max_m} m)"
    )]
    OffWalkable {
        /// Which point (`start`, `goal`, …).
        what: String,
        /// The point.
        point: Vec3,
        /// How far snapping looked.
        max_m: f32,
    },
    /// No walkable path joins two points (different islands).
    #[error("no walkable path from {from:?} to {to:?}: they lie on different islands")]
    NoPath {
        /// The start.
        from: Vec3,
        /// The goal.
        to: Vec3,
    },
}

/// An action the continuous environment rejects.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ActionError {
    /// The episode has already ended.
    #[error("the episode has already ended")]
    Ended,
    /// A graph action (`MoveTo`, `Turn`) or a household interaction in continuous space.
    #[error(
        "{action} is not a continuous action; continuous navigation takes MoveForward, TurnLeft, TurnRight, LookUp, LookDown, Stop"
    )]
    NotContinuous {
        /// The action, as debug text.
        action: String,
    },
}
