//! The window's keyboard controls, driven without a window: the app's own key systems run on
//! the state `prepare` builds from command-line arguments, and each test presses keys the way
//! Bevy's input plugin reports them (pressed for one update, then released).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::app::key_controls;
use crate::args::Args;
use crate::camera_control::{CameraMode, CameraRig, ViewCamera, control_camera};
use crate::episodes::{EpisodeSpec, SortKey};
use crate::overlays::{Overlays, sync_walkable_mesh};
use crate::panel::PanelLayout;
use crate::scene_mesh::UpperMask;
use crate::sources::assets_dir;
use crate::startup::{Prepared, prepare};
use crate::state::{Episodes, Loaded, Messages, Walkable};
use bevy::input::mouse::AccumulatedMouseScroll;
use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use clap::Parser;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;
use waymark_eval::TaskArgs;

/// Seconds each update advances the clock.
const TICK_S: f32 = 0.25;

/// An R2R eval folder of the (seeded) random planner on the first demo episodes (made once).
fn r2r_run() -> &'static Path {
    static RUN: OnceLock<tempfile::TempDir> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        run_r2r(dir.path());
        dir
    })
    .path()
}

/// Runs the random planner on the first demo R2R episodes into `out`.
fn run_r2r(out: &Path) {
    let args = TaskArgs::new()
        .with(
            "connectivity",
            path_text(&assets_dir().join("demo/connectivity")),
        )
        .with(
            "episodes",
            path_text(&assets_dir().join("demo/R2R_demo.json")),
        );
    run_batch("r2r", &args, "random", out);
}

/// Runs `planner` over the first six episodes of task `task` (options `args`) into `out`.
fn run_batch(task: &str, args: &TaskArgs, planner: &str, out: &Path) {
    let config = waymark_eval::BatchConfig {
        planner: planner.into(),
        planner_settings: Default::default(),
        out_dir: out.to_path_buf(),
        workers: 1,
        shard: waymark_eval::ShardSpec::WHOLE,
        limit: Some(6),
        seed: 0,
    };
    waymark_eval::run_eval(
        waymark_eval::tasks::find(task).unwrap(),
        args,
        &config,
        &waymark_planner::PlannerRegistry::with_baselines(),
        &waymark_eval::NoProgress,
    )
    .unwrap();
}

fn path_text(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}

/// The app's control systems on the state `waymark-view ARGS` opens with.
fn app(args: &[&str]) -> App {
    let args = Args::parse_from(std::iter::once("waymark-view").chain(args.iter().copied()));
    let Prepared {
        loaded,
        episodes,
        messages,
    } = prepare(&args).unwrap();
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, AssetPlugin::default()))
        .init_asset::<Mesh>()
        .init_asset::<StandardMaterial>()
        .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_secs_f32(
            TICK_S,
        )))
        .init_resource::<ButtonInput<KeyCode>>()
        .init_resource::<ButtonInput<MouseButton>>()
        .init_resource::<AccumulatedMouseScroll>()
        .init_resource::<Overlays>()
        .init_resource::<CameraRig>()
        .init_resource::<UpperMask>()
        .init_resource::<PanelLayout>()
        .insert_resource(loaded)
        .insert_resource(episodes)
        .insert_resource(messages)
        .add_systems(
            Update,
            (key_controls(), sync_walkable_mesh, control_camera).chain(),
        );
    app.world_mut().spawn((Transform::default(), ViewCamera));
    app.update();
    app
}

/// Presses `key` for one update and releases it.
fn tap(app: &mut App, key: KeyCode) {
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .press(key);
    app.update();
    let mut keys = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
    keys.release(key);
    keys.clear();
}

/// Holds `key` down for `updates` updates.
fn hold(app: &mut App, key: KeyCode, updates: usize) {
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .press(key);
    for _ in 0..updates {
        app.update();
        app.world_mut()
            .resource_mut::<ButtonInput<KeyCode>>()
            .clear();
    }
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .release(key);
    app.update();
}

