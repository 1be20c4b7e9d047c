//! Batch evaluation.
//!
//! Runs a planner over an episode file into an output folder (`submission.json`,
//! `episodes.jsonl`, `summary.json`, `run.json`), resumes a killed run where it stopped,
//! splits work into deterministic shards, merges shard folders, and scores any submission
//! exactly as the official evaluator does.

mod batch;
pub mod error;
pub mod merge;
pub mod progress;
pub mod r2r;
pub mod record;
pub mod run_dir;
pub mod score;
pub mod seed;
pub mod shard;
pub mod summary;
pub mod vlnce;

pub use batch::BatchConfig;
pub use error::EvalError;
pub use progress::{NoProgress, Progress};
pub use r2r::{R2rEvalConfig, load_r2r_batch, run_r2r_eval};
pub use record::{EpisodeRecord, RunManifest, SubmissionEntry, Trajectory};
pub use score::{ScoreOptions, score_submission};
pub use shard::ShardSpec;
pub use summary::Summary;
pub use vlnce::{VlnceEvalConfig, run_vlnce_eval};
