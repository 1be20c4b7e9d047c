//! SG3D on ScanNet's scene0451_01 (`scans/scene0451_01.npy` under `WAYMARK_REAL_DATA`, else
//! `../shared/data` beside the repository; skipped with a message when absent):
//!
//! - `prepare`: the scene's preparation, from the `.npy` cloud to the candidates with their
//!   boxes, colours and relations (goal: < 100 ms);
//! - `label_match_steps`: grounding steps per second with the `label-match` planner over 20
//!   generated English tasks, each step the environment's observation, the planner's answer
//!   and the environment's step (goal: ≥ 100,000 steps/s on one core).
//!
//! `cargo bench -p waymark-sg3d --bench sg3d_grounding`

#![allow(missing_docs)] // criterion_group! generates undocumented items
#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;
use waymark_core::SensorRequest;
use waymark_planner::Planner;
use waymark_planner::baselines::LabelMatchPlanner;
use waymark_scenes::load_scene;
use waymark_sg3d::{GenerateConfig, Language, SceneObjects, Sg3dEpisodes, generate_tasks};
use waymark_task::{StepOutcome, TaskArgs, TaskEpisodes};

const SCENE: &str = "scene0451_01";

/// The folder of the real data, when there is one.
fn data() -> Option<PathBuf> {
    let dir = std::env::var_os("WAYMARK_REAL_DATA")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/data")
        });
    dir.join("scans")
        .join(format!("{SCENE}.npy"))
        .is_file()
        .then_some(dir)
}

fn benches(c: &mut Criterion) {
    let Some(data) = data() else {
        eprintln!(
            "skipped: no scans/{SCENE}.npy under WAYMARK_REAL_DATA or ../shared/data (the SG3D benches need it)"
        );
        return;
    };
    let scans = data.join("scans");
    let npy = scans.join(format!("{SCENE}.npy"));
    c.bench_function("prepare", |b| {
        b.iter(|| SceneObjects::of(&load_scene(black_box(&npy), None).unwrap()))
    });

    let objects = SceneObjects::of(&load_scene(&npy, None).unwrap());
    let config = GenerateConfig {
        tasks: 20,
        max_steps: 6,
        seed: 0,
        language: Language::English,
    };
    let tasks = generate_tasks(&format!("ScanNet_{SCENE}"), &objects, &config);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tasks.json");
    waymark_sg3d::write_tasks(&file, &tasks).unwrap();
    let args = TaskArgs::new()
        .with("episodes", file.to_string_lossy())
        .with("scenes", scans.to_string_lossy());
    let episodes = Sg3dEpisodes::open(&args).unwrap();
    let positions: Vec<usize> = (0..tasks.len()).collect();
    episodes
        .check(&positions, &SensorRequest::default())
        .unwrap();
    let steps: usize = tasks.iter().map(|t| t.steps.len()).sum();
    eprintln!(
        "{SCENE}: {} candidates, {} tasks, {steps} steps",
        objects.objects.len(),
        tasks.len()
    );
    let mut group = c.benchmark_group("label_match");
    group.throughput(Throughput::Elements(steps as u64));
    group.bench_function("steps", |b| {
        b.iter(|| {
            let mut planner = LabelMatchPlanner::default();
            for &p in &positions {
                planner
                    .reset(&episodes.context(p, 0, false).unwrap())
                    .unwrap();
                let mut env = episodes.start(p).unwrap();
                loop {
                    let obs = env.observe(false, &SensorRequest::default()).unwrap();
                    let action = planner.act(&obs).unwrap();
                    if env.step(&action).unwrap() == StepOutcome::Stopped {
                        break;
                    }
                }
                black_box(env.finish().unwrap());
            }
        })
    });
    group.finish();
}

criterion_group!(sg3d, benches);
criterion_main!(sg3d);
