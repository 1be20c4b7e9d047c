//! `waymark slurm` on a real Slurm: a single-node cluster from Debian's packages, started by
//! `tools/slurm-local.sh start` (`.ci/run` does it). A 4-task array over the demo R2R episodes
//! and its merge job give the unsharded run's files byte for byte; an array task cancelled in
//! the middle of its shard and submitted again loses and repeats nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn demo() -> PathBuf {
    root().join("assets/demo")
}

/// Whether a Slurm controller answers and its node takes jobs.
fn slurm_is_up() -> bool {
    std::process::Command::new("sinfo")
        .args(["-h", "-o", "%t"])
        .output()
        .is_ok_and(|o| {
            let state = String::from_utf8_lossy(&o.stdout);
            o.status.success() && ["idle", "mix", "alloc"].iter().any(|s| state.contains(s))
        })
}

/// The eval options every run here shares (task, episodes, planner).
fn eval_line(planner: &str) -> Vec<String> {
    let demo = demo();
    vec![
        "eval".into(),
        "r2r".into(),
        "--connectivity".into(),
        demo.join("connectivity").to_str().unwrap().into(),
        "--episodes".into(),
        demo.join("R2R_demo.json").to_str().unwrap().into(),
        "--planner".into(),
        planner.into(),
    ]
}

/// A planner that pauses before each observation, so a shard runs for several seconds.
fn slow_planner() -> String {
    format!(
        "exec:python3 {} {} 0.05",
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/agents/slow.py")
            .display(),
        root().join("planners/python/waymark_agent.py").display()
    )
}

/// Runs the batch in one process into `out`; its wall time.
fn unsharded(planner: &str, out: &Path) -> Duration {
    let started = Instant::now();
    Command::cargo_bin("waymark")
        .unwrap()
        .args(eval_line(planner))
        .args(["--workers", "2", "--out"])
        .arg(out)
        .assert()
        .success();
    started.elapsed()
}

/// `waymark slurm --submit`: the array's and the merge job's ids.
fn submit(planner: &str, out: &Path) -> (String, String) {
    let output = Command::cargo_bin("waymark")
        .unwrap()
        .args([
            "slurm",
            "--shards",
            "4",
            "--cpus-per-task",
            "1",
            "--submit",
            "--out",
        ])
        .arg(out)
        .arg("--")
        .args(eval_line(planner))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let last = stdout.lines().last().unwrap();
    let (array, merge) = last.split_once(' ').unwrap();
    (array.to_string(), merge.to_string())
}

fn run(program: &str, args: &[&str]) -> String {
    let output = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Waits until none of `jobs` (ids, array tasks included) is queued or running.
fn wait_for(jobs: &[&str], limit: Duration) {
    let started = Instant::now();
    let list = jobs.join(",");
    while !run("squeue", &["-h", "-j", &list, "-o", "%i %T"])
        .trim()
        .is_empty()
    {
        assert!(
            started.elapsed() < limit,
            "jobs {list} still queued after {limit:?}: {}",
            run("squeue", &["-j", &list])
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// A job's final state (`COMPLETED`, `CANCELLED`, …), from the controller's records.
fn job_state(job: &str) -> String {
    let text = run("scontrol", &["show", "job", job]);
    text.split_whitespace()
        .find_map(|w| w.strip_prefix("JobState="))
        .unwrap()
        .to_string()
}

/// Every file of `a` equals the same file of `b` byte for byte, and neither has more (the
/// lock file, which holds a process id, aside).
fn assert_same_files(a: &Path, b: &Path) {
    fn files(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, base, out);
            } else if path.file_name().unwrap() != "run.lock" {
                out.push(path.strip_prefix(base).unwrap().to_path_buf());
            }
        }
    }
    let (mut in_a, mut in_b) = (Vec::new(), Vec::new());
    files(a, a, &mut in_a);
    files(b, b, &mut in_b);
    in_a.sort();
    in_b.sort();
    assert_eq!(in_a, in_b);
    for file in &in_a {
        let (text_a, text_b) = (
            std::fs::read_to_string(a.join(file)).unwrap(),
            std::fs::read_to_string(b.join(file)).unwrap(),
        );
        if text_a != text_b {
            let differs = text_a
                .lines()
                .zip(text_b.lines())
                .find(|(x, y)| x != y)
                .unwrap_or_default();
            panic!(
                "{} differs between {} and {}; the first line that differs:\n{}\n{}",
                file.display(),
                a.display(),
                b.display(),
                differs.0,
                differs.1
            );
        }
    }
}

/// One test at a time on the one-node cluster: the cancelled task must start while the test
/// waits for it.
static CLUSTER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The cluster, for one test at a time; `None` (skip, or a failure under CI) when no Slurm
/// answers.
fn cluster() -> Option<std::sync::MutexGuard<'static, ()>> {
    waymark_io::test_env::require_value(
        slurm_is_up().then_some(()),
        "no Slurm answers (start one with tools/slurm-local.sh start)",
    )?;
    Some(
        CLUSTER
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    )
}

