//! SG3D on the real data: the five human-written example tasks parse, and run on scenes made
//! from their own labels; on ScanNet's scene0451_01 the expert scores 100 %, the random
//! baseline the mean of 1 / candidates, label-match more, and every step of tasks generated on
//! the scan is grounded by its phrase.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::collections::BTreeMap;
use std::path::Path;
use waymark_conformance::real_data;
use waymark_core::{Action, EpisodeContext, Observation, SensorRequest};
use waymark_eval::{BatchConfig, NoProgress, ShardSpec, TaskArgs, run_eval, tasks};
use waymark_planner::{Planner, PlannerRegistry};
use waymark_sg3d::{Sg3dEpisodes, read_tasks};
use waymark_task::{StepOutcome, TaskEpisodes};

/// Hand-written tasks on scene0451_01; ids are the `.npy` cloud's instance column (its
/// labels are ScanNet-20 classes).
const TASKS: &str = r#"[
  {"scan_id": "ScanNet_scene0451_01", "task_description": "Sit on the sofa.",
   "action_steps": [{"action": "Go to the sofa.", "target_id": "14", "label": "sofa"},
                    {"action": "Sit down on it.", "target_id": "14", "label": "sofa"}]},
  {"scan_id": "ScanNet_scene0451_01", "task_description": "Work at the desk.",
   "action_steps": [{"action": "Walk to the desk.", "target_id": "32", "label": "desk"},
                    {"action": "Go to the table.", "target_id": "38", "label": "table"},
                    {"action": "Look at the picture.", "target_id": "9", "label": "picture"}]},
  {"scan_id": "ScanNet_scene0451_01", "task_description": "Let some light in.",
   "action_steps": [{"action": "Walk to the window.", "target_id": "26", "label": "window"},
                    {"action": "Open it.", "target_id": "26", "label": "window"},
                    {"action": "Sit on a chair.", "target_id": "45", "label": "chair"}]}
]"#;

fn args(data: &Path, dir: &Path) -> TaskArgs {
    let file = dir.join("scene0451_01_tasks.json");
    std::fs::write(&file, TASKS).unwrap();
    TaskArgs::new()
        .with("episodes", file.to_string_lossy())
        .with("scenes", data.join("scans").to_string_lossy())
}

#[test]
fn the_five_prompt_examples_parse() {
    let Some(data) = real_data() else { return };
    let path = data.join("sg3d/sg3d_prompt_examples.txt");
    let tasks = read_tasks(&path, Some("ScanNet_scene0000_00")).unwrap();
    let steps: Vec<usize> = tasks.iter().map(|t| t.steps.len()).collect();
    assert_eq!(steps, [9, 7, 13, 5, 7]);
    assert_eq!(tasks[0].description, "Make me a cup of coffee.");
    assert_eq!(tasks[0].targets(), [15, 19, 16, 23, 23, 15, 17, 23, 23]);
    assert_eq!(tasks[0].steps[2].label, "coffee maker");
    assert_eq!(
        tasks[0].steps[2].text,
        "Fill it with coffee at the coffee maker."
    );
    assert_eq!(tasks[3].steps[1].label, "computer tower");
    assert_eq!(tasks[4].steps[5].label, "alarm clock");
    assert_eq!(tasks[4].targets(), [11, 11, 15, 19, 14, 28, 20]);
    assert!(tasks.iter().all(|t| t.scene() == "scene0000_00"));
}

/// Runs the privileged `expert` on the sg3d tasks `args` name, through the batch runner
/// (2 workers), into `out`.
fn run_expert(args: &TaskArgs, out: &Path) -> waymark_eval::Summary {
    let config = BatchConfig {
        workers: 2,
        planner: "expert".into(),
        planner_settings: Default::default(),
        out_dir: out.to_path_buf(),
        shard: ShardSpec::WHOLE,
        limit: None,
        seed: 0,
    };
    let task = tasks::find("sg3d").unwrap();
    run_eval(
        task,
        args,
        &config,
        &PlannerRegistry::with_baselines(),
        &NoProgress,
    )
    .unwrap()
}

