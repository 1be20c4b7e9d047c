//! LLM faults around a run: a server that is down, flaky, silent or answering garbage. Episodes
//! lost to such faults are not scored as the agent's failures: they are left not done, the
//! batch stops after repeated failures, the command exits non-zero, and a rerun after the
//! fault clears completes the run with the same files as a fault-free one. No credential
//! given in the URL or the environment reaches any output or log.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use waymark_llm::scripted_server::{Reply, TestServer};
use waymark_llm_planner::GoldModel;
use waymark_llm_planner::prompt::ENGLISH;

fn household() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/household")
}

fn gold_answer(model: &GoldModel, request: &waymark_llm::scripted_server::Received) -> Reply {
    let body = request.json();
    let prompt = body["messages"][0]["content"].as_str().unwrap_or_default();
    Reply::completion(&model.answer(prompt, &ENGLISH).unwrap_or_default(), 10, 5)
}

fn gold_model() -> Arc<GoldModel> {
    Arc::new(GoldModel::read(&household().join("tasks")).unwrap())
}

/// Quick retries (5, more than the faults any one call can meet below, whichever worker makes
/// it), so that faults cost milliseconds.
fn llm_config(dir: &Path) -> PathBuf {
    let path = dir.join("llm.json");
    std::fs::write(
        &path,
        r#"{"max_retries": 5, "backoff_base_ms": 1, "backoff_cap_ms": 5, "retry_after_cap_s": 0.01}"#,
    )
    .unwrap();
    path
}

fn eval(url: &str, config: &Path, out: &Path) -> Command {
    eval_within(url, config, out, "5")
}

