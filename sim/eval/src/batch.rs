//! The task-independent part of a batch: resume, parallel runs, whole-line appends, finalizing.

use crate::error::EvalError;
use crate::progress::Progress;
use crate::record::{EndReason, EpisodeRecord, RunManifest};
use crate::run_dir::RunDir;
use crate::shard::ShardSpec;
use crate::summary::Summary;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, PoisonError};
use waymark_core::{Action, InstrId, Observation};
use waymark_planner::{EpisodeContext, EpisodeReport, Planner, PlannerRegistry};

/// What every batch is told, whatever its task.
#[derive(Clone, Debug)]
pub struct BatchConfig {
    /// The planner's registry name.
    pub planner: String,
    /// The planner's settings, recorded in `run.json` (see [`RunManifest::planner_settings`]).
    pub planner_settings: std::collections::BTreeMap<String, String>,
    /// The episode file.
    pub episodes_file: std::path::PathBuf,
    /// The output folder.
    pub out_dir: std::path::PathBuf,
    /// Worker threads.
    pub workers: usize,
    /// This run's shard.
    pub shard: ShardSpec,
    /// Only the first N episodes of the file.
    pub limit: Option<usize>,
    /// The run's seed (each episode's seed derives from it and the episode id).
    pub seed: u64,
    /// The success radius in metres.
    pub success_threshold_m: f64,
}

impl BatchConfig {
    /// The manifest of this batch of `task`, over a file of `in_file` episodes.
    pub(crate) fn manifest(&self, task: &str, in_file: usize, max_steps: u32) -> RunManifest {
        RunManifest {
            task: task.into(),
            planner: self.planner.clone(),
            planner_settings: self.planner_settings.clone(),
            episodes_file: file_name(&self.episodes_file),
            instructions_in_file: in_file,
            seed: self.seed,
            max_steps,
            success_threshold_m: self.success_threshold_m,
            limit: self.limit,
            shard: self.shard,
        }
    }
}

/// One selected episode: its position in the episode file, its id, the episode.
pub(crate) struct BatchItem<'a, E> {
    /// Position in the episode file (before sharding).
    pub position: usize,
    /// The instruction or episode id.
    pub id: &'a InstrId,
    /// The episode.
    pub episode: &'a E,
}

/// The episodes a run takes: the first `limit` of the file (all when `None`), then those of
/// `shard`, each with its position in the file.
pub(crate) fn select<E>(all: &[E], limit: Option<usize>, shard: ShardSpec) -> Vec<(usize, &E)> {
    all.iter()
        .enumerate()
        .take(limit.unwrap_or(usize::MAX))
        .filter(|(position, _)| shard.contains(*position))
        .collect()
}

