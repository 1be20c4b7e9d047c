//! Run folders made by the real batch runner on the shipped demo data, once per test binary,
//! and a synthetic top-down picture.

use glam::DVec2;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use waymark_eval::TaskArgs;
use waymark_planner::StepLogEntry;
use waymark_task::{EpisodeRecord, TopDown};

/// The shipped `assets/` folder.
pub fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets")
}

/// A path as the text a task option takes.
pub fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Runs `planner` over the first `limit` episodes of `task` (options `args`) into `out`.
pub fn run_batch(task: &str, args: &TaskArgs, planner: &str, limit: Option<usize>, out: &Path) {
    let config = waymark_eval::BatchConfig {
        planner: planner.into(),
        planner_settings: Default::default(),
        out_dir: out.to_path_buf(),
        workers: 2,
        shard: waymark_eval::ShardSpec::WHOLE,
        limit,
        seed: 0,
    };
    waymark_eval::run_eval(
        waymark_eval::tasks::find(task).unwrap(),
        args,
        &config,
        &waymark_planner::PlannerRegistry::with_baselines(),
        &waymark_eval::NoProgress,
    )
    .unwrap();
}

/// The prompt of the hand-written step logs of the random run: markup that must arrive
/// escaped.
pub const HOSTILE_PROMPT: &str = "Go to the <script>alert('x')</script> kitchen </pre> & stop";

/// A finished R2R run folder (`r2r-shortest` or `r2r-random`) of the first 12 demo episodes,
/// made once. The random run gets step logs for its first two episodes (the baselines write
/// none), one with [`HOSTILE_PROMPT`].
pub fn r2r_run(planner: &'static str) -> &'static Path {
    static SHORTEST: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    static RANDOM: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let cell = if planner == "shortest" {
        &SHORTEST
    } else {
        &RANDOM
    };
    let (_, out) = cell.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join(format!("r2r-{planner}"));
        let demo = assets().join("demo");
        let args = TaskArgs::new()
            .with("connectivity", path_text(&demo.join("connectivity")))
            .with("episodes", path_text(&demo.join("R2R_demo.json")));
        run_batch("r2r", &args, planner, Some(12), &out);
        if planner == "random" {
            let run = waymark_eval::run_dir::RunDir::new(&out);
            let (_, records) = run.read().unwrap();
            let entry = |step, prompt: &str, action: &str, outcome: &str| StepLogEntry {
                step,
                thought: Some(format!("thinking about step {step}")),
                action: Some(action.into()),
                outcome: outcome.into(),
                cause: None,
                extra: StepLogEntry::fields(serde_json::json!({
                    "prompt": prompt,
                    "response": format!("Action: {action}"),
                })),
            };
            for record in records.iter().take(2) {
                let log = [
                    entry(0, HOSTILE_PROMPT, "move_to b", "move"),
                    entry(1, "Where now?", "stop", "finish"),
                ];
                run.write_step_log(&record.id, &log).unwrap();
            }
        }
        (dir, out)
    });
    out
}

/// A made-up top-down picture of `record`: a 10 m × 6 m room, a reference path and an agent
/// that wanders off by an amount that depends on the episode.
pub fn picture(record: &EpisodeRecord) -> TopDown {
    let corners = [(0.0, 0.0), (10.0, 0.0), (10.0, 6.0), (0.0, 6.0)];
    let map = (0..4)
        .map(|i| {
            let (a, b) = (corners[i], corners[(i + 1) % 4]);
            [DVec2::new(a.0, a.1), DVec2::new(b.0, b.1)]
        })
        .collect();
    let drift = record.index as f64 * 0.4;
    TopDown {
        map,
        reference: vec![
            DVec2::new(1.0, 1.0),
            DVec2::new(5.0, 1.5),
            DVec2::new(8.5, 4.5),
        ],
        agent: vec![
            DVec2::new(1.0, 1.0),
            DVec2::new(4.0, 2.0 + drift / 2.0),
            DVec2::new(6.0 - drift / 3.0, 5.0),
        ],
        success_radius_m: Some(3.0),
    }
}
