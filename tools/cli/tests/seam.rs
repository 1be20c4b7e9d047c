//! The task seam end to end: byte-identical outputs (golden digests made before the generic
//! runner), the registry's `tasks` and `planners`, planner/task mismatches, privileged access,
//! and planners in another language over the JSON-lines protocol (the reference Python agent).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use assert_cmd::Command;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn waymark() -> Command {
    Command::cargo_bin("waymark").unwrap()
}

fn agent(mode: &str) -> String {
    format!(
        "exec:python3 {} {mode}",
        root().join("planners/python/waymark_agent.py").display()
    )
}

/// `eval r2r` on the demo episodes.
fn eval_r2r(planner: &str, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    let demo = root().join("assets/demo");
    waymark()
        .args(["eval", "r2r", "--planner", planner, "--connectivity"])
        .arg(demo.join("connectivity"))
        .arg("--episodes")
        .arg(demo.join("R2R_demo.json"))
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
}

/// `eval vlnce` on apartment `which` of the demo.
fn eval_vlnce(
    which: &str,
    planner: &str,
    out: &Path,
    extra: &[&str],
) -> assert_cmd::assert::Assert {
    let root = root();
    waymark()
        .args(["eval", "vlnce", "--planner", planner, "--scene"])
        .arg(root.join(format!("assets/apartments/apartment_{which}.ply")))
        .arg("--episodes")
        .arg(root.join(format!("assets/demo/apartment_{which}_vlnce.json")))
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every output of R2R and VLN-CE batches (three baselines, both demo apartments) and of
/// `score r2r` is byte-for-byte what the task-specific runners wrote before the generic one
/// (digests in `tests/golden/sha256.txt`, made by commit b48e56c). `run.json` and
/// `summary.json` gained one line since, `"privileged": …`, which is left out of their digest.
#[test]
fn outputs_are_byte_identical_to_the_runners_before_the_seam() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    for planner in ["shortest", "random", "stop"] {
        eval_r2r(
            planner,
            &out.join(format!("r2r-{planner}")),
            &["--seed", "3"],
        )
        .success();
        for which in ["a", "b"] {
            let dir = out.join(format!("vlnce-{which}-{planner}"));
            eval_vlnce(which, planner, &dir, &["--seed", "3"]).success();
        }
    }
    let demo = root().join("assets/demo");
    for (format, file) in [
        ("json", "score-r2r-random.json"),
        ("table", "score-r2r-random.txt"),
    ] {
        let output = waymark()
            .args(["score", "r2r", "--format", format, "--connectivity"])
            .arg(demo.join("connectivity"))
            .arg("--episodes")
            .arg(demo.join("R2R_demo.json"))
            .arg(out.join("r2r-random/submission.json"))
            .output()
            .unwrap();
        assert!(output.status.success());
        std::fs::write(out.join(file), output.stdout).unwrap();
    }
    let golden = std::fs::read_to_string(root().join("tests/golden/sha256.txt")).unwrap();
    let mut compared = 0;
    for line in golden.lines() {
        let (digest, name) = line.split_once("  ").unwrap();
        let bytes = std::fs::read(out.join(name)).unwrap();
        let bytes = if name.ends_with("run.json") || name.ends_with("summary.json") {
            // Later additions to these files: the privileged flag, the inputs' fingerprints and
            // the task's options.
            let text = String::from_utf8(bytes).unwrap();
            let mut in_inputs = false;
            let kept: Vec<&str> = text
                .split_inclusive('\n')
                .filter(|l| {
                    if l.contains("\"inputs\": {") || l.contains("\"options\": {") {
                        in_inputs = true;
                    }
                    let keep = !in_inputs && !l.contains("\"privileged\":");
                    if in_inputs && l.trim_start().starts_with('}') {
                        in_inputs = false;
                    }
                    keep
                })
                .collect();
            kept.concat().into_bytes()
        } else {
            bytes
        };
        assert_eq!(
            sha256(&bytes),
            digest,
            "{name} differs from the golden output"
        );
        compared += 1;
    }
    assert_eq!(compared, 38);
    assert_eq!(json(&out.join("r2r-shortest/run.json"))["privileged"], true);
    assert_eq!(
        json(&out.join("r2r-random/summary.json"))["privileged"],
        false
    );
}

#[test]
fn tasks_and_planners_come_from_the_registries() {
    let tasks = waymark().arg("tasks").output().unwrap();
    let text = String::from_utf8(tasks.stdout).unwrap();
    assert!(text.contains("r2r: discrete"), "{text}");
    assert!(text.contains("vlnce: continuous"), "{text}");
    assert!(text.contains("alfred: household"), "{text}");
    assert!(text.contains("sg3d: sequential grounding"), "{text}");
    assert!(text.contains("sg3d-nav: navigate-then-ground"), "{text}");
    assert!(text.contains("observations: continuous_nav"), "{text}");
    assert!(text.contains("metrics: tl, ne, sr, osr, spl, ndtw, sdtw, cls, steps (waymark's)"));
    assert!(text.contains("--connectivity DIR (required)"), "{text}");
    let planners = waymark().arg("planners").output().unwrap();
    let text = String::from_utf8(planners.stdout).unwrap();
    assert!(text.contains("navgpt     tasks: r2r\n"), "{text}");
    assert!(
        text.contains("shortest   tasks: r2r, vlnce; privileged"),
        "{text}"
    );
    assert!(
        text.contains("stop       tasks: r2r, vlnce, alfred, sg3d, sg3d-nav, steve1, crafter\n"),
        "{text}"
    );
    assert!(
        text.contains("expert     tasks: alfred, sg3d, sg3d-nav; privileged"),
        "{text}"
    );
}

