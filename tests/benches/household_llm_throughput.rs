//! How close the LLM household planners (LLM-Planner, FlowPlan) come to the ideal throughput
//! when the model is slow: a scripted model answering every call from the gold plan after
//! 200 ms, 32 episodes in flight (32 workers, 32 requests at once), on 320 episodes (the
//! household demo's ten tasks, copied 32 times). Ideal: every call overlaps perfectly, so the
//! batch takes (calls × 200 ms) / 32; the figure is ideal time / measured time.
//!
//! `cargo bench -p waymark-conformance --bench household_llm_throughput`

#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use waymark_conformance::flowplan_gold_answer;
use waymark_eval::{BatchConfig, NoProgress, ShardSpec, TaskArgs, run_eval, tasks};
use waymark_llm::scripted_server::{Reply, TestServer, test_config};
use waymark_llm_planner::prompt::ENGLISH;
use waymark_llm_planner::setup::{LlmPlannerOptions, register};
use waymark_llm_planner::{GoldModel, LlmPlannerConfig};
use waymark_planner::PlannerRegistry;

const IN_FLIGHT: usize = 32;
const COPIES: usize = 32;
const DELAY: Duration = Duration::from_millis(200);

/// The demo's tasks, each copied `COPIES` times under new trial folders and task ids.
fn episodes(demo: &Path, into: &Path) {
    for entry in walk(demo) {
        let text = std::fs::read_to_string(&entry).unwrap();
        let rel = entry.strip_prefix(demo).unwrap();
        let task = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_str()
            .unwrap();
        for k in 0..COPIES {
            let mut traj: serde_json::Value = serde_json::from_str(&text).unwrap();
            let id = format!("{}_copy{k}", traj["task_id"].as_str().unwrap());
            traj["task_id"] = id.clone().into();
            let dir = into.join(task).join(&id);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("traj_data.json"), traj.to_string()).unwrap();
        }
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.ends_with("traj_data.json") {
            out.push(p);
        }
    }
    out
}

fn main() {
    let household = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/household");
    let tmp = tempfile::tempdir().unwrap();
    let copies = tmp.path().join("episodes");
    episodes(&household.join("tasks"), &copies);
    let model = Arc::new(GoldModel::read(&household.join("tasks")).unwrap());
    let answers = Arc::clone(&model);
    let server = TestServer::start(move |_, request| {
        let body = request.json();
        let prompt = body["messages"][0]["content"].as_str().unwrap_or_default();
        let answer = if prompt.starts_with("Create a high-level plan") {
            answers.answer(prompt, &ENGLISH).unwrap_or_default()
        } else {
            flowplan_gold_answer(&answers, prompt)
        };
        Reply::completion(&answer, 100, 20).with_delay(DELAY)
    });
    let mut llm = test_config(&server.url());
    llm.concurrency = IN_FLIGHT;
    let mut registry = PlannerRegistry::with_baselines();
    let mut settings = register(
        &mut registry,
        &LlmPlannerOptions {
            llm: llm.clone(),
            pool: household.join("tasks"),
            embedding_model: None,
            config: LlmPlannerConfig::default(),
        },
    )
    .unwrap();
    settings.extend(
        waymark_flowplan::setup::register(
            &mut registry,
            &waymark_flowplan::setup::FlowPlanOptions {
                llm,
                config: waymark_flowplan::FlowPlanConfig::default(),
            },
        )
        .unwrap(),
    );
    let args = TaskArgs::new()
        .with("episodes", copies.to_string_lossy())
        .with("layouts", household.join("layouts").to_string_lossy());
    for planner in ["llm-planner", "flowplan"] {
        let config = BatchConfig {
            workers: IN_FLIGHT,
            planner: planner.into(),
            planner_settings: settings.clone(),
            out_dir: tmp.path().join(planner),
            shard: ShardSpec::WHOLE,
            limit: None,
            seed: 0,
        };
        let start = Instant::now();
        let summary = run_eval(
            tasks::find("alfred").unwrap(),
            &args,
            &config,
            &registry,
            &NoProgress,
        )
        .unwrap();
        let elapsed = start.elapsed().as_secs_f64();
        let calls = summary.counters["llm_calls"] as f64;
        let ideal = calls * DELAY.as_secs_f64() / IN_FLIGHT as f64;
        println!(
            "{planner}: {} episodes, {calls} calls at {} ms, {IN_FLIGHT} in flight (most seen: {}): \
             {elapsed:.2} s, ideal {ideal:.2} s, {:.1} % of the ideal throughput ({:.1} episodes/s); SR {:.2}",
            summary.overall.episodes,
            DELAY.as_millis(),
            server.max_in_flight(),
            100.0 * ideal / elapsed,
            summary.overall.episodes as f64 / elapsed,
            summary.overall.get("sr").unwrap_or(0.0),
        );
    }
}
