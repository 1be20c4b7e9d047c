//! Runs a user can trust when things around them go wrong: resume and merge refuse changed
//! inputs, a folder is written by one process at a time, merge takes only the complete,
//! distinct shards of one batch (or says it is partial), a stop that kills the planner while
//! it reports leaves that episode to the resumed run, and options that would make non-finite
//! metrics are refused up front.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo")
}

/// A copy of the demo's episodes and graphs in `dir`, so tests may edit them.
fn inputs(dir: &Path) -> (PathBuf, PathBuf) {
    let episodes = dir.join("R2R_demo.json");
    std::fs::copy(demo().join("R2R_demo.json"), &episodes).unwrap();
    let graphs = dir.join("connectivity");
    std::fs::create_dir_all(&graphs).unwrap();
    for entry in std::fs::read_dir(demo().join("connectivity")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, graphs.join(path.file_name().unwrap())).unwrap();
    }
    (episodes, graphs)
}

fn eval(episodes: &Path, graphs: &Path, out: &Path, extra: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("waymark").unwrap();
    cmd.args(["eval", "r2r", "--planner", "shortest", "--connectivity"])
        .arg(graphs)
        .arg("--episodes")
        .arg(episodes)
        .arg("--out")
        .arg(out)
        .args(extra);
    cmd
}

fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn resume_refuses_changed_inputs_naming_them() {
    let tmp = tempfile::tempdir().unwrap();
    let (episodes, graphs) = inputs(tmp.path());
    let out = tmp.path().join("run");
    let limit = ["--limit", "2"];
    eval(&episodes, &graphs, &out, &limit).assert().success();
    let manifest = json(&out.join("run.json"));
    assert!(
        manifest["inputs"]["episodes"]
            .as_str()
            .unwrap()
            .starts_with("blake3:"),
        "{manifest}"
    );
    assert!(manifest["inputs"]["connectivity"].is_string(), "{manifest}");
    // The same inputs resume.
    eval(&episodes, &graphs, &out, &limit).assert().success();
    let before = std::fs::read(out.join("episodes.jsonl")).unwrap();
    // An edited episode file is refused, and nothing is written.
    let text = std::fs::read_to_string(&episodes).unwrap();
    std::fs::write(&episodes, text.replacen("\"distance\"", "\"distance\" ", 1)).unwrap();
    let err = stderr(&eval(&episodes, &graphs, &out, &limit).assert().failure());
    assert!(
        err.contains("--episodes") && err.contains("changed"),
        "{err}"
    );
    std::fs::write(&episodes, text).unwrap();
    // An edited graph too.
    let graph = std::fs::read_dir(&graphs)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut bytes = std::fs::read(&graph).unwrap();
    bytes.push(b'\n');
    std::fs::write(&graph, bytes).unwrap();
    let err = stderr(&eval(&episodes, &graphs, &out, &limit).assert().failure());
    assert!(
        err.contains("--connectivity") && err.contains("changed"),
        "{err}"
    );
    assert_eq!(std::fs::read(out.join("episodes.jsonl")).unwrap(), before);
}

#[test]
fn a_folder_is_written_by_one_process_at_a_time() {
    let tmp = tempfile::tempdir().unwrap();
    let (episodes, graphs) = inputs(tmp.path());
    let out = tmp.path().join("run");
    std::fs::create_dir_all(&out).unwrap();
    // Another process holds the folder (this test, standing in for it).
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(out.join("run.lock"))
        .unwrap();
    lock.lock().unwrap();
    std::fs::write(out.join("run.lock"), "4242").unwrap();
    let err = stderr(&eval(&episodes, &graphs, &out, &[]).assert().failure());
    assert!(err.contains("another waymark process (pid 4242)"), "{err}");
    assert!(!out.join("episodes.jsonl").exists());
    drop(lock);
    eval(&episodes, &graphs, &out, &[]).assert().success();
}

