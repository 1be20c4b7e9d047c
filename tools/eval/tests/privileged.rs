//! Privileged information reaches only planners that declare it: a spy planner records every
//! context and observation the generic runner gives it, on R2R and on VLN-CE.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use waymark_core::{Action, EpisodeContext, Observation};
use waymark_eval::{BatchConfig, NoProgress, ShardSpec, TaskArgs, run_eval, tasks};
use waymark_planner::{Planner, PlannerError, PlannerInfo, PlannerRegistry};

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets")
}

#[derive(Default)]
struct Seen {
    contexts: Vec<EpisodeContext>,
    observations: Vec<Observation>,
}

/// Records what it is given and stops after two observations.
struct Spy(Arc<Mutex<Seen>>);

impl Planner for Spy {
    fn reset(&mut self, context: &EpisodeContext) -> Result<(), PlannerError> {
        self.0.lock().unwrap().contexts.push(context.clone());
        Ok(())
    }

    fn act(&mut self, observation: &Observation) -> Result<Action, PlannerError> {
        let mut seen = self.0.lock().unwrap();
        seen.observations.push(observation.clone());
        Ok(match (seen.observations.len() % 2, observation) {
            (1, Observation::DiscreteNav(_)) => Action::Turn {
                heading_delta_rad: 0.5,
                elevation_delta_rad: 0.0,
            },
            (1, _) => Action::TurnLeft,
            _ => Action::Stop,
        })
    }
}

fn run(task: &str, args: TaskArgs, privileged: bool) -> Seen {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let mut registry = PlannerRegistry::empty();
    let shared = Arc::clone(&seen);
    registry.register(
        PlannerInfo::new("spy", "records its inputs", &["*"], privileged),
        Box::new(move || Ok(Box::new(Spy(Arc::clone(&shared))))),
    );
    let out = tempfile::tempdir().unwrap();
    let config = BatchConfig {
        planner: "spy".into(),
        planner_settings: Default::default(),
        out_dir: out.path().to_path_buf(),
        workers: 2,
        shard: ShardSpec::WHOLE,
        limit: Some(4),
        seed: 0,
    };
    let summary = run_eval(
        tasks::find(task).unwrap(),
        &args,
        &config,
        &registry,
        &NoProgress,
    )
    .unwrap();
    assert_eq!(summary.privileged, privileged);
    let run_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("run.json")).unwrap()).unwrap();
    assert_eq!(run_json["privileged"], privileged);
    std::mem::take(&mut *seen.lock().unwrap())
}

fn r2r_args() -> TaskArgs {
    let demo = assets().join("demo");
    TaskArgs::new()
        .with("connectivity", demo.join("connectivity").to_string_lossy())
        .with("episodes", demo.join("R2R_demo.json").to_string_lossy())
}

fn vlnce_args() -> TaskArgs {
    TaskArgs::new()
        .with(
            "scene",
            assets()
                .join("apartments/apartment_a.ply")
                .to_string_lossy(),
        )
        .with(
            "episodes",
            assets()
                .join("demo/apartment_a_vlnce.json")
                .to_string_lossy(),
        )
}

#[test]
fn undeclared_planners_never_see_the_teacher_or_the_reference_path() {
    for (task, args) in [("r2r", r2r_args()), ("vlnce", vlnce_args())] {
        let seen = run(task, args, false);
        assert_eq!(seen.contexts.len(), 4, "{task}");
        assert!(
            seen.contexts.iter().all(|c| c.privileged.is_none()),
            "{task}"
        );
        assert_eq!(seen.observations.len(), 8, "{task}");
        assert!(
            seen.observations.iter().all(|o| !o.has_privileged()),
            "{task}: a teacher leaked"
        );
    }
}

#[test]
fn declared_planners_get_the_teacher_and_the_reference_path() {
    for (task, args) in [("r2r", r2r_args()), ("vlnce", vlnce_args())] {
        let seen = run(task, args, true);
        assert!(
            seen.contexts.iter().all(|c| c.privileged.is_some()),
            "{task}"
        );
        assert!(
            seen.observations.iter().any(Observation::has_privileged),
            "{task}: the teacher is given"
        );
    }
}