/// [`eval`] with `--llm-timeout timeout_s`.
fn eval_within(url: &str, config: &Path, out: &Path, timeout_s: &str) -> Command {
    let tasks = household().join("tasks");
    let mut cmd = Command::cargo_bin("waymark").unwrap();
    cmd.args(["eval", "alfred", "--planner", "llm-planner", "--model", "m"])
        .args([
            "--llm-url",
            url,
            "--workers",
            "2",
            "--llm-timeout",
            timeout_s,
        ])
        .arg("--llm-config")
        .arg(config)
        .arg("--llm-planner-pool")
        .arg(&tasks)
        .arg("--episodes")
        .arg(&tasks)
        .arg("--layouts")
        .arg(household().join("layouts"))
        .arg("--out")
        .arg(out)
        .env_remove("WAYMARK_LLM_URL")
        .env_remove("WAYMARK_LLM_MODEL")
        .env_remove("WAYMARK_LLM_KEY")
        .env_remove("OPENAI_API_KEY");
    cmd
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn same_files(a: &Path, b: &Path) {
    for file in ["episodes.jsonl", "summary.json", "submission.json"] {
        assert_eq!(
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn a_server_that_is_down_leaves_episodes_not_done_and_a_rerun_completes_them() {
    let tmp = tempfile::tempdir().unwrap();
    let config = llm_config(tmp.path());
    let model = gold_model();
    let gold = {
        let model = Arc::clone(&model);
        TestServer::start(move |_, r| gold_answer(&model, r))
    };
    let clean = tmp.path().join("clean");
    eval(&gold.url(), &config, &clean).assert().success();
    assert_eq!(json(&clean.join("summary.json"))["sr"], 1.0);

    let down = TestServer::always(Reply::error(503, "overloaded"));
    let out = tmp.path().join("run");
    let assert = eval(&down.url(), &config, &out).assert().failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("not done because of infrastructure failures"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--allow-errors") && stderr.contains("stopped"),
        "{stderr}"
    );
    let summary = json(&out.join("summary.json"));
    assert_eq!(
        summary["episodes"], 0,
        "no episode is scored as the agent's: {summary}"
    );
    assert_eq!(summary["not_done"], 10, "{summary}");
    assert_eq!(summary["stopped_early"], true);
    // The breaker: the preflight, then 6 attempts for each of at most 5 failed episodes and the
    // one other worker's, not for all 10.
    let bound = 1 + (waymark_eval::MAX_CONSECUTIVE_INFRASTRUCTURE_FAILURES + 2) * 6;
    assert!(
        down.request_count() <= bound,
        "{} requests",
        down.request_count()
    );
    // --allow-errors accepts the same state with exit 0.
    eval(&down.url(), &config, &out)
        .arg("--allow-errors")
        .assert()
        .success();
    // The fault clears: the rerun completes, with the files of a fault-free run.
    eval(&gold.url(), &config, &out).assert().success();
    same_files(&clean, &out);
}

#[test]
fn transient_faults_are_retried_and_garbage_is_retried_on_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let config = llm_config(tmp.path());
    let model = gold_model();
    let clean = tmp.path().join("clean");
    {
        let model = Arc::clone(&model);
        let gold = TestServer::start(move |_, r| gold_answer(&model, r));
        eval(&gold.url(), &config, &clean).assert().success();
    }
    // 500, 429, 502 and a call that times out (6 s > --llm-timeout 5) after the preflight:
    // retried within the run.
    let flaky = {
        let model = Arc::clone(&model);
        TestServer::start(move |i, r| match i {
            1 => Reply::error(500, "boom"),
            2 => Reply::error(429, "slow down"),
            3 => Reply::error(502, "bad gateway"),
            4 => gold_answer(&model, r).with_delay(Duration::from_secs(6)),
            _ => gold_answer(&model, r),
        })
    };
    let out = tmp.path().join("flaky");
    eval(&flaky.url(), &config, &out).assert().success();
    same_files(&clean, &out);
    // Garbage is not retried within the run: that episode is left not done, then rerun.
    let garbage = {
        let model = Arc::clone(&model);
        TestServer::start(move |i, r| {
            if i == 1 {
                Reply::ok("<html>not json</html>")
            } else {
                gold_answer(&model, r)
            }
        })
    };
    let out = tmp.path().join("garbage");
    eval(&garbage.url(), &config, &out).assert().failure();
    assert_eq!(json(&out.join("summary.json"))["not_done"], 1);
    eval(&garbage.url(), &config, &out).assert().success();
    same_files(&clean, &out);
}

#[test]
fn a_silent_server_is_reported_in_seconds() {
    let tmp = tempfile::tempdir().unwrap();
    let config = llm_config(tmp.path());
    let silent = TestServer::always(Reply::ok("{}").with_delay(Duration::from_secs(30)));
    let start = Instant::now();
    let assert = eval_within(&silent.url(), &config, &tmp.path().join("run"), "1")
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("did not answer within 1 s"), "{stderr}");
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn no_planted_secret_reaches_any_output_or_log() {
    let tmp = tempfile::tempdir().unwrap();
    let config = llm_config(tmp.path());
    let server = TestServer::start(|i, _| {
        if i < 4 {
            Reply::error(500, "failing")
        } else {
            Reply::ok("garbage")
        }
    });
    let url = server
        .url()
        .replace("http://", "http://alice:PLANTED-PASSWORD@");
    let out = tmp.path().join("run");
    let output = eval(&url, &config, &out)
        .env("WAYMARK_LLM_KEY", "PLANTED-KEY-123")
        .env("WAYMARK_LOG", "debug")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let mut texts = vec![
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ];
    let mut dirs = vec![out.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                texts.push(String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned());
            }
        }
    }
    assert!(texts.len() > 3, "outputs were written");
    assert!(
        !texts[1].contains('\x1b'),
        "no colour codes in a log that is not a terminal"
    );
    for text in texts {
        assert!(!text.contains("PLANTED"), "a secret leaked: {text}");
    }
    // The key did reach the server, and only there.
    let bearer = (
        "authorization".to_string(),
        "Bearer PLANTED-KEY-123".to_string(),
    );
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.headers.contains(&bearer))
    );
}
