//! Shared by the integration tests: finding python3, the reference agent, and hand-made
//! contexts and observations.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;
use waymark_core::{Candidate, ContinuousNavObservation, DiscreteNavObservation, ViewpointId};
use waymark_planner::{Action, EpisodeContext, Observation};

/// `python3` when it runs. Without it the test is skipped, except under `CI=true`, where
/// python3 is required and the test fails.
pub fn python() -> Option<&'static str> {
    let runs = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    waymark_io::test_env::require_value(
        runs.then_some("python3"),
        "python3 (the exec planner tests)",
    )
}

/// The reference agent.
pub fn agent_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../python/waymark_agent.py")
}

/// The command line that runs the reference agent with `args` (`shortest`, `crash FLAG`, …).
pub fn agent(python: &str, args: &[&str]) -> String {
    let path = agent_path();
    let mut words = vec![python, path.to_str().unwrap()];
    words.extend_from_slice(args);
    shlex::try_join(words).unwrap()
}

/// The command line that runs a Python script written to `dir`.
pub fn script(python: &str, dir: &Path, name: &str, source: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, source).unwrap();
    shlex::try_join([python, path.to_str().unwrap()]).unwrap()
}

/// An R2R episode's context, with privileged information.
pub fn discrete_context(episode_id: &str) -> EpisodeContext {
    EpisodeContext {
        task: "r2r".to_string(),
        observation_kind: "discrete_nav".to_string(),
        episode_id: episode_id.to_string(),
        scene: "17DRP5sb8fy".to_string(),
        instruction: "Walk past the sofa and stop at the kitchen door.".to_string(),
        language: Some("en-US".to_string()),
        seed: 0xdead_beef_0123_4567,
        max_steps: 30,
        privileged: Some(json!({ "path": ["vp0", "vp1", "vp2"] })),
    }
}

/// A VLN-CE episode's context, without language or privileged information.
pub fn continuous_context(episode_id: &str) -> EpisodeContext {
    EpisodeContext {
        task: "vlnce".to_string(),
        observation_kind: "continuous_nav".to_string(),
        episode_id: episode_id.to_string(),
        scene: "apartment_0".to_string(),
        instruction: "Go to the bedroom.".to_string(),
        language: None,
        seed: 7,
        max_steps: 500,
        privileged: None,
    }
}

/// A discrete observation at `vp0` with five candidates, the teacher pointing at `teacher`.
pub fn discrete(step: u32, teacher: Option<&str>) -> Observation {
    let candidate = |i: usize, rel_heading_rad: f64| Candidate {
        viewpoint: ViewpointId::new(format!("c0a2f6b1e4d94b7c8e5f{i:012x}")),
        rel_heading_rad,
        rel_elevation_rad: -0.05 * i as f64,
        dist_m: 1.5 + 0.4 * i as f64,
        in_view: rel_heading_rad.abs() < 0.6,
    };
    Observation::DiscreteNav(DiscreteNavObservation {
        scan: "17DRP5sb8fy".into(),
        viewpoint: "5b9b2794954e4694a45fc424a8643081".into(),
        heading_rad: std::f64::consts::PI,
        elevation_rad: 0.0,
        step,
        navigable: [0.1, -0.45, 0.9, -1.7, 2.6]
            .iter()
            .enumerate()
            .map(|(i, h)| candidate(i, *h))
            .collect(),
        sensors: None,
        teacher: teacher.map(ViewpointId::new),
    })
}

/// A continuous observation whose teacher says `teacher`.
pub fn continuous(step: u32, teacher: Option<Action>) -> Observation {
    Observation::ContinuousNav(ContinuousNavObservation {
        scene: "apartment_0".to_string(),
        position_m: glam::Vec3::new(1.25, -3.5, 0.1),
        heading_rad: 1.570_796_4,
        elevation_rad: 0.0,
        step,
        collisions: 0,
        sensors: None,
        teacher,
    })
}

