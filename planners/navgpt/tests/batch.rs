//! NavGPT batches against a scripted OpenAI-compatible server, on the shipped demo apartments
//! (observations from the renderer): well-formed plans, malformed outputs, invented and
//! non-adjacent ids, empty answers, 429 with `Retry-After`, 500s and answers slower than the
//! timeout. The batch completes, failures are counted per cause, and a replay-only rerun with
//! the server gone writes byte-identical files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use regex::Regex;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use waymark_eval::{BatchConfig, NoProgress, ShardSpec, Summary, TaskArgs, run_eval, tasks};
use waymark_llm::scripted_server::{Received, Reply, TestServer, closed_port_url, test_config};
use waymark_llm::{BlockingLlmClient, CacheMode};
use waymark_navgpt::{NavGptConfig, NavGptPlanner, ObservationSource, PLANNER_NAME, SensorSource};
use waymark_planner::PlannerRegistry;

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets")
}

fn demo_episodes() -> PathBuf {
    assets().join("demo/R2R_demo.json")
}

/// How the scripted model answers one episode.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Behaviour {
    /// Two moves to the first navigable viewpoint, then `Final Answer: Finished!`.
    WellFormed,
    /// Prose with no `Action:`.
    Malformed,
    /// An id that exists nowhere.
    Invented,
    /// A real viewpoint of the scan, not adjacent.
    NonAdjacent,
    /// An empty completion.
    Empty,
    /// 429 with `Retry-After: 1` first, then well-formed.
    RateLimitedOnce,
    /// 500 twice, then well-formed.
    ServerErrorTwice,
    /// Slower than the client's timeout, every time.
    Slow,
}

const BEHAVIOURS: [Behaviour; 8] = [
    Behaviour::WellFormed,
    Behaviour::Malformed,
    Behaviour::Invented,
    Behaviour::NonAdjacent,
    Behaviour::Empty,
    Behaviour::RateLimitedOnce,
    Behaviour::ServerErrorTwice,
    Behaviour::Slow,
];

fn completion(text: &str) -> Reply {
    Reply::completion(text, 100, 10)
}

