//! An ALFRED episode from above on the shipped household demo: the expert's walk as the
//! reference, the agent's recorded attempts replayed, the reachable cells' outline as the map.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use serde_json::value::RawValue;
use std::path::Path;
use waymark_alfred::{AlfredEpisodes, Attempt};
use waymark_task::{TaskArgs, TaskEpisodes};

fn demo() -> AlfredEpisodes {
    let household = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../assets/household");
    let args = TaskArgs::new()
        .with("episodes", household.join("tasks").to_string_lossy())
        .with("layouts", household.join("layouts").to_string_lossy());
    AlfredEpisodes::open(&args).unwrap()
}

#[test]
fn the_expert_replayed_walks_the_reference() {
    let episodes = demo();
    // The expert's own actions, recorded as an agent's attempts.
    let context = episodes.context(0, 0, true).unwrap();
    let privileged = context.privileged.unwrap();
    let attempts: Vec<serde_json::Value> = privileged["expert_low_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|api| serde_json::json!({"api_action": api, "success": true}))
        .collect();
    let trajectory = RawValue::from_string(serde_json::to_string(&attempts).unwrap()).unwrap();
    let picture = episodes.top_down(0, &trajectory).unwrap().unwrap();
    assert!(picture.reference.len() > 1, "the expert moves");
    assert_eq!(picture.agent, picture.reference);
    assert!(!picture.map.is_empty());
    assert_eq!(picture.success_radius_m, None);

    // An agent that only turns stays where it started.
    let attempts: Vec<Attempt> = serde_json::from_value(serde_json::json!([
        {"api_action": {"action": "RotateLeft"}, "success": true}
    ]))
    .unwrap();
    let turned = RawValue::from_string(serde_json::to_string(&attempts).unwrap()).unwrap();
    let still = episodes.top_down(0, &turned).unwrap().unwrap();
    assert_eq!(still.agent, vec![picture.reference[0]]);

    let bad = RawValue::from_string("[[\"abc\", 1.0, 0.0]]".into()).unwrap();
    assert!(episodes.top_down(0, &bad).is_err());
}