#[test]
fn the_expert_grounds_every_step_through_the_batch_runner() {
    let Some(data) = real_data() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let task = tasks::find("sg3d").unwrap();
    let args = args(&data, tmp.path());
    let summary = run_expert(&args, &tmp.path().join("expert"));
    assert_eq!(summary.overall.episodes, 3);
    assert_eq!(summary.overall.get("s_acc"), Some(1.0));
    assert_eq!(summary.overall.get("t_acc"), Some(1.0));
    assert_eq!(summary.overall.get("edit_distance"), Some(0.0));
    let submission = tmp.path().join("expert/submission.json");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&submission).unwrap()).unwrap();
    assert_eq!(
        written,
        serde_json::json!({"0": [14, 14], "1": [32, 38, 9], "2": [26, 26, 45]})
    );
    let (means, _) = waymark_eval::score::score_submission(
        task,
        &args,
        &submission,
        waymark_task::ScoreOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (means.get("s_acc"), means.get("t_acc")),
        (Some(1.0), Some(1.0))
    );
}

/// Runs `planner` on every task with seeds `0..seeds`: (Σ correct steps, Σ steps, Σ 1/candidates).
fn run(episodes: &Sg3dEpisodes, planner: &mut dyn Planner, seeds: u64) -> (f64, f64, f64) {
    let (mut correct, mut steps, mut chance) = (0.0, 0.0, 0.0);
    for seed in 0..seeds {
        for position in 0..episodes.set().episodes.len() {
            let context: EpisodeContext = episodes.context(position, seed, false).unwrap();
            planner.reset(&context).unwrap();
            let mut env = episodes.start(position).unwrap();
            loop {
                let observation = env.observe(false, &SensorRequest::default()).unwrap();
                let Observation::Grounding(obs) = &observation else {
                    panic!("not a grounding observation")
                };
                chance += 1.0 / obs.objects.len() as f64;
                let action = planner.act(&observation).unwrap();
                assert!(matches!(action, Action::Ground { .. }), "{action:?}");
                if env.step(&action).unwrap() != StepOutcome::Running {
                    break;
                }
            }
            let end = env.finish().unwrap();
            correct += end.metrics.real("s_acc");
            steps += end.metrics.real("steps");
        }
    }
    (correct, steps, chance)
}

#[test]
fn random_scores_one_over_the_candidates_and_label_match_does_better() {
    let Some(data) = real_data() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let episodes = Sg3dEpisodes::open(&args(&data, tmp.path())).unwrap();
    episodes
        .check(&[0, 1, 2], &SensorRequest::default())
        .unwrap();
    let registry = PlannerRegistry::with_baselines();
    let mut random = registry.create("random").unwrap();
    let (correct, steps, chance) = run(&episodes, random.as_mut(), 600);
    let (s_acc, expected) = (correct / steps, chance / steps);
    // 4,800 draws at p ≈ 1/27: σ ≈ 0.0027.
    assert!((s_acc - expected).abs() < 0.011, "{s_acc} vs {expected}");
    let mut label_match = registry.create("label-match").unwrap();
    let (correct, steps, _) = run(&episodes, label_match.as_mut(), 1);
    assert!(
        correct / steps > 0.5,
        "label-match s-acc {}",
        correct / steps
    );
}

#[test]
fn generated_tasks_on_the_real_scan_single_out_every_target() {
    let Some(data) = real_data() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let scan = data.join("scans/scene0451_01.npy");
    let scene = waymark_scenes::load_scene(&scan, None).unwrap();
    let objects = waymark_sg3d::SceneObjects::of(&scene);
    let config = waymark_sg3d::GenerateConfig {
        tasks: 12,
        max_steps: 4,
        seed: 11,
        language: waymark_sg3d::Language::English,
    };
    let tasks = waymark_sg3d::generate_tasks("ScanNet_scene0451_01", &objects, &config);
    assert_eq!(tasks.len(), 12);
    let file = tmp.path().join("generated.json");
    waymark_sg3d::write_tasks(&file, &tasks).unwrap();
    let args = TaskArgs::new()
        .with("episodes", file.to_string_lossy())
        .with("scenes", data.join("scans").to_string_lossy());
    let episodes = Sg3dEpisodes::open(&args).unwrap();
    let all: Vec<usize> = (0..tasks.len()).collect();
    episodes.check(&all, &SensorRequest::default()).unwrap();
    let registry = PlannerRegistry::with_baselines();
    let mut label_match = registry.create("label-match").unwrap();
    let (correct, steps, _) = run(&episodes, label_match.as_mut(), 1);
    assert_eq!(correct, steps, "label-match reads every generated phrase");
}