fn episodes(app: &App) -> &Episodes {
    app.world().resource::<Episodes>()
}

fn messages(app: &App) -> Vec<String> {
    app.world().resource::<Messages>().0.clone()
}

#[test]
fn replay_keys_step_jump_and_play() {
    let mut app = app(&[r2r_run().to_str().unwrap()]);
    let last = episodes(&app).last_step();
    assert!(last >= 3, "a replay of {last} steps");
    assert_eq!(episodes(&app).step, 0);
    tap(&mut app, KeyCode::ArrowRight);
    tap(&mut app, KeyCode::ArrowRight);
    assert_eq!(episodes(&app).step, 2);
    tap(&mut app, KeyCode::ArrowLeft);
    assert_eq!(episodes(&app).step, 1);
    tap(&mut app, KeyCode::End);
    assert_eq!(episodes(&app).step, last);
    tap(&mut app, KeyCode::ArrowRight);
    assert_eq!(episodes(&app).step, last, "stepping stops at the end");
    tap(&mut app, KeyCode::Home);
    assert_eq!(episodes(&app).step, 0);

    // Space plays from the start: one step per 0.6 s of clock, then it stops at the end.
    tap(&mut app, KeyCode::Space);
    assert!(episodes(&app).playing);
    for _ in 0..3 {
        app.update();
    }
    assert_eq!(episodes(&app).step, 1, "0.75 s of play is one step");
    tap(&mut app, KeyCode::Space);
    assert!(!episodes(&app).playing, "space pauses");
    let paused_at = episodes(&app).step;
    for _ in 0..10 {
        app.update();
    }
    assert_eq!(episodes(&app).step, paused_at);
    tap(&mut app, KeyCode::Space);
    for _ in 0..(last * 3 + 3) {
        app.update();
    }
    assert_eq!(episodes(&app).step, last);
    assert!(!episodes(&app).playing, "playing ends at the last step");
}

#[test]
fn list_keys_move_open_sort_and_invert() {
    let mut app = app(&[r2r_run().to_str().unwrap()]);
    let list = &episodes(&app).list;
    assert_eq!(list.open, Some(0));
    let second = list.entries[1].id.clone();
    tap(&mut app, KeyCode::ArrowDown);
    assert_eq!(episodes(&app).list.highlighted(), Some(1));
    assert_eq!(episodes(&app).list.open, Some(0), "moving does not open");
    tap(&mut app, KeyCode::Enter);
    let e = episodes(&app);
    assert_eq!(e.list.open_entry().map(|x| x.id.clone()), Some(second));
    assert_eq!(e.step, 0);
    assert!(!e.track.poses.is_empty());

    // O: the next column (the task's first metric, TL); I: the other direction. The
    // highlighted row stays highlighted.
    tap(&mut app, KeyCode::KeyO);
    let list = &episodes(&app).list;
    assert_eq!(list.sort, Some(SortKey::Metric("tl")));
    let tl = |list: &crate::episodes::EpisodeList| -> Vec<f64> {
        list.order
            .iter()
            .map(|&i| list.entries[i].record.as_ref().unwrap().metrics.real("tl"))
            .collect()
    };
    let ascending = tl(list);
    assert!(ascending.windows(2).all(|w| w[0] <= w[1]), "{ascending:?}");
    assert_eq!(list.highlighted(), Some(1));
    tap(&mut app, KeyCode::KeyI);
    let list = &episodes(&app).list;
    assert!(list.descending);
    let descending = tl(list);
    assert!(
        descending.windows(2).all(|w| w[0] >= w[1]),
        "{descending:?}"
    );
    assert_eq!(list.highlighted(), Some(1));
    // The columns are the task's metrics, in its order; after the last, the index again.
    tap(&mut app, KeyCode::KeyO);
    assert_eq!(episodes(&app).list.sort, Some(SortKey::Metric("ne")));
    for _ in 0..waymark_core::NAV_METRICS.len() - 1 {
        tap(&mut app, KeyCode::KeyO);
    }
    assert_eq!(episodes(&app).list.sort, Some(SortKey::Index), "O cycles");
    tap(&mut app, KeyCode::PageDown);
    let list = &episodes(&app).list;
    assert_eq!(
        list.cursor,
        list.order.len() - 1,
        "PageDown stops at the end"
    );
}

