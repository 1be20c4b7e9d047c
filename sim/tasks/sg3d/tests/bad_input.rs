//! Bad task files, scenes and requests: errors name the file, the task, the step and the id.
#![allow(clippy::unwrap_used)]

mod common;

use waymark_core::{SensorRequest, sensors::ViewRequest};
use waymark_sg3d::Sg3dEpisodes;
use waymark_task::TaskEpisodes;

fn check_error(tasks: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let episodes = Sg3dEpisodes::open(&common::args(dir.path(), tasks)).unwrap();
    episodes
        .check(&[0], &SensorRequest::default())
        .unwrap_err()
        .to_string()
}

fn one_step(scan: &str, target: &str) -> String {
    format!(
        r#"[{{"scan_id": "{scan}", "task_description": "t",
             "action_steps": [{{"action": "Go to the desk.", "target_id": "15", "label": "desk"}},
                              {{"action": "Touch it.", "target_id": "{target}", "label": "thing"}}]}}]"#
    )
}

#[test]
fn unknown_scans_and_targets_name_the_task_and_step() {
    let err = check_error(&one_step("ScanNet_scene0000_00", "15"));
    assert!(
        err.contains(
            "tasks.json: episode 0: scan ScanNet_scene0000_00: no file for scene scene0000_00"
        ) && err.contains("scene0000_00.npy"),
        "{err}"
    );
    let err = check_error(&one_step("ScanNet_room", "77"));
    assert!(
        err.ends_with(
            "episode 0: step 2 (\"Touch it.\"): target id 77 (thing) is not an object of scene room (5 candidates)"
        ),
        "{err}"
    );
    let err = check_error(&one_step("ScanNet_room", "0"));
    assert!(
        err.ends_with("target id 0 (thing) is a `floor` instance, which is never a candidate"),
        "{err}"
    );
}

#[test]
fn missing_scenes_sensor_requests_and_wrong_scene_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let args = common::args(dir.path(), common::TASKS);
    let without = waymark_task::TaskArgs::new().with("episodes", args.text("episodes").unwrap());
    let episodes = Sg3dEpisodes::open(&without).unwrap();
    let err = episodes
        .check(&[0], &SensorRequest::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("--scenes is required"), "{err}");

    let episodes = Sg3dEpisodes::open(&args).unwrap();
    let views = SensorRequest {
        objects_within_m: Vec::new(),
        views: Some(ViewRequest {
            width: 64,
            height: 48,
            hfov_deg: 60.0,
            elevations_deg: vec![0.0],
        }),
        ..SensorRequest::default()
    };
    // Views come from the scene's centre; walks and free space need a floor to walk on.
    episodes.check(&[0], &views).unwrap();
    let walks = SensorRequest {
        walks: true,
        ..views.clone()
    };
    let err = episodes.check(&[0], &walks).unwrap_err().to_string();
    assert!(
        err.starts_with("sg3d: the planner asks for sensor readings")
            && err.contains("walkable floor"),
        "{err}"
    );
    let huge = SensorRequest {
        birds_eye_px: Some(100_000),
        ..SensorRequest::default()
    };
    let err = episodes.check(&[0], &huge).unwrap_err().to_string();
    assert!(
        err.contains("birds_eye_px 100000 must be between 1 and 2048"),
        "{err}"
    );

    // One scene file serves the scene it is named after, and no other.
    let file = dir.path().join("room.ply");
    let one = args.clone().with("scenes", file.to_string_lossy());
    assert!(
        Sg3dEpisodes::open(&one)
            .unwrap()
            .check(&[0, 1, 2], &SensorRequest::default())
            .is_ok()
    );
    let other = dir.path().join("other.json");
    std::fs::write(&other, one_step("ScanNet_kitchen", "15")).unwrap();
    let wrong = one.with("episodes", other.to_string_lossy());
    let err = Sg3dEpisodes::open(&wrong)
        .unwrap()
        .check(&[0], &SensorRequest::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("is not scene kitchen"), "{err}");
}

#[test]
fn malformed_files_name_the_task_and_step() {
    let dir = tempfile::tempdir().unwrap();
    let open_error = |name: &str, body: &str, scan: Option<&str>| {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        let mut args = waymark_task::TaskArgs::new().with("episodes", path.to_string_lossy());
        if let Some(scan) = scan {
            args.set("scan", scan);
        }
        Sg3dEpisodes::open(&args).unwrap_err().to_string()
    };
    let err = open_error(
        "t.json",
        r#"[{"scan_id": "s", "task_description": "x", "action_steps": [{"action": "a", "target_id": "1"}]},
            {"scan_id": "s", "task_description": "y", "action_steps": []}]"#,
        None,
    );
    assert!(
        err.ends_with("t.json: episode 1: action_steps is empty"),
        "{err}"
    );
    let err = open_error(
        "t.txt",
        "Task: x\n1. Go. [desk-1]\n2. Sit [chair-2\n",
        Some("ScanNet_room"),
    );
    assert!(
        err.ends_with("episode 0: line 3: step 2: does not end in `[label-id]`"),
        "{err}"
    );
    let err = open_error("t.txt", "Task: x\n1. Go. [desk-1]\n", None);
    assert!(err.starts_with("--scan"), "{err}");
    let err = open_error("t.json", "{}", None);
    assert!(err.contains("t.json"), "{err}");
}