/// An ASCII PLY point cloud (z up) holding each of `objects` (id → label) as the eight corners
/// of a 0.6 m box, laid out on a 2 m grid in id order, and a second object of each label
/// (id + 100) as a distractor at least 6 m further along y; labels come from
/// `comment waymark label`.
/// A scene's instance `i` is grounding id `i - 1` (ScanNet's objectId + 1), so the file stores
/// id + 1.
fn write_example_scene(path: &Path, objects: &BTreeMap<u32, String>) {
    let mut header = String::from("ply\nformat ascii 1.0\ncomment waymark up z\n");
    let mut body = String::new();
    let mut points = 0;
    for (n, (&id, label)) in objects.iter().enumerate() {
        let (x, y) = ((n % 4) as f32 * 2.0, (n / 4) as f32 * 2.0);
        for (instance, dy) in [
            (id + 1, 0.0),
            (id + 101, 6.0 + 2.0 * (objects.len() / 4) as f32),
        ] {
            header.push_str(&format!("comment waymark label {instance} {label}\n"));
            for corner in 0..8 {
                let d = |bit: usize| if corner & bit == 0 { 0.0 } else { 0.6 };
                body.push_str(&format!(
                    "{} {} {} 120 90 60 {instance}\n",
                    x + d(1),
                    y + dy + d(2),
                    d(4)
                ));
                points += 1;
            }
        }
    }
    header.push_str(&format!(
        "element vertex {points}\nproperty float x\nproperty float y\nproperty float z\n\
         property uchar red\nproperty uchar green\nproperty uchar blue\nproperty int instance\n\
         end_header\n"
    ));
    std::fs::write(path, header + &body).unwrap();
}

/// The five human-written examples, each on a scene made from its own `[label-id]`s (with a
/// distractor of every label): they load, check and run through the batch runner; the expert
/// grounds every step and the random baseline scores about one in two.
#[test]
fn the_five_prompt_examples_run_on_scenes_with_their_labels() {
    let Some(data) = real_data() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(data.join("sg3d/sg3d_prompt_examples.txt")).unwrap();
    let mut tasks = Vec::new();
    for (k, chunk) in text.split("===").enumerate() {
        let scan = format!("example{k}");
        let parsed =
            waymark_sg3d::task_file::parse_text(Path::new("examples.txt"), chunk, &scan).unwrap();
        let objects: BTreeMap<u32, String> = parsed[0]
            .steps
            .iter()
            .map(|s| (s.target_id, s.label.clone()))
            .collect();
        write_example_scene(&tmp.path().join(format!("{scan}.ply")), &objects);
        tasks.extend(parsed);
    }
    assert_eq!(tasks.len(), 5);
    let file = tmp.path().join("examples.json");
    waymark_sg3d::write_tasks(&file, &tasks).unwrap();
    let args = TaskArgs::new()
        .with("episodes", file.to_string_lossy())
        .with("scenes", tmp.path().to_string_lossy());
    let episodes = Sg3dEpisodes::open(&args).unwrap();
    episodes
        .check(&[0, 1, 2, 3, 4], &SensorRequest::default())
        .unwrap();
    let summary = run_expert(&args, &tmp.path().join("expert"));
    let registry = PlannerRegistry::with_baselines();
    assert_eq!(summary.overall.episodes, 5);
    assert_eq!(summary.overall.get("s_acc"), Some(1.0));
    assert_eq!(summary.overall.get("t_acc"), Some(1.0));
    let mut random = registry.create("random").unwrap();
    let (correct, steps, chance) = run(&episodes, random.as_mut(), 400);
    assert_eq!(steps, 41.0 * 400.0);
    // Every scene holds two objects of each label; 16,400 draws at p ≈ 0.1: σ ≈ 0.0023.
    let expected = chance / steps;
    assert!(
        (correct / steps - expected).abs() < 0.015,
        "random s-acc {} against {expected}",
        correct / steps
    );
    let mut label_match = registry.create("label-match").unwrap();
    let (correct, steps, _) = run(&episodes, label_match.as_mut(), 1);
    eprintln!(
        "the five examples: label-match s-acc {:.3}, random {expected:.3} expected",
        correct / steps
    );
    assert!(correct / steps >= expected);
}
