//! `waymark eval sg3d` and `waymark score sg3d` end to end on a demo apartment (its labelled
//! instances; SG3D ids are waymark's instance ids − 1).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn apartments() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/apartments")
}

fn waymark() -> Command {
    Command::cargo_bin("waymark").unwrap()
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Three tasks in apartment_a, the second in the text form too.
const TASKS: &str = r#"[
  {"scan_id": "apartment_a", "task_description": "Watch TV.",
   "action_steps": [{"action": "Walk to the sofa.", "target_id": "19", "label": "sofa"},
                    {"action": "Turn on the tv.", "target_id": "20", "label": "tv"},
                    {"action": "Sit on the sofa.", "target_id": "19", "label": "sofa"}]},
  {"scan_id": "apartment_a", "task_description": "Get ready for bed.",
   "action_steps": [{"action": "Open the wardrobe.", "target_id": "15", "label": "wardrobe"},
                    {"action": "Lie down on the bed.", "target_id": "14", "label": "bed"}]},
  {"scan_id": "apartment_a", "task_description": "Take a bath.",
   "action_steps": [{"action": "Walk to the bathtub.", "target_id": "33", "label": "bathtub"},
                    {"action": "Fill it.", "target_id": "33", "label": "bathtub"}]}
]"#;

fn eval(planner: &str, episodes: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    eval_task("sg3d", planner, episodes, out, extra)
}

fn eval_task(
    task: &str,
    planner: &str,
    episodes: &Path,
    out: &Path,
    extra: &[&str],
) -> assert_cmd::assert::Assert {
    waymark()
        .args(["eval", task, "--planner", planner, "--episodes"])
        .arg(episodes)
        .arg("--scenes")
        .arg(apartments())
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
}

#[test]
fn eval_and_score_sg3d() {
    let tmp = tempfile::tempdir().unwrap();
    let tasks = tmp.path().join("tasks.json");
    std::fs::write(&tasks, TASKS).unwrap();

    let expert = tmp.path().join("expert");
    eval("expert", &tasks, &expert, &[]).success();
    let summary = json(&expert.join("summary.json"));
    assert_eq!(
        (&summary["s_acc"], &summary["t_acc"], &summary["episodes"]),
        (&Value::from(1.0), &Value::from(1.0), &Value::from(3))
    );
    assert_eq!(summary["privileged"], true);
    // Step accuracy by step position and by the target's label, counted by hand from TASKS.
    let tally = |table: &str, key: &str| {
        let t = &summary["breakdowns"][table][key];
        (
            t["steps"].as_u64().unwrap(),
            t["accuracy"].as_f64().unwrap(),
        )
    };
    assert_eq!(tally("by_step_position", "01"), (3, 1.0));
    assert_eq!(tally("by_step_position", "02"), (3, 1.0));
    assert_eq!(tally("by_step_position", "03"), (1, 1.0));
    assert_eq!(tally("by_label", "sofa"), (2, 1.0));
    assert_eq!(tally("by_label", "bathtub"), (2, 1.0));
    assert_eq!(tally("by_label", "tv"), (1, 1.0));
    assert_eq!(
        json(&expert.join("submission.json")),
        serde_json::json!({"0": [19, 20, 19], "1": [15, 14], "2": [33, 33]})
    );

    let label = tmp.path().join("label-match");
    eval("label-match", &tasks, &label, &["--seed", "3"]).success();
    let summary = json(&label.join("summary.json"));
    let scored = waymark()
        .args(["score", "sg3d", "--format", "json", "--episodes"])
        .arg(&tasks)
        .arg(label.join("submission.json"))
        .assert()
        .success();
    let scored: Value = serde_json::from_slice(&scored.get_output().stdout).unwrap();
    for metric in ["s_acc", "t_acc", "edit_distance"] {
        assert_eq!(scored[metric], summary[metric], "{metric}");
    }
    assert_eq!(scored["episodes"], 3);
    // Every step names its object by label or by `it`: label-match gets them all.
    assert_eq!(scored["s_acc"], 1.0);

    // The text form, with the scan on the command line; a bad target names task and step.
    let text = tmp.path().join("tasks.txt");
    std::fs::write(
        &text,
        "Task: Rest.\nSteps:\n1. Go to the sofa. [sofa-19]\n===\nTask: Cook.\nSteps:\n1. Open the fridge. [fridge-25]\n2. Use the oven. [oven-90]\n",
    )
    .unwrap();
    let failed = eval(
        "random",
        &text,
        &tmp.path().join("bad"),
        &["--scan", "apartment_a"],
    )
    .failure();
    let stderr = String::from_utf8(failed.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("episode 1: step 2 (\"Use the oven.\"): target id 90 (oven) is not an object of scene apartment_a"),
        "{stderr}"
    );
    std::fs::write(&text, "Task: Rest.\nSteps:\n1. Go to the sofa. [sofa-19]\n").unwrap();
    let random = tmp.path().join("random");
    eval("random", &text, &random, &["--scan", "apartment_a"]).success();
    assert_eq!(json(&random.join("summary.json"))["episodes"], 1);
}

