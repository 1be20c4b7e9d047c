//! Bad input gets a clear error, a non-zero exit, and nothing half-written.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic

use assert_cmd::Command;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo")
}

fn demo_records() -> Vec<Value> {
    serde_json::from_str(&std::fs::read_to_string(demo().join("R2R_demo.json")).unwrap()).unwrap()
}

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// Runs `eval r2r` on an episode file and expects failure with nothing written.
fn eval_fails(episodes: &Path, out: &Path) -> String {
    let assert = Command::cargo_bin("waymark")
        .unwrap()
        .args(["eval", "r2r", "--planner", "random", "--connectivity"])
        .arg(demo().join("connectivity"))
        .arg("--episodes")
        .arg(episodes)
        .arg("--out")
        .arg(out)
        .assert()
        .failure();
    assert!(!out.join("episodes.jsonl").exists(), "nothing half-written");
    assert!(!out.join("summary.json").exists());
    stderr_of(&assert)
}

fn score(submission: &Value, dir: &Path) -> String {
    let path = dir.join("submission.json");
    std::fs::write(&path, submission.to_string()).unwrap();
    let assert = Command::cargo_bin("waymark")
        .unwrap()
        .args(["score", "r2r", "--connectivity"])
        .arg(demo().join("connectivity"))
        .arg("--episodes")
        .arg(demo().join("R2R_demo.json"))
        .arg(&path)
        .assert()
        .failure();
    stderr_of(&assert)
}

#[test]
fn malformed_episode_json_names_the_file_and_the_json_path() {
    let tmp = tempfile::tempdir().unwrap();
    let mut records = demo_records();
    records[3]["heading"] = json!("north");
    let file = tmp.path().join("eps.json");
    std::fs::write(&file, Value::Array(records).to_string()).unwrap();
    let err = eval_fails(&file, &tmp.path().join("out"));
    assert!(
        err.contains("eps.json") && err.contains("[3].heading"),
        "{err}"
    );

    std::fs::write(&file, "[{\"distance\": 1,").unwrap();
    let err = eval_fails(&file, &tmp.path().join("out"));
    assert!(err.contains("eps.json") && err.contains("EOF"), "{err}");
}

#[test]
fn an_unknown_scan_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let mut records = demo_records();
    records[0]["scan"] = json!("no_such_scan");
    let file = tmp.path().join("eps.json");
    std::fs::write(&file, Value::Array(records).to_string()).unwrap();
    let err = eval_fails(&file, &tmp.path().join("out"));
    assert!(
        err.contains("no_such_scan") && err.contains("unknown scan"),
        "{err}"
    );
}

#[test]
fn a_path_that_is_not_walkable_names_the_instruction_and_viewpoints() {
    let tmp = tempfile::tempdir().unwrap();
    let mut records = demo_records();
    let path = records[2]["path"].as_array().unwrap().clone();
    let (first, last) = (path[0].clone(), path[path.len() - 1].clone());
    records[2]["path"] = json!([first, last]);
    let file = tmp.path().join("eps.json");
    std::fs::write(&file, Value::Array(records.clone()).to_string()).unwrap();
    let err = eval_fails(&file, &tmp.path().join("out"));
    let instr = format!("{}_0", records[2]["path_id"]);
    assert!(
        err.contains(&instr)
            && err.contains(first.as_str().unwrap())
            && err.contains(last.as_str().unwrap()),
        "{err}"
    );
}

#[test]
fn an_unknown_planner_lists_the_known_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let assert = Command::cargo_bin("waymark")
        .unwrap()
        .args(["eval", "r2r", "--planner", "gpt5", "--connectivity"])
        .arg(demo().join("connectivity"))
        .arg("--episodes")
        .arg(demo().join("R2R_demo.json"))
        .arg("--out")
        .arg(&out)
        .assert()
        .failure();
    assert!(
        stderr_of(&assert)
            .contains("available: a2nav, expert, flowplan, high-level-oracle, label-match, llm-grounder, llm-planner, llm-skills, navgpt, random, scripted, shortest, stop")
    );
    assert!(!out.exists());
}

/// A valid submission: each instruction's reference path.
fn oracle_submission() -> Vec<Value> {
    let mut entries = Vec::new();
    for r in demo_records() {
        for k in 0..r["instructions"].as_array().unwrap().len() {
            let trajectory: Vec<Value> = r["path"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| json!([v, 0.0, 0.0]))
                .collect();
            entries.push(
                json!({"instr_id": format!("{}_{k}", r["path_id"]), "trajectory": trajectory}),
            );
        }
    }
    entries
}

#[test]
fn submissions_with_missing_unknown_or_non_adjacent_entries_are_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let mut missing = oracle_submission();
    missing.remove(7);
    let err = score(&Value::Array(missing), tmp.path());
    assert!(err.contains("not provided for 1 episode ids"), "{err}");

    let mut unknown = oracle_submission();
    unknown[5]["instr_id"] = json!("999999_0");
    let err = score(&Value::Array(unknown), tmp.path());
    assert!(err.contains("unknown episode id 999999_0"), "{err}");

    let mut jump = oracle_submission();
    let trajectory = jump[4]["trajectory"].as_array().unwrap().clone();
    let (a, b) = (
        trajectory[0][0].clone(),
        trajectory[trajectory.len() - 1][0].clone(),
    );
    jump[4]["trajectory"] = json!([[a, 0.0, 0.0], [b, 0.0, 0.0]]);
    let id = jump[4]["instr_id"].as_str().unwrap().to_string();
    let err = score(&Value::Array(jump), tmp.path());
    assert!(
        err.contains(&id) && err.contains(a.as_str().unwrap()) && err.contains(b.as_str().unwrap()),
        "{err}"
    );

    let err = score(&json!({"not": "a list"}), tmp.path());
    assert!(
        err.contains("submission.json") && err.contains("invalid JSON"),
        "{err}"
    );
}

#[test]
fn the_oracle_submission_scores_perfectly() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("submission.json");
    std::fs::write(&path, Value::Array(oracle_submission()).to_string()).unwrap();
    let assert = Command::cargo_bin("waymark")
        .unwrap()
        .args(["score", "r2r", "--format", "json", "--connectivity"])
        .arg(demo().join("connectivity"))
        .arg("--episodes")
        .arg(demo().join("R2R_demo.json"))
        .arg(&path)
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(
        (v["sr"].as_f64(), v["spl"].as_f64(), v["episodes"].as_u64()),
        (Some(1.0), Some(1.0), Some(60))
    );
}
