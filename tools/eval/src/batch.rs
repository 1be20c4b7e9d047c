//! The one batch runner: any task, any planner; resume, parallel runs, whole-line appends,
//! finalizing.

use crate::error::EvalError;
use crate::progress::Progress;
use crate::run_dir::RunDir;
use crate::seed::episode_seed;
use crate::shard::ShardSpec;
use crate::summary::Summary;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use waymark_planner::{
    EpisodeReport, FailureCause, Planner, PlannerError, PlannerInfo, PlannerRegistry,
};
use waymark_task::{EndReason, EpisodeRecord, StepOutcome, Task, TaskArgs, TaskEpisodes, TaskInfo};

/// What every batch is told, whatever its task.
#[derive(Clone, Debug)]
pub struct BatchConfig {
    /// The planner's registry name.
    pub planner: String,
    /// The planner's settings, recorded in `run.json` (see [`RunManifest::planner_settings`]).
    pub planner_settings: BTreeMap<String, String>,
    /// The output folder.
    pub out_dir: PathBuf,
    /// Worker threads (episodes run at once; one planner instance each).
    pub workers: usize,
    /// This run's shard.
    pub shard: ShardSpec,
    /// Only the first N episodes of the file.
    pub limit: Option<usize>,
    /// The run's seed (each episode's seed derives from it and the episode id).
    pub seed: u64,
}

/// The settings of a run, kept in `run.json` so a resumed run or a merge can check that every
/// part was made the same way.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunManifest {
    /// The task, for example `r2r`.
    pub task: String,
    /// The planner's registry name.
    pub planner: String,
    /// Whether the planner was given privileged information (the teacher, the reference
    /// path), because it declared it needs it.
    #[serde(default)]
    pub privileged: bool,
    /// Settings that change what the planner does (for an LLM planner: the model, the prompt,
    /// the observation source), so a resumed run or a merge cannot mix two set-ups.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub planner_settings: BTreeMap<String, String>,
    /// The episode file's name (its split), for example `R2R_val_seen.json`.
    pub episodes_file: String,
    /// A content hash of every file and folder the task's options name, by option
    /// (`episodes`, `connectivity` …): a resume or merge over changed inputs is refused.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inputs: BTreeMap<String, String>,
    /// The task's options as given (`episodes`, `connectivity`, …; existing paths made
    /// absolute), so a report or the window can open the episodes again. Not compared on
    /// resume or merge (the inputs' fingerprints are): the same files may lie at other paths on
    /// other machines.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
    /// Episodes in the episode file.
    pub instructions_in_file: usize,
    /// The run's seed.
    pub seed: u64,
    /// The step limit.
    pub max_steps: u32,
    /// The success radius in metres, for tasks that have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_threshold_m: Option<f64>,
    /// Only the first N episodes of the file, when set.
    pub limit: Option<usize>,
    /// This run's shard (`0/1` for a whole batch).
    pub shard: ShardSpec,
}

impl RunManifest {
    /// The task options the run recorded, as arguments to open its episodes again.
    pub fn task_args(&self) -> TaskArgs {
        let mut args = TaskArgs::new();
        for (name, value) in &self.options {
            args.set(name, value.clone());
        }
        args
    }
}

