//! Household throughput on one core: ALFRED's expert replayed on every valid_unseen episode
//! (`WAYMARK_REAL_DATA`), counting low-level steps. `step` alone, and `observe` + `step` (what
//! a planner loop pays: the visible objects and their states each step). Households are built
//! outside the timed part.

#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use waymark_alfred::{AlfredEpisodes, action_of};
use waymark_core::Action;
use waymark_task::{TaskArgs, TaskEpisodes};

fn bench_steps(c: &mut Criterion) {
    let Some(data) = std::env::var_os("WAYMARK_REAL_DATA") else {
        eprintln!("WAYMARK_REAL_DATA is not set: nothing to measure");
        return;
    };
    let alfred = std::path::PathBuf::from(data).join("alfred");
    let args = TaskArgs::new()
        .with("episodes", alfred.join("valid_unseen").to_string_lossy())
        .with("layouts", alfred.join("layouts").to_string_lossy());
    let episodes = AlfredEpisodes::open(&args).unwrap();
    let n = episodes.set().episodes.len();
    // Each episode's expert actions, from the privileged context.
    let plans: Vec<Vec<Action>> = (0..n)
        .map(|p| {
            let context = episodes.context(p, 0, true).unwrap();
            let calls = context.privileged.unwrap()["expert_low_actions"].clone();
            serde_json::from_value::<Vec<waymark_alfred::ApiAction>>(calls)
                .unwrap()
                .iter()
                .map(|call| action_of(call).unwrap())
                .collect()
        })
        .collect();
    let steps: usize = plans.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group(format!("alfred_valid_unseen_expert_{steps}_steps"));
    group.throughput(Throughput::Elements(steps as u64));
    group.sample_size(10);
    for (name, observe) in [("step", false), ("observe_and_step", true)] {
        group.bench_function(name, |b| {
            b.iter_batched(
                || {
                    (0..n)
                        .map(|p| episodes.start(p).unwrap())
                        .collect::<Vec<_>>()
                },
                |mut envs| {
                    for (env, plan) in envs.iter_mut().zip(&plans) {
                        for action in plan {
                            if observe {
                                black_box(env.observe(false, &Default::default()).unwrap());
                            }
                            black_box(env.step(action).unwrap());
                        }
                    }
                    envs
                },
                criterion::BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench_steps);
criterion_main!(benches);
