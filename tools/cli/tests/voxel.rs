//! The voxel tasks end to end: `waymark eval crafter|steve1`, the same files for any worker
//! count, `waymark score crafter` on the `stats.jsonl` submission (and on a file as the Python
//! Crafter writes it), `waymark record` (a GIF replayed from the trajectory) and `waymark bench
//! voxel`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn waymark() -> Command {
    Command::cargo_bin("waymark").unwrap()
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn stderr(out: assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

fn eval(task: &str, out: &Path, extra: &[&str]) {
    waymark()
        .args(["eval", task, "--planner", "random", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

#[test]
fn crafter_runs_are_identical_for_any_worker_count_and_score_back() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    let args = ["--seeds", "4", "--length", "400"];
    eval("crafter", &one, &[&args[..], &["--workers", "1"]].concat());
    eval("crafter", &two, &[&args[..], &["--workers", "2"]].concat());
    for file in ["episodes.jsonl", "submission.json", "summary.json"] {
        let (a, b) = (
            std::fs::read(one.join(file)).unwrap(),
            std::fs::read(two.join(file)).unwrap(),
        );
        assert!(a == b, "{file} differs between 1 and 2 workers");
    }
    let summary = json(&one.join("summary.json"));
    assert_eq!(summary["episodes"], 4);
    // The submission is Crafter's stats.jsonl: one line per episode.
    let stats = std::fs::read_to_string(one.join("submission.json")).unwrap();
    let lines: Vec<Value> = stats
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0]["achievement_collect_wood"].is_u64());
    let scored = waymark()
        .args(["score", "crafter", "--format", "json", "--seeds", "4"])
        .arg(one.join("submission.json"))
        .assert()
        .success();
    let scored: Value = serde_json::from_slice(&scored.get_output().stdout).unwrap();
    for metric in ["score", "reward", "length", "collect_wood", "wake_up"] {
        assert_eq!(scored[metric], summary[metric], "{metric}");
    }
    // A file as the Python Crafter's recorder writes it (no episode ids: matched by position).
    let python = tmp.path().join("stats.jsonl");
    std::fs::write(
        &python,
        "{\"length\": 10, \"reward\": 1.0, \"achievement_collect_wood\": 2}\n{\"length\": 5, \"reward\": 0.0}\n",
    )
    .unwrap();
    let scored = waymark()
        .args(["score", "crafter", "--format", "json", "--seeds", "2"])
        .arg(&python)
        .assert()
        .success();
    let scored: Value = serde_json::from_slice(&scored.get_output().stdout).unwrap();
    assert_eq!(scored["collect_wood"], 0.5);
    let expected = (51f64.ln() / 22.0).exp() - 1.0;
    assert!((scored["score"].as_f64().unwrap() - expected).abs() < 1e-12);

    // The first episode replayed into a GIF with PNG frames every 100 steps.
    let gif = tmp.path().join("seed-0.gif");
    let frames = tmp.path().join("frames");
    waymark()
        .arg("record")
        .arg(&one)
        .args([
            "--episode",
            "seed-0",
            "--size",
            "32",
            "--every",
            "100",
            "--out",
        ])
        .arg(&gif)
        .arg("--frames")
        .arg(&frames)
        .assert()
        .success();
    let bytes = std::fs::read(&gif).unwrap();
    assert!(bytes.starts_with(b"GIF89a"));
    assert!(std::fs::read_dir(&frames).unwrap().count() >= 2);
    let out = waymark()
        .arg("record")
        .arg(&one)
        .args(["--episode", "nope", "--out"])
        .arg(tmp.path().join("x.gif"))
        .assert()
        .failure();
    assert!(stderr(out).contains("no episode nope"));
}

#[test]
fn steve1_reports_every_prompt_and_refuses_bad_episodes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("steve1");
    eval("steve1", &out, &["--seeds", "1", "--length", "200"]);
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["episodes"], 11);
    let types = summary["by_task_type"].as_object().unwrap();
    assert_eq!(types.len(), 11);
    for family in [
        "dig",
        "dirt",
        "sky",
        "leaves",
        "wood",
        "seeds",
        "flower",
        "explore",
        "swim",
        "underwater",
        "inventory",
    ] {
        assert!(types.contains_key(family), "{family}");
    }
    // The privileged scripted agent in MineRL's space: the same files for 1 and 2 workers.
    let (one, two) = (tmp.path().join("s1"), tmp.path().join("s2"));
    for (out, workers) in [(&one, "1"), (&two, "2")] {
        waymark()
            .args([
                "eval",
                "steve1",
                "--planner",
                "scripted",
                "--seeds",
                "1",
                "--length",
                "150",
            ])
            .args(["--workers", workers, "--out"])
            .arg(out)
            .assert()
            .success();
    }
    for file in ["episodes.jsonl", "submission.json", "summary.json"] {
        let (a, b) = (
            std::fs::read(one.join(file)).unwrap(),
            std::fs::read(two.join(file)).unwrap(),
        );
        assert!(a == b, "scripted {file} differs between 1 and 2 workers");
    }
    assert_eq!(json(&one.join("run.json"))["privileged"], true);
    let episodes = tmp.path().join("episodes.json");
    std::fs::write(&episodes, r#"[{"id": "a", "seed": 1, "family": "fly"}]"#).unwrap();
    let out = waymark()
        .args(["eval", "steve1", "--planner", "random", "--episodes"])
        .arg(&episodes)
        .arg("--out")
        .arg(tmp.path().join("bad"))
        .assert()
        .failure();
    let text = stderr(out);
    assert!(
        text.contains("episode a: unknown prompt family `fly`"),
        "{text}"
    );
}

#[test]
fn bench_voxel_prints_steps_per_second() {
    let out = waymark()
        .args(["bench", "voxel", "--size", "16", "--steps", "50"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("steps per second:"), "{text}");
    assert!(text.contains("ms per chunk"), "{text}");
}
