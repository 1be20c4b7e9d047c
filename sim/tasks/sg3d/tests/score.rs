//! SG3D's metrics on hand-made predictions, computed by hand; the environment step by step.
#![allow(clippy::unwrap_used)]

mod common;

use waymark_core::{Action, MetricMeans, Observation, SensorRequest};
use waymark_sg3d::{SG3D_METRICS, Sg3dEpisodes, Sg3dTask};
use waymark_task::{ScoreOptions, StepOutcome, Task, TaskEpisodes};

#[test]
fn hand_made_predictions_score_as_computed_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let args = common::args(dir.path(), common::TASKS);
    let submission = dir.path().join("submission.json");
    // Task 0: gold 15 19 14, answered 15 24 14: 2 of 3 right, one substitution.
    // Task 1: gold 14, answered 14: right.
    // Task 2: gold 23 24, answered 23 only: 1 of 2 right, one id missing (edit distance 1).
    std::fs::write(&submission, r#"{"0": [15, 24, 14], "1": [14], "2": [23]}"#).unwrap();
    let scored = Sg3dTask
        .score(&args, &submission, ScoreOptions::default())
        .unwrap();
    let per_task: Vec<(f64, f64, f64, f64)> = scored
        .iter()
        .map(|(_, m)| {
            let v = |k: &str| m.real(k);
            (v("s_acc"), v("t_acc"), v("edit_distance"), v("steps"))
        })
        .collect();
    assert_eq!(
        per_task,
        [
            (2.0, 0.0, 1.0, 3.0),
            (1.0, 1.0, 0.0, 1.0),
            (1.0, 0.0, 1.0, 2.0)
        ]
    );
    let means = MetricMeans::of(&SG3D_METRICS, scored.iter().map(|(_, m)| m));
    // s-acc pooled: (2 + 1 + 1) / (3 + 1 + 2) = 4/6; t-acc 1/3; mean edit distance 2/3.
    assert!((means.get("s_acc").unwrap() - 4.0 / 6.0).abs() < 1e-12);
    assert!((means.get("t_acc").unwrap() - 1.0 / 3.0).abs() < 1e-12);
    assert!((means.get("edit_distance").unwrap() - 2.0 / 3.0).abs() < 1e-12);

    // Partial: task 2 alone, answered in the wrong order (two substitutions).
    std::fs::write(&submission, r#"{"2": [24, 23]}"#).unwrap();
    let partial = Sg3dTask
        .score(&args, &submission, ScoreOptions { partial: true })
        .unwrap();
    assert_eq!(partial.len(), 1);
    assert_eq!(partial[0].0.id, "2");
    assert_eq!(
        (
            partial[0].1.real("s_acc"),
            partial[0].1.real("edit_distance")
        ),
        (0.0, 2.0)
    );
    // A full score needs every task; unknown ids are errors.
    let err = Sg3dTask
        .score(&args, &submission, ScoreOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("2 episode ids") && err.contains("0, 1"),
        "{err}"
    );
    std::fs::write(&submission, r#"{"7": [1]}"#).unwrap();
    let err = Sg3dTask
        .score(&args, &submission, ScoreOptions { partial: true })
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown episode id 7"), "{err}");
    // Scoring reads no scenes.
    let no_scenes = waymark_task::TaskArgs::new()
        .with("episodes", dir.path().join("tasks.json").to_string_lossy());
    std::fs::write(
        &submission,
        r#"{"0": [15, 19, 14], "1": [14], "2": [23, 24]}"#,
    )
    .unwrap();
    let all = Sg3dTask
        .score(&no_scenes, &submission, ScoreOptions::default())
        .unwrap();
    assert!(all.iter().all(|(_, m)| m.real("t_acc") == 1.0));
}

#[test]
fn the_environment_asks_each_step_with_the_whole_task_and_the_earlier_answers() {
    let dir = tempfile::tempdir().unwrap();
    let args = common::args(dir.path(), common::TASKS);
    let episodes = Sg3dEpisodes::open(&args).unwrap();
    episodes
        .check(&[0, 1, 2], &SensorRequest::default())
        .unwrap();
    let context = episodes.context(0, 9, false).unwrap();
    assert_eq!(
        context.instruction,
        "Task: Have a drink at the desk.\nSteps:\n1. Go to the desk.\n2. Take the cup on it.\n3. Sit on the sofa."
    );
    assert_eq!(
        (context.task.as_str(), context.observation_kind.as_str()),
        ("sg3d", "grounding")
    );
    assert_eq!(context.privileged, None);
    let privileged = episodes.context(0, 9, true).unwrap().privileged.unwrap();
    assert_eq!(privileged, serde_json::json!({"targets": [15, 19, 14]}));

    let mut env = episodes.start(0).unwrap();
    let Observation::Grounding(first) = env.observe(false, &SensorRequest::default()).unwrap()
    else {
        panic!("not a grounding observation")
    };
    assert_eq!((first.step, first.teacher, first.steps.len()), (0, None, 3));
    let ids: Vec<u32> = first.objects.iter().map(|o| o.id).collect();
    assert_eq!(ids, [14, 15, 19, 23, 24], "the floor is no candidate");
    assert_eq!(first.task_description, "Have a drink at the desk.");
    let cup = first.object(19).unwrap();
    assert!(
        cup.relations
            .iter()
            .any(|r| r.kind == waymark_core::RelationKind::On && r.object_id == 15)
    );
    assert_eq!(
        env.step(&Action::Ground { object_id: 15 }).unwrap(),
        StepOutcome::Running
    );
    let Observation::Grounding(second) = env.observe(true, &SensorRequest::default()).unwrap()
    else {
        panic!("not a grounding observation")
    };
    assert_eq!(
        (second.step, second.answers.as_slice(), second.teacher),
        (1, &[15][..], Some(19))
    );
    // An id that is no candidate is just wrong; the last answer ends the episode.
    assert_eq!(
        env.step(&Action::Ground { object_id: 99 }).unwrap(),
        StepOutcome::Running
    );
    assert_eq!(
        env.step(&Action::Ground { object_id: 14 }).unwrap(),
        StepOutcome::Stopped
    );
    assert!(env.step(&Action::Stop).is_err(), "the episode has ended");
    let end = env.finish().unwrap();
    assert_eq!(end.trajectory.get(), "[15,99,14]");
    assert_eq!(
        (end.metrics.real("s_acc"), end.metrics.real("t_acc")),
        (2.0, 0.0)
    );

    // Stop leaves the remaining steps unanswered; a navigation action is refused.
    let mut env = episodes.start(2).unwrap();
    let err = env.step(&Action::MoveForward).unwrap_err().to_string();
    assert!(
        err.contains("episode 2") && err.contains("not a grounding action"),
        "{err}"
    );
    assert_eq!(env.step(&Action::Stop).unwrap(), StepOutcome::Stopped);
    let end = env.finish().unwrap();
    assert_eq!(end.trajectory.get(), "[]");
    assert_eq!(
        (end.metrics.real("s_acc"), end.metrics.real("edit_distance")),
        (0.0, 2.0)
    );
}
