//! A VLN-CE episode seen from above: the reference path and the agent's poses on the floor.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use serde_json::value::RawValue;
use std::path::Path;
use waymark_task::{Task, TaskArgs};

#[test]
fn poses_and_the_reference_are_drawn_on_the_floor() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let episodes_file = root.join("assets/demo/apartment_a_vlnce.json");
    let args = TaskArgs::new()
        .with(
            "scene",
            root.join("assets/apartments/apartment_a.ply")
                .to_str()
                .unwrap(),
        )
        .with("episodes", episodes_file.to_str().unwrap());
    let episodes = waymark_vlnce::VlnceTask.open(&args).unwrap();
    let file = waymark_scenes::vlnce::read_vlnce_episodes(&episodes_file).unwrap();
    let trajectory = RawValue::from_string(
        r#"[{"position":[1.0,2.0,0.0],"heading":0.0},{"position":[1.0,2.0,0.0],"heading":0.5},{"position":[1.5,2.0,0.0],"heading":0.5}]"#
            .into(),
    )
    .unwrap();
    let picture = episodes.top_down(0, &trajectory).unwrap().unwrap();
    assert_eq!(
        picture.agent,
        vec![glam::DVec2::new(1.0, 2.0), glam::DVec2::new(1.5, 2.0)]
    );
    assert_eq!(picture.reference.len(), file[0].reference_path_m.len());
    let first = file[0].reference_path_m[0];
    assert_eq!(
        picture.reference[0],
        glam::DVec2::new(f64::from(first.x), f64::from(first.y))
    );
    assert!(picture.success_radius_m.is_some());
    let bad = RawValue::from_string("[1, 2]".into()).unwrap();
    assert!(episodes.top_down(0, &bad).is_err());
}
