//! What a test does when something it needs from outside the project is missing: the real
//! data (`WAYMARK_REAL_DATA`), an X display, a model server (`WAYMARK_TEST_LLM_URL`).
//!
//! On a developer's machine such a test is skipped with a note on stderr. Under CI (the
//! environment variable `CI` is `true` or `1`, as GitHub Actions, GitLab CI and `.ci/run` set it)
//! it fails instead, so that a misconfigured CI run cannot pass by quietly skipping the tests
//! that matter most.
//!
//! ```no_run
//! # fn demo() {
//! let Some(data) = waymark_io::test_env::require("WAYMARK_REAL_DATA", "the real R2R data")
//! else {
//!     return; // skipped, with a note (a panic under CI)
//! };
//! # let _ = data;
//! # }
//! ```

use std::ffi::{OsStr, OsString};

/// What to do about a missing prerequisite.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Skip the test; the note to print (it starts with `skipped: `).
    Skip(String),
    /// Fail the test; the panic message.
    Fail(String),
}

/// Whether the value of the `CI` environment variable marks a CI run: `true` or `1` (ignoring
/// case and surrounding white space).
pub fn is_ci(ci: Option<&OsStr>) -> bool {
    ci.and_then(OsStr::to_str)
        .map(str::trim)
        .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// The pure decision: given the value of `CI` and a description of what is missing (for
/// example `WAYMARK_REAL_DATA is unset (needed by the real R2R data)`), skip or fail.
pub fn verdict(ci: Option<&OsStr>, missing: &str) -> Verdict {
    if is_ci(ci) {
        Verdict::Fail(format!(
            "{missing}; CI is set, and a CI run must not skip this test"
        ))
    } else {
        Verdict::Skip(format!("skipped: {missing}"))
    }
}

/// Returns `value` when it is there. When it is `None`: under CI, panics with a message that
/// says what is `missing`; otherwise prints `skipped: <missing>` to stderr and returns `None`,
/// so the test can return early.
///
/// # Panics
/// When `value` is `None` and `CI` is `true` or `1`.
#[track_caller]
pub fn require_value<T>(value: Option<T>, missing: &str) -> Option<T> {
    if value.is_some() {
        return value;
    }
    match verdict(std::env::var_os("CI").as_deref(), missing) {
        Verdict::Fail(message) => panic!("{message}"),
        Verdict::Skip(note) => {
            eprintln!("{note}");
            None
        }
    }
}

/// The value of the environment variable `var`, when it is set and not empty. Otherwise, under
/// CI, panics; elsewhere prints `skipped: <var> is unset (needed by <why>)` and returns `None`.
///
/// # Panics
/// When `var` is unset or empty and `CI` is `true` or `1`.
#[track_caller]
pub fn require(var: &str, why: &str) -> Option<OsString> {
    let value = std::env::var_os(var).filter(|v| !v.is_empty());
    require_value(value, &format!("{var} is unset (needed by {why})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_values() {
        for yes in ["true", "TRUE", "True", " true\n", "1"] {
            assert!(is_ci(Some(OsStr::new(yes))), "{yes:?}");
        }
        for no in ["", "false", "0", "no", "yes"] {
            assert!(!is_ci(Some(OsStr::new(no))), "{no:?}");
        }
        assert!(!is_ci(None));
    }

    #[test]
    fn under_ci_a_missing_prerequisite_fails() {
        let v = verdict(Some(OsStr::new("true")), "WAYMARK_REAL_DATA is unset");
        let Verdict::Fail(message) = v else {
            panic!("{v:?}");
        };
        assert!(message.contains("WAYMARK_REAL_DATA is unset"), "{message}");
        assert!(message.contains("CI"), "{message}");
    }

    #[test]
    fn elsewhere_a_missing_prerequisite_skips_with_a_note() {
        for ci in [None, Some(OsStr::new("false"))] {
            assert_eq!(
                verdict(ci, "no $DISPLAY"),
                Verdict::Skip("skipped: no $DISPLAY".into())
            );
        }
    }

    #[test]
    fn a_present_value_is_returned_whatever_ci_says() {
        assert_eq!(require_value(Some(3), "never printed"), Some(3));
    }

    /// `CI` is process-global, so this test reads it rather than setting it: it checks that
    /// `require_value` follows `verdict` for whatever value this process has.
    #[test]
    fn a_missing_value_follows_the_verdict() {
        let missing = "nothing (test of test_env)";
        match verdict(std::env::var_os("CI").as_deref(), missing) {
            Verdict::Skip(_) => assert_eq!(require_value::<u8>(None, missing), None),
            Verdict::Fail(message) => {
                let panic = std::panic::catch_unwind(|| require_value::<u8>(None, missing))
                    .expect_err("must panic under CI");
                assert_eq!(panic.downcast_ref::<String>(), Some(&message));
            }
        }
    }
}
