//! An indicatif progress bar for batches (drawn only when stderr is a terminal).

use indicatif::{ProgressBar, ProgressStyle};
use waymark_eval::Progress;

/// A terminal progress bar.
pub struct BarProgress {
    bar: ProgressBar,
}

impl BarProgress {
    /// A bar with the given prefix.
    pub fn new(prefix: &str) -> Self {
        let bar = ProgressBar::new(0).with_prefix(prefix.to_string());
        if let Ok(style) = ProgressStyle::with_template(
            "{prefix} [{elapsed_precise}] {wide_bar} {pos}/{len} episodes ({per_sec}, eta {eta})",
        ) {
            bar.set_style(style);
        }
        Self { bar }
    }
}

impl Progress for BarProgress {
    fn start(&self, total: u64, done: u64) {
        self.bar.set_length(total);
        self.bar.set_position(done);
        self.bar.reset_eta();
    }

    fn inc(&self) {
        self.bar.inc(1);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// A bar over `total` steps of one long job (`waymark record`), labelled `prefix`.
pub fn bar(total: u64, prefix: &str) -> ProgressBar {
    let bar = ProgressBar::new(total).with_prefix(prefix.to_string());
    if let Ok(style) = ProgressStyle::with_template(
        "{prefix} [{elapsed_precise}] {wide_bar} {pos}/{len} steps (eta {eta})",
    ) {
        bar.set_style(style);
    }
    bar
}
