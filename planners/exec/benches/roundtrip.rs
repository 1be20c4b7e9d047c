//! Observation → action round trips with the reference Python agent in `turn` mode (it always
//! turns, so an episode never ends): one reset, then one `act` per iteration on a realistic
//! discrete observation (five candidates). Criterion reports round trips per second as
//! `elem/s`.
//!
//! Beside it, where the time goes: `python_fixed_answer` is the same round trip through
//! `ExecPlanner` with a Python responder that parses nothing (the pipes, the reader thread
//! and Python's line I/O); `raw_pipe_fixed_answer` talks to that responder with a blocking
//! read on the calling thread (no reader thread, no time limit: the floor for any design);
//! `rust_encode_decode` is the Rust side's own work per step (encode the observation, decode
//! the action).
//!
//! `cargo bench -p waymark-exec --bench roundtrip -- --warm-up-time 1 --measurement-time 5`
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::borrow::Cow;
use std::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use waymark_core::{Candidate, DiscreteNavObservation, ViewpointId};
use waymark_exec::protocol::{PlannerMessage, WaymarkMessage};
use waymark_exec::{ExecPlanner, ExecSpec};
use waymark_planner::{Action, EpisodeContext, Observation, Planner};

fn observation() -> Observation {
    let navigable = [0.12, -0.47, 0.93, -1.71, 2.64]
        .iter()
        .enumerate()
        .map(|(i, rel_heading_rad)| Candidate {
            viewpoint: ViewpointId::new(format!("c0a2f6b1e4d94b7c8e5f{i:012x}")),
            rel_heading_rad: *rel_heading_rad,
            rel_elevation_rad: -0.031 * i as f64,
            dist_m: 1.537 + 0.41 * i as f64,
            in_view: rel_heading_rad.abs() < 0.6,
        })
        .collect();
    Observation::DiscreteNav(DiscreteNavObservation {
        scan: "17DRP5sb8fy".into(),
        viewpoint: "5b9b2794954e4694a45fc424a8643081".into(),
        heading_rad: 4.712_388_980_384_69,
        elevation_rad: -0.174_532_925_199_432_95,
        step: 7,
        navigable,
        sensors: None,
        teacher: None,
    })
}

fn context() -> EpisodeContext {
    EpisodeContext {
        task: "r2r".into(),
        observation_kind: "discrete_nav".into(),
        episode_id: "4182_1".into(),
        scene: "17DRP5sb8fy".into(),
        instruction: "Walk past the sofa and stop at the kitchen door.".into(),
        language: Some("en-US".into()),
        seed: 42,
        max_steps: u32::MAX,
        privileged: None,
    }
}

/// A responder that answers `hello`, `reset` and then every line with a fixed action, without
/// parsing JSON.
const FIXED_ANSWER: &str = r#"
import sys
hello = '{"type":"hello","protocol":1,"supports":["*"]}\n'
turn = '{"type":"action","action":{"type":"turn","heading_delta_rad":0.5236,"elevation_delta_rad":0}}\n'
answers = {0: hello, 1: '{"type":"ready"}\n'}
for n, line in enumerate(iter(sys.stdin.readline, "")):
    sys.stdout.write(answers.get(n, turn))
    sys.stdout.flush()
"#;

fn rust_side(c: &mut Criterion, observation: &Observation) {
    let message = WaymarkMessage::Observation {
        observation: Cow::Borrowed(observation),
    };
    let answer =
        br#"{"type":"action","action":{"type":"turn","heading_delta_rad":0.5236,"elevation_delta_rad":0}}"#;
    let mut out = Vec::new();
    let mut group = c.benchmark_group("exec");
    group.throughput(Throughput::Elements(1));
    group.bench_function("rust_encode_decode", |b| {
        b.iter(|| {
            out.clear();
            serde_json::to_writer(&mut out, black_box(&message)).unwrap();
            out.push(b'\n');
            serde_json::from_slice::<PlannerMessage>(black_box(answer)).unwrap()
        })
    });
    group.finish();
}

fn roundtrip(c: &mut Criterion) {
    let python_runs = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !python_runs {
        eprintln!("roundtrip: python3 is not available; skipped");
        return;
    }
    let agent = Path::new(env!("CARGO_MANIFEST_DIR")).join("../python/waymark_agent.py");
    let command = shlex::try_join(["python3", agent.to_str().unwrap(), "turn"]).unwrap();
    let mut planner = ExecPlanner::new(ExecSpec::new(command, Duration::from_secs(10))).unwrap();
    planner.reset(&context()).unwrap();
    let observation = observation();
    assert!(matches!(
        planner.act(&observation).unwrap(),
        Action::Turn { .. }
    ));

    let mut group = c.benchmark_group("exec");
    group.throughput(Throughput::Elements(1));
    group.bench_function("python_turn_roundtrip", |b| {
        b.iter(|| planner.act(black_box(&observation)).unwrap())
    });
    drop(planner);

    let dir = tempfile::tempdir().unwrap();
    let fixed = dir.path().join("fixed_answer.py");
    std::fs::write(&fixed, FIXED_ANSWER).unwrap();
    let command = shlex::try_join(["python3", fixed.to_str().unwrap()]).unwrap();
    let mut planner = ExecPlanner::new(ExecSpec::new(command, Duration::from_secs(10))).unwrap();
    planner.reset(&context()).unwrap();
    group.bench_function("python_fixed_answer", |b| {
        b.iter(|| planner.act(black_box(&observation)).unwrap())
    });
    drop(planner);

    let mut child = Command::new("python3")
        .arg(&fixed)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = Vec::new();
    let message = WaymarkMessage::Observation {
        observation: Cow::Borrowed(&observation),
    };
    let mut out = Vec::new();
    group.bench_function("raw_pipe_fixed_answer", |b| {
        b.iter(|| {
            out.clear();
            serde_json::to_writer(&mut out, &message).unwrap();
            out.push(b'\n');
            stdin.write_all(&out).unwrap();
            line.clear();
            stdout.read_until(b'\n', &mut line).unwrap();
            serde_json::from_slice::<PlannerMessage>(&line).unwrap()
        })
    });
    group.finish();
    drop(stdin);
    child.wait().unwrap();

    rust_side(c, &observation);
}

criterion_group!(benches, roundtrip);
criterion_main!(benches);
