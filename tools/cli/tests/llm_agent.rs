//! LLM planners on every task from the CLI: the Python LLM planner (`planners/python/
//! llm_agent.py`, over the JSON-lines protocol) against the real small model CI serves
//! (SmolLM2-135M, `tools/llm-server.sh`), on VLN-CE and, with sensor readings from the scenes,
//! on R2R.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn planner(url: &str) -> String {
    format!(
        "exec:python3 {} --url {url} --model smollm2-135m --max-tokens 8",
        root().join("planners/python/llm_agent.py").display()
    )
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Every episode ran to an end the model chose (or the step limit), with its calls counted
/// and its reasoning in the step log, and nothing privileged was asked for.
fn check_run(out: &Path, episodes: u64) {
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["episodes"], episodes, "{summary}");
    assert_eq!(summary["privileged"], false);
    assert_eq!(summary["end_reasons"].get("error"), None, "{summary}");
    assert!(summary["counters"]["llm_calls"].as_u64().unwrap() >= episodes);
    let logs: Vec<_> = std::fs::read_dir(out.join("steps")).unwrap().collect();
    assert_eq!(logs.len() as u64, episodes);
    let first = std::fs::read_to_string(logs[0].as_ref().unwrap().path()).unwrap();
    let entry: waymark_planner::StepLogEntry =
        serde_json::from_str(first.lines().next().unwrap()).unwrap();
    assert!(entry.thought.is_some() && entry.extra["prompt"].is_string());
}

/// `eval TASK` with the LLM planner at `url` on two demo episodes, the task's own options
/// (paths under the repository root) given as `(flag, path)`.
fn eval_llm(url: &str, task: &str, options: &[(&str, &str)], out: &Path) {
    let mut command = Command::cargo_bin("waymark").unwrap();
    command
        .args(["eval", task, "--planner", &planner(url)])
        .args([
            "--limit",
            "2",
            "--max-steps",
            "6",
            "--planner-timeout",
            "300",
        ]);
    for (flag, path) in options {
        command.arg(flag).arg(root().join(path));
    }
    command.arg("--out").arg(out).assert().success();
}

#[test]
fn an_llm_planner_runs_vlnce_and_r2r_from_the_cli() {
    let Some(url) = waymark_io::test_env::require(
        "WAYMARK_TEST_LLM_URL",
        "the LLM planner on VLN-CE and R2R (tools/llm-server.sh start)",
    ) else {
        return;
    };
    let url = url.to_str().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let vlnce = tmp.path().join("vlnce");
    eval_llm(
        url,
        "vlnce",
        &[
            ("--scene", "assets/apartments/apartment_a.ply"),
            ("--episodes", "assets/demo/apartment_a_vlnce.json"),
        ],
        &vlnce,
    );
    check_run(&vlnce, 2);
    let r2r = tmp.path().join("r2r");
    eval_llm(
        url,
        "r2r",
        &[
            ("--scenes", "assets/apartments"),
            ("--connectivity", "assets/demo/connectivity"),
            ("--episodes", "assets/demo/R2R_demo.json"),
        ],
        &r2r,
    );
    check_run(&r2r, 2);
    let prompt = std::fs::read_to_string(r2r.join("steps/1000_0.jsonl")).unwrap();
    assert!(prompt.contains("Around you: "), "{prompt}");
}

/// The planner asks for sensor readings; R2R without `--scenes` cannot give them and says so
/// before anything runs.
#[test]
fn sensor_readings_without_scenes_are_refused_up_front() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    let root = root();
    let output = Command::cargo_bin("waymark")
        .unwrap()
        .args([
            "eval",
            "r2r",
            "--planner",
            &planner("http://127.0.0.1:9/v1"),
        ])
        .arg("--connectivity")
        .arg(root.join("assets/demo/connectivity"))
        .arg("--episodes")
        .arg(root.join("assets/demo/R2R_demo.json"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(
        err.contains("r2r: the planner asks for sensor readings, but no --scenes folder"),
        "{err}"
    );
    assert!(!out.join("episodes.jsonl").exists());
}
