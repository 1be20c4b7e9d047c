//! VLN-CE episode files (`{"episodes": [...]}`, Habitat's R2R-CE layout).
//!
//! Habitat is y-up with −z forward; waymark is z-up with +y forward. Positions are converted
//! `(x, y, z)_habitat = (x, z, −y)_waymark`, and a heading θ (clockwise from +y seen from
//! above) is the rotation `−θ` about Habitat's +y axis, stored as an `[x, y, z, w]` quaternion.

use crate::error::SceneError;
use glam::Vec3;
use serde::{Deserialize, Serialize};
use std::path::Path;
use waymark_core::ContinuousEpisode;
use waymark_io::{read_json, write_json_atomic};

/// A VLN-CE episode file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VlnceFile {
    /// The episodes.
    pub episodes: Vec<VlnceEpisode>,
}

/// One VLN-CE episode.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VlnceEpisode {
    /// The episode id (a number in the official files; any string or number is accepted).
    pub episode_id: serde_json::Value,
    /// The reference path's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trajectory_id: Option<i64>,
    /// The scene.
    pub scene_id: String,
    /// Start position, Habitat frame.
    pub start_position: [f32; 3],
    /// Start rotation `[x, y, z, w]`, Habitat frame.
    pub start_rotation: [f32; 4],
    /// Goals (the first is used).
    pub goals: Vec<VlnceGoal>,
    /// The instruction.
    pub instruction: VlnceInstruction,
    /// The reference path, Habitat frame.
    pub reference_path: Vec<[f32; 3]>,
    /// Extra information (`geodesic_distance`).
    #[serde(default)]
    pub info: VlnceInfo,
    /// Marks episodes that waymark generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<bool>,
}

/// A goal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VlnceGoal {
    /// Position, Habitat frame.
    pub position: [f32; 3],
    /// Success radius in metres.
    pub radius: f32,
}

/// An instruction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VlnceInstruction {
    /// The text.
    pub instruction_text: String,
    /// The language tag (waymark's addition; RxR-CE uses `language` too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// Extra episode information.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VlnceInfo {
    /// Geodesic start–goal distance in metres.
    #[serde(default)]
    pub geodesic_distance: f32,
}

fn to_habitat(p: Vec3) -> [f32; 3] {
    [p.x, p.z, -p.y]
}

fn from_habitat(p: [f32; 3]) -> Vec3 {
    Vec3::new(p[0], -p[2], p[1])
}

impl VlnceEpisode {
    /// From waymark's episode.
    pub fn from_episode(
        e: &ContinuousEpisode,
        trajectory_id: Option<i64>,
        goal_radius_m: f32,
    ) -> Self {
        let half = -e.start_heading_rad / 2.0;
        Self {
            episode_id: serde_json::Value::String(e.episode_id.clone()),
            trajectory_id,
            scene_id: e.scene.clone(),
            start_position: to_habitat(e.start_position_m),
            start_rotation: [0.0, half.sin(), 0.0, half.cos()],
            goals: vec![VlnceGoal {
                position: to_habitat(e.goal_position_m),
                radius: goal_radius_m,
            }],
            instruction: VlnceInstruction {
                instruction_text: e.instruction.clone(),
                language: e.language.clone(),
            },
            reference_path: e.reference_path_m.iter().map(|&p| to_habitat(p)).collect(),
            info: VlnceInfo {
                geodesic_distance: e.geodesic_distance_m,
            },
            generated: Some(true),
        }
    }

    /// To waymark's episode.
    pub fn to_episode(&self, path: &Path, index: usize) -> Result<ContinuousEpisode, SceneError> {
        let id = match &self.episode_id {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let goal = self.goals.first().ok_or_else(|| {
            SceneError::record(path, format!("episodes[{index}] ({id})"), "has no goals")
        })?;
        let [x, y, z, w] = self.start_rotation;
        // The rotation about +y of the quaternion (x and z should be 0); heading = −angle.
        let angle = 2.0 * y.atan2(w);
        let finite = self
            .start_position
            .iter()
            .chain(&goal.position)
            .chain(&[x, y, z, w])
            .all(|v| v.is_finite());
        if !finite {
            return Err(SceneError::record(
                path,
                format!("episodes[{index}] ({id})"),
                "non-finite position or rotation",
            ));
        }
        Ok(ContinuousEpisode {
            episode_id: id,
            scene: self.scene_id.clone(),
            start_position_m: from_habitat(self.start_position),
            start_heading_rad: (-angle).rem_euclid(std::f32::consts::TAU),
            goal_position_m: from_habitat(goal.position),
            reference_path_m: self
                .reference_path
                .iter()
                .map(|&p| from_habitat(p))
                .collect(),
            instruction: self.instruction.instruction_text.clone(),
            language: self.instruction.language.clone(),
            geodesic_distance_m: self.info.geodesic_distance,
        })
    }
}

/// Reads a VLN-CE episode file.
pub fn read_vlnce_episodes(path: &Path) -> Result<Vec<ContinuousEpisode>, SceneError> {
    let file: VlnceFile = read_json(path)?;
    file.episodes
        .iter()
        .enumerate()
        .map(|(i, e)| e.to_episode(path, i))
        .collect()
}

/// Writes episodes as a VLN-CE file (atomically).
pub fn write_vlnce_episodes(path: &Path, episodes: &[VlnceEpisode]) -> Result<(), SceneError> {
    Ok(write_json_atomic(
        path,
        &VlnceFile {
            episodes: episodes.to_vec(),
        },
        false,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_positions_and_headings() {
        let dir = tempfile::tempdir().unwrap();
        let e = ContinuousEpisode {
            episode_id: "7_1".into(),
            scene: "apt".into(),
            start_position_m: Vec3::new(1.0, 2.0, 0.0),
            start_heading_rad: 2.5,
            goal_position_m: Vec3::new(4.0, -1.0, 0.1),
            reference_path_m: vec![Vec3::new(1.0, 2.0, 0.0), Vec3::new(4.0, -1.0, 0.1)],
            instruction: "اذهب إلى المطبخ".into(),
            language: Some("ar".into()),
            geodesic_distance_m: 4.3,
        };
        let v = VlnceEpisode::from_episode(&e, Some(7), 3.0);
        assert_eq!(
            v.start_position,
            [1.0, 0.0, -2.0],
            "Habitat is y-up with z = −y"
        );
        let path = dir.path().join("eps.json");
        write_vlnce_episodes(&path, &[v]).unwrap();
        let back = read_vlnce_episodes(&path).unwrap();
        assert_eq!(back.len(), 1);
        let b = &back[0];
        assert!((b.start_heading_rad - 2.5).abs() < 1e-5);
        assert_eq!(
            (b.start_position_m, b.goal_position_m),
            (e.start_position_m, e.goal_position_m)
        );
        assert_eq!(
            (b.instruction.as_str(), b.language.as_deref()),
            ("اذهب إلى المطبخ", Some("ar"))
        );
    }

    #[test]
    fn heading_zero_is_the_identity_rotation() {
        let e = ContinuousEpisode {
            episode_id: "1".into(),
            scene: "s".into(),
            start_position_m: Vec3::ZERO,
            start_heading_rad: 0.0,
            goal_position_m: Vec3::ONE,
            reference_path_m: vec![],
            instruction: String::new(),
            language: None,
            geodesic_distance_m: 0.0,
        };
        assert_eq!(
            VlnceEpisode::from_episode(&e, None, 3.0).start_rotation,
            [0.0, -0.0, 0.0, 1.0]
        );
    }
}