#[test]
fn number_keys_toggle_each_overlay_and_c_the_ceiling() {
    let mut app = app(&[r2r_run().to_str().unwrap()]);
    let flags = |app: &App| {
        let o = app.world().resource::<Overlays>();
        [o.nav, o.agent, o.trajectory, o.goal, o.visible]
    };
    assert_eq!(flags(&app), [true; 5]);
    let keys = [
        KeyCode::Digit1,
        KeyCode::Digit2,
        KeyCode::Digit3,
        KeyCode::Digit4,
        KeyCode::Digit5,
    ];
    for (i, key) in keys.into_iter().enumerate() {
        tap(&mut app, key);
        let mut expected = [true; 5];
        expected[i] = false;
        assert_eq!(flags(&app), expected, "after {key:?}");
        tap(&mut app, key);
        assert_eq!(flags(&app), [true; 5]);
    }
    assert!(!app.world().resource::<UpperMask>().shown);
    tap(&mut app, KeyCode::KeyC);
    assert!(app.world().resource::<UpperMask>().shown);
}

#[test]
fn free_fly_moves_the_eye_and_f_returns_to_orbit() {
    let mut app = app(&[assets_dir()
        .join("apartments/apartment_a.ply")
        .to_str()
        .unwrap()]);
    tap(&mut app, KeyCode::KeyF);
    let rig = app.world().resource::<CameraRig>();
    assert_eq!(rig.mode, CameraMode::Fly);
    let (eye, forward) = (rig.eye, rig.transform().forward().as_vec3());
    // W for four updates of 0.25 s at 2 m/s: 2 m ahead.
    hold(&mut app, KeyCode::KeyW, 4);
    let moved = app.world().resource::<CameraRig>().eye - eye;
    assert!((moved.length() - 2.0).abs() < 1e-3, "moved {moved}");
    assert!(moved.normalize().dot(forward) > 0.999);
    // E goes straight up.
    let before = app.world().resource::<CameraRig>().eye;
    hold(&mut app, KeyCode::KeyE, 2);
    let up = app.world().resource::<CameraRig>().eye - before;
    assert!((up - Vec3::Y).length() < 1e-3, "went {up}");
    // The camera entity follows the rig.
    let camera = app
        .world_mut()
        .query_filtered::<&Transform, With<ViewCamera>>()
        .single(app.world())
        .unwrap()
        .translation;
    assert!((camera - app.world().resource::<CameraRig>().eye).length() < 1e-4);
    tap(&mut app, KeyCode::KeyF);
    assert_eq!(app.world().resource::<CameraRig>().mode, CameraMode::Orbit);
}

#[test]
fn live_mode_runs_a_planner_to_the_goal_step_by_step_and_on_its_own() {
    let mut app = app(&[r2r_run().to_str().unwrap()]);
    tap(&mut app, KeyCode::KeyL);
    let live = episodes(&app).live.as_ref().expect("live mode started");
    assert_eq!(live.planner_name, "shortest");
    assert_eq!(live.poses.len(), 1);
    tap(&mut app, KeyCode::KeyN);
    assert_eq!(episodes(&app).live.as_ref().unwrap().poses.len(), 2);
    tap(&mut app, KeyCode::KeyR);
    assert!(episodes(&app).live_auto);
    for _ in 0..200 {
        app.update();
        if episodes(&app).live.as_ref().unwrap().done {
            break;
        }
    }
    let e = episodes(&app);
    let live = e.live.as_ref().unwrap();
    assert!(live.done, "the planner stopped: {:?}", live.actions);
    assert!(!e.live_auto, "auto-run ends with the episode");
    assert!(live.actions.iter().all(|a| a.starts_with("shortest: ")));
    let (goal, radius) = e.track.goal.unwrap();
    let end = live.poses.last().unwrap().floor_m;
    assert!(
        (end - goal).length() <= radius,
        "the oracle ends {} m from the goal",
        (end - goal).length()
    );
    // Another step is refused with a message, not a panic.
    tap(&mut app, KeyCode::KeyN);
    assert!(messages(&app).iter().any(|m| m.contains("ended")));
    // L leaves live mode: the replay is back.
    tap(&mut app, KeyCode::KeyL);
    assert!(episodes(&app).live.is_none());
}