/// A household (ALFRED) observation holding a knife, with one open fridge in view.
pub fn household(step: u32, teacher: Option<Action>) -> Observation {
    use waymark_core::{ActionResult, HouseholdObservation, ObjectState, SeenHouseholdObject};
    Observation::Household(HouseholdObservation {
        scene: "FloorPlan10".to_string(),
        position_m: glam::DVec3::new(1.25, 0.9, -0.5),
        rotation_deg: 90.0,
        horizon_deg: 30.0,
        step,
        failures: 1,
        held: Some("ButterKnife|-01.19|+00.90|-00.84".into()),
        visible: vec![SeenHouseholdObject {
            id: "Fridge|+01.98|+00.00|-00.54".into(),
            object_type: "Fridge".into(),
            distance_m: 0.8,
            state: ObjectState {
                is_open: Some(true),
                contents: vec!["Apple|+01.87|+01.43|-00.35".into()],
                ..Default::default()
            },
        }],
        last_action: Some(ActionResult {
            action: "PickupObject".into(),
            success: false,
            error: Some("the hand is not empty".into()),
        }),
        sensors: None,
        teacher,
    })
}

/// A grounding observation: step `step` of a two-step task, with or without its gold object.
pub fn grounding(step: u32, teacher: Option<u32>) -> Observation {
    use waymark_core::{GroundingObject, GroundingObservation, Relation, RelationKind};
    let object = |id: u32, label: &str, z: f32, relations: Vec<Relation>| GroundingObject {
        id,
        label: label.into(),
        centre_m: glam::Vec3::new(1.0, 2.0, z),
        min_m: glam::Vec3::new(0.5, 1.5, z - 0.1),
        max_m: glam::Vec3::new(1.5, 2.5, z + 0.1),
        colour_rgb: [120, 80, 40],
        relations,
    };
    let on_desk = Relation {
        kind: RelationKind::On,
        object_id: 15,
    };
    Observation::Grounding(GroundingObservation {
        scene: "scene0451_01".into(),
        task_description: "Make me a cup of coffee.".into(),
        steps: vec!["Go to the desk.".into(), "Take a cup from the desk.".into()],
        step,
        answers: (0..step).map(|_| 15).collect(),
        objects: vec![
            object(15, "desk", 0.4, Vec::new()),
            object(19, "cups", 0.8, vec![on_desk]),
        ],
        teacher,
        sensors: None,
        agent: None,
    })
}

/// A voxel-world observation from a real game (seed 3, Crafter's space), with a rendered
/// view and depth, and the privileged block box when `privileged`.
pub fn voxel(privileged: bool) -> Observation {
    use base64::Engine;
    let game = waymark_voxel::Game::new(waymark_voxel::GameConfig {
        seed: 3,
        size_chunks: 4,
        action_space: waymark_core::VoxelActionSpace::Crafter,
    });
    let mut obs = waymark_voxel::observe::observation(&game, "seed-3", privileged);
    let (rgb, depth) = waymark_voxel::observe::render_pngs(&game, 16, 16, 90.0).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD;
    obs.sensors = Some(waymark_core::SensorReadings {
        views: vec![waymark_core::sensors::RenderedView {
            heading_deg: obs.yaw_deg,
            elevation_deg: obs.pitch_deg,
            png_base64: b64.encode(rgb),
            depth_png_base64: Some(b64.encode(depth)),
        }],
        ..Default::default()
    });
    Observation::Voxel(Box::new(obs))
}

/// A navigate-then-ground observation: step 0 with the agent seeing the desk, with sensor
/// readings and, when given, the teacher's action.
pub fn grounding_walking(teacher: Option<Action>) -> Observation {
    let mut observation = grounding(0, None);
    if let Observation::Grounding(o) = &mut observation {
        o.agent = Some(Box::new(waymark_core::GroundingAgent {
            position_m: glam::Vec3::new(1.0, 0.5, 0.0),
            heading_rad: 0.5,
            elevation_rad: -0.2,
            moves: 12,
            collisions: 1,
            ground_within_m: 3.0,
            in_view: vec![waymark_core::InView {
                id: 15,
                distance_m: 1.4,
                pixels: 230,
            }],
            teacher,
        }));
    }
    observation
}

/// An SG3D episode's context (the task's description and its steps as the instruction).
pub fn grounding_context() -> EpisodeContext {
    EpisodeContext {
        task: "sg3d".to_string(),
        observation_kind: "grounding".to_string(),
        episode_id: "0".to_string(),
        scene: "scene0451_01".to_string(),
        instruction: "Make me a cup of coffee.\n1. Go to the desk.\n2. Take a cup from the desk."
            .to_string(),
        language: None,
        seed: 7,
        max_steps: 2,
        privileged: Some(json!({ "targets": [15, 19] })),
    }
}
