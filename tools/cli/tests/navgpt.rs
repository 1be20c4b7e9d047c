//! `waymark eval r2r --planner navgpt` end to end: a bad server set-up is one clear error
//! before anything is written; with a real model (SmolLM2-135M served by llama-cpp-python,
//! started by `.ci/run` and named by `WAYMARK_TEST_LLM_URL`) a few episodes of NavGPT's own
//! R2R observations run and score, and a replay-only rerun without the server is identical.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use waymark_llm::scripted_server::{Reply, TestServer, closed_port_url};

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets")
}

/// `eval r2r --planner navgpt` on the demo apartments against `url`.
fn navgpt_on_demo(url: &str, out: &Path) -> Command {
    let mut cmd = Command::cargo_bin("waymark").unwrap();
    cmd.args([
        "eval",
        "r2r",
        "--planner",
        "navgpt",
        "--model",
        "test-model",
    ])
    .args(["--llm-url", url, "--llm-timeout", "2", "--limit", "2"])
    .arg("--scenes")
    .arg(assets().join("apartments"))
    .arg("--connectivity")
    .arg(assets().join("demo/connectivity"))
    .arg("--episodes")
    .arg(assets().join("demo/R2R_demo.json"))
    .arg("--out")
    .arg(out)
    .env_remove("WAYMARK_LLM_URL")
    .env_remove("WAYMARK_LLM_MODEL")
    .env_remove("OPENAI_API_KEY")
    .env_remove("OPENAI_BASE_URL");
    cmd
}

fn fails_before_writing(url: &str) -> String {
    let out = tempfile::tempdir().unwrap();
    let run = out.path().join("run");
    let assert = navgpt_on_demo(url, &run).assert().failure();
    assert!(!run.exists(), "nothing written");
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

#[test]
fn an_unreachable_server_is_one_clear_error() {
    let stderr = fails_before_writing(&closed_port_url());
    assert!(stderr.contains("does not answer"), "{stderr}");
}

#[test]
fn without_the_preflight_call_the_episodes_meet_the_unreachable_server() {
    let out = tempfile::tempdir().unwrap();
    let run = out.path().join("run");
    let assert = navgpt_on_demo(&closed_port_url(), &run)
        .arg("--no-preflight")
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(!stderr.contains("does not answer"), "{stderr}");
    assert!(stderr.contains("not done"), "{stderr}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["not_done"], 2, "{summary}");
}

/// The one preflight call is the server's only request before the episodes, and no episode
/// counts it.
#[test]
fn the_preflight_call_is_not_part_of_any_episode() {
    let server = TestServer::start(|_, _| Reply::completion("Final Answer: Finished!", 7, 3));
    let out = tempfile::tempdir().unwrap();
    let run = out.path().join("run");
    navgpt_on_demo(&server.url(), &run).assert().success();
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("summary.json")).unwrap()).unwrap();
    // Two episodes, one call each; the preflight was a third request.
    assert_eq!(summary["counters"]["llm_calls"], 2, "{summary}");
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn a_rejected_key_a_wrong_model_and_a_non_json_answer_are_not_retried() {
    for (reply, expect) in [
        (Reply::error(401, "invalid api key"), "401"),
        (
            Reply::error(404, "model `test-model` does not exist"),
            "404",
        ),
        (Reply::ok("<html>not json</html>"), "JSON"),
    ] {
        let server = TestServer::always(reply);
        let stderr = fails_before_writing(&server.url());
        assert!(stderr.contains(expect), "{stderr}");
        assert_eq!(server.request_count(), 1, "one request, no retry storm");
    }
}

#[test]
fn navgpt_without_an_llm_says_what_it_needs() {
    let out = tempfile::tempdir().unwrap();
    let assert = Command::cargo_bin("waymark")
        .unwrap()
        .args(["eval", "r2r", "--planner", "navgpt", "--model", "m"])
        .args(["--llm-url", "http://127.0.0.1:9/v1"])
        .arg("--connectivity")
        .arg(assets().join("demo/connectivity"))
        .arg("--episodes")
        .arg(assets().join("demo/R2R_demo.json"))
        .arg("--out")
        .arg(out.path().join("run"))
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("--navgpt-data"), "{stderr}");
}

