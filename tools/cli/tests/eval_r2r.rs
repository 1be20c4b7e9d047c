//! End-to-end runs of the `waymark` binary on the shipped demo assets.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo")
}

fn waymark() -> Command {
    Command::cargo_bin("waymark").unwrap()
}

fn eval(planner: &str, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    let d = demo();
    waymark()
        .args(["eval", "r2r", "--planner", planner, "--connectivity"])
        .arg(d.join("connectivity"))
        .arg("--episodes")
        .arg(d.join("R2R_demo.json"))
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Asserts two output files are byte-identical, reporting the first line that differs.
fn assert_same_file(a: &Path, b: &Path) {
    let (ba, bb) = (std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    if ba == bb {
        return;
    }
    let (ta, tb) = (String::from_utf8_lossy(&ba), String::from_utf8_lossy(&bb));
    if ta != tb {
        let line = ta.lines().zip(tb.lines()).position(|(x, y)| x != y);
        panic!(
            "{} and {} differ (first differing line: {line:?}; {} vs {} lines)",
            a.display(),
            b.display(),
            ta.lines().count(),
            tb.lines().count()
        );
    }
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&read(path)).unwrap()
}

const METRICS: [&str; 9] = [
    "episodes", "tl", "ne", "sr", "osr", "spl", "ndtw", "sdtw", "cls",
];

#[test]
fn eval_writes_the_official_submission_and_the_score_matches_the_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("random");
    eval("random", &out, &["--workers", "2"]).success();
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["episodes"], 60);
    assert_eq!(summary["planner"], "random");
    let submission = json(&out.join("submission.json"));
    let entries = submission.as_array().unwrap();
    assert_eq!(entries.len(), 60);
    let first = &entries[0];
    assert!(first["instr_id"].as_str().unwrap().ends_with("_0"));
    let point = first["trajectory"][0].as_array().unwrap();
    assert!(point[0].is_string() && point[1].is_number() && point[2].is_number());
    assert_eq!(read(&out.join("episodes.jsonl")).lines().count(), 60);

    let d = demo();
    let scored = waymark()
        .args(["score", "r2r", "--format", "json", "--connectivity"])
        .arg(d.join("connectivity"))
        .arg("--episodes")
        .arg(d.join("R2R_demo.json"))
        .arg(out.join("submission.json"))
        .assert()
        .success();
    let scored: Value = serde_json::from_slice(&scored.get_output().stdout).unwrap();
    let keys: Vec<&String> = scored.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), METRICS.len());
    for key in METRICS {
        assert_eq!(scored[key], summary[key], "{key}");
    }
    let sr = scored["sr"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&sr), "a fraction, not a percentage");
}

#[test]
fn the_oracle_is_perfect_and_stop_scores_zero() {
    let tmp = tempfile::tempdir().unwrap();
    eval("shortest", &tmp.path().join("s"), &[]).success();
    let s = json(&tmp.path().join("s/summary.json"));
    for key in ["sr", "osr", "spl", "ndtw", "sdtw", "cls"] {
        assert_eq!(s[key], 1.0, "{key}");
    }
    assert_eq!(s["ne"], 0.0);
    eval("stop", &tmp.path().join("z"), &[]).success();
    let z = json(&tmp.path().join("z/summary.json"));
    assert_eq!(
        (z["tl"].as_f64(), z["sr"].as_f64(), z["steps"].as_f64()),
        (Some(0.0), Some(0.0), Some(0.0)),
        "demo goals are at least 4 m away"
    );
}

#[test]
fn results_do_not_depend_on_the_worker_count() {
    let tmp = tempfile::tempdir().unwrap();
    eval(
        "random",
        &tmp.path().join("w1"),
        &["--workers", "1", "--seed", "3"],
    )
    .success();
    eval(
        "random",
        &tmp.path().join("w4"),
        &["--workers", "4", "--seed", "3"],
    )
    .success();
    for file in ["episodes.jsonl", "submission.json", "summary.json"] {
        assert_same_file(
            &tmp.path().join("w1").join(file),
            &tmp.path().join("w4").join(file),
        );
    }
}

#[test]
fn resuming_after_a_torn_write_finishes_the_batch_without_duplicates() {
    let tmp = tempfile::tempdir().unwrap();
    let full = tmp.path().join("full");
    eval("random", &full, &[]).success();
    // Simulate a kill: 40 complete lines and half of the 41st, no final files.
    let part = tmp.path().join("part");
    std::fs::create_dir_all(&part).unwrap();
    std::fs::copy(full.join("run.json"), part.join("run.json")).unwrap();
    let text = read(&full.join("episodes.jsonl"));
    let lines: Vec<&str> = text.lines().collect();
    let mut torn = lines[..40].join("\n");
    torn.push('\n');
    torn.push_str(&lines[40][..lines[40].len() / 2]);
    std::fs::write(part.join("episodes.jsonl"), torn).unwrap();
    eval("random", &part, &[]).success();
    for file in ["episodes.jsonl", "submission.json", "summary.json"] {
        assert_same_file(&full.join(file), &part.join(file));
    }
    // Rerunning a finished folder changes nothing.
    eval("random", &part, &[]).success();
    assert_same_file(&full.join("episodes.jsonl"), &part.join("episodes.jsonl"));
}

