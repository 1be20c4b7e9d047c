//! LLM-Planner end to end with a scripted model that answers with the gold plan: on the real
//! valid_unseen split (and the shipped household demo) the parser, the plan format, the
//! grounding and the skills must carry the gold plans to success.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::path::{Path, PathBuf};
use std::sync::Arc;
use waymark_conformance::{household_demo, real_data, run_alfred};
use waymark_eval::Summary;
use waymark_llm::scripted_server::{Reply, TestServer, test_config};
use waymark_llm_planner::prompt::ENGLISH;
use waymark_llm_planner::setup::{LlmPlannerOptions, register};
use waymark_llm_planner::{GoldModel, LlmPlannerConfig};
use waymark_planner::PlannerRegistry;

/// A text's embedding for the tests: its letter counts.
fn letters(text: &str) -> Vec<f32> {
    let mut v = vec![0.0; 26];
    for c in text
        .to_ascii_lowercase()
        .bytes()
        .filter(u8::is_ascii_lowercase)
    {
        v[usize::from(c - b'a')] += 1.0;
    }
    v
}

/// A server answering every prompt with the gold plan of its task (known from `gold`), and
/// embedding texts by their letters.
fn gold_server(gold: &Path) -> TestServer {
    let model = Arc::new(GoldModel::read(gold).unwrap());
    TestServer::start(move |_, request| {
        let body = request.json();
        if request.path.ends_with("/embeddings") {
            let vectors: Vec<Vec<f32>> = body["input"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| letters(t.as_str().unwrap()))
                .collect();
            return Reply::embeddings(&vectors, 5);
        }
        let prompt = body["messages"][0]["content"].as_str().unwrap_or_default();
        let answer = model.answer(prompt, &ENGLISH).unwrap_or_default();
        Reply::completion(&answer, 100, 20)
    })
}

fn run(
    server: &TestServer,
    pool: &Path,
    episodes: &Path,
    layouts: &Path,
    out: &Path,
    embedding_model: Option<&str>,
) -> Summary {
    let mut registry = PlannerRegistry::with_baselines();
    let settings = register(
        &mut registry,
        &LlmPlannerOptions {
            llm: test_config(&server.url()),
            pool: pool.to_path_buf(),
            embedding_model: embedding_model.map(Into::into),
            config: LlmPlannerConfig::default(),
        },
    )
    .unwrap();
    run_alfred(&registry, "llm-planner", settings, episodes, layouts, out)
}

fn assets() -> PathBuf {
    household_demo()
}

#[test]
fn gold_plans_succeed_on_the_household_demo() {
    let tasks_dir = assets().join("tasks");
    let server = gold_server(&tasks_dir);
    let out = tempfile::tempdir().unwrap();
    let s = run(
        &server,
        &tasks_dir,
        &tasks_dir,
        &assets().join("layouts"),
        out.path(),
        None,
    );
    assert_eq!(s.overall.get("sr"), Some(1.0), "{:?}", s.overall);
    // BM25 retrieval puts each demo task's own goal first (the pool is the demo itself).
    assert_eq!(first_examples(out.path()), goals_in_order(out.path()));
    assert_eq!(s.counters["high_level_plans"], s.overall.episodes as u64);
    assert_eq!(
        s.counters["high_level_plans_exact"],
        s.overall.episodes as u64
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
        &alfred.join("train_100"),
        &alfred.join("valid_unseen"),
        &alfred.join("layouts"),
        out.path(),
        None,
    );
    let sr = s.overall.get("sr").unwrap();
    println!(
        "valid_unseen gold-plan SR {sr:.4} over {} episodes; {:?}",
        s.overall.episodes, s.counters
    );
    assert!(sr >= 0.95, "SR {sr}: {:?}", s.counters);
}

