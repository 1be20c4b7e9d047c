//! waymark's own cost per NavGPT step, without the model: the observation text, the prompt
//! with a full scratchpad, and parsing the answer; and a whole episode step against a scripted
//! server that answers at once (HTTP on loopback included).
//!
//! `cargo bench -p waymark-navgpt --bench step`

#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use waymark_navgpt::parser::parse;
use waymark_navgpt::prompt::{PromptLanguage, PromptVariant, render_prompt, truncate_scratchpad};
use waymark_navgpt::sectors::{
    NavigableViewpoint, SeenObject, ViewpointText, init_observation, sectors_text,
};

/// A viewpoint as dense as NavGPT's busiest: three objects per sector, six candidates.
fn viewpoint() -> ViewpointText {
    let captions = std::array::from_fn(|k| {
        format!("A living room with a grey sofa, a wooden table and a lamp, view {k}.")
    });
    let objects = std::array::from_fn(|k| {
        (0..3)
            .map(|i| SeenObject {
                label: format!("object {i}"),
                heading_deg: k as f64 * 45.0 + i as f64 * 7.0 - 10.0,
                distance_m: 1.0 + i as f64 * 0.4,
            })
            .collect()
    });
    let candidates = (0..6)
        .map(|i| NavigableViewpoint {
            viewpoint: format!("{i:032x}"),
            heading_rad: (i as f64 * 61.0).to_radians(),
            elevation_rad: 0.0,
            distance_m: 1.5 + i as f64 * 0.3,
        })
        .collect();
    ViewpointText {
        captions,
        objects,
        summary: "view of a living room with a sofa and a table".into(),
        candidates,
    }
}

fn bench(c: &mut Criterion) {
    let vp = viewpoint();
    let mut group = c.benchmark_group("navgpt_step");
    group.bench_function("observation_text", |b| {
        b.iter(|| black_box(sectors_text(black_box(0.7), &vp, true)))
    });
    let observation = init_observation(&sectors_text(0.7, &vp, true));
    let scratchpad = "x".repeat(9000);
    group.bench_function("prompt_with_full_scratchpad", |b| {
        b.iter(|| {
            black_box(render_prompt(
                PromptVariant::Gpt35,
                PromptLanguage::English,
                "Walk past the sofa and stop at the kitchen door.",
                &observation,
                truncate_scratchpad(&scratchpad),
            ))
        })
    });
    let answer = format!(
        "The kitchen is ahead to the right.\nAction: action_maker\nAction Input: \"{:032x}\"",
        3
    );
    group.bench_function("parse_answer", |b| {
        b.iter(|| black_box(parse(black_box(&answer))))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
