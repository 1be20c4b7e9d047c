//! NavGPT on the real data (its R2R observation files, the Matterport graphs): a model that
//! names a viewpoint two moves away is taken there as NavGPT's simulator takes it, along the
//! breadth-first path on NavGPT's own graph, and the trajectory is a valid walk for the
//! official scorer; `--navgpt-adjacent-only` leaves the agent where it stands.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::path::Path;
use std::sync::Arc;
use waymark_conformance::real_data;
use waymark_eval::{BatchConfig, NoProgress, ShardSpec, TaskArgs, run_eval, tasks};
use waymark_llm::BlockingLlmClient;
use waymark_llm::scripted_server::{Reply, TestServer, test_config};
use waymark_navgpt::{NavGptConfig, NavGptPlanner, NavgptData, ObservationSource, PLANNER_NAME};
use waymark_planner::PlannerRegistry;

/// Runs the first val_seen episode with the model answering `target`, then stopping; the
/// viewpoints visited and the episode's record.
fn run(
    data: &Path,
    target: &str,
    adjacent_only: bool,
    out: &Path,
) -> (Vec<String>, serde_json::Value) {
    let target = target.to_string();
    let server = TestServer::start(move |n, _| {
        let text = if n == 0 {
            format!("Thought: I should go back.\nAction: action_maker\nAction Input: \"{target}\"")
        } else {
            "Thought: I am there.\nFinal Answer: Finished!".to_string()
        };
        Reply::completion(&text, 10, 5)
    });
    let client = BlockingLlmClient::new(test_config(&server.url())).unwrap();
    let source = Arc::new(NavgptData::new(data.join("r2r/navgpt")).unwrap());
    let config = NavGptConfig {
        adjacent_only,
        ..NavGptConfig::for_model("gpt-3.5-turbo")
    };
    let mut registry = PlannerRegistry::with_baselines();
    registry.register(
        waymark_navgpt::setup::info(10, source.sensors()),
        Box::new(move || {
            Ok(Box::new(NavGptPlanner::new(
                client.clone(),
                source.clone(),
                config.clone(),
            )))
        }),
    );
    let batch = BatchConfig {
        workers: 1,
        planner: PLANNER_NAME.into(),
        planner_settings: Default::default(),
        out_dir: out.to_path_buf(),
        shard: ShardSpec::WHOLE,
        limit: Some(1),
        seed: 0,
    };
    let args = TaskArgs::new()
        .with(
            "connectivity",
            data.join("r2r/connectivity").to_string_lossy(),
        )
        .with(
            "episodes",
            data.join("r2r/R2R_val_seen.json").to_string_lossy(),
        );
    run_eval(
        tasks::find("r2r").unwrap(),
        &args,
        &batch,
        &registry,
        &NoProgress,
    )
    .unwrap();
    let record: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(out.join("episodes.jsonl"))
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let mut visited: Vec<String> = record["trajectory"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[0].as_str().unwrap().to_string())
        .collect();
    visited.dedup();
    (visited, record)
}

#[test]
fn a_viewpoint_two_moves_away_is_reached_as_navgpt_reaches_it() {
    let Some(data) = real_data() else {
        return;
    };
    let episode =
        &waymark_scenes::read_r2r_episodes(&data.join("r2r/R2R_val_seen.json")).unwrap()[0];
    let navgpt = NavgptData::new(data.join("r2r/navgpt")).unwrap();
    let scan = episode.scan.as_str();
    let start = episode.reference_path[0].to_string();
    let near = navgpt.navigable_of(scan, &start).unwrap();
    // A viewpoint two moves away, and the one between it as NavGPT's breadth-first search picks
    // it: the first of the start's navigable viewpoints (in NavGPT's file order) that the
    // target lists.
    let (mid, two) = near
        .iter()
        .find_map(|m| {
            navgpt
                .navigable_of(scan, m)
                .unwrap()
                .into_iter()
                .find(|t| *t != start && !near.contains(t))
                .map(|t| (m.clone(), t))
        })
        .unwrap();
    let of_two = navgpt.navigable_of(scan, &two).unwrap();
    let between = near.iter().find(|c| of_two.contains(c)).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let (visited, record) = run(&data, &two, false, &tmp.path().join("navgpt"));
    assert_eq!(
        visited,
        [start.clone(), between.clone(), two.clone()],
        "via {mid}"
    );
    assert_eq!(record["end"], "stopped", "{record}");
    assert_eq!(record["counters"]["far_moves"], 1);

    let (visited, record) = run(&data, &two, true, &tmp.path().join("strict"));
    assert_eq!(visited, [start]);
    assert_eq!(record["counters"]["failure.non_adjacent_viewpoint"], 1);
}
