//! ALFRED conformance on the real data: the expert replays at 100 %, the metrics follow
//! ALFRED's formulas on hand-made runs, interactions need reach.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::path::{Path, PathBuf};
use waymark_conformance::real_data;
use waymark_core::{Action, Interaction, Observation};
use waymark_eval::{BatchConfig, NoProgress, ShardSpec, TaskArgs, run_eval, tasks};
use waymark_planner::PlannerRegistry;
use waymark_task::{StepOutcome, TaskEpisodes};

fn args(data: &Path, episodes: &Path) -> TaskArgs {
    TaskArgs::new()
        .with("episodes", episodes.to_string_lossy())
        .with("layouts", data.join("alfred/layouts").to_string_lossy())
}

fn expert(data: &Path, split: &str, out: &Path) -> waymark_eval::Summary {
    let config = BatchConfig {
        workers: 2,
        planner: "expert".into(),
        planner_settings: Default::default(),
        out_dir: out.to_path_buf(),
        shard: ShardSpec::WHOLE,
        limit: None,
        seed: 0,
    };
    run_eval(
        tasks::find("alfred").unwrap(),
        &args(data, &data.join("alfred").join(split)),
        &config,
        &PlannerRegistry::with_baselines(),
        &NoProgress,
    )
    .unwrap()
}

#[test]
fn the_expert_replays_every_split_at_100_percent() {
    let Some(data) = real_data() else { return };
    let tmp = tempfile::tempdir().unwrap();
    for (split, episodes) in [
        ("valid_unseen", 821),
        ("train_100", 308),
        ("trajectories", 26),
    ] {
        let s = expert(&data, split, &tmp.path().join(split));
        assert_eq!(s.overall.episodes, episodes, "{split}");
        for metric in ["sr", "gc", "plw_sr", "plw_gc"] {
            assert_eq!(s.overall.get(metric), Some(1.0), "{split} {metric}");
        }
        if split == "valid_unseen" {
            // ALFRED's totals over valid_unseen: Σ goal conditions and Σ expert lengths.
            let total = |k: &str| s.overall.get(k).unwrap() * 821.0;
            assert!((total("total_goal_conditions") - 2120.0).abs() < 1e-6);
            assert!((total("path_len_weight") - 38370.0).abs() < 1e-6);
        }
    }
}