#[test]
fn token_usage_and_cost_are_summed_per_episode_and_in_the_summary() {
    let server = TestServer::always(Reply::completion(
        "I am there.\nFinal Answer: Finished!",
        1000,
        100,
    ));
    let out = tempfile::tempdir().unwrap();
    navgpt_on_demo(&server.url(), out.path())
        .args([
            "--price-prompt-per-1k",
            "1.0",
            "--price-completion-per-1k",
            "2.0",
        ])
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("summary.json")).unwrap())
            .unwrap();
    // Two episodes, one call each: 1000 × $1/1k + 100 × $2/1k = $1.20 per call.
    assert_eq!(summary["counters"]["llm_calls"], 2, "{summary}");
    assert_eq!(summary["counters"]["prompt_tokens"], 2000);
    assert_eq!(summary["counters"]["completion_tokens"], 200);
    assert!(
        (summary["cost_usd"].as_f64().unwrap() - 2.4).abs() < 1e-9,
        "{summary}"
    );
    // Both languages of the demo are counted apart.
    assert_eq!(summary["counters_by_language"]["ar"]["llm_calls"], 1);
    assert_eq!(summary["counters_by_language"]["en-US"]["llm_calls"], 1);
    let episodes = std::fs::read_to_string(out.path().join("episodes.jsonl")).unwrap();
    for line in episodes.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!((record["cost_usd"].as_f64().unwrap() - 1.2).abs() < 1e-9);
        assert_eq!(record["end"], "stopped");
    }
    assert!(out.path().join("steps/1000_0.jsonl").is_file());
}

/// With the real model: NavGPT's own observations, two episodes, recorded; then replayed.
#[test]
fn a_real_model_runs_navgpt_end_to_end_and_replays_identically() {
    let (Some(url), Some(data)) = (
        waymark_io::test_env::require(
            "WAYMARK_TEST_LLM_URL",
            "the real-model NavGPT test (tools/llm-server.sh start)",
        ),
        waymark_io::test_env::require("WAYMARK_REAL_DATA", "the real-model NavGPT test"),
    ) else {
        return;
    };
    let data = PathBuf::from(data).join("r2r");
    let dir = tempfile::tempdir().unwrap();
    let run = |url: &str, out: &str, mode: &str| {
        Command::cargo_bin("waymark")
            .unwrap()
            .args([
                "eval",
                "r2r",
                "--planner",
                "navgpt",
                "--model",
                "smollm2-135m",
            ])
            .args(["--llm-url", url, "--max-tokens", "96", "--concurrency", "2"])
            .args([
                "--limit",
                "3",
                "--navgpt-max-iterations",
                "4",
                "--llm-timeout",
                "300",
            ])
            .arg("--navgpt-data")
            .arg(data.join("navgpt"))
            .arg("--connectivity")
            .arg(data.join("connectivity"))
            .arg("--episodes")
            .arg(data.join("R2R_val_seen.json"))
            .arg("--cache")
            .arg(dir.path().join("cache"))
            .args(["--cache-mode", mode])
            .arg("--out")
            .arg(dir.path().join(out))
            .assert()
            .success()
    };
    run(url.to_str().unwrap(), "live", "read-write");
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("live/summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(summary["episodes"], 3, "{summary}");
    assert!(
        summary["counters"]["llm_calls"].as_u64().unwrap() >= 3,
        "{summary}"
    );
    for key in ["sr", "spl", "ne", "tl", "ndtw"] {
        assert!(summary[key].is_number(), "{key} in {summary}");
    }
    run(&closed_port_url(), "replay", "replay-only");
    for file in ["episodes.jsonl", "summary.json", "submission.json"] {
        assert_eq!(
            std::fs::read(dir.path().join("live").join(file)).unwrap(),
            std::fs::read(dir.path().join("replay").join(file)).unwrap(),
            "{file}"
        );
    }
}
