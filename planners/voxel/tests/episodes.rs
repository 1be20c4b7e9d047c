//! End to end on the voxel tasks: the `scripted` planner on Crafter (privileged
//! observations, as the batch runner gives a privileged planner) and on a STEVE-1 wood
//! episode in the MineRL space, and `llm-skills` against a scripted chat server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use waymark_core::{Observation, SensorRequest, StepOutcome};
use waymark_llm::scripted_server::{Reply, TestServer, test_config};
use waymark_planner::{EpisodeReport, Planner};
use waymark_task::{Task, TaskArgs, TaskEpisodes};
use waymark_voxel_skills::ScriptedPlanner;
use waymark_voxel_skills::setup::{LlmSkillsOptions, register};
use waymark_voxel_tasks::{CrafterTask, Steve1Task};

/// Runs episode `position` of `episodes` to its end; the last observation and the report.
fn run(
    episodes: &dyn TaskEpisodes,
    position: usize,
    planner: &mut dyn Planner,
    privileged: bool,
) -> (Observation, EpisodeReport) {
    let context = episodes.context(position, 7, privileged).unwrap();
    planner.reset(&context).unwrap();
    let mut env = episodes.start(position).unwrap();
    let sensors = SensorRequest::default();
    loop {
        let obs = env.observe(privileged, &sensors).unwrap();
        let action = planner.act(&obs).unwrap();
        match env.step(&action).unwrap() {
            StepOutcome::Running => {}
            _ => {
                let last = env.observe(false, &sensors).unwrap();
                return (last, planner.finish_episode());
            }
        }
    }
}

fn voxel(obs: &Observation) -> &waymark_core::VoxelObservation {
    match obs {
        Observation::Voxel(v) => v,
        other => panic!("not a voxel observation: {}", other.kind()),
    }
}