/// The first (by name) pick-and-place trial of valid_unseen and its expert's calls.
fn simple_trajectory(data: &Path) -> (PathBuf, String, Vec<serde_json::Value>) {
    let dir = data.join("alfred/valid_unseen/pick_and_place_simple-Mug-None-Desk-308");
    let trial = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    let file = trial.join("traj_data.json");
    let traj: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let calls = traj["plan"]["low_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["api_action"].clone())
        .collect();
    (file, traj["task_id"].as_str().unwrap().to_string(), calls)
}

/// Scores `calls` as annotation 0 of the trajectory.
fn score(
    data: &Path,
    file: &Path,
    trial: &str,
    calls: &[serde_json::Value],
) -> (f64, f64, f64, f64) {
    let tmp = tempfile::tempdir().unwrap();
    let dump = tmp.path().join("dump.json");
    let body = serde_json::json!({ "episodes": [ { trial: calls } ] });
    std::fs::write(&dump, body.to_string()).unwrap();
    let (means, scored) = waymark_eval::score::score_submission(
        tasks::find("alfred").unwrap(),
        &args(data, file),
        &dump,
        waymark_task::ScoreOptions { partial: true },
    )
    .unwrap();
    assert_eq!(scored.len(), 1);
    let m = |k: &str| means.get(k).unwrap();
    (m("sr"), m("gc"), m("plw_sr"), m("plw_gc"))
}

#[test]
fn hand_made_runs_score_by_alfreds_formulas() {
    let Some(data) = real_data() else { return };
    let (file, trial, calls) = simple_trajectory(&data);
    let l_star = calls.len() as f64;
    // The whole expert: everything met, t = L*.
    assert_eq!(score(&data, &file, &trial, &calls), (1.0, 1.0, 1.0, 1.0));
    // A wasted detour (turn left and back first): success, t = L* + 2, so both weights are
    // min(1, L*/t) = L*/(L*+2), pooled over L*.
    let mut detour = vec![
        serde_json::json!({"action": "RotateLeft"}),
        serde_json::json!({"action": "RotateRight"}),
    ];
    detour.extend(calls.iter().cloned());
    let w = l_star / (l_star + 2.0);
    let (sr, gc, plw_sr, plw_gc) = score(&data, &file, &trial, &detour);
    assert_eq!((sr, gc), (1.0, 1.0));
    assert!((plw_sr - w).abs() < 1e-12 && (plw_gc - w).abs() < 1e-12);
    // Cut before the last PutObject: the one condition (the mug on the desk) is not met.
    let last_put = calls
        .iter()
        .rposition(|c| c["action"] == "PutObject")
        .unwrap();
    assert_eq!(
        score(&data, &file, &trial, &calls[..last_put]),
        (0.0, 0.0, 0.0, 0.0)
    );
}

#[test]
fn an_interaction_needs_reach_and_a_failed_action_says_why() {
    let Some(data) = real_data() else { return };
    let (file, _, calls) = simple_trajectory(&data);
    let episodes = waymark_alfred::AlfredEpisodes::open(&args(&data, &file)).unwrap();
    let pickup = calls
        .iter()
        .find(|c| c["action"] == "PickupObject")
        .unwrap();
    let mug = pickup["objectId"].as_str().unwrap().to_string();
    // From the start, across the room, the mug cannot be picked up.
    let mut env = episodes.start(0).unwrap();
    let action = Action::Interact {
        interaction: Interaction::Pickup,
        object_id: mug.clone(),
    };
    assert_eq!(env.step(&action).unwrap(), StepOutcome::Running);
    let Observation::Household(obs) = env.observe(false, &Default::default()).unwrap() else {
        panic!("a household observation")
    };
    let last = obs.last_action.unwrap();
    assert!(!last.success);
    assert_eq!(last.error.unwrap(), format!("{mug} is not visible"));
    assert_eq!((obs.step, obs.failures, obs.held), (1, 1, None));
    // Ten failures end the episode; the tenth is not counted as a step.
    for _ in 1..9 {
        assert_eq!(env.step(&action).unwrap(), StepOutcome::Running);
    }
    assert_eq!(env.step(&action).unwrap(), StepOutcome::TooManyFailures);
}

#[test]
fn a_runs_action_dump_scores_as_the_run_did() {
    let Some(data) = real_data() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let episodes = data.join("alfred/trajectories");
    let config = BatchConfig {
        workers: 2,
        planner: "random".into(),
        planner_settings: Default::default(),
        out_dir: tmp.path().to_path_buf(),
        shard: ShardSpec::WHOLE,
        limit: None,
        seed: 3,
    };
    let task = tasks::find("alfred").unwrap();
    let run = run_eval(
        task,
        &args(&data, &episodes),
        &config,
        &PlannerRegistry::with_baselines(),
        &NoProgress,
    )
    .unwrap();
    let (means, _) = waymark_eval::score::score_submission(
        task,
        &args(&data, &episodes),
        &tmp.path().join("submission.json"),
        Default::default(),
    )
    .unwrap();
    assert_eq!(means, run.overall);
}

#[test]
fn planners_that_ask_for_views_get_a_top_down_map() {
    use base64::Engine as _;
    let Some(data) = real_data() else { return };
    let (file, _, _) = simple_trajectory(&data);
    let episodes = waymark_alfred::AlfredEpisodes::open(&args(&data, &file)).unwrap();
    let request = waymark_core::SensorRequest {
        objects_within_m: Vec::new(),
        views: Some(waymark_core::sensors::ViewRequest {
            width: 200,
            height: 120,
            hfov_deg: 90.0,
            elevations_deg: vec![-90.0],
        }),
        ..Default::default()
    };
    episodes.check(&[0], &request).unwrap();
    let env = episodes.start(0).unwrap();
    let Observation::Household(obs) = env.observe(false, &request).unwrap() else {
        panic!("a household observation")
    };
    let view = &obs.sensors.unwrap().views[0];
    assert_eq!(view.elevation_deg, -90.0);
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&view.png_base64)
        .unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), (200, 120));
    let red = pixels
        .chunks_exact(3)
        .filter(|p| *p == [230, 40, 40])
        .count();
    assert!(red > 0, "the agent is drawn");
    if let Some(dir) = std::env::var_os("WAYMARK_KEEP_IMAGES") {
        std::fs::write(
            Path::new(&dir).join("alfred_top_down.png"),
            base64::engine::general_purpose::STANDARD
                .decode(&view.png_base64)
                .unwrap(),
        )
        .unwrap();
    }
    // Objects per sector are not offered: the observation lists visible objects already.
    let sectors = waymark_core::SensorRequest {
        objects_within_m: vec![3.0],
        views: None,
        ..Default::default()
    };
    assert!(episodes.check(&[0], &sectors).is_err());
}

#[test]
fn the_high_level_oracle_solves_every_task_type_through_the_skills() {
    let Some(data) = real_data() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let mut registry = PlannerRegistry::with_baselines();
    waymark_household::register(&mut registry);
    let config = BatchConfig {
        workers: 2,
        planner: "high-level-oracle".into(),
        planner_settings: Default::default(),
        out_dir: tmp.path().to_path_buf(),
        shard: ShardSpec::WHOLE,
        limit: None,
        seed: 0,
    };
    let s = run_eval(
        tasks::find("alfred").unwrap(),
        &args(&data, &data.join("alfred/valid_unseen")),
        &config,
        &registry,
        &NoProgress,
    )
    .unwrap();
    assert_eq!(s.by_task_type.len(), 7);
    for (task_type, means) in &s.by_task_type {
        let sr = means.get("sr").unwrap();
        assert!(sr >= 0.95, "{task_type}: SR {sr}");
    }
    assert_eq!(s.overall.get("sr"), Some(1.0));
}

#[test]
fn runs_write_alfreds_results_file() {
    let Some(data) = real_data() else { return };
    let tmp = tempfile::tempdir().unwrap();
    expert(&data, "trajectories", tmp.path());
    let text = std::fs::read_to_string(tmp.path().join(waymark_alfred::RESULTS_FILE)).unwrap();
    let results: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(results["successes"].as_array().unwrap().len(), 26);
    assert_eq!(results["failures"].as_array().unwrap().len(), 0);
    let all = &results["results"]["all"];
    assert_eq!(all["success"]["success_rate"], 1.0);
    assert_eq!(
        all["goal_condition_success"]["goal_condition_success_rate"],
        1.0
    );
    assert_eq!(all["path_length_weighted_success_rate"], 1.0);
    let first = &results["successes"][0];
    assert_eq!(first["success_spl"], 1.0);
    assert!(first["trial"].as_str().unwrap().starts_with("trial_T"));
    assert_eq!(results["results"].as_object().unwrap().len(), 8);
}