/// Runs (or resumes) `planner` over the episodes of `task` named by `args`, into
/// `config.out_dir`. Before anything is written: the planner must declare the task (and a
/// step limit it works under), and every selected episode is checked. Episodes already in
/// `episodes.jsonl` are kept; the others run on `config.workers` threads, one planner
/// instance per worker reused across episodes, and are appended as they finish.
pub fn run_eval(
    task: &dyn Task,
    args: &TaskArgs,
    config: &BatchConfig,
    registry: &PlannerRegistry,
    progress: &dyn Progress,
) -> Result<Summary, EvalError> {
    let planner = registry.info(&config.planner)?.clone();
    let info = task.info();
    check_support(&planner, info)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.workers.max(1))
        .build()
        .map_err(|e| EvalError::Workers {
            workers: config.workers,
            message: e.to_string(),
        })?;
    pool.install(|| {
        let episodes = task.open(args)?;
        let set = episodes.set();
        if set.episodes.is_empty() {
            return Err(EvalError::NoEpisodes(set.file.clone()));
        }
        if let Some(needed) = planner.min_max_steps
            && set.max_steps < needed
        {
            return Err(EvalError::StepLimit {
                planner: planner.name.clone(),
                needed,
                max_steps: set.max_steps,
            });
        }
        let positions = select(set.episodes.len(), config.limit, config.shard);
        episodes.check(&positions, &planner.sensors)?;
        let inputs = crate::inputs::task_inputs(info, args)?;
        let manifest = RunManifest {
            task: info.name.into(),
            planner: config.planner.clone(),
            privileged: planner.privileged,
            planner_settings: config.planner_settings.clone(),
            episodes_file: file_name(&set.file),
            inputs,
            options: crate::inputs::task_options(info, args),
            instructions_in_file: set.episodes.len(),
            seed: config.seed,
            max_steps: set.max_steps,
            success_threshold_m: set.success_threshold_m,
            limit: config.limit,
            shard: config.shard,
        };
        let batch = Batch {
            task,
            episodes: episodes.as_ref(),
            planner: &planner,
            registry,
            seed: config.seed,
            idle: Mutex::new(Vec::new()),
            not_done: Mutex::new(Vec::new()),
            consecutive_failures: AtomicUsize::new(0),
            tripped: AtomicBool::new(false),
        };
        batch.run(
            &RunDir::new(&config.out_dir),
            &manifest,
            &positions,
            progress,
        )
    })
}

/// Refuses a planner that does not declare the task (by name or observation kind), naming
/// both.
pub fn check_support(planner: &PlannerInfo, task: &TaskInfo) -> Result<(), EvalError> {
    if planner.supports(task.name, task.observation_kind) {
        return Ok(());
    }
    Err(EvalError::Unsupported {
        planner: planner.name.clone(),
        task: task.name.into(),
        kind: task.observation_kind.into(),
        supports: planner.supports.join(", "),
    })
}

/// The positions a run takes: the first `limit` of the file (all when `None`), then those of
/// `shard`.
pub(crate) fn select(in_file: usize, limit: Option<usize>, shard: ShardSpec) -> Vec<usize> {
    (0..in_file.min(limit.unwrap_or(usize::MAX)))
        .filter(|&position| shard.contains(position))
        .collect()
}

/// A file's name, for manifests.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Consecutive episodes lost to infrastructure failures after which a batch starts no more
/// (a server that is down fails every episode; there is no point in waiting for each).
pub const MAX_CONSECUTIVE_INFRASTRUCTURE_FAILURES: usize = 5;

/// One batch in flight.
struct Batch<'a> {
    task: &'a dyn Task,
    episodes: &'a dyn TaskEpisodes,
    planner: &'a PlannerInfo,
    registry: &'a PlannerRegistry,
    seed: u64,
    /// Planner instances between episodes: at most one per worker, reused.
    idle: Mutex<Vec<Box<dyn Planner>>>,
    /// Episodes lost to infrastructure failures (or not started after the breaker tripped):
    /// `(id, why)`. They are not recorded, so a resume runs them again.
    not_done: Mutex<Vec<(String, String)>>,
    /// Infrastructure failures since the last episode that ended.
    consecutive_failures: AtomicUsize,
    /// Whether the batch stopped starting episodes.
    tripped: AtomicBool,
}

/// How an episode went.
enum Outcome {
    /// It ended (however the agent did); its record and the planner's report.
    Done(Box<(EpisodeRecord, EpisodeReport)>),
    /// Something around the planner failed; the report and why.
    Infrastructure(EpisodeReport, String),
}

