//! Scoring speed: a whole episode file (R2R val_seen when `WAYMARK_REAL_DATA` points at the
//! real data, else the shipped demo), after the graphs are loaded.

#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;
use waymark_core::TrajectoryPoint;
use waymark_eval::{ScoreOptions, SubmissionEntry, load_r2r_batch, score_submission};

fn data_paths() -> (PathBuf, PathBuf, &'static str) {
    if let Some(real) = std::env::var_os("WAYMARK_REAL_DATA") {
        let r2r = PathBuf::from(real).join("r2r");
        return (
            r2r.join("connectivity"),
            r2r.join("R2R_val_seen.json"),
            "r2r_val_seen",
        );
    }
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo");
    (
        demo.join("connectivity"),
        demo.join("R2R_demo.json"),
        "demo",
    )
}

fn bench_score(c: &mut Criterion) {
    let (connectivity, episodes_file, name) = data_paths();
    let (episodes, graphs) = load_r2r_batch(&connectivity, &episodes_file).expect("episodes load");
    // The reference paths as a submission, with a turn in place at the start of each.
    let submission: Vec<SubmissionEntry> = episodes
        .iter()
        .map(|e| {
            let mut trajectory: Vec<TrajectoryPoint> = e
                .reference_path
                .iter()
                .map(|v| TrajectoryPoint {
                    viewpoint: v.clone(),
                    heading_rad: 0.0,
                    elevation_rad: 0.0,
                })
                .collect();
            trajectory.insert(0, trajectory[0].clone());
            SubmissionEntry {
                instr_id: e.instr_id.clone(),
                trajectory,
            }
        })
        .collect();
    let options = ScoreOptions {
        success_threshold_m: 3.0,
        partial: false,
    };
    c.bench_function(
        &format!("score_{name}_{}_instructions", episodes.len()),
        |b| {
            b.iter(|| {
                black_box(
                    score_submission(&episodes, &graphs, &submission, options).expect("scores"),
                )
            })
        },
    );
}

criterion_group!(benches, bench_score);
criterion_main!(benches);