#[test]
fn live_mode_drives_the_graph_agent_from_the_keyboard() {
    let mut app = app(&[r2r_run().to_str().unwrap()]);
    tap(&mut app, KeyCode::KeyP);
    let planner = episodes(&app).planner.clone();
    assert_ne!(planner, "shortest", "P picks the next planner");
    assert!(messages(&app).iter().any(|m| m.contains(&planner)));
    tap(&mut app, KeyCode::KeyL);
    let heading = |app: &App| *episodes(app).live.as_ref().unwrap().poses.last().unwrap();
    let start = heading(&app);
    tap(&mut app, KeyCode::ArrowRight);
    let turned = heading(&app);
    let delta = (turned.heading_rad - start.heading_rad).rem_euclid(std::f32::consts::TAU);
    assert!((delta.to_degrees() - 30.0).abs() < 0.01, "turned {delta}");
    assert_eq!(turned.viewpoint, start.viewpoint);
    // Turn until a viewpoint lies ahead, then walk to it; the list cursor stays put.
    let cursor = episodes(&app).list.cursor;
    let mut moved = false;
    for _ in 0..12 {
        let before = heading(&app).viewpoint;
        tap(&mut app, KeyCode::ArrowUp);
        if heading(&app).viewpoint != before {
            moved = true;
            break;
        }
        tap(&mut app, KeyCode::ArrowLeft);
    }
    assert!(moved, "{:?}", messages(&app));
    assert_eq!(episodes(&app).list.cursor, cursor);
    let live = episodes(&app).live.as_ref().unwrap();
    assert!(live.actions.iter().all(|a| a.starts_with("keyboard: ")));
    tap(&mut app, KeyCode::KeyX);
    assert!(episodes(&app).live.as_ref().unwrap().done);
}

#[test]
fn live_mode_drives_the_continuous_agent_through_the_scene() {
    let dir = tempfile::tempdir().unwrap();
    let args = TaskArgs::new()
        .with(
            "scene",
            path_text(&assets_dir().join("apartments/apartment_a.ply")),
        )
        .with(
            "episodes",
            path_text(&assets_dir().join("demo/apartment_a_vlnce.json")),
        );
    run_batch("vlnce", &args, "random", dir.path());
    let mut app = app(&[dir.path().to_str().unwrap()]);
    assert!(matches!(
        episodes(&app)
            .list
            .open_entry()
            .and_then(|e| e.spec.clone()),
        Some(EpisodeSpec::Continuous(_))
    ));
    // The walkable area is built in the background when a continuous episode opens.
    for _ in 0..600 {
        if matches!(
            app.world().resource::<Loaded>().walkable,
            Walkable::Ready(_)
        ) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
        app.update();
    }
    assert!(matches!(
        app.world().resource::<Loaded>().walkable,
        Walkable::Ready(_)
    ));
    tap(&mut app, KeyCode::KeyL);
    let pose = |app: &App| *episodes(app).live.as_ref().unwrap().poses.last().unwrap();
    let start = pose(&app);
    tap(&mut app, KeyCode::ArrowLeft);
    let turned = pose(&app);
    let delta = (start.heading_rad - turned.heading_rad).rem_euclid(std::f32::consts::TAU);
    assert!((delta.to_degrees() - 15.0).abs() < 0.01, "turned {delta}");
    // Forward moves 0.25 m unless a wall is in the way; some heading is free.
    let mut stepped = 0.0;
    for _ in 0..24 {
        let before = pose(&app);
        tap(&mut app, KeyCode::ArrowUp);
        stepped = (pose(&app).floor_m - before.floor_m).length();
        if stepped > 0.2 {
            break;
        }
        tap(&mut app, KeyCode::ArrowLeft);
    }
    assert!((stepped - 0.25).abs() < 0.02, "stepped {stepped} m");
    tap(&mut app, KeyCode::KeyX);
    assert!(episodes(&app).live.as_ref().unwrap().done);
}