#[test]
fn merge_takes_the_complete_distinct_shards_of_one_batch() {
    let tmp = tempfile::tempdir().unwrap();
    let (episodes, graphs) = inputs(tmp.path());
    let shard = |i: usize| {
        let out = tmp.path().join(format!("s{i}"));
        eval(&episodes, &graphs, &out, &["--shard", &format!("{i}/2")])
            .assert()
            .success();
        out
    };
    let (s0, s1) = (shard(0), shard(1));
    let whole = tmp.path().join("whole");
    eval(&episodes, &graphs, &whole, &[]).assert().success();
    let merge = |dirs: &[&Path], out: &str, extra: &[&str]| {
        Command::cargo_bin("waymark")
            .unwrap()
            .arg("merge")
            .args(dirs)
            .arg("--out")
            .arg(tmp.path().join(out))
            .args(extra)
            .assert()
    };
    merge(&[&s0, &s1], "merged", &[]).success();
    for file in ["episodes.jsonl", "summary.json", "submission.json"] {
        assert_eq!(
            std::fs::read(tmp.path().join("merged").join(file)).unwrap(),
            std::fs::read(whole.join(file)).unwrap(),
            "{file}"
        );
    }
    let err = stderr(&merge(&[&s0, &s0], "twice", &[]).failure());
    assert!(err.contains("are both shard 0/2"), "{err}");
    let err = stderr(&merge(&[&s0], "half", &[]).failure());
    assert!(
        err.contains("shard(s) 1/2 of the batch are missing"),
        "{err}"
    );
    merge(&[&s0], "half", &["--partial"]).success();
    assert_eq!(json(&tmp.path().join("half/summary.json"))["partial"], true);
    // An unfinished shard: one line fewer.
    let lines = std::fs::read_to_string(s1.join("episodes.jsonl")).unwrap();
    let kept: Vec<&str> = lines.lines().skip(1).collect();
    std::fs::write(s1.join("episodes.jsonl"), kept.join("\n") + "\n").unwrap();
    let err = stderr(&merge(&[&s0, &s1], "short", &[]).failure());
    assert!(
        err.contains("finish it") && err.contains("--partial"),
        "{err}"
    );
    // Shards of another batch (other inputs) are refused.
    let other = tmp.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    let (episodes2, graphs2) = inputs(&other);
    let text = std::fs::read_to_string(&episodes2).unwrap();
    std::fs::write(&episodes2, format!("{text}\n")).unwrap();
    let o1 = other.join("s1");
    eval(&episodes2, &graphs2, &o1, &["--shard", "1/2"])
        .assert()
        .success();
    let err = stderr(&merge(&[&s0, &o1], "mixed", &[]).failure());
    assert!(
        err.contains("--episodes") && err.contains("changed"),
        "{err}"
    );
}

#[test]
fn options_that_make_non_finite_metrics_are_refused_before_anything_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let (episodes, graphs) = inputs(tmp.path());
    for bad in ["0", "-1", "nan", "inf"] {
        let out = tmp.path().join(format!("run{bad}"));
        let err = stderr(
            &eval(
                &episodes,
                &graphs,
                &out,
                &[&format!("--success-threshold={bad}")],
            )
            .assert()
            .failure(),
        );
        assert!(
            err.contains("--success-threshold") && err.contains("positive"),
            "{err}"
        );
        assert!(!out.join("episodes.jsonl").exists());
    }
    let out = tmp.path().join("zero-steps");
    let err = stderr(
        &eval(&episodes, &graphs, &out, &["--max-steps", "0"])
            .assert()
            .failure(),
    );
    assert!(
        err.contains("--max-steps") && err.contains("at least 1"),
        "{err}"
    );
}

