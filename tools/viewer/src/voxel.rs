//! Voxel-world replays (STEVE-1's prompts, Crafter): the recorded actions re-run from the
//! episode's seed, and the agent's first-person view at the replay's step rendered by the
//! voxel crate's CPU renderer, beside its vitals, inventory, achievements and next action.

use crate::panel::{HouseholdMap, HouseholdMapBox, png_image, show_replay_image};
use crate::state::Episodes;
use bevy::prelude::*;
use std::fmt::Write as _;
use waymark_core::CrafterAction;
use waymark_voxel::Game;
use waymark_voxel::render::Frame;
use waymark_voxel_tasks::{Actions, Trajectory};

/// A game is kept every this many actions as the replay first passes it, so that a step
/// back re-runs at most this many actions.
const CHECKPOINT_EVERY: usize = 200;
/// The view's horizontal field of view, degrees (the tasks' default view).
const HFOV_DEG: f32 = 90.0;
/// The longest side of the rendered view, pixels (the CPU renderer's cost grows with it).
const VIEW_MAX_PX: u32 = 480;

/// An episode's game at any step, re-run from its seed on demand.
#[derive(Debug)]
pub struct VoxelReplay {
    trajectory: Trajectory,
    /// The game after `at` actions.
    game: Game,
    at: usize,
    /// `checkpoints[k]`: the game after `k * CHECKPOINT_EVERY` actions.
    checkpoints: Vec<Game>,
    /// The panel's text for the step the game is at.
    pub text: String,
}

impl VoxelReplay {
    /// The replay of `trajectory`, at its start.
    pub fn new(trajectory: Trajectory) -> Self {
        let game = trajectory.start();
        let mut replay = Self {
            checkpoints: vec![game.clone()],
            trajectory,
            game,
            at: 0,
            text: String::new(),
        };
        replay.text = replay.describe(false);
        replay
    }

    /// How many actions the episode took (its last step).
    pub fn len(&self) -> usize {
        self.trajectory.len()
    }

    /// The game after `step` actions (at most the episode's length).
    pub fn seek(&mut self, step: usize) -> &Game {
        let step = step.min(self.len());
        if step < self.at {
            let k = (step / CHECKPOINT_EVERY).min(self.checkpoints.len() - 1);
            self.game = self.checkpoints[k].clone();
            self.at = k * CHECKPOINT_EVERY;
        }
        while self.at < step {
            self.trajectory.apply(&mut self.game, self.at);
            self.at += 1;
            if self.at.is_multiple_of(CHECKPOINT_EVERY)
                && self.checkpoints.len() == self.at / CHECKPOINT_EVERY
            {
                self.checkpoints.push(self.game.clone());
            }
        }
        &self.game
    }

    /// The action taken from step `step`, in the task's words.
    fn action_text(&self, step: usize) -> Option<String> {
        match &self.trajectory.actions {
            Actions::Crafter(a) => a
                .get(step)
                .and_then(|&k| CrafterAction::ALL.get(usize::from(k)))
                // Crafter's own names (`move_left`, `place_table`, …).
                .map(|action| match serde_json::to_value(action) {
                    Ok(serde_json::Value::String(name)) => name,
                    _ => format!("{action:?}"),
                }),
            Actions::Minerl(a) => a.get(step).map(|input| {
                serde_json::to_string(input).unwrap_or_else(|e| format!("unprintable input: {e}"))
            }),
        }
    }

    /// The panel's text at the current step: where the replay is, the observation's text as
    /// the planner read it (vitals, inventory, the block in view, what is nearby), the
    /// achievements so far and the next action.
    fn describe(&self, playing: bool) -> String {
        let observation = waymark_voxel::observe::observation(&self.game, "", false);
        let mut text = format!(
            "step {}/{}{}\n{}",
            self.at,
            self.len(),
            if playing { " (playing)" } else { "" },
            observation.text
        );
        if !observation.achievements.is_empty() {
            let _ = write!(
                text,
                "\nachievements: {}",
                observation.achievements.join(", ")
            );
        }
        match self.action_text(self.at) {
            Some(action) => {
                let _ = write!(text, "\nnext: {action}");
            }
            None => text.push_str("\nnext: end"),
        }
        text
    }
}

