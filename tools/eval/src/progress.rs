//! Progress reporting, so the CLI can draw a bar without this crate knowing about terminals.

/// Receives progress of a batch.
pub trait Progress: Sync {
    /// The batch has `total` episodes, `done` of which were already finished (resume).
    fn start(&self, total: u64, done: u64);
    /// One more episode finished.
    fn inc(&self);
    /// The batch ended.
    fn finish(&self);
}

/// Reports nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _total: u64, _done: u64) {}
    fn inc(&self) {}
    fn finish(&self) {}
}
