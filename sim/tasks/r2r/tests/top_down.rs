//! An R2R episode seen from above: the graph's edges, the reference path and the viewpoints a
//! trajectory visited, at the graph's positions.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use serde_json::value::RawValue;
use std::path::Path;
use waymark_task::{Task, TaskArgs};

#[test]
fn the_reference_walked_is_drawn_on_the_reference() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../assets/demo");
    let args = TaskArgs::new()
        .with("connectivity", demo.join("connectivity").to_str().unwrap())
        .with("episodes", demo.join("R2R_demo.json").to_str().unwrap());
    let episodes = waymark_r2r::R2rTask.open(&args).unwrap();
    let reference: Vec<String> = waymark_scenes::read_r2r_episodes(&demo.join("R2R_demo.json"))
        .unwrap()[0]
        .reference_path
        .iter()
        .map(|v| v.to_string())
        .collect();
    // Turning in place at the start repeats a viewpoint; the picture shows it once.
    let mut poses = vec![(reference[0].clone(), 0.0, 0.0)];
    poses.extend(reference.iter().map(|v| (v.clone(), 1.0, 0.0)));
    let trajectory = RawValue::from_string(serde_json::to_string(&poses).unwrap()).unwrap();
    let picture = episodes.top_down(0, &trajectory).unwrap().unwrap();
    assert_eq!(picture.agent, picture.reference);
    assert_eq!(picture.reference.len(), reference.len());
    assert!(picture.map.len() >= reference.len() - 1);
    assert_eq!(picture.success_radius_m, Some(3.0));
    // Every step of the reference path is an edge of the map.
    for step in picture.reference.windows(2) {
        assert!(
            picture
                .map
                .iter()
                .any(|e| (e[0] == step[0] && e[1] == step[1])
                    || (e[0] == step[1] && e[1] == step[0]))
        );
    }
    let bad = RawValue::from_string("{\"not\": \"poses\"}".into()).unwrap();
    let error = episodes.top_down(0, &bad).unwrap_err().to_string();
    assert!(error.contains("trajectory"), "{error}");
}