/// Each episode's first retrieved example (its pool folder), in episode order.
fn first_examples(out: &Path) -> Vec<String> {
    episode_ids(out)
        .iter()
        .map(|id| {
            let log =
                std::fs::read_to_string(out.join("steps").join(format!("{id}.jsonl"))).unwrap();
            let first: serde_json::Value =
                serde_json::from_str(log.lines().next().unwrap()).unwrap();
            first["examples"][0].as_str().unwrap().to_string()
        })
        .collect()
}

fn episode_ids(out: &Path) -> Vec<String> {
    std::fs::read_to_string(out.join("episodes.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let e: serde_json::Value = serde_json::from_str(l).unwrap();
            e["instr_id"].as_str().unwrap().to_string()
        })
        .collect()
}

/// Each episode's own pool folder (`<task>/<trial>`), in episode order.
fn goals_in_order(out: &Path) -> Vec<String> {
    let tasks = assets().join("tasks");
    episode_ids(out)
        .iter()
        .map(|id| {
            let trial = id.trim_end_matches("_0");
            std::fs::read_dir(&tasks)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|t| t.join(trial).is_dir())
                .map(|t| format!("{}/{trial}", t.file_name().unwrap().to_string_lossy()))
                .unwrap()
        })
        .collect()
}

#[test]
fn examples_are_retrieved_by_embeddings_from_the_server() {
    let tasks_dir = assets().join("tasks");
    let server = gold_server(&tasks_dir);
    let out = tempfile::tempdir().unwrap();
    let s = run(
        &server,
        &tasks_dir,
        &tasks_dir,
        &assets().join("layouts"),
        out.path(),
        Some("letters"),
    );
    assert_eq!(s.overall.get("sr"), Some(1.0), "{:?}", s.overall);
    // Identical goals embed identically: each task's own example comes first.
    assert_eq!(first_examples(out.path()), goals_in_order(out.path()));
    let embeddings: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/embeddings"))
        .collect();
    // The pool once (all ten goals), then one query per episode.
    assert_eq!(embeddings.len(), 1 + 10);
    assert_eq!(embeddings[0].json()["input"].as_array().unwrap().len(), 10);
    assert_eq!(embeddings[0].json()["model"], "letters");
}

/// An Arabic-tagged annotation gets LLM-Planner's Arabic prompt, and its metrics are
/// reported under `ar`.
#[test]
fn arabic_episodes_get_arabic_prompts_and_their_own_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let source =
        assets().join("tasks/pick_and_place_simple-Apple-None-DiningTable-901/trial_W000001");
    let dir = tmp
        .path()
        .join("episodes/pick_and_place_simple-Apple-None-DiningTable-901/trial_W000001");
    std::fs::create_dir_all(&dir).unwrap();
    let mut traj: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(source.join("traj_data.json")).unwrap())
            .unwrap();
    let ann = &mut traj["turk_annotations"]["anns"][0];
    ann["task_desc"] = "ضع التفاحة على طاولة الطعام.".into();
    ann["language"] = "ar".into();
    std::fs::write(dir.join("traj_data.json"), traj.to_string()).unwrap();
    let server = TestServer::always(Reply::completion(" Navigation apple", 10, 2));
    let out = tmp.path().join("run");
    let s = run(
        &server,
        &assets().join("tasks"),
        &tmp.path().join("episodes"),
        &assets().join("layouts"),
        &out,
        None,
    );
    assert!(
        s.by_language.contains_key("ar"),
        "{:?}",
        s.by_language.keys()
    );
    let log = std::fs::read_to_string(out.join("steps/trial_W000001_0.jsonl")).unwrap();
    let first: serde_json::Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    let prompt = first["prompt"].as_str().unwrap();
    assert!(
        prompt.starts_with(waymark_llm_planner::prompt::ARABIC.header),
        "{prompt}"
    );
    assert!(
        prompt.contains("\n\nوصف المهمة: ضع التفاحة على طاولة الطعام.\nالخطط المكتملة: \n"),
        "{prompt}"
    );
    assert!(prompt.ends_with("\nالخطط التالية:"), "{prompt}");
    // The model's answer after the Arabic label is read as the plan.
    assert_eq!(first["plan"][0], "Navigation apple");
}
