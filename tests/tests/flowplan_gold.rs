//! FlowPlan end to end with a scripted model that answers each stage from the gold plan: on
//! the real valid_unseen split (and the shipped household demo) the four stages, their
//! parsers, the rules, the localisation and the skills must carry the gold plans to success.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::path::{Path, PathBuf};
use std::sync::Arc;
use waymark_conformance::{flowplan_gold_answer, household_demo, real_data, run_alfred};
use waymark_eval::Summary;
use waymark_flowplan::FlowPlanConfig;
use waymark_flowplan::setup::{FlowPlanOptions, register};
use waymark_llm::scripted_server::{Reply, TestServer, test_config};
use waymark_llm_planner::GoldModel;
use waymark_planner::PlannerRegistry;

fn gold_server(gold: &Path) -> TestServer {
    let model = Arc::new(GoldModel::read(gold).unwrap());
    TestServer::start(move |_, request| {
        let body = request.json();
        let prompt = body["messages"][0]["content"].as_str().unwrap_or_default();
        Reply::completion(&flowplan_gold_answer(&model, prompt), 100, 20)
    })
}

fn run(server: &TestServer, episodes: &Path, layouts: &Path, out: &Path) -> Summary {
    let mut registry = PlannerRegistry::with_baselines();
    let settings = register(
        &mut registry,
        &FlowPlanOptions {
            llm: test_config(&server.url()),
            config: FlowPlanConfig::default(),
        },
    )
    .unwrap();
    run_alfred(&registry, "flowplan", settings, episodes, layouts, out)
}

fn assets() -> PathBuf {
    household_demo()
}

#[test]
fn gold_plans_succeed_on_the_household_demo() {
    let tasks_dir = assets().join("tasks");
    let server = gold_server(&tasks_dir);
    let out = tempfile::tempdir().unwrap();
    let s = run(&server, &tasks_dir, &assets().join("layouts"), out.path());
    assert_eq!(
        s.overall.get("sr"),
        Some(1.0),
        "{:?} {:?}",
        s.overall,
        s.counters
    );
    // Four stages, one call each: classification, language plan, symbolic plan, check.
    assert_eq!(
        s.counters["llm_calls"],
        4 * s.overall.episodes as u64,
        "{:?}",
        s.counters
    );
}

#[test]
fn gold_plans_succeed_on_valid_unseen() {
    let Some(data) = real_data() else { return };
    let alfred = data.join("alfred");
    let server = gold_server(&alfred.join("valid_unseen"));
    let out = tempfile::tempdir().unwrap();
    let s = run(
        &server,
        &alfred.join("valid_unseen"),
        &alfred.join("layouts"),
        out.path(),
    );
    let sr = s.overall.get("sr").unwrap();
    println!(
        "valid_unseen gold-plan SR {sr:.4} over {} episodes; {:?}",
        s.overall.episodes, s.counters
    );
    assert!(sr >= 0.95, "SR {sr}: {:?}", s.counters);
}
