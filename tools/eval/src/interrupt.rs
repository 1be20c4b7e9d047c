//! Stopping a batch cleanly from outside: a process-wide flag that whoever handles the
//! process's signals (the CLI: SIGTERM, SIGINT, SIGUSR1, as Slurm and Kubernetes send them)
//! sets. A batch that sees it starts no more episodes; the ones in flight finish and write
//! their whole lines; the rest are left not done, so rerunning the same command resumes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// Why an episode was not done once the flag was set (a `not_done` cause in the summary): it
/// was not started, or its planner failed after the stop (the signal reaches planner
/// processes too).
pub const INTERRUPTED: &str = "interrupted: a signal asked the run to stop";

/// The process's stop flag, for signal handlers to set.
pub fn stop_flag() -> Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| Arc::new(AtomicBool::new(false)))
        .clone()
}

/// Whether the process was asked to stop.
pub fn stop_requested() -> bool {
    stop_flag().load(Ordering::Relaxed)
}
