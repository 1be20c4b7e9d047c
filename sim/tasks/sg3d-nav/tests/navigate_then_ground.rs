//! Navigate-then-ground on the shipped procedural apartment and its demo SG3D tasks: the
//! privileged expert, grounding out of view, privilege, bad actions, and the scorer's replay.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use waymark_core::{Action, GroundingAgent, Metrics, Observation, SensorRequest};
use waymark_planner::Planner;
use waymark_planner::baselines::ExpertPlanner;
use waymark_sg3d_nav::{NavTrajectory, Sg3dNavTask};
use waymark_task::{ScoreOptions, StepOutcome, Task, TaskArgs, TaskEpisodes};

fn assets() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../assets")
}

fn args() -> TaskArgs {
    TaskArgs::new()
        .with(
            "episodes",
            assets()
                .join("demo/apartment_a_sg3d.json")
                .to_string_lossy(),
        )
        .with("scenes", assets().join("apartments").to_string_lossy())
}

fn agent(observation: &Observation) -> &GroundingAgent {
    match observation {
        Observation::Grounding(o) => o.agent.as_ref().unwrap(),
        other => panic!("not a grounding observation: {other:?}"),
    }
}

/// Runs the expert on the task at `position`: its metrics and trajectory.
fn run_expert(episodes: &dyn TaskEpisodes, position: usize) -> (Metrics, String) {
    let mut planner = ExpertPlanner;
    planner
        .reset(&episodes.context(position, 0, true).unwrap())
        .unwrap();
    let mut env = episodes.start(position).unwrap();
    let none = SensorRequest::default();
    for _ in 0..episodes.set().max_steps {
        let action = planner.act(&env.observe(true, &none).unwrap()).unwrap();
        if env.step(&action).unwrap() != StepOutcome::Running {
            break;
        }
    }
    let end = env.finish().unwrap();
    (end.metrics, end.trajectory.get().to_string())
}

#[test]
fn the_expert_grounds_every_step_in_view_and_the_scorer_replays_it_exactly() {
    let task = Sg3dNavTask;
    let episodes = task.open(&args()).unwrap();
    let count = episodes.set().episodes.len();
    assert_eq!(count, 10);
    let mut records = Vec::new();
    let mut spl = 0.0;
    let mut steps = 0.0;
    for position in 0..count {
        let (metrics, trajectory) = run_expert(episodes.as_ref(), position);
        let n = metrics.real("steps");
        assert_eq!(metrics.real("s_acc"), n, "task {position}: {metrics:?}");
        assert_eq!(metrics.real("nav_sr"), n, "task {position}");
        assert_eq!(metrics.real("t_acc"), 1.0);
        assert!(metrics.real("nav_spl") > 0.0 && metrics.real("nav_spl") <= n);
        let parsed: NavTrajectory = serde_json::from_str(&trajectory).unwrap();
        assert_eq!(parsed.answers.len() as f64, n);
        assert_eq!(metrics.real("moves") as usize, parsed.path.len() - 1);
        spl += metrics.real("nav_spl");
        steps += n;
        records.push((metrics, trajectory));
    }
    // The expert walks to where it sees each object: nearly, not always, the shortest walk.
    assert!(
        spl / steps > 0.8 && spl / steps < 1.0,
        "SPL {}",
        spl / steps
    );
    // A submission of the trajectories scores, replayed, to the same metrics.
    let dir = tempfile::tempdir().unwrap();
    let entries: Vec<String> = records
        .iter()
        .enumerate()
        .map(|(k, (_, t))| format!(r#""{k}": {t}"#))
        .collect();
    let submission = dir.path().join("submission.json");
    std::fs::write(&submission, format!("{{{}}}", entries.join(","))).unwrap();
    let scored = task
        .score(&args(), &submission, ScoreOptions::default())
        .unwrap();
    for ((_, scored), (ran, _)) in scored.iter().zip(&records) {
        assert_eq!(scored, ran);
    }
}

#[test]
fn grounding_the_gold_object_out_of_view_is_wrong_and_the_teacher_is_privileged() {
    let episodes = Sg3dNavTask.open(&args()).unwrap();
    let none = SensorRequest::default();
    // A task whose first object is not in view from the start.
    let (position, gold) = (0..episodes.set().episodes.len())
        .find_map(|p| {
            let env = episodes.start(p).unwrap();
            let obs = env.observe(true, &none).unwrap();
            let Observation::Grounding(g) = &obs else {
                return None;
            };
            let gold = g.teacher?;
            (!agent(&obs).in_view.iter().any(|v| v.id == gold)).then_some((p, gold))
        })
        .unwrap();
    let mut env = episodes.start(position).unwrap();
    let plain = env.observe(false, &none).unwrap();
    assert!(agent(&plain).teacher.is_none() && !plain.has_privileged());
    let privileged = env.observe(true, &none).unwrap();
    assert!(matches!(
        agent(&privileged).teacher,
        Some(Action::MoveForward | Action::TurnLeft | Action::TurnRight)
    ));
    assert_eq!(
        env.step(&Action::Ground { object_id: gold }).unwrap(),
        StepOutcome::Running
    );
    assert_eq!(env.step(&Action::Stop).unwrap(), StepOutcome::Stopped);
    let err = env.step(&Action::MoveForward).unwrap_err().to_string();
    assert!(err.contains("already ended"), "{err}");
    let end = env.finish().unwrap();
    let m = &end.metrics;
    // The right id, but not seen: wrong, and a navigation failure; the id sequence is SG3D's.
    assert_eq!(
        (m.real("s_acc"), m.real("nav_sr"), m.real("nav_spl")),
        (0.0, 0.0, 0.0)
    );
    assert_eq!(m.real("edit_distance"), m.real("steps") - 1.0);
    assert_eq!(m.real("moves"), 0.0);
}

#[test]
fn other_actions_are_refused_by_name_and_bad_trajectories_by_step() {
    let episodes = Sg3dNavTask.open(&args()).unwrap();
    let mut env = episodes.start(0).unwrap();
    let err = env
        .step(&Action::Crafter {
            action: waymark_core::CrafterAction::Noop,
        })
        .unwrap_err()
        .to_string();
    assert!(err.contains("not a navigate-then-ground action"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let submission = dir.path().join("bad.json");
    std::fs::write(
        &submission,
        r#"{"0": {"answers": [1], "grounded_at": [5], "path": [{"position": [6.3, 2.1, 0.0], "heading": 0.0, "elevation": 0.0}]}}"#,
    )
    .unwrap();
    let partial = ScoreOptions { partial: true };
    let err = Sg3dNavTask
        .score(&args(), &submission, partial)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("step 1: grounded at pose 5, outside poses 0..1"),
        "{err}"
    );
}
