//! The LLM household planners from the CLI: LLM-Planner and FlowPlan against the real small
//! model CI serves (SmolLM2-135M, `tools/llm-server.sh`) on demo and real valid_unseen
//! episodes, replay-only reruns that reproduce the runs byte for byte, a cache miss that fails
//! the command, and golden snapshots of every prompt.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use waymark_llm::scripted_server::{Reply, TestServer, closed_port_url};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// `eval alfred --planner llm-planner` on `episodes` (pool `pool`, layouts `layouts`) with
/// the model at `url`, recording into `cache` with `mode`.
fn llm_planner(
    url: &str,
    pool: &Path,
    episodes: &Path,
    layouts: &Path,
    out: &Path,
    cache: &Path,
    mode: &str,
) -> Command {
    let mut command = household("llm-planner", url, episodes, layouts, out, cache, mode);
    command.arg("--llm-planner-pool").arg(pool);
    command
}

/// `eval alfred --planner PLANNER` on two of `episodes` with the model at `url`, recording
/// into `cache` with `mode`.
fn household(
    planner: &str,
    url: &str,
    episodes: &Path,
    layouts: &Path,
    out: &Path,
    cache: &Path,
    mode: &str,
) -> Command {
    let mut command = Command::cargo_bin("waymark").unwrap();
    command
        .args(["eval", "alfred", "--planner", planner])
        .args(["--llm-url", url, "--model", "smollm2-135m", "--limit", "2"])
        .args(["--llm-timeout", "120", "--cache-mode", mode])
        .arg("--cache")
        .arg(cache)
        .arg("--episodes")
        .arg(episodes)
        .arg("--layouts")
        .arg(layouts)
        .arg("--out")
        .arg(out)
        .env_remove("WAYMARK_LLM_URL")
        .env_remove("WAYMARK_LLM_MODEL");
    command
}

/// Both episodes ran to an end with their calls counted, plan accuracy and step failures by
/// cause in the counters, and prompts and parsed plans in the step logs.
fn check_run(out: &Path) {
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["episodes"], 2, "{summary}");
    assert_eq!(summary["privileged"], true);
    assert_eq!(summary["end_reasons"].get("error"), None, "{summary}");
    let counters = &summary["counters"];
    assert!(counters["llm_calls"].as_u64().unwrap() >= 2, "{summary}");
    assert_eq!(counters["high_level_plans"], 2, "{summary}");
    assert!(counters["high_level_plans_exact"].is_u64(), "{summary}");
    let logs: Vec<PathBuf> = std::fs::read_dir(out.join("steps"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(logs.len(), 2);
    for log in logs {
        let text = std::fs::read_to_string(&log).unwrap();
        let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(first["outcome"], "plan", "{first}");
        assert!(first["prompt"].as_str().unwrap().ends_with("Next Plans:"));
        assert!(first["plan"].is_array() && first["response"].is_string());
        // Every step the model wrote is accounted for: done, failed (with a cause) or skipped.
        for line in text.lines().skip(1) {
            let entry: Value = serde_json::from_str(line).unwrap();
            let outcome = entry["outcome"].as_str().unwrap();
            assert!(
                [
                    "step_done",
                    "step_failed",
                    "step_skipped",
                    "replan",
                    "finish"
                ]
                .contains(&outcome),
                "{entry}"
            );
            if outcome == "step_failed" || outcome == "step_skipped" {
                assert!(entry["cause"].is_string(), "{entry}");
            }
        }
    }
}

/// The files of two runs are the same, byte for byte.
fn same_files(a: &Path, b: &Path) {
    for file in ["episodes.jsonl", "summary.json", "submission.json"] {
        assert_eq!(
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
            "{file}"
        );
    }
    for log in std::fs::read_dir(a.join("steps")).unwrap() {
        let name = log.unwrap().file_name();
        assert_eq!(
            std::fs::read(a.join("steps").join(&name)).unwrap(),
            std::fs::read(b.join("steps").join(&name)).unwrap(),
        );
    }
}

#[test]
fn llm_planner_runs_the_small_model_and_replays_it_byte_for_byte() {
    let Some(url) = waymark_io::test_env::require(
        "WAYMARK_TEST_LLM_URL",
        "LLM-Planner against the small model (tools/llm-server.sh start)",
    ) else {
        return;
    };
    let url = url.to_str().unwrap();
    let household = root().join("assets/household");
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let tasks = household.join("tasks");
    let layouts = household.join("layouts");
    let live = tmp.path().join("live");
    llm_planner(url, &tasks, &tasks, &layouts, &live, &cache, "read-write")
        .assert()
        .success();
    check_run(&live);
    let replay = tmp.path().join("replay");
    llm_planner(
        &closed_port_url(),
        &tasks,
        &tasks,
        &layouts,
        &replay,
        &cache,
        "replay-only",
    )
    .assert()
    .success();
    same_files(&live, &replay);
    // Real valid_unseen episodes, with the real training pool.
    let Some(data) =
        waymark_io::test_env::require("WAYMARK_REAL_DATA", "LLM-Planner on valid_unseen")
    else {
        return;
    };
    let alfred = PathBuf::from(data).join("alfred");
    let real = tmp.path().join("real");
    llm_planner(
        url,
        &alfred.join("train_100"),
        &alfred.join("valid_unseen"),
        &alfred.join("layouts"),
        &real,
        &cache,
        "read-write",
    )
    .assert()
    .success();
    check_run(&real);
}

#[test]
fn a_replay_only_cache_miss_fails_the_command() {
    let household = root().join("assets/household");
    let tmp = tempfile::tempdir().unwrap();
    let tasks = household.join("tasks");
    let out = tmp.path().join("run");
    let assert = llm_planner(
        &closed_port_url(),
        &tasks,
        &tasks,
        &household.join("layouts"),
        &out,
        &tmp.path().join("empty-cache"),
        "replay-only",
    )
    .assert()
    .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("not done because of infrastructure failures") && stderr.contains("cache"),
        "{stderr}"
    );
    // No episode is scored: both are left for a run that has the answers.
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["episodes"], 0, "{summary}");
    assert_eq!(summary["not_done"], 2, "{summary}");
}

