//! `waymark report` and `eval --report` end to end: the HTML file of demo runs with top-down
//! pictures drawn from the episodes each run's `run.json` names, and clear refusals of folders
//! that are not runs and of runs of different tasks.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn waymark() -> Command {
    Command::cargo_bin("waymark").unwrap()
}

fn eval_r2r(planner: &str, out: &Path, extra: &[&str]) {
    let demo = root().join("assets/demo");
    waymark()
        .args([
            "eval",
            "r2r",
            "--planner",
            planner,
            "--limit",
            "8",
            "--connectivity",
        ])
        .arg(demo.join("connectivity"))
        .arg("--episodes")
        .arg(demo.join("R2R_demo.json"))
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

#[test]
fn eval_writes_a_report_and_report_compares_runs_with_pictures() {
    let tmp = tempfile::tempdir().unwrap();
    let (random, shortest) = (tmp.path().join("random"), tmp.path().join("shortest"));
    eval_r2r("random", &random, &["--report"]);
    let own = std::fs::read_to_string(random.join("report.html")).unwrap();
    // The run's own report: its summary table (SR carries the value summary.json holds) and
    // its plots.
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(random.join("summary.json")).unwrap())
            .unwrap();
    assert!(
        own.contains(&format!(
            "data-run=\"0\" data-group=\"overall\" data-metric=\"sr\" data-value=\"{}\"",
            summary["sr"]
        )),
        "the report's SR is summary.json's"
    );
    assert!(own.contains("<svg"));
    eval_r2r("shortest", &shortest, &[]);
    let out = tmp.path().join("both.html");
    let assert = waymark()
        .arg("report")
        .arg(&random)
        .arg(&shortest)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let said = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(said.contains("2 run(s)"), "{said}");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("random") && html.contains("shortest"));
    // The worst episodes are drawn from the demo graph: its edges, and the paths over them.
    assert!(html.matches("<svg").count() >= 4, "plots and pictures");
    assert!(
        !html.contains("no top-down picture"),
        "every worst episode has its picture"
    );
}

#[test]
fn folders_that_are_not_runs_and_mixed_tasks_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let assert = waymark()
        .args(["report", "--out"])
        .arg(tmp.path().join("r.html"))
        .arg(&empty)
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        err.contains("is not a run folder") && err.contains("run.json"),
        "{err}"
    );

    let r2r = tmp.path().join("r2r");
    eval_r2r("stop", &r2r, &[]);
    let vlnce = tmp.path().join("vlnce");
    waymark()
        .args([
            "eval",
            "vlnce",
            "--planner",
            "stop",
            "--limit",
            "2",
            "--scene",
        ])
        .arg(root().join("assets/apartments/apartment_a.ply"))
        .arg("--episodes")
        .arg(root().join("assets/demo/apartment_a_vlnce.json"))
        .arg("--out")
        .arg(&vlnce)
        .assert()
        .success();
    let assert = waymark()
        .args(["report", "--out"])
        .arg(tmp.path().join("r.html"))
        .arg(&r2r)
        .arg(&vlnce)
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(err.contains("r2r") && err.contains("vlnce"), "{err}");
    assert!(!tmp.path().join("r.html").exists());
}