#[test]
fn a_corrupt_step_log_is_a_message_in_the_window_and_the_replay_still_opens() {
    let dir = tempfile::tempdir().unwrap();
    run_r2r(dir.path());
    let run = waymark_eval::run_dir::RunDir::new(dir.path());
    let (_, records) = run.read().unwrap();
    let first = records[0].id.clone();
    let log = run.step_log_path(&first);
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    std::fs::write(&log, "{\"step\": 0, \"outcome\": \"move\"}\n{ torn").unwrap();
    let mut app = app(&[dir.path().to_str().unwrap()]);
    let shown = messages(&app);
    assert!(
        shown
            .iter()
            .any(|m| m.contains(&format!("{first}.jsonl")) && m.contains("line 2")),
        "{shown:?}"
    );
    assert!(episodes(&app).step_log.is_empty());
    assert!(!episodes(&app).track.poses.is_empty());
    tap(&mut app, KeyCode::ArrowRight);
    assert_eq!(episodes(&app).step, 1);
}

#[test]
fn the_step_log_is_read_by_step_for_the_open_episode() {
    let dir = tempfile::tempdir().unwrap();
    run_r2r(dir.path());
    let run = waymark_eval::run_dir::RunDir::new(dir.path());
    let (_, records) = run.read().unwrap();
    let entries = [
        waymark_planner::StepLogEntry {
            step: 0,
            thought: Some("the hall is ahead".into()),
            action: Some("forward".into()),
            outcome: "parse_error".into(),
            cause: Some("no viewpoint".into()),
            ..Default::default()
        },
        waymark_planner::StepLogEntry {
            step: 1,
            outcome: "finish".into(),
            ..Default::default()
        },
    ];
    run.write_step_log(&records[0].id, &entries).unwrap();
    let app = app(&[dir.path().to_str().unwrap()]);
    let log = &episodes(&app).step_log;
    assert_eq!(log.get(0), &entries[..1]);
    assert_eq!(log.get(1), &entries[1..]);
    assert!(log.get(2).is_empty());
    assert_eq!(
        crate::step_log::outcome_text(&log.get(0)[0]),
        "parse_error: no viewpoint"
    );
}

/// A household (ALFRED) eval folder of `planner` on the shipped household demo (run once per
/// planner).
fn household_run(planner: &'static str) -> &'static Path {
    static EXPERT: OnceLock<tempfile::TempDir> = OnceLock::new();
    static RANDOM: OnceLock<tempfile::TempDir> = OnceLock::new();
    let cell = if planner == "expert" {
        &EXPERT
    } else {
        &RANDOM
    };
    cell.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let household = assets_dir().join("household");
        let args = TaskArgs::new()
            .with("episodes", path_text(&household.join("tasks")))
            .with("layouts", path_text(&household.join("layouts")));
        run_batch("alfred", &args, planner, dir.path());
        dir
    })
    .path()
}