/// Runs (or resumes) the batch `items` into `run_dir` on the current rayon pool: episodes
/// already in `episodes.jsonl` are kept, the others run in parallel and are appended as they
/// finish; then the final files are written.
pub(crate) fn run_batch<E: Sync>(
    run_dir: &RunDir,
    manifest: &RunManifest,
    items: &[BatchItem<'_, E>],
    progress: &dyn Progress,
    run_one: impl Fn(usize, &E) -> Result<Finished, EvalError> + Sync,
) -> Result<Summary, EvalError> {
    let done = run_dir.create_or_resume(manifest)?;
    let position_of: HashMap<&InstrId, usize> = items.iter().map(|i| (i.id, i.position)).collect();
    let mut finished = HashMap::new();
    for record in &done {
        if position_of.get(&record.instr_id) != Some(&record.index) {
            return Err(EvalError::Invalid(format!(
                "{}: {} is not episode {} of this run's selection",
                run_dir.path().display(),
                record.instr_id,
                record.index
            )));
        }
        if finished.insert(&record.instr_id, record).is_some() {
            return Err(EvalError::Duplicate {
                instr_id: record.instr_id.clone(),
                context: format!(" in {}", run_dir.path().display()),
            });
        }
    }
    let pending: Vec<&BatchItem<'_, E>> = items
        .iter()
        .filter(|i| !finished.contains_key(i.id))
        .collect();
    tracing::info!(
        task = %manifest.task,
        selected = items.len(),
        resumed = finished.len(),
        pending = pending.len(),
        "batch"
    );
    progress.start(items.len() as u64, finished.len() as u64);
    let appender = Mutex::new(run_dir.appender()?);
    let fresh: Vec<EpisodeRecord> = pending
        .par_iter()
        .map(|item| {
            let Finished { record, step_log } = run_one(item.position, item.episode)?;
            // The step log first: a record in `episodes.jsonl` means its log is complete.
            if !step_log.is_empty() {
                run_dir.write_step_log(&record.instr_id, &step_log)?;
            }
            appender
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .append(&record)?;
            progress.inc();
            Ok(record)
        })
        .collect::<Result<_, EvalError>>()?;
    progress.finish();
    let mut records = done;
    records.extend(fresh);
    run_dir.finalize(manifest, records)
}

/// A file's name, for manifests.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Checks the planner name (before anything is written), then runs `f` on a rayon pool of
/// `workers` threads.
pub(crate) fn in_pool<T>(
    registry: &PlannerRegistry,
    planner: &str,
    workers: usize,
    f: impl FnOnce() -> Result<T, EvalError> + Send,
) -> Result<T, EvalError>
where
    T: Send,
{
    registry.create(planner)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers.max(1))
        .build()
        .map_err(|e| EvalError::Invalid(format!("cannot start {workers} workers: {e}")))?;
    pool.install(f)
}

/// A finished episode: its record and the planner's step log.
pub(crate) struct Finished {
    /// The record.
    pub record: EpisodeRecord,
    /// JSON lines for `steps/<instr_id>.jsonl` (none written when empty).
    pub step_log: Vec<String>,
}

/// How an episode ended, and what the planner reported about it.
pub(crate) struct Driven {
    /// Why it ended.
    pub end: EndReason,
    /// The failure, when it ended in one.
    pub error: Option<String>,
    /// The planner's report.
    pub report: EpisodeReport,
}

impl Driven {
    /// The record of the episode, with the planner's counts, and its step log.
    pub fn finish(
        self,
        record: impl FnOnce(EndReason, Option<String>) -> EpisodeRecord,
    ) -> Finished {
        let mut record = record(self.end, self.error);
        record.counters = self.report.counters;
        record.cost_usd = self.report.cost_usd;
        Finished {
            record,
            step_log: self.report.step_log,
        }
    }
}

/// Drives `planner` through one episode: reset, then observe → act → step until the episode
/// ends, then collects the planner's report. `step` returns `Ok(None)` while it runs and
/// `Ok(Some(reason))` when it ends. Planner failures and rejected actions end the episode
/// where the agent stands; they are returned as the error text, never raised.
pub(crate) fn drive_episode<E>(
    planner: &mut dyn Planner,
    context: EpisodeContext<'_>,
    env: &mut E,
    observe: impl Fn(&E) -> Observation,
    mut step: impl FnMut(&mut E, &Action) -> Result<Option<EndReason>, String>,
) -> Driven {
    let outcome = match planner.reset(context) {
        Err(e) => (EndReason::Error, Some(e.to_string())),
        Ok(()) => loop {
            let action = match planner.act(&observe(env)) {
                Ok(a) => a,
                Err(e) => break (EndReason::Error, Some(e.to_string())),
            };
            match step(env, &action) {
                Ok(None) => {}
                Ok(Some(end)) => break (end, None),
                Err(e) => break (EndReason::Error, Some(e)),
            }
        },
    };
    if let Some(error) = &outcome.1 {
        tracing::warn!(episode = context.episode.id(), %error, "episode failed");
    }
    Driven {
        end: outcome.0,
        error: outcome.1,
        report: planner.finish_episode(),
    }
}
