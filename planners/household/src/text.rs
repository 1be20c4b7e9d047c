//! The household state as text, for language-model planners: what is held, what is in view
//! (ids, distances, states, contents), and what the last action did.

use std::fmt::Write as _;
use waymark_core::{HouseholdObservation, ObjectState};

/// The words for an object's state (`open`, `on`, `hot`, `contains Apple|…`), comma separated.
fn state_words(state: &ObjectState) -> String {
    let mut words: Vec<String> = Vec::new();
    match state.is_open {
        Some(true) => words.push("open".into()),
        Some(false) => words.push("closed".into()),
        None => {}
    }
    match state.is_on {
        Some(true) => words.push("on".into()),
        Some(false) => words.push("off".into()),
        None => {}
    }
    if state.is_sliced == Some(true) {
        words.push("sliced".into());
    }
    for (flag, word) in [
        (state.is_hot, "hot"),
        (state.is_cold, "cold"),
        (state.is_clean, "clean"),
    ] {
        if flag {
            words.push(word.into());
        }
    }
    if let Some(parent) = &state.parent {
        words.push(format!("in {parent}"));
    }
    if !state.contents.is_empty() {
        words.push(format!("contains {}", state.contents.join(", ")));
    }
    words.join(", ")
}

/// The observation as text, one fact a line.
pub fn describe(obs: &HouseholdObservation) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "Step {}. You stand at x={:.2}, z={:.2}, facing {}°, looking {}° down.",
        obs.step, obs.position_m.x, obs.position_m.z, obs.rotation_deg, obs.horizon_deg
    );
    match &obs.last_action {
        Some(last) if last.success => {
            let _ = writeln!(text, "Your last action, {}, succeeded.", last.action);
        }
        Some(last) => {
            let reason = last.error.as_deref().unwrap_or("no reason given");
            let _ = writeln!(text, "Your last action, {}, failed: {reason}.", last.action);
        }
        None => {}
    }
    match &obs.held {
        Some(id) => {
            let _ = writeln!(text, "You hold {id}.");
        }
        None => text.push_str("Your hand is empty.\n"),
    }
    if obs.visible.is_empty() {
        text.push_str("You see nothing you can reach.\n");
    } else {
        text.push_str("You see:\n");
        for o in &obs.visible {
            let state = state_words(&o.state);
            let _ = write!(
                text,
                "- {} ({}), {:.1} m",
                o.id, o.object_type, o.distance_m
            );
            if !state.is_empty() {
                let _ = write!(text, ": {state}");
            }
            text.push('\n');
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use waymark_core::{ActionResult, SeenHouseholdObject};

    #[test]
    fn describes_hand_view_states_and_failures() {
        let obs = HouseholdObservation {
            scene: "FloorPlan901".into(),
            position_m: glam::DVec3::new(-1.5, 0.9, 0.25),
            rotation_deg: 270.0,
            horizon_deg: 30.0,
            step: 4,
            failures: 1,
            held: None,
            visible: vec![SeenHouseholdObject {
                id: "Fridge|+02.00|00.00|+01.00".into(),
                object_type: "Fridge".into(),
                distance_m: 0.54,
                state: ObjectState {
                    is_open: Some(true),
                    contents: vec!["Tomato|-01.90|+00.95|+00.75".into()],
                    ..Default::default()
                },
            }],
            last_action: Some(ActionResult {
                action: "PutObject".into(),
                success: false,
                error: Some("nothing in hand".into()),
            }),
            sensors: None,
            teacher: None,
        };
        assert_eq!(
            describe(&obs),
            "Step 4. You stand at x=-1.50, z=0.25, facing 270°, looking 30° down.\n\
             Your last action, PutObject, failed: nothing in hand.\n\
             Your hand is empty.\n\
             You see:\n\
             - Fridge|+02.00|00.00|+01.00 (Fridge), 0.5 m: open, contains Tomato|-01.90|+00.95|+00.75\n"
        );
    }
}