/// The first prompt of the first demo episode, against `tests/golden/llm_planner_prompt.txt`
/// (`WAYMARK_UPDATE_GOLDEN=1` rewrites it).
#[test]
fn the_first_prompt_matches_its_golden_snapshot() {
    let server = TestServer::always(Reply::completion(" Navigation apple", 10, 2));
    let household = root().join("assets/household");
    let tmp = tempfile::tempdir().unwrap();
    let tasks = household.join("tasks");
    let out = tmp.path().join("run");
    llm_planner(
        &server.url(),
        &tasks,
        &tasks,
        &household.join("layouts"),
        &out,
        &tmp.path().join("cache"),
        "off",
    )
    .assert()
    .success();
    let episodes = std::fs::read_to_string(out.join("episodes.jsonl")).unwrap();
    let first: Value = serde_json::from_str(episodes.lines().next().unwrap()).unwrap();
    let id = first["instr_id"].as_str().unwrap();
    let log = std::fs::read_to_string(out.join("steps").join(format!("{id}.jsonl"))).unwrap();
    let entry: Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    let prompt = entry["prompt"].as_str().unwrap();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/llm_planner_prompt.txt");
    if std::env::var_os("WAYMARK_UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, prompt).unwrap();
    }
    assert_eq!(prompt, std::fs::read_to_string(&golden).unwrap());
    assert!(prompt.starts_with(
        "Create a high-level plan for completing a household task using the allowed actions and visible objects.\n\n\nAllowed actions: OpenObject, CloseObject, PickupObject, PutObject, ToggleObjectOn, ToggleObjectOff, SliceObject, Navigation\n\nTask description: "
    ));
}