impl Batch<'_> {
    fn run(
        &self,
        run_dir: &RunDir,
        manifest: &RunManifest,
        positions: &[usize],
        progress: &dyn Progress,
    ) -> Result<Summary, EvalError> {
        let _lock = run_dir.lock()?;
        let done = run_dir.create_or_resume(manifest)?;
        let meta = &self.episodes.set().episodes;
        let position_of: HashMap<&str, usize> = positions
            .iter()
            .map(|&p| (meta[p].id.as_str(), p))
            .collect();
        let mut finished = HashMap::new();
        for record in &done {
            if position_of.get(record.id.as_str()) != Some(&record.index) {
                return Err(EvalError::NotInSelection {
                    dir: run_dir.path().to_path_buf(),
                    id: record.id.clone(),
                    index: record.index,
                });
            }
            if finished.insert(record.id.as_str(), record).is_some() {
                return Err(EvalError::Duplicate {
                    id: record.id.clone(),
                    context: format!(" in {}", run_dir.path().display()),
                });
            }
        }
        let pending: Vec<usize> = positions
            .iter()
            .copied()
            .filter(|&p| !finished.contains_key(meta[p].id.as_str()))
            .collect();
        tracing::info!(
            task = %manifest.task,
            selected = positions.len(),
            resumed = finished.len(),
            pending = pending.len(),
            "batch"
        );
        progress.start(positions.len() as u64, finished.len() as u64);
        let appender = Mutex::new(run_dir.appender()?);
        let fresh: Vec<Option<EpisodeRecord>> = pending
            .par_iter()
            .map(|&position| {
                let id = &meta[position].id;
                if self.tripped.load(Ordering::Relaxed) {
                    self.not_done(id, "not started: the batch stopped after repeated infrastructure failures".into());
                    return Ok(None);
                }
                if crate::interrupt::stop_requested() {
                    self.not_done(id, crate::interrupt::INTERRUPTED.into());
                    return Ok(None);
                }
                let mut planner = self.take_planner()?;
                let result = self.run_episode(planner.as_mut(), position);
                self.idle
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(planner);
                let (record, report) = match result? {
                    // A stop's signal reaches an out-of-process planner too: a failure after
                    // it (during the episode, or while giving its report once the agent had
                    // stopped) is the stop's, not the planner's, and the episode runs again
                    // on resume.
                    Outcome::Done(done)
                        if crate::interrupt::stop_requested()
                            && (done.0.end == EndReason::Error || done.1.report_failed()) =>
                    {
                        self.not_done(id, crate::interrupt::INTERRUPTED.into());
                        return Ok(None);
                    }
                    Outcome::Done(done) => *done,
                    Outcome::Infrastructure(report, error) => {
                        if !report.step_log.is_empty() {
                            run_dir.write_step_log(id, &report.step_log)?;
                        }
                        let failures = self.consecutive_failures.fetch_add(1, Ordering::Relaxed) + 1;
                        if failures >= MAX_CONSECUTIVE_INFRASTRUCTURE_FAILURES
                            && !self.tripped.swap(true, Ordering::Relaxed)
                        {
                            tracing::error!(failures, %error, "stopping the batch: repeated infrastructure failures");
                        }
                        self.not_done(id, error);
                        progress.inc();
                        return Ok(None);
                    }
                };
                self.consecutive_failures.store(0, Ordering::Relaxed);
                // The step log first: a record in `episodes.jsonl` means its log is complete.
                if !report.step_log.is_empty() {
                    run_dir.write_step_log(&record.id, &report.step_log)?;
                }
                appender
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .append(&record)?;
                progress.inc();
                Ok(Some(record))
            })
            .collect::<Result<_, EvalError>>()?;
        progress.finish();
        let mut records = done;
        records.extend(fresh.into_iter().flatten());
        let mut not_done =
            std::mem::take(&mut *self.not_done.lock().unwrap_or_else(PoisonError::into_inner));
        not_done.sort();
        let mut summary = run_dir.finalize(self.task, manifest, records)?;
        if !not_done.is_empty() {
            summary.not_done = not_done.len();
            for (_, error) in &not_done {
                *summary.not_done_causes.entry(error.clone()).or_insert(0) += 1;
            }
            summary.stopped_early = self.tripped.load(Ordering::Relaxed);
            run_dir.write_summary(&summary)?;
        }
        Ok(summary)
    }

    fn not_done(&self, id: &str, why: String) {
        self.not_done
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((id.to_string(), why));
    }

    fn take_planner(&self) -> Result<Box<dyn Planner>, EvalError> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        match idle {
            Some(planner) => Ok(planner),
            None => Ok(self.registry.create(&self.planner.name)?),
        }
    }

    /// Drives the planner through the episode at `position`: reset, then observe → act → step
    /// until the episode ends, then the planner's report and the task's scoring. Planner
    /// failures and rejected actions end the episode where the agent stands; they are
    /// recorded (with their cause counted), never raised.
    fn run_episode(
        &self,
        planner: &mut dyn Planner,
        position: usize,
    ) -> Result<Outcome, EvalError> {
        let meta = &self.episodes.set().episodes[position];
        let privileged = self.planner.privileged;
        let seed = episode_seed(self.seed, &meta.id);
        let context = self.episodes.context(position, seed, privileged)?;
        let mut env = self.episodes.start(position)?;
        let mut failures: BTreeMap<String, u64> = BTreeMap::new();
        let mut infrastructure = None;
        let mut fail = |e: PlannerError| {
            if e.cause() == FailureCause::Infrastructure {
                infrastructure = Some(e.to_string());
            }
            if let Some(counter) = e.cause().counter() {
                *failures.entry(counter.to_string()).or_insert(0) += 1;
            }
            (EndReason::Error, Some(e.to_string()))
        };
        let (end, error) = match planner.reset(&context) {
            Err(e) => fail(e),
            Ok(()) => loop {
                let mut observation = env.observe(privileged, &self.planner.sensors)?;
                if !privileged {
                    observation.strip_privileged();
                }
                let action = match planner.act(&observation) {
                    Ok(a) => a,
                    Err(e) => break fail(e),
                };
                match env.step(&action) {
                    Ok(StepOutcome::Running) => {}
                    Ok(StepOutcome::Stopped) => break (EndReason::Stopped, None),
                    Ok(StepOutcome::StepLimit) => break (EndReason::StepLimit, None),
                    Ok(StepOutcome::TooManyFailures) => break (EndReason::TooManyFailures, None),
                    Err(e) => {
                        *failures.entry("failure.bad_action".into()).or_insert(0) += 1;
                        break (EndReason::Error, Some(e.to_string()));
                    }
                }
            },
        };
        if let Some(error) = &error {
            tracing::warn!(episode = %meta.id, %error, "episode failed");
        }
        let mut report = planner.finish_episode();
        if let Some(error) = infrastructure {
            return Ok(Outcome::Infrastructure(report, error));
        }
        for (name, n) in failures {
            *report.counters.entry(name).or_insert(0) += n;
        }
        let scored = env.finish()?;
        let record = EpisodeRecord {
            index: position,
            id: meta.id.clone(),
            scene: meta.scene.clone(),
            language: meta.language.clone(),
            task_type: meta.task_type.clone(),
            metrics: scored.metrics,
            end,
            error,
            counters: std::mem::take(&mut report.counters),
            cost_usd: report.cost_usd,
            trajectory: scored.trajectory,
        };
        Ok(Outcome::Done(Box::new((record, report))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_takes_the_limit_then_the_shard() {
        let shard = ShardSpec { index: 1, count: 3 };
        assert_eq!(select(10, None, shard), vec![1, 4, 7]);
        assert_eq!(select(10, Some(5), shard), vec![1, 4]);
        assert_eq!(select(10, Some(50), ShardSpec::WHOLE).len(), 10);
    }
}
