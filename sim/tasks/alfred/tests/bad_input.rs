//! Bad ALFRED input gets an error naming the file and what is wrong.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use serde_json::{Value, json};
use std::path::Path;
use waymark_alfred::AlfredEpisodes;
use waymark_task::TaskArgs;

/// A small trajectory of waymark's own making: put an apple in the fridge.
fn trajectory() -> Value {
    json!({
        "task_id": "trial_T1",
        "task_type": "pick_and_place_simple",
        "pddl_params": {"object_target": "Apple", "parent_target": "Fridge", "toggle_target": "",
                        "mrecep_target": "", "object_sliced": false},
        "scene": {
            "floor_plan": "FloorPlan1",
            "init_action": {"x": 0.0, "y": 0.9, "z": 0.0, "rotation": 0, "horizon": 30},
            "object_poses": [{"objectName": "Apple_1", "position": {"x": 0.0, "y": 0.9, "z": 0.5},
                              "rotation": {"x": 0, "y": 0, "z": 0}}],
            "object_toggles": []
        },
        "plan": {
            "low_actions": [
                {"api_action": {"action": "PickupObject", "objectId": "Apple|00.00|+00.90|+00.50"}},
                {"api_action": {"action": "OpenObject", "objectId": "Fridge|+00.50|00.00|+01.00"}},
                {"api_action": {"action": "PutObject", "objectId": "Apple|00.00|+00.90|+00.50",
                                "receptacleObjectId": "Fridge|+00.50|00.00|+01.00"}}
            ],
            "high_pddl": []
        },
        "turk_annotations": {"anns": [{"task_desc": "Put an apple in the fridge.", "high_descs": []}]}
    })
}

/// Writes `traj` (and, when `layout`, FloorPlan1's layout) and opens it.
fn open(dir: &Path, traj: &str, layout: bool) -> Result<AlfredEpisodes, String> {
    let file = dir.join("traj_data.json");
    std::fs::write(&file, traj).unwrap();
    let layouts = dir.join("layouts");
    std::fs::create_dir_all(&layouts).unwrap();
    if layout {
        let points = json!({"points_xz": [[0.0, 0.0], [0.0, 0.25], [0.25, 0.25]]});
        std::fs::write(layouts.join("FloorPlan1-layout.json"), points.to_string()).unwrap();
    }
    let args = TaskArgs::new()
        .with("episodes", file.to_string_lossy())
        .with("layouts", layouts.to_string_lossy());
    AlfredEpisodes::open(&args).map_err(|e| e.to_string())
}

#[test]
fn a_good_file_opens_with_one_episode_per_annotation() {
    let tmp = tempfile::tempdir().unwrap();
    let episodes = open(tmp.path(), &trajectory().to_string(), true).unwrap();
    let set = waymark_task::TaskEpisodes::set(&episodes);
    assert_eq!(set.episodes.len(), 1);
    assert_eq!(set.episodes[0].id, "trial_T1_0");
    assert_eq!(
        set.episodes[0].task_type.as_deref(),
        Some("pick_and_place_simple")
    );
}

#[test]
fn a_missing_layout_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let err = open(tmp.path(), &trajectory().to_string(), false).unwrap_err();
    assert!(err.contains("FloorPlan1-layout.json"), "{err}");
}

#[test]
fn an_unknown_task_type_names_the_file_and_the_type() {
    let tmp = tempfile::tempdir().unwrap();
    let mut traj = trajectory();
    traj["task_type"] = json!("pick_and_eat");
    let err = open(tmp.path(), &traj.to_string(), true).unwrap_err();
    assert!(err.contains("traj_data.json"), "{err}");
    assert!(err.contains("task_type `pick_and_eat`"), "{err}");
}

#[test]
fn an_object_id_that_is_not_alfreds_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let mut traj = trajectory();
    traj["plan"]["low_actions"][1]["api_action"]["objectId"] = json!("the fridge");
    let err = open(tmp.path(), &traj.to_string(), true).unwrap_err();
    assert!(
        err.contains("traj_data.json") && err.contains("`the fridge`"),
        "{err}"
    );
}

#[test]
fn a_truncated_file_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let text = trajectory().to_string();
    let err = open(tmp.path(), &text[..text.len() / 2], true).unwrap_err();
    assert!(err.contains("traj_data.json"), "{err}");
}

#[test]
fn a_plan_naming_an_object_the_scene_lacks_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let mut traj = trajectory();
    traj["plan"]["low_actions"][0]["api_action"]["objectId"] = json!("Apple|+03.00|+00.90|+00.50");
    let err = open(tmp.path(), &traj.to_string(), true).unwrap_err();
    assert!(
        err.contains("traj_data.json") && err.contains("Apple|+03.00|+00.90|+00.50"),
        "{err}"
    );
    assert!(err.contains("object_poses"), "{err}");
}
