//! Helpers for conformance tests on the real benchmark data.
//!
//! The real files are never part of the project (their licences forbid it): tests find them
//! through `WAYMARK_REAL_DATA` (`.ci/run` sets it to `../shared/data`) and are skipped, with a
//! note, when it is unset, except under CI (`CI=true`), where they fail instead.

use std::path::PathBuf;

/// The real-data folder, or `None` (after printing why) when `WAYMARK_REAL_DATA` is unset.
///
/// # Panics
/// When the variable is set but names no folder, or is unset under CI (`CI=true`): a
/// misconfigured CI must fail, not skip.
pub fn real_data() -> Option<PathBuf> {
    let dir = PathBuf::from(waymark_io::test_env::require(
        "WAYMARK_REAL_DATA",
        "the conformance tests",
    )?);
    assert!(
        dir.is_dir(),
        "WAYMARK_REAL_DATA={} is not a folder",
        dir.display()
    );
    Some(dir)
}
