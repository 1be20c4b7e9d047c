//! End-to-end runs of `navmesh`, `navgraph`, `episodes` and `eval vlnce` on the shipped
//! apartments.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets")
}

fn waymark() -> Command {
    Command::cargo_bin("waymark").unwrap()
}

fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn eval_vlnce(planner: &str, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    waymark()
        .args(["eval", "vlnce", "--planner", planner, "--scene"])
        .arg(assets().join("apartments/apartment_a.ply"))
        .arg("--episodes")
        .arg(assets().join("demo/apartment_a_vlnce.json"))
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
}

#[test]
fn the_oracle_succeeds_on_every_shipped_vlnce_episode() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("oracle");
    eval_vlnce("shortest", &out, &[]).success();
    let s = json(&out.join("summary.json"));
    assert_eq!(s["task"], "vlnce");
    assert_eq!(s["episodes"], 30);
    assert_eq!(s["sr"], 1.0, "{s}");
    assert!(s["spl"].as_f64().unwrap() > 0.9, "{s}");
    assert_eq!(
        s["by_language"].as_object().unwrap().len(),
        2,
        "English and Arabic"
    );
    let submission = json(&out.join("submission.json"));
    let (id, steps) = submission.as_object().unwrap().iter().next().unwrap();
    assert!(id.contains('_'));
    let last = steps.as_array().unwrap().last().unwrap();
    assert_eq!(last["stop"], true);
    assert_eq!(last["position"].as_array().unwrap().len(), 3);
}

#[test]
fn vlnce_batches_resume_and_do_not_depend_on_workers() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    eval_vlnce("random", &a, &["--workers", "1", "--limit", "8"]).success();
    eval_vlnce("random", &b, &["--workers", "3", "--limit", "8"]).success();
    for f in ["episodes.jsonl", "summary.json", "submission.json"] {
        assert!(
            std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
    // Cut the run to three lines and resume: the same files come back.
    let text = std::fs::read_to_string(a.join("episodes.jsonl")).unwrap();
    let kept: String = text.lines().take(3).map(|l| format!("{l}\n")).collect();
    std::fs::write(b.join("episodes.jsonl"), kept).unwrap();
    eval_vlnce("random", &b, &["--workers", "2", "--limit", "8"]).success();
    assert!(
        std::fs::read(a.join("episodes.jsonl")).unwrap()
            == std::fs::read(b.join("episodes.jsonl")).unwrap()
    );
}

#[test]
fn navmesh_navgraph_and_episodes_turn_a_scene_into_a_benchmark() {
    let tmp = tempfile::tempdir().unwrap();
    let scene = assets().join("apartments/apartment_b.ply");
    let map = tmp.path().join("map.png");
    let info = stdout(
        &waymark()
            .arg("navmesh")
            .arg(&scene)
            .arg("--map")
            .arg(&map)
            .assert()
            .success(),
    );
    assert!(info.contains("walkable") && map.is_file(), "{info}");
    waymark()
        .arg("navgraph")
        .arg(&scene)
        .arg("--out")
        .arg(tmp.path().join("graphs"))
        .assert()
        .success();
    let graph = json(&tmp.path().join("graphs/apartment_b_connectivity.json"));
    assert!(graph.as_array().unwrap().len() > 10);
    let out = tmp.path().join("episodes");
    waymark()
        .arg("episodes")
        .arg(&scene)
        .args(["--count", "3", "--seed", "5", "--out"])
        .arg(&out)
        .assert()
        .success();
    let r2r = json(&out.join("apartment_b_r2r.json"));
    assert_eq!(r2r.as_array().unwrap().len(), 3);
    assert_eq!(r2r[0]["language"], serde_json::json!(["en-US", "ar"]));
    assert_eq!(r2r[0]["generated"], true);
    let vlnce = json(&out.join("apartment_b_vlnce.json"));
    assert_eq!(vlnce["episodes"].as_array().unwrap().len(), 6);
    // The generated R2R episodes run on the generated graph.
    let assert = waymark()
        .args(["eval", "r2r", "--planner", "shortest", "--connectivity"])
        .arg(out.join("connectivity"))
        .arg("--episodes")
        .arg(out.join("apartment_b_r2r.json"))
        .arg("--out")
        .arg(tmp.path().join("run"))
        .assert()
        .success();
    assert!(stdout(&assert).contains("1.0000"));
}

#[test]
fn episodes_off_the_walkable_area_are_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let mut file = json(&assets().join("demo/apartment_a_vlnce.json"));
    file["episodes"][2]["start_position"] = serde_json::json!([100.0, 0.0, 100.0]);
    let bad = tmp.path().join("bad.json");
    std::fs::write(&bad, file.to_string()).unwrap();
    let out = tmp.path().join("out");
    let assert = waymark()
        .args(["eval", "vlnce", "--planner", "random", "--scene"])
        .arg(assets().join("apartments/apartment_a.ply"))
        .arg("--episodes")
        .arg(&bad)
        .arg("--out")
        .arg(&out)
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        err.contains("not on the walkable area") && err.contains("bad.json"),
        "{err}"
    );
    assert!(!out.join("episodes.jsonl").exists());
}