#[test]
fn a_planner_that_does_not_support_the_task_is_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    let err = eval_vlnce(
        "a",
        "navgpt",
        &out,
        &[
            "--llm-url",
            "http://127.0.0.1:9/v1",
            "--model",
            "m",
            "--navgpt-data",
            "x",
        ],
    )
    .failure()
    .get_output()
    .stderr
    .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.contains(
            "planner `navgpt` does not support task `vlnce` (continuous_nav observations)"
        ),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
}

/// An LLM-free, non-privileged planner in another process never sees the teacher: not in any
/// observation, not in the episode context; the privileged oracle does.
#[test]
fn only_planners_that_declare_it_receive_privileged_information() {
    let tmp = tempfile::tempdir().unwrap();
    let spy = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/agents/spy.py");
    for task in ["r2r", "vlnce"] {
        let log = tmp.path().join(format!("{task}.log"));
        let planner = format!("exec:python3 {} {}", spy.display(), log.display());
        let out = tmp.path().join(task);
        if task == "r2r" {
            eval_r2r(&planner, &out, &["--limit", "6"]).success();
        } else {
            eval_vlnce("a", &planner, &out, &["--limit", "6"]).success();
        }
        let seen = std::fs::read_to_string(&log).unwrap();
        let observations = seen
            .lines()
            .filter(|l| l.contains("\"observation\""))
            .count();
        assert!(observations >= 6, "{seen}");
        assert!(!seen.contains("teacher"), "{task}: {seen}");
        assert!(!seen.contains("privileged"), "{task}: {seen}");
        assert!(!seen.contains("reference_path"), "{task}: {seen}");
        assert_eq!(json(&out.join("run.json"))["privileged"], false);
    }
}

/// The reference Python agent over JSON lines: as the oracle it asks for the teacher and
/// scores exactly what the built-in `shortest` scores, on graphs and in continuous space.
#[test]
fn the_python_reference_agent_drives_r2r_and_vlnce_like_the_builtin_oracle() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    eval_r2r(&agent("shortest"), &t.join("py"), &["--workers", "2"]).success();
    eval_r2r("shortest", &t.join("rs"), &[]).success();
    eval_vlnce(
        "a",
        &agent("shortest"),
        &t.join("py-ce"),
        &["--workers", "2"],
    )
    .success();
    eval_vlnce("a", "shortest", &t.join("rs-ce"), &[]).success();
    for (py, rs) in [("py", "rs"), ("py-ce", "rs-ce")] {
        let (a, b) = (
            json(&t.join(py).join("summary.json")),
            json(&t.join(rs).join("summary.json")),
        );
        assert_eq!(a["sr"], 1.0, "{py}: {a}");
        for key in [
            "episodes", "tl", "ne", "sr", "osr", "spl", "ndtw", "sdtw", "cls", "steps",
        ] {
            assert_eq!(a[key], b[key], "{py}: {key}");
        }
        assert_eq!(a["privileged"], true);
        assert_eq!(
            std::fs::read(t.join(py).join("submission.json")).unwrap(),
            std::fs::read(t.join(rs).join("submission.json")).unwrap(),
            "{py}: the same trajectories"
        );
    }
    // The agent's step log lands in steps/<id>.jsonl in the documented schema.
    let first = std::fs::read_dir(t.join("py/steps"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let line = std::fs::read_to_string(first.path()).unwrap();
    let entry: waymark_planner::StepLogEntry =
        serde_json::from_str(line.lines().next().unwrap()).unwrap();
    assert!(!entry.outcome.is_empty());
}

/// A planner that crashes, hangs or writes bad JSON fails that episode with the cause
/// counted; the process is restarted and the batch goes on.
#[test]
fn crashes_hangs_and_bad_json_fail_one_episode_each_and_the_batch_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    for (mode, counter) in [
        ("crash", "failure.planner_crashed"),
        ("hang", "failure.planner_timeout"),
        ("bad-json", "failure.bad_action"),
    ] {
        let flag = tmp.path().join(format!("{mode}.flag"));
        let planner = format!("{} {}", agent(mode), flag.display());
        let out = tmp.path().join(mode);
        eval_r2r(
            &planner,
            &out,
            &["--limit", "5", "--workers", "1", "--planner-timeout", "1"],
        )
        .success();
        let summary = json(&out.join("summary.json"));
        assert_eq!(summary["episodes"], 5, "{mode}");
        assert_eq!(summary["counters"][counter], 1, "{mode}: {summary}");
        assert_eq!(summary["end_reasons"]["error"], 1, "{mode}");
        assert_eq!(
            summary["end_reasons"]["stopped"], 4,
            "{mode}: restarted, then fine"
        );
    }
}

/// `score vlnce` scores eval's own submission as eval did (collisions are not in a
/// submission).
#[test]
fn score_vlnce_agrees_with_eval() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    eval_vlnce("a", "random", &out, &[]).success();
    let root = root();
    let output = waymark()
        .args(["score", "vlnce", "--format", "json", "--scene"])
        .arg(root.join("assets/apartments/apartment_a.ply"))
        .arg("--episodes")
        .arg(root.join("assets/demo/apartment_a_vlnce.json"))
        .arg(out.join("submission.json"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let scored: Value = serde_json::from_slice(&output.stdout).unwrap();
    let summary = json(&out.join("summary.json"));
    for key in ["episodes", "sr", "osr", "spl"] {
        assert_eq!(scored[key], summary[key], "{key}");
    }
    for key in ["tl", "ne", "ndtw", "sdtw", "cls"] {
        let (a, b) = (
            scored[key].as_f64().unwrap(),
            summary[key].as_f64().unwrap(),
        );
        assert!((a - b).abs() < 1e-9, "{key}: {a} vs {b}");
    }
}