#[test]
fn bad_folders_and_empty_inputs_are_errors_not_results() {
    let tmp = tempfile::tempdir().unwrap();
    let (episodes, graphs) = inputs(tmp.path());
    // --out names a file.
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let err = stderr(&eval(&episodes, &graphs, &file, &[]).assert().failure());
    assert!(err.contains("is a file, not a folder"), "{err}");
    // An OS error is printed once, and input bytes that would steer a terminal are escaped.
    let missing = tmp.path().join("no\x1b[31mfile.json");
    let err = stderr(
        &eval(&missing, &graphs, &tmp.path().join("m"), &[])
            .assert()
            .failure(),
    );
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    assert!(!err.contains('\x1b') && err.contains("\\u{1b}"), "{err}");
    // An empty episode file.
    let empty = tmp.path().join("empty.json");
    std::fs::write(&empty, "[]").unwrap();
    let err = stderr(
        &eval(&empty, &graphs, &tmp.path().join("e"), &[])
            .assert()
            .failure(),
    );
    assert!(err.contains("holds no episode"), "{err}");
    // An episode whose path names a viewpoint its graph lacks: the file and instruction named.
    let mut records: Value = serde_json::from_slice(&std::fs::read(&episodes).unwrap()).unwrap();
    let path_id = records[0]["path_id"].clone();
    records[0]["path"][1] = "no-such-viewpoint".into();
    let bad = tmp.path().join("bad.json");
    std::fs::write(&bad, records.to_string()).unwrap();
    let err = stderr(
        &eval(&bad, &graphs, &tmp.path().join("b"), &[])
            .assert()
            .failure(),
    );
    assert!(
        err.contains("bad.json")
            && err.contains(&format!("episode {path_id}_0"))
            && err.contains("no-such-viewpoint"),
        "{err}"
    );
    // --connectivity naming a file.
    let err = stderr(
        &eval(&episodes, &episodes, &tmp.path().join("c"), &[])
            .assert()
            .failure(),
    );
    assert!(
        err.contains("--connectivity") && err.contains("is a file"),
        "{err}"
    );
    // An empty submission.
    let submission = tmp.path().join("sub.json");
    std::fs::write(&submission, "[]").unwrap();
    let assert = Command::cargo_bin("waymark")
        .unwrap()
        .args(["score", "r2r", "--partial", "--connectivity"])
        .arg(&graphs)
        .arg("--episodes")
        .arg(&episodes)
        .arg(&submission)
        .assert()
        .failure();
    assert!(
        stderr(&assert).contains("scores no episode"),
        "{}",
        stderr(&assert)
    );
    // A killed run's temporary files are cleared when the folder is next taken.
    let out = tmp.path().join("run");
    eval(&episodes, &graphs, &out, &["--limit", "1"])
        .assert()
        .success();
    let stale = out.join(".submission.json.tmp999-0");
    std::fs::write(&stale, vec![0u8; 1024]).unwrap();
    eval(&episodes, &graphs, &out, &["--limit", "1"])
        .assert()
        .success();
    assert!(!stale.exists());
}

/// Slurm's scancel signals waymark and the planner's processes together: a planner killed
/// while giving an episode's report, after its agent stopped, leaves that episode unrecorded,
/// and resuming gives the uninterrupted run's files.
#[test]
fn a_stop_that_kills_the_planner_while_it_reports_leaves_the_episode_to_the_resume() {
    let tmp = tempfile::tempdir().unwrap();
    let (episodes, graphs) = inputs(tmp.path());
    let flag = tmp.path().join("stop-at");
    let agents = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/agents");
    let planner = format!(
        "exec:python3 {} {} {}",
        agents.join("stop_at_report.py").display(),
        demo()
            .join("../../planners/python/waymark_agent.py")
            .display(),
        flag.display()
    );
    let run = |out: &Path| {
        let mut cmd = Command::cargo_bin("waymark").unwrap();
        cmd.args(["eval", "r2r", "--planner", &planner, "--connectivity"])
            .arg(&graphs)
            .arg("--episodes")
            .arg(&episodes)
            .args(["--limit", "5", "--workers", "1", "--out"])
            .arg(out);
        cmd
    };
    let out = tmp.path().join("run");
    std::fs::write(&flag, "3").unwrap();
    let stopped = run(&out).assert().failure();
    assert!(
        stderr(&stopped).contains("interrupted by a signal"),
        "{}",
        stderr(&stopped)
    );
    let kept = std::fs::read_to_string(out.join("episodes.jsonl")).unwrap();
    assert_eq!(kept.lines().count(), 2, "{kept}");
    assert!(!flag.exists());

    run(&out).assert().success();
    let whole = tmp.path().join("whole");
    run(&whole).assert().success();
    for file in ["episodes.jsonl", "submission.json", "summary.json"] {
        assert_eq!(
            std::fs::read_to_string(out.join(file)).unwrap(),
            std::fs::read_to_string(whole.join(file)).unwrap(),
            "{file}"
        );
    }
}
