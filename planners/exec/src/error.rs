//! Errors of external planner processes.

use std::time::Duration;
use waymark_planner::{FailureCause, PlannerError};

/// A failure of an external planner: which planner (`exec:<command>`) and what went wrong.
#[derive(Debug, thiserror::Error)]
#[error("planner `{planner}`: {kind}")]
pub struct ExecError {
    /// The planner's name, `exec:<command>`.
    pub planner: String,
    /// What went wrong.
    pub kind: ExecErrorKind,
}

/// What went wrong with an external planner.
#[derive(Debug, thiserror::Error)]
pub enum ExecErrorKind {
    /// The command line is empty.
    #[error("the command is empty")]
    EmptyCommand,
    /// The command line cannot be split into words.
    #[error("cannot split the command line into words (an unclosed quote or a trailing backslash)")]
    BadCommandLine,
    /// The program could not be started.
    #[error("cannot start program `{program}`: {source}")]
    Spawn {
        /// The program (the command's first word).
        program: String,
        /// Why.
        source: std::io::Error,
    },
    /// The process exited, or closed its stdout, before giving the answer waymark waited for.
    #[error("the process ended ({status}) instead of answering with `{awaiting}`{stderr}")]
    Exited {
        /// The message type waymark was waiting for.
        awaiting: &'static str,
        /// How it ended (`exit status: 1`, `signal: 9 (SIGKILL)`, `still running, killed`).
        status: String,
        /// The last lines it wrote to stderr, prefixed by `; stderr: `, or empty.
        stderr: String,
    },
    /// Its stdout could not be read.
    #[error("cannot read its stdout while waiting for `{awaiting}`: {source}")]
    Read {
        /// The message type waymark was waiting for.
        awaiting: &'static str,
        /// Why.
        source: std::io::Error,
    },
    /// No answer came within the time limit; the process was killed.
    #[error("no `{awaiting}` answer within {waited:?}; the process was killed")]
    Timeout {
        /// The message type waymark was waiting for.
        awaiting: &'static str,
        /// The time limit.
        waited: Duration,
    },
    /// A line that is not the expected message: not JSON, another message type, an unknown
    /// action, a missing field. The process was killed.
    #[error("expected its `{awaiting}` message, got {line:?}: {reason}")]
    BadMessage {
        /// The message type waymark was waiting for.
        awaiting: &'static str,
        /// The line (cut to 200 characters).
        line: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A line longer than waymark accepts.
    #[error("a line of more than {limit} bytes while waiting for `{awaiting}`")]
    LineTooLong {
        /// The message type waymark was waiting for.
        awaiting: &'static str,
        /// The limit in bytes.
        limit: usize,
    },
    /// The planner speaks another protocol version.
    #[error("the planner speaks protocol version {got}; waymark speaks version {expected}")]
    ProtocolVersion {
        /// The version waymark speaks.
        expected: u32,
        /// The version the planner declared, as it wrote it.
        got: String,
    },
}

impl ExecErrorKind {
    /// The cause a run counts this failure under.
    pub fn cause(&self) -> FailureCause {
        match self {
            Self::Exited { .. } | Self::Read { .. } => FailureCause::Crashed,
            Self::Timeout { .. } => FailureCause::Timeout,
            Self::BadMessage { .. } | Self::LineTooLong { .. } => FailureCause::BadAction,
            Self::EmptyCommand
            | Self::BadCommandLine
            | Self::Spawn { .. }
            | Self::ProtocolVersion { .. } => FailureCause::Other,
        }
    }
}

impl ExecError {
    /// The cause a run counts this failure under.
    pub fn cause(&self) -> FailureCause {
        self.kind.cause()
    }
}

impl From<ExecError> for PlannerError {
    fn from(e: ExecError) -> Self {
        PlannerError::Failed {
            cause: e.kind.cause(),
            message: e.kind.to_string(),
            planner: e.planner,
        }
    }
}