#[test]
fn a_killed_run_resumes_to_the_same_result() {
    let tmp = tempfile::tempdir().unwrap();
    let full = tmp.path().join("full");
    eval("random", &full, &["--workers", "1"]).success();
    let killed = tmp.path().join("killed");
    let d = demo();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("waymark"))
        .args([
            "eval",
            "r2r",
            "--planner",
            "random",
            "--workers",
            "1",
            "--connectivity",
        ])
        .arg(d.join("connectivity"))
        .arg("--episodes")
        .arg(d.join("R2R_demo.json"))
        .arg("--out")
        .arg(&killed)
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(15));
    child.kill().unwrap();
    child.wait().unwrap();
    eval("random", &killed, &["--workers", "1"]).success();
    for file in ["episodes.jsonl", "submission.json", "summary.json"] {
        assert_same_file(&full.join(file), &killed.join(file));
    }
}

#[test]
fn shards_merged_equal_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    eval("random", &whole, &["--seed", "11"]).success();
    let mut shard_dirs = Vec::new();
    for i in 0..3 {
        let dir = tmp.path().join(format!("shard{i}"));
        eval(
            "random",
            &dir,
            &["--seed", "11", "--shard", &format!("{i}/3")],
        )
        .success();
        assert_eq!(read(&dir.join("episodes.jsonl")).lines().count(), 20);
        shard_dirs.push(dir);
    }
    let merged = tmp.path().join("merged");
    waymark()
        .arg("merge")
        .args(&shard_dirs)
        .arg("--out")
        .arg(&merged)
        .assert()
        .success();
    for file in ["episodes.jsonl", "submission.json", "summary.json"] {
        assert_same_file(&whole.join(file), &merged.join(file));
    }
    // Shards of different seeds do not merge.
    let other = tmp.path().join("other");
    eval("random", &other, &["--seed", "12", "--shard", "0/3"]).success();
    let assert = waymark()
        .arg("merge")
        .arg(&shard_dirs[1])
        .arg(&other)
        .arg("--out")
        .arg(tmp.path().join("bad"))
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("seed"), "{stderr}");
}

#[test]
fn resuming_with_other_settings_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    eval("random", &out, &["--limit", "5"]).success();
    let assert = eval("shortest", &out, &["--limit", "5"]).failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("planner") && stderr.contains("random"),
        "{stderr}"
    );
    assert_eq!(
        read(&out.join("episodes.jsonl")).lines().count(),
        5,
        "nothing lost"
    );
}

#[test]
fn the_shipped_demo_is_what_the_generator_makes() {
    let tmp = tempfile::tempdir().unwrap();
    waymark()
        .args(["generate-demo", "--out"])
        .arg(tmp.path())
        .assert()
        .success();
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets");
    let mut folders: Vec<PathBuf> = ["demo", "apartments", "household"]
        .iter()
        .map(PathBuf::from)
        .collect();
    let mut compared = 0;
    while let Some(sub) = folders.pop() {
        for entry in std::fs::read_dir(assets.join(&sub)).unwrap() {
            let path = entry.unwrap().path();
            let name = sub.join(path.file_name().unwrap());
            if path.is_dir() {
                folders.push(name);
            } else {
                assert_same_file(&path, &tmp.path().join(&name));
                compared += 1;
            }
        }
    }
    // Apartments, graphs, episode files, the household's layouts and its ten tasks.
    assert!(compared >= 25, "{compared} files");
}

#[test]
fn the_household_demo_runs_and_scores_without_external_data() {
    let tmp = tempfile::tempdir().unwrap();
    let household = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/household");
    for planner in ["expert", "high-level-oracle"] {
        let out = tmp.path().join(planner);
        waymark()
            .args(["eval", "alfred", "--planner", planner, "--episodes"])
            .arg(household.join("tasks"))
            .arg("--layouts")
            .arg(household.join("layouts"))
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let summary: Value = serde_json::from_str(&read(&out.join("summary.json"))).unwrap();
        assert_eq!(summary["episodes"], 10, "{planner}");
        assert_eq!(summary["sr"], 1.0, "{planner}");
        assert_eq!(summary["by_task_type"].as_object().unwrap().len(), 7);
        let scored = waymark()
            .args(["score", "alfred", "--format", "json", "--episodes"])
            .arg(household.join("tasks"))
            .arg("--layouts")
            .arg(household.join("layouts"))
            .arg(out.join("submission.json"))
            .output()
            .unwrap();
        let scores: Value = serde_json::from_slice(&scored.stdout).unwrap();
        assert_eq!(scores["sr"], 1.0, "{planner}");
        assert_eq!(scores["gc"], 1.0, "{planner}");
    }
}