/// The scripted model: the behaviour comes from the instruction found in the prompt (the first
/// eight instructions of the demo file all differ), never from the request order, so the
/// answers do not depend on how episodes interleave.
fn script(instructions: Vec<String>) -> impl Fn(usize, &Received) -> Reply + Send + Sync {
    let calls: Arc<Mutex<HashMap<usize, usize>>> = Arc::default();
    let candidate = Regex::new(r"'([0-9a-f]{32})': '(?:left|right)").unwrap();
    let all_ids: Vec<String> = {
        let text = std::fs::read_to_string(
            assets().join("demo/connectivity/apartment_a_connectivity.json"),
        )
        .unwrap();
        Regex::new(r#""image_id":\s*"([0-9a-f]{32})""#)
            .unwrap()
            .captures_iter(&text)
            .map(|c| c[1].to_string())
            .collect()
    };
    move |_, request| {
        let body = request.json();
        let prompt = body["messages"][0]["content"].as_str().unwrap().to_string();
        let (episode, _) = instructions
            .iter()
            .enumerate()
            .filter(|(_, text)| prompt.contains(text.as_str()))
            .max_by_key(|(_, text)| text.len())
            .unwrap_or((usize::MAX, &String::new()));
        let Some(&behaviour) = BEHAVIOURS.get(episode) else {
            return Reply::error(400, "unknown episode");
        };
        let call = {
            let mut calls = calls.lock().unwrap();
            let n = calls.entry(episode).or_insert(0);
            *n += 1;
            *n
        };
        // The latest observation: the text after the last "Current Viewpoint".
        let latest = &prompt[prompt.rfind("Current Viewpoint").unwrap_or(0)..];
        let first_candidate = candidate
            .captures(latest)
            .map(|c| c[1].to_string())
            .unwrap_or_default();
        // The n-th answer (from 1) of a well-formed episode: two moves, then stop.
        let well_formed = |n: usize| {
            if n > 2 {
                completion("I have reached the destination, I can stop.\nFinal Answer: Finished!")
            } else {
                completion(&format!(
                    "I see the way ahead.\nAction: action_maker\nAction Input: \"{first_candidate}\""
                ))
            }
        };
        match behaviour {
            Behaviour::WellFormed => well_formed(call),
            Behaviour::Malformed => completion("I think I should walk towards the kitchen."),
            Behaviour::Invented => completion(
                "Action: action_maker\nAction Input: \"0123456789abcdef0123456789abcdef\"",
            ),
            Behaviour::NonAdjacent => {
                let far = all_ids
                    .iter()
                    .find(|id| {
                        !latest.contains(id.as_str())
                            && !prompt[..prompt.rfind("Current Viewpoint").unwrap_or(0)]
                                .contains(id.as_str())
                    })
                    .unwrap();
                completion(&format!("Action: action_maker\nAction Input: \"{far}\""))
            }
            Behaviour::Empty => completion(""),
            Behaviour::RateLimitedOnce if call == 1 => {
                Reply::error(429, "slow down").with_header("retry-after", "1")
            }
            Behaviour::ServerErrorTwice if call <= 2 => Reply::error(500, "overloaded"),
            Behaviour::RateLimitedOnce => well_formed(call - 1),
            Behaviour::ServerErrorTwice => well_formed(call - 2),
            Behaviour::Slow => well_formed(call).with_delay(Duration::from_millis(2500)),
        }
    }
}

fn registry(url: &str, cache: Option<(&Path, CacheMode)>) -> PlannerRegistry {
    let mut config = test_config(url);
    config.timeout = Duration::from_secs(1);
    config.max_retries = 2;
    if let Some((dir, mode)) = cache {
        config.cache_dir = Some(dir.to_path_buf());
        config.cache_mode = mode;
    }
    let client = BlockingLlmClient::new(config).unwrap();
    let source = Arc::new(SensorSource::new(None));
    let sensors = source.sensors();
    let navgpt = NavGptConfig {
        max_iterations: 4,
        ..NavGptConfig::for_model("test-model")
    };
    let mut registry = PlannerRegistry::with_baselines();
    registry.register(
        waymark_navgpt::setup::info(4, sensors),
        Box::new(move || {
            Ok(Box::new(NavGptPlanner::new(
                client.clone(),
                source.clone(),
                navgpt.clone(),
            )))
        }),
    );
    registry
}

fn eval(registry: &PlannerRegistry, out: &Path, limit: usize, workers: usize) -> Summary {
    let config = BatchConfig {
        workers,
        planner: PLANNER_NAME.into(),
        planner_settings: [("model".to_string(), "test-model".to_string())].into(),
        out_dir: out.to_path_buf(),
        shard: ShardSpec::WHOLE,
        limit: Some(limit),
        seed: 0,
    };
    let args = TaskArgs::new()
        .with(
            "connectivity",
            assets().join("demo/connectivity").to_string_lossy(),
        )
        .with("episodes", demo_episodes().to_string_lossy())
        .with("scenes", assets().join("apartments").to_string_lossy());
    run_eval(
        tasks::find("r2r").unwrap(),
        &args,
        &config,
        registry,
        &NoProgress,
    )
    .unwrap()
}

fn instructions() -> Vec<String> {
    waymark_scenes::read_r2r_episodes(&demo_episodes())
        .unwrap()
        .into_iter()
        .take(BEHAVIOURS.len())
        .map(|e| e.instruction)
        .collect()
}

fn episodes(out: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(out.join("episodes.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn every_failure_is_counted_by_cause_and_the_batch_completes() {
    let server = TestServer::start(script(instructions()));
    let out = tempfile::tempdir().unwrap();
    let summary = eval(&registry(&server.url(), None), out.path(), 8, 4);
    let records = episodes(out.path());
    // Episode 7's server is too slow: an infrastructure failure, left not done (not scored).
    assert_eq!(records.len(), 7);
    assert_eq!(summary.not_done, 1);
    assert!(
        summary
            .not_done_causes
            .keys()
            .any(|c| c.contains("LLM call failed")),
        "{:?}",
        summary.not_done_causes
    );
    let counter = |i: usize, name: &str| records[i]["counters"][name].as_u64().unwrap_or(0);
    // Well-formed: two moves (a turn and a move each), then stop.
    assert_eq!(records[0]["end"], "stopped");
    assert_eq!(counter(0, "llm_calls"), 3);
    assert_eq!(records[0]["trajectory"].as_array().unwrap().len(), 5);
    // Four bad iterations each, counted by cause, then stopped by the iteration limit. On
    // sensor readings NavGPT knows only the viewpoints the episode showed, so a real but never
    // shown viewpoint (episode 3) counts as invented, as one that exists nowhere does.
    for (i, cause) in [
        (1, "failure.missing_action"),
        (2, "failure.invented_viewpoint"),
        (3, "failure.invented_viewpoint"),
        (4, "failure.empty_answer"),
    ] {
        assert_eq!(counter(i, cause), 4, "episode {i}: {}", records[i]);
        assert_eq!(counter(i, "iteration_limit"), 1);
        assert_eq!(records[i]["end"], "stopped");
        assert_eq!(
            records[i]["trajectory"].as_array().unwrap().len(),
            1,
            "never moved"
        );
    }
    // Retried inside the client: the episodes finish as if nothing happened.
    for i in [5, 6] {
        assert_eq!(records[i]["end"], "stopped", "{}", records[i]);
        assert_eq!(counter(i, "llm_calls"), 3);
    }
    assert_eq!(summary.counters["failure.missing_action"], 4);
    assert_eq!(summary.overall.episodes, 7);
    // Both languages are summarized apart.
    assert!(summary.by_language.contains_key("en-US") && summary.by_language.contains_key("ar"));
    // One step log per episode, one line per LLM call.
    let log = std::fs::read_to_string(out.path().join("steps/1000_0.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[0]["prompt"]
            .as_str()
            .unwrap()
            .contains("Current Viewpoint:")
    );
    assert_eq!(lines[2]["outcome"], "finish");
    // Resuming runs only the episode left not done (the server is still too slow for it).
    let before = (server.request_count(), episodes(out.path()));
    let again = eval(&registry(&server.url(), None), out.path(), 8, 4);
    assert_eq!(again.not_done, 1);
    assert_eq!(episodes(out.path()), before.1);
    let retried = server.request_count() - before.0;
    assert!((1..=4).contains(&retried), "{retried} requests");
}

#[test]
fn a_replay_only_rerun_without_the_server_is_byte_identical() {
    let cache = tempfile::tempdir().unwrap();
    let first = tempfile::tempdir().unwrap();
    {
        let server = TestServer::start(script(instructions()));
        eval(
            &registry(&server.url(), Some((cache.path(), CacheMode::ReadWrite))),
            first.path(),
            7,
            3,
        );
    }
    let replay = tempfile::tempdir().unwrap();
    eval(
        &registry(
            &closed_port_url(),
            Some((cache.path(), CacheMode::ReplayOnly)),
        ),
        replay.path(),
        7,
        1,
    );
    for file in [
        "episodes.jsonl",
        "summary.json",
        "submission.json",
        "steps/1000_0.jsonl",
        "steps/1001_1.jsonl",
    ] {
        assert_eq!(
            std::fs::read(first.path().join(file)).unwrap(),
            std::fs::read(replay.path().join(file)).unwrap(),
            "{file}"
        );
    }
}