#[test]
fn eval_and_score_navigate_then_ground() {
    let tmp = tempfile::tempdir().unwrap();
    let tasks = tmp.path().join("tasks.json");
    std::fs::write(&tasks, TASKS).unwrap();
    let expert = tmp.path().join("expert");
    eval_task("sg3d-nav", "expert", &tasks, &expert, &["--workers", "1"]).success();
    let summary = json(&expert.join("summary.json"));
    for metric in ["s_acc", "t_acc", "nav_sr"] {
        assert_eq!(summary[metric], 1.0, "{metric}: {summary}");
    }
    let walked = &summary["breakdowns"]["by_step_position"];
    assert_eq!(
        (&walked["01"]["steps"], &walked["01"]["accuracy"]),
        (&Value::from(3), &Value::from(1.0))
    );
    let spl = summary["nav_spl"].as_f64().unwrap();
    assert!(spl > 0.5 && spl <= 1.0, "{summary}");
    assert_eq!(summary["privileged"], true);
    // Two workers, the same episodes, byte for byte.
    let two = tmp.path().join("expert-2");
    eval_task("sg3d-nav", "expert", &tasks, &two, &["--workers", "2"]).success();
    assert_eq!(
        std::fs::read(expert.join("episodes.jsonl")).unwrap(),
        std::fs::read(two.join("episodes.jsonl")).unwrap()
    );
    // The scorer replays the submitted walks to the run's own figures.
    let label = tmp.path().join("label-match");
    eval_task("sg3d-nav", "label-match", &tasks, &label, &[]).success();
    let summary = json(&label.join("summary.json"));
    let scored = waymark()
        .args(["score", "sg3d-nav", "--format", "json", "--episodes"])
        .arg(&tasks)
        .arg("--scenes")
        .arg(apartments())
        .arg(label.join("submission.json"))
        .assert()
        .success();
    let scored: Value = serde_json::from_slice(&scored.get_output().stdout).unwrap();
    for metric in ["s_acc", "t_acc", "edit_distance", "nav_sr", "nav_spl"] {
        assert_eq!(scored[metric], summary[metric], "{metric}");
    }
    // A planner that never walks is refused before anything is written.
    let refused = tmp.path().join("llm");
    let out = eval_task(
        "sg3d-nav",
        "llm-grounder",
        &tasks,
        &refused,
        &["--llm-url", "http://127.0.0.1:9/v1", "--model", "m"],
    )
    .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("llm-grounder") && err.contains("sg3d-nav"),
        "{err}"
    );
    assert!(!refused.join("episodes.jsonl").exists());
}

#[test]
fn grounding_tasks_are_generated_for_a_labelled_scene_and_run() {
    let tmp = tempfile::tempdir().unwrap();
    let tasks = tmp.path().join("generated.json");
    let out = waymark()
        .args([
            "grounding-tasks",
            "--language",
            "both",
            "--tasks",
            "3",
            "--scan-id",
            "apartment_b",
        ])
        .arg(apartments().join("apartment_b.ply"))
        .arg("--out")
        .arg(&tasks)
        .assert()
        .success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(said.starts_with("wrote 6 tasks"), "{said}");
    let written = json(&tasks);
    let languages: Vec<&str> = written
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["language"].as_str().unwrap())
        .collect();
    assert_eq!(languages, ["en", "en", "en", "ar", "ar", "ar"]);
    let run = tmp.path().join("expert");
    eval("expert", &tasks, &run, &[]).success();
    assert_eq!(json(&run.join("summary.json"))["s_acc"], 1.0);
    // Too few steps, and a scene that is not there, are refused by name.
    let err = waymark()
        .args(["grounding-tasks", "--max-steps", "1", "x.ply", "--out"])
        .arg(tmp.path().join("no.json"))
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&err.get_output().stderr).to_string();
    assert!(err.contains("--max-steps must be at least 2"), "{err}");
    let err = waymark()
        .args(["grounding-tasks", "missing.ply", "--out"])
        .arg(tmp.path().join("no.json"))
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&err.get_output().stderr).to_string();
    assert!(err.contains("missing.ply"), "{err}");
}

#[test]
fn the_demo_tasks_single_out_every_target() {
    // Every generated step names its target by a unique label or a relation to a uniquely
    // labelled object, which label-match reads in English (it has no Arabic labels).
    let tmp = tempfile::tempdir().unwrap();
    let demo = apartments().join("../demo");
    for name in ["apartment_a", "apartment_b"] {
        let tasks = demo.join(format!("{name}_sg3d.json"));
        let out = tmp.path().join(name);
        eval("label-match", &tasks, &out, &[]).success();
        let summary = json(&out.join("summary.json"));
        assert_eq!(summary["episodes"], 10, "{name}");
        assert_eq!(summary["by_language"]["en"]["s_acc"], 1.0, "{name}");
        assert_eq!(summary["by_language"]["ar"]["episodes"], 5, "{name}");
    }
}

#[test]
fn a_planner_over_the_protocol_grounds_with_the_privileged_teacher() {
    let tmp = tempfile::tempdir().unwrap();
    let agent =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../planners/python/waymark_agent.py");
    let tasks = apartments().join("../demo/apartment_b_sg3d.json");
    let out = tmp.path().join("exec");
    let planner = format!("exec:python3 {} shortest", agent.display());
    eval(&planner, &tasks, &out, &[]).success();
    let summary = json(&out.join("summary.json"));
    assert_eq!(
        (&summary["s_acc"], &summary["privileged"]),
        (&Value::from(1.0), &Value::from(true))
    );
}
