//! Household (ALFRED) replays: the recorded actions re-run on the episode's household, drawn
//! top-down one step at a time (the reachable grid, objects coloured by state, the agent and
//! what it holds), with each action, its failure reason and the goal conditions met.

use crate::panel::{HouseholdMap, HouseholdMapBox, png_image, show_replay_image};
use crate::state::Episodes;
use anyhow::{Context, Result, anyhow};
use bevy::prelude::*;
use waymark_alfred::Attempt;
use waymark_alfred::{AlfredEpisodes, GoalConditions, World, action_of};

/// The household after one step.
#[derive(Clone, Debug)]
pub struct HouseholdStep {
    /// The world.
    pub world: World,
    /// The goal conditions met.
    pub goals: GoalConditions,
}

/// An episode's household at every step: the start, then after each recorded action.
#[derive(Clone, Debug)]
pub struct HouseholdReplay {
    /// The cells the agent may stand on.
    pub reachable: Vec<(i32, i32)>,
    /// `attempts + 1` states.
    pub steps: Vec<HouseholdStep>,
}

/// Re-runs `attempts` on a fresh household of the episode at `position`.
pub fn replay(
    alfred: &AlfredEpisodes,
    position: usize,
    attempts: &[Attempt],
) -> Result<HouseholdReplay> {
    let mut env = alfred.environment(position)?;
    let reachable = env.world().reachable_cells();
    let mut steps = vec![HouseholdStep {
        world: env.world().clone(),
        goals: env.goal_conditions(),
    }];
    for (k, attempt) in attempts.iter().enumerate() {
        let action = action_of(&attempt.api_action).with_context(|| {
            format!(
                "step {k}: `{}` is not an ALFRED action",
                attempt.api_action.action
            )
        })?;
        waymark_task::Environment::step(&mut env, &action).map_err(|e| anyhow!("step {k}: {e}"))?;
        steps.push(HouseholdStep {
            world: env.world().clone(),
            goals: env.goal_conditions(),
        });
    }
    Ok(HouseholdReplay { reachable, steps })
}

/// The panel's text for step `step`: where the replay is, the goals met, what is held, and
/// the action taken from here with its outcome.
pub fn step_text(
    replay: Option<&HouseholdReplay>,
    attempts: &[Attempt],
    step: usize,
    playing: bool,
) -> String {
    let mut text = format!(
        "step {step}/{}{}",
        attempts.len(),
        if playing { " (playing)" } else { "" }
    );
    if let Some(state) = replay.and_then(|r| r.steps.get(step)) {
        text.push_str(&format!(
            "  goals {}/{}",
            state.goals.met, state.goals.total
        ));
        if let Some(held) = state.world.held() {
            text.push_str(&format!("  holding {}", held.object_type));
        }
    }
    text.push('\n');
    match attempts.get(step) {
        Some(a) => {
            let target = a
                .api_action
                .receptacle_object_id
                .as_ref()
                .or(a.api_action.object_id.as_ref());
            text.push_str(&format!("next: {}", a.api_action.action));
            if let Some(target) = target {
                text.push_str(&format!(" {target}"));
            }
            match (&a.success, &a.error) {
                (true, _) => text.push_str("  ok"),
                (false, Some(error)) => text.push_str(&format!("  failed: {error}")),
                (false, None) => text.push_str("  failed"),
            }
        }
        None => text.push_str("next: end"),
    }
    text
}

/// The map of step `step`, `width` × `height` pixels.
pub fn map_image(replay: &HouseholdReplay, step: usize, width: u32, height: u32) -> Option<Image> {
    let state = replay
        .steps
        .get(step.min(replay.steps.len().saturating_sub(1)))?;
    let png = waymark_alfred::top_down_png(&state.world, &replay.reachable, width, height);
    png_image(&png)
}

/// Draws the open household episode's map at its node's pixel size when the episode, the
/// step or the size changes.
pub fn update_household_map(
    episodes: Res<Episodes>,
    mut images: ResMut<Assets<Image>>,
    boxes: Query<&ComputedNode, With<HouseholdMapBox>>,
    mut maps: Query<&mut ImageNode, With<HouseholdMap>>,
    mut drawn: Local<Option<(Option<usize>, usize, UVec2)>>,
) {
    let (Some(replay), Ok(node)) = (&episodes.household, boxes.single()) else {
        return;
    };
    let size = node.size().as_uvec2();
    if size.x < 16 || size.y < 16 {
        return;
    }
    let key = (episodes.list.open, episodes.step, size);
    if *drawn == Some(key) {
        return;
    }
    *drawn = Some(key);
    if let Some(image) = map_image(replay, episodes.step, size.x, size.y) {
        show_replay_image(image, &mut images, &mut maps);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::sources::assets_dir;
    use waymark_task::TaskEpisodes as _;

    fn demo() -> AlfredEpisodes {
        let household = assets_dir().join("household");
        let args = waymark_eval::TaskArgs::new()
            .with("episodes", household.join("tasks").to_string_lossy())
            .with("layouts", household.join("layouts").to_string_lossy());
        AlfredEpisodes::open(&args).unwrap()
    }

    /// The expert's actions of episode 0, as recorded attempts.
    fn expert_attempts(alfred: &AlfredEpisodes) -> Vec<Attempt> {
        let context = alfred.context(0, 0, true).unwrap();
        let calls = context.privileged.unwrap()["expert_low_actions"].clone();
        serde_json::from_value::<Vec<waymark_alfred::ApiAction>>(calls)
            .unwrap()
            .into_iter()
            .map(|api_action| Attempt {
                api_action,
                success: true,
                error: None,
            })
            .collect()
    }

    #[test]
    fn the_replay_reaches_the_goal_and_the_map_shows_the_agent() {
        let alfred = demo();
        let attempts = expert_attempts(&alfred);
        let replay = replay(&alfred, 0, &attempts).unwrap();
        assert_eq!(replay.steps.len(), attempts.len() + 1);
        assert!(!replay.steps[0].goals.success());
        assert!(replay.steps.last().unwrap().goals.success());
        let image = map_image(&replay, 0, 64, 48).unwrap();
        assert_eq!((image.width(), image.height()), (64, 48));
        let data = image.data.as_ref().unwrap();
        assert!(data.chunks_exact(4).any(|p| p == [230, 40, 40, 255]));
        let moved = map_image(&replay, attempts.len(), 64, 48).unwrap();
        assert_ne!(moved.data, image.data);
    }

    #[test]
    fn step_text_names_the_action_its_outcome_and_the_goals() {
        let alfred = demo();
        let mut attempts = expert_attempts(&alfred);
        attempts[0].success = false;
        attempts[0].error = Some("blocked".into());
        let text = step_text(None, &attempts, 0, false);
        assert!(text.contains("failed: blocked"), "{text}");
        let replay = replay(&alfred, 0, &expert_attempts(&alfred)).unwrap();
        let end = step_text(Some(&replay), &attempts, attempts.len(), true);
        let total = replay.steps[0].goals.total;
        assert!(end.contains("(playing)"), "{end}");
        assert!(end.contains(&format!("goals {total}/{total}")), "{end}");
        assert!(end.contains("next: end"), "{end}");
    }
}
