//! Screenshot mode end to end: the PNGs of a shipped scene and of a recorded episode show the
//! scene's colours and the trajectory overlay; bad input and a missing display fail cleanly.
//!
//! Needs an X display (CI runs it under `xvfb-run -a` with mesa's software Vulkan); without
//! `$DISPLAY` the window tests are skipped with a note (under CI, `CI=true`, they fail).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Must match `overlays::TRAJECTORY_RGB`.
const TRAJECTORY_RGB: [u8; 3] = [255, 0, 200];

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_waymark-view"))
}

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets")
}

fn have_display() -> bool {
    waymark_io::test_env::require("DISPLAY", "the window tests (run under xvfb-run -a)").is_some()
}

fn screenshot(args: &[&str], out: &Path) -> Vec<[u8; 3]> {
    let output = bin()
        .args(args)
        .arg("--screenshot")
        .arg(out)
        .args(["--frames", "30", "--width", "1024", "--height", "640"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "waymark-view failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("FPS"), "{stdout}");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(out).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1024, 640));
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf[..info.buffer_size()]
        .chunks_exact(3)
        .map(|p| [p[0], p[1], p[2]])
        .collect()
}

/// Runs the privileged `expert` on the first episode of `task` into the folder `run`.
fn run_expert_on_first_episode(task: &str, args: &waymark_eval::TaskArgs, run: &Path) {
    let config = waymark_eval::BatchConfig {
        planner: "expert".into(),
        planner_settings: Default::default(),
        out_dir: run.to_path_buf(),
        workers: 1,
        shard: waymark_eval::ShardSpec::WHOLE,
        limit: Some(1),
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

fn near(a: [u8; 3], b: [u8; 3], tolerance: i32) -> bool {
    (0..3).all(|i| (i32::from(a[i]) - i32::from(b[i])).abs() <= tolerance)
}

/// Pixels showing one of the scene's vertex colours (within 2 per channel).
fn scene_colour_pixels(pixels: &[[u8; 3]], scene: &Path) -> usize {
    let scene = waymark_scenes::load_scene(scene, None).unwrap();
    // A bit per 24-bit colour, set around each of the scene's colours: a point cloud has
    // ~100,000 distinct colours, too many to compare with every pixel.
    let mut near_scene = vec![0u64; (1 << 24) / 64];
    let index =
        |[r, g, b]: [u8; 3]| (usize::from(r) << 16) | (usize::from(g) << 8) | usize::from(b);
    let colours: HashSet<[u8; 3]> = scene.mesh.colors.iter().copied().collect();
    for c in colours {
        for dr in -2i32..=2 {
            for dg in -2i32..=2 {
                for db in -2i32..=2 {
                    let channel = |v: u8, d: i32| (i32::from(v) + d).clamp(0, 255) as u8;
                    let i = index([channel(c[0], dr), channel(c[1], dg), channel(c[2], db)]);
                    near_scene[i / 64] |= 1 << (i % 64);
                }
            }
        }
    }
    pixels
        .iter()
        .filter(|p| near_scene[index(**p) / 64] & (1 << (index(**p) % 64)) != 0)
        .count()
}

fn assert_not_blank(pixels: &[[u8; 3]]) {
    let distinct: HashSet<[u8; 3]> = pixels.iter().copied().collect();
    assert!(distinct.len() > 20, "only {} colours", distinct.len());
}

#[test]
fn screenshot_of_a_shipped_scene_shows_its_colours() {
    if !have_display() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let scene = assets().join("apartments/apartment_a.ply");
    let out = dir.path().join("scene.png");
    let pixels = screenshot(&[scene.to_str().unwrap()], &out);
    assert_not_blank(&pixels);
    let shown = scene_colour_pixels(&pixels, &scene);
    assert!(shown > pixels.len() / 20, "{shown} scene-coloured pixels");
}

#[test]
fn screenshot_of_a_recorded_episode_shows_the_trajectory() {
    if !have_display() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    let args = waymark_eval::TaskArgs::new()
        .with(
            "connectivity",
            assets().join("demo/connectivity").to_str().unwrap(),
        )
        .with(
            "episodes",
            assets().join("demo/R2R_demo.json").to_str().unwrap(),
        );
    let config = waymark_eval::BatchConfig {
        planner: "shortest".into(),
        planner_settings: Default::default(),
        out_dir: run.clone(),
        workers: 1,
        shard: waymark_eval::ShardSpec::WHOLE,
        limit: Some(2),
        seed: 0,
    };
    waymark_eval::run_eval(
        waymark_eval::tasks::find("r2r").unwrap(),
        &args,
        &config,
        &waymark_planner::PlannerRegistry::with_baselines(),
        &waymark_eval::NoProgress,
    )
    .unwrap();
    let out = dir.path().join("episode.png");
    let connectivity = assets().join("demo/connectivity");
    let pixels = screenshot(
        &[
            run.to_str().unwrap(),
            "--connectivity",
            connectivity.to_str().unwrap(),
            "--step",
            "1",
        ],
        &out,
    );
    assert_not_blank(&pixels);
    let trajectory = pixels
        .iter()
        .filter(|p| near(**p, TRAJECTORY_RGB, 6))
        .count();
    assert!(trajectory > 50, "{trajectory} trajectory-coloured pixels");
    let shown = scene_colour_pixels(&pixels, &assets().join("apartments/apartment_a.ply"));
    assert!(shown > pixels.len() / 50, "{shown} scene-coloured pixels");
}

/// Must match the household map's floor and agent colours (`waymark_alfred` render.rs).
const HOUSEHOLD_FLOOR_RGB: [u8; 3] = [92, 92, 100];
const HOUSEHOLD_AGENT_RGB: [u8; 3] = [230, 40, 40];

#[test]
fn screenshot_of_a_household_replay_shows_the_map() {
    if !have_display() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    let household = assets().join("household");
    let args = waymark_eval::TaskArgs::new()
        .with("episodes", household.join("tasks").to_str().unwrap())
        .with("layouts", household.join("layouts").to_str().unwrap());
    run_expert_on_first_episode("alfred", &args, &run);
    let out = dir.path().join("household.png");
    let pixels = screenshot(&[run.to_str().unwrap(), "--step", "3"], &out);
    assert_not_blank(&pixels);
    let floor = pixels
        .iter()
        .filter(|p| near(**p, HOUSEHOLD_FLOOR_RGB, 6))
        .count();
    assert!(floor > pixels.len() / 50, "{floor} floor-coloured pixels");
    let agent = pixels
        .iter()
        .filter(|p| near(**p, HOUSEHOLD_AGENT_RGB, 6))
        .count();
    assert!(agent > 10, "{agent} agent-coloured pixels");
}

/// Must match the grounding map's gold box and walked path (`grounding.rs`).
const GOLD_RGB: [u8; 3] = [40, 220, 60];
const WALK_RGB: [u8; 3] = [250, 220, 40];

#[test]
fn screenshot_of_a_navigate_then_ground_replay_shows_the_map_the_gold_box_and_the_walk() {
    if !have_display() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    let args = waymark_eval::TaskArgs::new()
        .with(
            "episodes",
            assets()
                .join("demo/apartment_a_sg3d.json")
                .to_str()
                .unwrap(),
        )
        .with("scenes", assets().join("apartments").to_str().unwrap());
    run_expert_on_first_episode("sg3d-nav", &args, &run);
    let out = dir.path().join("grounding.png");
    let pixels = screenshot(&[run.to_str().unwrap(), "--step", "1"], &out);
    assert_not_blank(&pixels);
    let gold = pixels.iter().filter(|p| near(**p, GOLD_RGB, 8)).count();
    assert!(gold > 20, "{gold} gold-box pixels");
    let walk = pixels.iter().filter(|p| near(**p, WALK_RGB, 8)).count();
    assert!(walk > 10, "{walk} walk pixels");
}

#[test]
fn screenshot_of_the_labelled_scannet_cloud_shows_its_points() {
    if !have_display() {
        return;
    }
    let Some(data) = waymark_io::test_env::require("WAYMARK_REAL_DATA", "the ScanNet cloud") else {
        return;
    };
    let cloud = Path::new(&data).join("scans/scene0451_01.npy");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cloud.png");
    let pixels = screenshot(&[cloud.to_str().unwrap()], &out);
    assert_not_blank(&pixels);
    // Points are squares of a few pixels: together they cover a good part of the view.
    let shown = scene_colour_pixels(&pixels, &cloud);
    assert!(shown > pixels.len() / 10, "{shown} point-coloured pixels");
}

#[test]
fn corrupt_or_missing_input_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let corrupt = dir.path().join("broken.ply");
    std::fs::write(
        &corrupt,
        b"ply\nformat ascii 1.0\nelement vertex 3\nend_header\n1 2\n",
    )
    .unwrap();
    let log = dir.path().join("badrun");
    std::fs::create_dir(&log).unwrap();
    std::fs::write(log.join("run.json"), b"{ not json").unwrap();
    let missing = dir.path().join("missing.ply");
    for (input, names) in [
        (&corrupt, "broken.ply"),
        (&missing, "missing.ply"),
        (&log, "run.json"),
    ] {
        let output = bin().arg(input).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success());
        assert!(stderr.contains(names), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn a_display_without_a_server_says_so_and_suggests_the_screenshot_mode() {
    let scene = assets().join("apartments/apartment_a.ply");
    let output = bin().arg(&scene).env("DISPLAY", ":977").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("cannot open display :977") && stderr.contains("--screenshot"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_missing_display_suggests_the_screenshot_mode() {
    let scene = assets().join("apartments/apartment_a.ply");
    let output = bin().arg(&scene).env_remove("DISPLAY").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("xvfb-run") && stderr.contains("--screenshot"),
        "{stderr}"
    );
}
