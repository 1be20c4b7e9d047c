//! Keyboard control of the episode list, the replay (play, pause, step) and live mode.

use crate::live::{Drive, LiveSession};
use crate::state::{Episodes, Loaded, Messages, open_episode};
use bevy::prelude::*;
use waymark_planner::PlannerRegistry;

/// Seconds per replay step while playing.
const REPLAY_STEP_S: f32 = 0.6;
/// Seconds per planner step in live auto-run.
const LIVE_STEP_S: f32 = 0.3;

/// Up/Down and PageUp/PageDown move the highlight, Enter opens, `O` sorts by the next column,
/// `I` inverts the order.
pub fn list_keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut loaded: ResMut<Loaded>,
    mut episodes: ResMut<Episodes>,
    mut messages: ResMut<Messages>,
) {
    let live = episodes.live.is_some();
    let list = &mut episodes.list;
    for (key, delta) in [
        (KeyCode::PageUp, -10),
        (KeyCode::PageDown, 10),
        (KeyCode::ArrowUp, -1),
        (KeyCode::ArrowDown, 1),
    ] {
        let arrow = matches!(key, KeyCode::ArrowUp | KeyCode::ArrowDown);
        if keys.just_pressed(key) && !(arrow && live) {
            list.move_cursor(delta);
        }
    }
    if keys.just_pressed(KeyCode::KeyO) {
        let next = list.next_sort_key();
        let descending = list.descending;
        list.sort_by(next, descending);
    }
    if keys.just_pressed(KeyCode::KeyI) {
        let key = list.sort.unwrap_or(crate::episodes::SortKey::Index);
        let descending = !list.descending;
        list.sort_by(key, descending);
    }
    if keys.just_pressed(KeyCode::Enter)
        && let Some(index) = episodes.list.highlighted()
    {
        open_episode(index, &mut loaded, &mut episodes, &mut messages, None);
    }
}

/// Space plays or pauses, Left/Right step, Home/End jump; playing advances on a timer.
pub fn playback(keys: Res<ButtonInput<KeyCode>>, time: Res<Time>, mut episodes: ResMut<Episodes>) {
    if episodes.live.is_some() {
        return;
    }
    let last = episodes.last_step();
    if keys.just_pressed(KeyCode::Space) {
        if episodes.step >= last {
            episodes.step = 0;
        }
        episodes.playing = !episodes.playing;
        episodes.timer_s = 0.0;
    }
    if keys.just_pressed(KeyCode::ArrowRight) {
        episodes.step = (episodes.step + 1).min(last);
        episodes.playing = false;
    }
    if keys.just_pressed(KeyCode::ArrowLeft) {
        episodes.step = episodes.step.saturating_sub(1);
        episodes.playing = false;
    }
    if keys.just_pressed(KeyCode::Home) {
        episodes.step = 0;
    }
    if keys.just_pressed(KeyCode::End) {
        episodes.step = last;
    }
    if episodes.playing {
        episodes.timer_s += time.delta_secs();
        if episodes.timer_s >= REPLAY_STEP_S {
            episodes.timer_s = 0.0;
            episodes.step = (episodes.step + 1).min(last);
            if episodes.step >= last {
                episodes.playing = false;
            }
        }
    }
}

/// `L` starts or stops live mode on the open (or highlighted) episode, `P` picks the next
/// baseline planner, `N` lets it take one step, `R` toggles auto-run; the arrows drive the agent
/// and `X` stops it.
pub fn live_keys(
    keys: Res<ButtonInput<KeyCode>>,
    time: Res<Time>,
    mut loaded: ResMut<Loaded>,
    mut episodes: ResMut<Episodes>,
    mut messages: ResMut<Messages>,
    mut timer: Local<f32>,
) {
    let (loaded, episodes, messages) = (&mut *loaded, &mut *episodes, &mut *messages);
    if keys.just_pressed(KeyCode::KeyP) {
        let names: Vec<String> = PlannerRegistry::with_baselines()
            .list()
            .map(|info| info.name.clone())
            .collect();
        let at = names.iter().position(|n| *n == episodes.planner);
        if let Some(next) = names.get(at.map_or(0, |i| (i + 1) % names.len())) {
            episodes.planner = next.clone();
            messages.push(format!("live planner: {next} (L restarts live mode)"));
        }
    }
    if keys.just_pressed(KeyCode::KeyL) {
        if episodes.live.take().is_some() {
            episodes.live_auto = false;
        } else {
            start_live(loaded, episodes, messages);
        }
    }
    let Some(live) = episodes.live.as_mut() else {
        return;
    };
    let mut result = Ok(());
    for (key, drive) in [
        (KeyCode::ArrowUp, Drive::Forward),
        (KeyCode::ArrowLeft, Drive::Left),
        (KeyCode::ArrowRight, Drive::Right),
        (KeyCode::KeyX, Drive::Stop),
    ] {
        if keys.just_pressed(key) && result.is_ok() {
            result = live.drive(drive);
        }
    }
    if keys.just_pressed(KeyCode::KeyN) && result.is_ok() {
        result = live.planner_step();
    }
    if keys.just_pressed(KeyCode::KeyR) {
        episodes.live_auto = !episodes.live_auto;
        *timer = 0.0;
    }
    if episodes.live_auto
        && let Some(live) = episodes.live.as_mut()
    {
        *timer += time.delta_secs();
        if *timer >= LIVE_STEP_S && !live.done && result.is_ok() {
            *timer = 0.0;
            result = live.planner_step();
        }
    }
    let ended = episodes.live.as_ref().is_some_and(|live| live.done);
    if ended || result.is_err() {
        episodes.live_auto = false;
    }
    if let Err(e) = result {
        messages.push(format!("live: {e:#}"));
    }
}

fn start_live(loaded: &mut Loaded, episodes: &mut Episodes, messages: &mut Messages) {
    let index = episodes.list.open.or_else(|| episodes.list.highlighted());
    let Some(index) = index else {
        messages
            .push("live mode needs an episode: open one with --episodes FILE or an eval folder");
        return;
    };
    if episodes.list.open != Some(index) {
        open_episode(index, loaded, episodes, messages, None);
    }
    let Some(spec) = episodes
        .list
        .entries
        .get(index)
        .and_then(|e| e.spec.clone())
    else {
        messages.push("live mode needs the episode itself: pass --episodes FILE");
        return;
    };
    if matches!(spec, crate::episodes::EpisodeSpec::Continuous(_)) {
        loaded.request_walkable();
    }
    // An eval folder's episode runs as its task, with its run's seed.
    let manifest = episodes.list.manifest.as_ref();
    match LiveSession::start(
        &spec,
        loaded.scan.graph.clone(),
        loaded.nav(),
        &episodes.planner,
        manifest.map(|m| m.task.as_str()),
        manifest.map_or(0, |m| m.seed),
    ) {
        Ok(session) => {
            episodes.live = Some(session);
            episodes.live_auto = false;
        }
        Err(e) => messages.push(format!("live: {e:#}")),
    }
}