/// Cancels jobs left behind by a failed test.
struct Cancel(Vec<String>);

impl Drop for Cancel {
    fn drop(&mut self) {
        for job in &self.0 {
            let _ = std::process::Command::new("scancel").arg(job).status();
        }
    }
}

#[test]
fn a_job_array_and_its_merge_job_equal_one_process() {
    let Some(_cluster) = cluster() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one");
    let alone = unsharded("shortest", &one);

    let out = tmp.path().join("array");
    let started = Instant::now();
    let (array, merge) = submit("shortest", &out);
    let _cancel = Cancel(vec![array.clone(), merge.clone()]);
    wait_for(&[&array, &merge], Duration::from_secs(180));
    let array_time = started.elapsed();
    assert_eq!(job_state(&merge), "COMPLETED");
    for task in 0..4 {
        assert_eq!(job_state(&format!("{array}_{task}")), "COMPLETED");
    }
    assert_same_files(&one, &out.join("merged"));
    eprintln!(
        "demo R2R, shortest: one process (2 workers) {alone:?}; 4-task array and merge job, submission to merged folder, {array_time:?}"
    );
}

#[test]
fn a_cancelled_array_task_resubmitted_loses_and_repeats_nothing() {
    let Some(_cluster) = cluster() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let planner = slow_planner();
    let out = tmp.path().join("array");
    let (array, merge) = submit(&planner, &out);
    let mut cancel = Cancel(vec![array.clone(), merge.clone()]);

    // Cancel task 1 once it has written some of its 15 episodes, but not all.
    let lines = out.join("shard-1/episodes.jsonl");
    let started = Instant::now();
    while std::fs::read_to_string(&lines).map_or(0, |t| t.lines().count()) < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "task 1 wrote nothing"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let task = format!("{array}_1");
    run("scancel", &[&task]);
    wait_for(&[&task], Duration::from_secs(60));
    assert_eq!(job_state(&task), "CANCELLED");
    let written = std::fs::read_to_string(&lines).unwrap();
    let kept = written.lines().count();
    assert!(
        (2..15).contains(&kept),
        "task 1 was cancelled after {kept} of 15 episodes"
    );
    for line in written.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("only whole lines");
    }
    let log = std::fs::read_to_string(out.join(format!("slurm/logs/{array}_1.out"))).unwrap();
    assert!(log.contains("interrupted by a signal"), "{log}");

    // The merge job waits for a dependency that can no longer be met; resubmit task 1 and
    // merge after it and the rest of the array.
    run("scancel", &[&merge]);
    let script = out.join("slurm/array.sh");
    let again = run(
        "sbatch",
        &["--parsable", "--array=1", script.to_str().unwrap()],
    );
    let again = again.trim().split(';').next().unwrap().to_string();
    cancel.0.push(again.clone());
    let merge_script = out.join("slurm/merge.sh");
    let dependency = format!("--dependency=afterany:{array},afterok:{again}");
    let merged = run(
        "sbatch",
        &[
            "--parsable",
            "--wait",
            &dependency,
            merge_script.to_str().unwrap(),
        ],
    );
    let merged = merged.trim().split(';').next().unwrap().to_string();
    assert_eq!(job_state(&merged), "COMPLETED");

    let one = tmp.path().join("one");
    unsharded(&planner, &one);
    assert_same_files(&one, &out.join("merged"));
}