#[test]
fn scripted_unlocks_crafters_first_achievements() {
    let args = TaskArgs::new().with("seeds", "0..4").with("length", "3000");
    let episodes = CrafterTask.open(&args).unwrap();
    let n = episodes.set().episodes.len();
    let results: Vec<Vec<String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .map(|position| {
                let episodes = episodes.as_ref();
                scope.spawn(move || {
                    let mut planner = ScriptedPlanner::new();
                    let (last, report) = run(episodes, position, &mut planner, true);
                    let obs = voxel(&last);
                    println!(
                        "seed {position}: {} steps, health {}, achievements {:?}, skills {:?}",
                        obs.step, obs.vitals.health, obs.achievements, report.counters
                    );
                    obs.achievements.clone()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let wanted = ["collect_wood", "place_table", "make_wood_pickaxe"];
    let good = results
        .iter()
        .filter(|a| wanted.iter().all(|w| a.iter().any(|x| x == w)))
        .count();
    assert!(
        good >= 3,
        "only {good} of {n} seeds unlocked {wanted:?}: {results:?}"
    );
}

#[test]
fn scripted_chops_wood_with_minerl_controls() {
    let args = TaskArgs::new().with("seeds", "0..1").with("length", "1500");
    let episodes = Steve1Task.open(&args).unwrap();
    let position = episodes
        .set()
        .episodes
        .iter()
        .position(|e| e.id.starts_with("wood-"))
        .unwrap();
    let mut planner = ScriptedPlanner::new();
    let (last, report) = run(episodes.as_ref(), position, &mut planner, true);
    let obs = voxel(&last);
    println!(
        "wood episode: {} steps, inventory {:?}, skills {:?}",
        obs.step, obs.inventory, report.counters
    );
    assert!(
        obs.count("wood") >= 1,
        "no log collected: {:?}",
        obs.inventory
    );
}

#[test]
fn llm_skills_follows_the_models_skill() {
    let server = TestServer::always(Reply::completion(
        "I see a tree nearby.\nSKILL: mine log",
        120,
        8,
    ));
    let mut registry = waymark_planner::PlannerRegistry::empty();
    let settings = register(
        &mut registry,
        &LlmSkillsOptions::new(test_config(&server.url())),
    )
    .unwrap();
    assert_eq!(settings["model"], "test-model");
    let info = registry
        .info(waymark_voxel_skills::LLM_PLANNER_NAME)
        .unwrap();
    assert!(!info.privileged);
    let mut planner = registry
        .create(waymark_voxel_skills::LLM_PLANNER_NAME)
        .unwrap();
    let args = TaskArgs::new().with("seeds", "0..1").with("length", "300");
    let episodes = CrafterTask.open(&args).unwrap();
    let (last, report) = run(episodes.as_ref(), 0, planner.as_mut(), false);
    let obs = voxel(&last);
    println!(
        "llm-skills: inventory {:?}, counters {:?}",
        obs.inventory, report.counters
    );
    assert!(server.request_count() >= 1);
    assert!(!report.counters.contains_key("failure.unparsed"));
    assert_eq!(
        report.counters.get("llm_calls").copied(),
        Some(server.request_count() as u64)
    );
    let first = &report.step_log[0];
    assert_eq!(first.action.as_deref(), Some("mine log"));
    assert_eq!(first.outcome, "skill");
    let prompt = first.extra["prompt"].as_str().unwrap();
    assert!(prompt.contains("SKILL: <name> <argument>") && prompt.contains("Inventory:"));
    let body = server.requests()[0].json();
    assert!(
        body["messages"][0]["content"]
            .as_str()
            .unwrap()
            .contains("- mine <log")
    );
}

#[test]
fn llm_skills_counts_unparsed_answers_and_explores() {
    let server = TestServer::always(Reply::completion("I would like to fly.", 50, 5));
    let mut registry = waymark_planner::PlannerRegistry::empty();
    register(
        &mut registry,
        &LlmSkillsOptions::new(test_config(&server.url())),
    )
    .unwrap();
    let mut planner = registry
        .create(waymark_voxel_skills::LLM_PLANNER_NAME)
        .unwrap();
    let args = TaskArgs::new().with("seeds", "0..1").with("length", "30");
    let episodes = CrafterTask.open(&args).unwrap();
    let (_, report) = run(episodes.as_ref(), 0, planner.as_mut(), false);
    assert!(report.counters["failure.unparsed"] >= 1);
    assert_eq!(report.step_log[0].action.as_deref(), Some("explore"));
    assert_eq!(report.step_log[0].outcome, "fallback");
}

/// `cargo test -p waymark-voxel-skills --test episodes -- --ignored --nocapture`: the
/// scripted planner on Crafter's 20 seeds at its full length, with each achievement's rate.
#[test]
#[ignore = "20 full Crafter episodes (about 20 s in debug)"]
fn scripted_crafter_twenty_seeds() {
    let args = TaskArgs::new().with("seeds", "0..20");
    let episodes = CrafterTask.open(&args).unwrap();
    let n = episodes.set().episodes.len();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut all: Vec<(usize, u32, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let episodes = episodes.as_ref();
                let next = &next;
                scope.spawn(move || {
                    let mut out = Vec::new();
                    loop {
                        let position = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        if position >= n {
                            return out;
                        }
                        let mut planner = ScriptedPlanner::new();
                        let (last, _) = run(episodes, position, &mut planner, true);
                        let obs = voxel(&last);
                        out.push((position, obs.step, obs.achievements.clone()));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    all.sort();
    let mut rates: std::collections::BTreeMap<String, u32> = Default::default();
    for (position, steps, achievements) in &all {
        println!(
            "seed {position}: {steps} steps, {} achievements: {achievements:?}",
            achievements.len()
        );
        for a in achievements {
            *rates.entry(a.clone()).or_default() += 1;
        }
    }
    for (a, k) in &rates {
        println!("{a}: {k}/{n}");
    }
}

/// `cargo test -p waymark-voxel-skills --test episodes -- --ignored --nocapture`: the
/// scripted planner on each of STEVE-1's eleven prompts (seed 0), with each prompt's score.
#[test]
#[ignore = "eleven full STEVE-1 episodes"]
fn scripted_steve1_every_prompt() {
    let args = TaskArgs::new().with("seeds", "0..1");
    let episodes = Steve1Task.open(&args).unwrap();
    for position in 0..episodes.set().episodes.len() {
        let id = episodes.set().episodes[position].id.clone();
        let context = episodes.context(position, 7, true).unwrap();
        let mut planner = ScriptedPlanner::new();
        planner.reset(&context).unwrap();
        let mut env = episodes.start(position).unwrap();
        let sensors = SensorRequest::default();
        loop {
            let obs = env.observe(true, &sensors).unwrap();
            let action = planner.act(&obs).unwrap();
            if env.step(&action).unwrap() != StepOutcome::Running {
                break;
            }
        }
        let end = env.finish().unwrap();
        let report = planner.finish_episode();
        let causes: std::collections::BTreeSet<String> = report
            .step_log
            .iter()
            .filter_map(|e| e.cause.clone())
            .collect();
        println!(
            "{id}: score {:.3}, {:?}, failures: {causes:?}",
            end.metrics.real("score"),
            report.counters
        );
    }
}
