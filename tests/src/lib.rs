//! Helpers for conformance tests on the real benchmark data.
//!
//! The real files are never part of the project (their licences forbid it): tests find them
//! through `WAYMARK_REAL_DATA` (`.ci/run` sets it to `../shared/data`) and are skipped, with a
//! note, when it is unset.

use std::path::PathBuf;

/// The real-data folder, or `None` (after printing why) when `WAYMARK_REAL_DATA` is unset.
///
/// # Panics
/// When the variable is set but names no folder: a misconfigured CI must fail, not skip.
pub fn real_data() -> Option<PathBuf> {
    match std::env::var_os("WAYMARK_REAL_DATA") {
        None => {
            eprintln!("skipped: set WAYMARK_REAL_DATA to the real data folder to run this test");
            None
        }
        Some(dir) => {
            let dir = PathBuf::from(dir);
            assert!(
                dir.is_dir(),
                "WAYMARK_REAL_DATA={} is not a folder",
                dir.display()
            );
            Some(dir)
        }
    }
}