/// The first-person view of `game` at `width` × `height` pixels (scaled down to at most
/// [`VIEW_MAX_PX`] on the longer side; the image node stretches it).
pub fn view_image(game: &Game, width: u32, height: u32) -> Option<Image> {
    let scale = (VIEW_MAX_PX as f32 / width.max(height) as f32).min(1.0);
    let (w, h) = (
        ((width as f32 * scale) as u32).max(1),
        ((height as f32 * scale) as u32).max(1),
    );
    let mut frame = Frame::new(w, h);
    waymark_voxel::observe::render_view(game, HFOV_DEG, &mut frame);
    png_image(&frame.rgb_png().ok()?)
}

/// What the view was last drawn for: the open row, the step, whether it played, the size.
type Drawn = (Option<usize>, usize, bool, UVec2);

/// Moves the open voxel episode's replay to the replay's step and draws its view at the
/// image node's pixel size, when the episode, the step or the size changes.
pub fn update_voxel_view(
    mut episodes: ResMut<Episodes>,
    mut images: ResMut<Assets<Image>>,
    boxes: Query<&ComputedNode, With<HouseholdMapBox>>,
    mut views: Query<&mut ImageNode, With<HouseholdMap>>,
    mut drawn: Local<Option<Drawn>>,
) {
    let Ok(node) = boxes.single() else {
        return;
    };
    let (open, step, playing) = (episodes.list.open, episodes.step, episodes.playing);
    let Some(replay) = episodes.voxel.as_mut() else {
        return;
    };
    let size = node.size().as_uvec2();
    if size.x < 16 || size.y < 16 {
        return;
    }
    let key = (open, step, playing, size);
    if *drawn == Some(key) {
        return;
    }
    *drawn = Some(key);
    let game = replay.seek(step);
    let image = view_image(game, size.x, size.y);
    replay.text = replay.describe(playing);
    if let Some(image) = image {
        show_replay_image(image, &mut images, &mut views);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// A Crafter trajectory of `n` actions cycling through every action.
    fn trajectory(n: usize) -> Trajectory {
        Trajectory {
            seed: 3,
            world_chunks: 4,
            actions: Actions::Crafter((0..n).map(|i| (i % 17) as u8).collect()),
            achievement_counts: vec![0; 22],
            reward: 0.0,
            died: false,
            final_position_m: [0.0; 3],
        }
    }

    #[test]
    fn seeking_back_and_forth_gives_the_game_a_straight_replay_gives() {
        let t = trajectory(2 * CHECKPOINT_EVERY + 37);
        let mut straight = t.start();
        let mut at_step = Vec::new();
        for i in 0..=t.len() {
            if i > 0 {
                t.apply(&mut straight, i - 1);
            }
            at_step.push(format!("{:?}", straight.player));
        }
        let mut replay = VoxelReplay::new(t);
        for step in [
            5,
            2 * CHECKPOINT_EVERY + 37,
            CHECKPOINT_EVERY + 1,
            0,
            CHECKPOINT_EVERY,
            9999,
        ] {
            let game = replay.seek(step);
            let step = step.min(2 * CHECKPOINT_EVERY + 37);
            assert_eq!(format!("{:?}", game.player), at_step[step], "step {step}");
        }
        assert_eq!(replay.checkpoints.len(), 3);
    }

    #[test]
    fn the_text_names_the_step_the_vitals_and_the_next_action() {
        let mut replay = VoxelReplay::new(trajectory(20));
        let _ = replay.seek(3);
        let text = replay.describe(true);
        assert!(text.starts_with("step 3/20 (playing)\nIt is "), "{text}");
        assert!(text.contains("Health 9/9"), "{text}");
        assert!(text.ends_with("next: move_up"), "{text}");
        let _ = replay.seek(20);
        assert!(replay.describe(false).ends_with("next: end"));
    }

    #[test]
    fn the_view_is_a_picture_of_the_world() {
        let replay = VoxelReplay::new(trajectory(1));
        let image = view_image(&replay.game, 64, 48).unwrap();
        assert_eq!(image.size(), UVec2::new(64, 48));
    }
}