#[test]
fn household_replays_step_through_the_recorded_actions_to_the_goal() {
    let household = assets_dir().join("household");
    let mut app = app(&[
        household_run("expert").to_str().unwrap(),
        "--episodes",
        household.join("tasks").to_str().unwrap(),
        "--layouts",
        household.join("layouts").to_str().unwrap(),
    ]);
    let e = episodes(&app);
    let replay = e.household.as_ref().expect("the household replays");
    let last = e.last_step();
    assert_eq!(last, e.household_attempts().len());
    assert_eq!(replay.steps.len(), last + 1);
    assert!(!replay.steps[0].goals.success());
    tap(&mut app, KeyCode::ArrowRight);
    assert_eq!(episodes(&app).step, 1);
    tap(&mut app, KeyCode::End);
    let e = episodes(&app);
    assert_eq!(e.step, last);
    assert!(e.household.as_ref().unwrap().steps[last].goals.success());
    // Another episode gets its own replay.
    let first = e.household_attempts().to_vec();
    tap(&mut app, KeyCode::ArrowDown);
    tap(&mut app, KeyCode::Enter);
    let e = episodes(&app);
    assert_eq!(e.list.open, Some(1));
    assert_ne!(e.household_attempts(), first.as_slice());
    // Live mode does not drive households.
    tap(&mut app, KeyCode::KeyL);
    let messages = &app.world().resource::<Messages>().0;
    assert!(
        messages.iter().any(|m| m.contains("household")),
        "{messages:?}"
    );
}

#[test]
fn household_runs_found_beside_their_episodes_and_failures_show() {
    // Without flags, the episodes and layouts come from the shipped demo (`tasks` by name).
    let app = app(&[household_run("random").to_str().unwrap()]);
    let e = episodes(&app);
    assert!(
        e.household.is_some(),
        "{:?}",
        app.world().resource::<Messages>().0
    );
    assert!(e.household_attempts().iter().any(|a| !a.success));
    let failed = e
        .household_attempts()
        .iter()
        .position(|a| !a.success)
        .unwrap();
    let text =
        crate::household::step_text(e.household.as_ref(), e.household_attempts(), failed, false);
    assert!(text.contains("failed: "), "{text}");
    // With layouts that do not exist the list still opens; only the map is missing.
    let app = crate::controls_tests::app(&[
        household_run("random").to_str().unwrap(),
        "--layouts",
        "/nonexistent/layouts",
    ]);
    let e = episodes(&app);
    assert!(e.household.is_none());
    assert!(e.last_step() > 0, "the recorded actions still step");
    let messages = &app.world().resource::<Messages>().0;
    assert!(
        messages.iter().any(|m| m.contains("household")),
        "{messages:?}"
    );
}

#[test]
fn voxel_runs_replay_their_actions_from_the_seed() {
    let dir = tempfile::tempdir().unwrap();
    let args = TaskArgs::new().with("seeds", "2").with("length", "40");
    run_batch("crafter", &args, "random", dir.path());
    let mut app = app(&[dir.path().to_str().unwrap()]);
    let e = episodes(&app);
    let replay = e.voxel.as_ref().expect("the voxel episode replays");
    let last = e.last_step();
    assert_eq!(last, replay.len());
    assert!((1..=40).contains(&last), "{last}");
    let Some(crate::track::Trajectory::Voxel(recorded)) = e
        .list
        .open_entry()
        .and_then(|entry| entry.trajectory.clone())
    else {
        panic!("no voxel trajectory");
    };
    tap(&mut app, KeyCode::End);
    assert_eq!(episodes(&app).step, last);
    // Re-run from the seed, the replay ends where the run recorded the agent.
    let mut e = app.world_mut().resource_mut::<Episodes>();
    let game = e.voxel.as_mut().unwrap().seek(last);
    assert_eq!(game.player.position_m.to_array(), recorded.final_position_m);
    // Another episode gets its own replay.
    tap(&mut app, KeyCode::ArrowDown);
    tap(&mut app, KeyCode::Enter);
    let e = episodes(&app);
    assert_eq!(e.list.open, Some(1));
    assert!(e.voxel.is_some());
    let instruction = e.list.open_entry().and_then(|entry| entry.instruction());
    assert_eq!(instruction, Some(waymark_voxel_tasks::CRAFTER_INSTRUCTION));
    // Live mode does not drive voxel worlds.
    tap(&mut app, KeyCode::KeyL);
    let messages = &app.world().resource::<Messages>().0;
    assert!(messages.iter().any(|m| m.contains("voxel")), "{messages:?}");
}
