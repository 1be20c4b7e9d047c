//! The generic batch runner, written once for every task.
//!
//! Runs a planner over any task's episode file into an output folder (`submission.json`,
//! `episodes.jsonl`, `summary.json`, `run.json`, `steps/`), resumes a killed run where it
//! stopped, splits work into deterministic shards, merges shard folders, and scores any
//! submission with the task's official scorer. Tasks are found by name in [`tasks`]; planners
//! in a `PlannerRegistry`. A planner is refused before the first episode unless it declares
//! the task, and only planners that declare privileged access ever receive the teacher. A
//! batch asked to stop ([`interrupt`]) finishes the episodes in flight and starts no more.

mod batch;
pub mod error;
pub mod inputs;
pub mod interrupt;
pub mod merge;
pub mod progress;
pub mod run_dir;
pub mod score;
pub mod seed;
pub mod shard;
pub mod summary;
pub mod tasks;

pub use batch::{
    BatchConfig, MAX_CONSECUTIVE_INFRASTRUCTURE_FAILURES, RunManifest, check_support, run_eval,
};
pub use error::EvalError;
pub use progress::{NoProgress, Progress};
pub use shard::ShardSpec;
pub use summary::Summary;
pub use waymark_task::{EndReason, EpisodeRecord, TaskArgs};