/// FlowPlan's run: both episodes ended, four stage calls at least each, every stage logged
/// with its prompt and answer, the checked plan logged, and step outcomes with causes.
fn check_flowplan_run(out: &Path) {
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["episodes"], 2, "{summary}");
    assert_eq!(summary["privileged"], true);
    assert_eq!(summary["end_reasons"].get("error"), None, "{summary}");
    assert!(
        summary["counters"]["llm_calls"].as_u64().unwrap() >= 8,
        "{summary}"
    );
    for log in std::fs::read_dir(out.join("steps")).unwrap() {
        let text = std::fs::read_to_string(log.unwrap().path()).unwrap();
        let entries: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let outcomes: Vec<&str> = entries
            .iter()
            .map(|e| e["outcome"].as_str().unwrap())
            .collect();
        for stage in [
            "task_information",
            "language_plan",
            "symbolic_plan",
            "logical_check",
        ] {
            let entry = &entries[outcomes.iter().position(|o| *o == stage).unwrap()];
            assert!(
                entry["prompt"].is_string() && entry["response"].is_string(),
                "{entry}"
            );
        }
        assert!(
            outcomes.contains(&"plan") && outcomes.ends_with(&["finish"]),
            "{outcomes:?}"
        );
        for e in &entries {
            if e["outcome"] == "step_failed" {
                assert!(e["cause"].is_string(), "{e}");
            }
        }
    }
}

#[test]
fn flowplan_runs_the_small_model_and_replays_it_byte_for_byte() {
    let Some(url) = waymark_io::test_env::require(
        "WAYMARK_TEST_LLM_URL",
        "FlowPlan against the small model (tools/llm-server.sh start)",
    ) else {
        return;
    };
    let url = url.to_str().unwrap();
    let household_dir = root().join("assets/household");
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let tasks = household_dir.join("tasks");
    let layouts = household_dir.join("layouts");
    let live = tmp.path().join("live");
    household(
        "flowplan",
        url,
        &tasks,
        &layouts,
        &live,
        &cache,
        "read-write",
    )
    .assert()
    .success();
    check_flowplan_run(&live);
    let replay = tmp.path().join("replay");
    household(
        "flowplan",
        &closed_port_url(),
        &tasks,
        &layouts,
        &replay,
        &cache,
        "replay-only",
    )
    .assert()
    .success();
    same_files(&live, &replay);
    let Some(data) = waymark_io::test_env::require("WAYMARK_REAL_DATA", "FlowPlan on valid_unseen")
    else {
        return;
    };
    let alfred = PathBuf::from(data).join("alfred");
    let real = tmp.path().join("real");
    household(
        "flowplan",
        url,
        &alfred.join("valid_unseen"),
        &alfred.join("layouts"),
        &real,
        &cache,
        "read-write",
    )
    .assert()
    .success();
    check_flowplan_run(&real);
}

/// Each of FlowPlan's stage prompts for the first demo episode, against
/// `tests/golden/flowplan_<stage>.txt` (`WAYMARK_UPDATE_GOLDEN=1` rewrites them).
#[test]
fn flowplan_stage_prompts_match_their_golden_snapshots() {
    let server = TestServer::start(|_, request| {
        let prompt = request.json()["messages"][0]["content"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let answer = if prompt.starts_with("You are a classifier") {
            "(TASK TYPE: look_at_obj_in_light, IS_SLICED: False)"
        } else if prompt.starts_with("You are an outstanding") {
            "Step 1. Go to the book. (TARGET: Book, DESCRIPTION: the book on the sofa)"
        } else if prompt.starts_with("You are a plan checker") {
            "VALID"
        } else {
            "go_to(\"Book\", \"the book on the sofa\")"
        };
        Reply::completion(answer, 10, 2)
    });
    let household_dir = root().join("assets/household");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    household(
        "flowplan",
        &server.url(),
        &household_dir.join("tasks"),
        &household_dir.join("layouts"),
        &out,
        &tmp.path().join("cache"),
        "off",
    )
    .assert()
    .success();
    let episodes = std::fs::read_to_string(out.join("episodes.jsonl")).unwrap();
    let first: Value = serde_json::from_str(episodes.lines().next().unwrap()).unwrap();
    let id = first["instr_id"].as_str().unwrap();
    let log = std::fs::read_to_string(out.join("steps").join(format!("{id}.jsonl"))).unwrap();
    let entries: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for stage in [
        "task_information",
        "language_plan",
        "symbolic_plan",
        "logical_check",
    ] {
        let entry = entries.iter().find(|e| e["outcome"] == stage).unwrap();
        let prompt = entry["prompt"].as_str().unwrap();
        let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/golden/flowplan_{stage}.txt"));
        if std::env::var_os("WAYMARK_UPDATE_GOLDEN").is_some() {
            std::fs::write(&golden, prompt).unwrap();
        }
        assert_eq!(prompt, std::fs::read_to_string(&golden).unwrap(), "{stage}");
    }
}
