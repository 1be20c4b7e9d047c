//! [`ExecPlanner`]: a [`Planner`] that drives a child process over the JSON-lines protocol.

use crate::error::{ExecError, ExecErrorKind};
use crate::process::Process;
use crate::protocol::{Hello, PROTOCOL_VERSION, PlannerMessage, WaymarkMessage};
use std::borrow::Cow;
use std::time::Duration;
use waymark_planner::{
    Action, EpisodeContext, EpisodeReport, FailureCause, Observation, Planner, PlannerError,
    PlannerInfo, REPORT_FAILED, StepLogEntry,
};

/// How long a planner process may take to start and answer `hello` when nothing else is
/// said ([`ExecSpec::new`]): long enough to load a model.
pub const DEFAULT_STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// How to run an external planner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecSpec {
    /// The command line, split into words as a POSIX shell would (quotes, backslashes) but
    /// run without a shell.
    pub command: String,
    /// How long the planner may take to answer `reset`, `observation` and `end`.
    pub timeout: Duration,
    /// How long a new process may take to answer `hello`.
    pub startup_timeout: Duration,
}

impl ExecSpec {
    /// A spec whose start-up may take the longer of `timeout` and
    /// [`DEFAULT_STARTUP_TIMEOUT`].
    pub fn new(command: impl Into<String>, timeout: Duration) -> Self {
        Self {
            command: command.into(),
            timeout,
            startup_timeout: timeout.max(DEFAULT_STARTUP_TIMEOUT),
        }
    }

    /// The planner's registry name: `exec:<command>` (the command with its surrounding
    /// whitespace trimmed).
    pub fn planner_name(&self) -> String {
        format!("exec:{}", self.command.trim())
    }
}

/// Where the current episode stands.
enum Episode {
    /// No episode (before the first `reset`, after `finish_episode`).
    Idle,
    /// Reset done; `steps` actions answered.
    Running { steps: u32 },
    /// The episode failed after `steps` actions.
    Failed {
        steps: u32,
        cause: FailureCause,
        message: String,
    },
}

/// A planner that runs in its own process and speaks the JSON-lines protocol (version 1) on
/// its stdin and stdout.
///
/// The process is started at the first [`reset`](Planner::reset) (or by
/// [`probe`](Self::probe)) and kept for the episodes that follow. Any failure (the process
/// ended, gave no answer within the time limit, or answered something invalid) kills it and
/// fails the episode; the next `reset` starts a fresh process. Dropping the planner closes the
/// process's stdin, waits a short grace period, then kills it; it is always reaped.
///
/// A planner that does not declare itself privileged never sees privileged information: it
/// is removed from contexts and observations before they are sent.
pub struct ExecPlanner {
    spec: ExecSpec,
    name: String,
    argv: Vec<String>,
    process: Option<Process>,
    hello: Option<Hello>,
    episode: Episode,
}

impl ExecPlanner {
    /// A planner that will run `spec.command`; nothing is started yet.
    pub fn new(spec: ExecSpec) -> Result<Self, ExecError> {
        let name = spec.planner_name();
        let argv = match shlex::split(&spec.command) {
            None => Err(ExecErrorKind::BadCommandLine),
            Some(argv) if argv.is_empty() => Err(ExecErrorKind::EmptyCommand),
            Some(argv) => Ok(argv),
        }
        .map_err(|kind| ExecError {
            planner: name.clone(),
            kind,
        })?;
        Ok(Self {
            spec,
            name,
            argv,
            process: None,
            hello: None,
            episode: Episode::Idle,
        })
    }

    /// Starts the process and exchanges `hello`: the planner's declaration, and the planner
    /// with its process running, ready for its first episode.
    pub fn probe(spec: &ExecSpec) -> Result<(PlannerInfo, ExecPlanner), ExecError> {
        let mut planner = Self::new(spec.clone())?;
        planner.start()?;
        let info = planner.info().ok_or_else(|| planner.error(no_hello()))?;
        Ok((info, planner))
    }

    /// The planner's name, `exec:<command>`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How it runs.
    pub fn spec(&self) -> &ExecSpec {
        &self.spec
    }

    /// The `hello` of the current (or last) process, once one has started.
    pub fn hello(&self) -> Option<&Hello> {
        self.hello.as_ref()
    }

    /// The declaration for a registry, once a process has said `hello`: named
    /// `exec:<command>`, with what the process declared.
    pub fn info(&self) -> Option<PlannerInfo> {
        let hello = self.hello.as_ref()?;
        let description = hello.description.clone().unwrap_or_else(|| {
            let program = self.argv.first().map_or("", String::as_str);
            let own = hello.name.as_deref().unwrap_or(program);
            format!("external planner `{own}` (JSON lines, protocol v{PROTOCOL_VERSION})")
        });
        Some(PlannerInfo {
            name: self.name.clone(),
            description,
            supports: hello.supports.clone(),
            privileged: hello.privileged,
            sensors: hello.sensors.clone(),
            min_max_steps: hello.min_max_steps,
        })
    }

    /// The running process's id, if one is running.
    pub fn process_id(&self) -> Option<u32> {
        self.process.as_ref().map(Process::id)
    }

    /// Starts a process and exchanges `hello`.
    fn start(&mut self) -> Result<(), ExecError> {
        self.process = None;
        let mut process = Process::spawn(&self.name, &self.argv).map_err(|k| self.error(k))?;
        let hello = handshake(&mut process, self.spec.startup_timeout).map_err(|kind| {
            process.kill();
            self.error(kind)
        })?;
        tracing::debug!(
            planner = %self.name,
            pid = process.id(),
            own_name = hello.name.as_deref().unwrap_or(""),
            supports = ?hello.supports,
            privileged = hello.privileged,
            "planner said hello"
        );
        let changed = self.hello.as_ref().is_some_and(|previous| {
            previous.supports != hello.supports || previous.privileged != hello.privileged
        });
        if changed {
            tracing::warn!(
                planner = %self.name,
                "the restarted planner declares other support or privilege than before"
            );
        }
        self.hello = Some(hello);
        self.process = Some(process);
        Ok(())
    }

    /// Sends `message` and returns the answer, which must be of the type the message asks
    /// for. On any failure the process is killed and dropped.
    fn exchange(&mut self, message: &WaymarkMessage<'_>) -> Result<PlannerMessage, ExecError> {
        let Some(process) = self.process.as_mut() else {
            return Err(self.error(ExecErrorKind::Exited {
                awaiting: message.answer_type(),
                status: "not running".to_string(),
                stderr: String::new(),
            }));
        };
        let answer = exchange_with(process, message, self.spec.timeout);
        answer.map_err(|kind| {
            if let Some(mut process) = self.process.take() {
                process.kill();
            }
            self.error(kind)
        })
    }

    fn error(&self, kind: ExecErrorKind) -> ExecError {
        ExecError {
            planner: self.name.clone(),
            kind,
        }
    }

    fn privileged(&self) -> bool {
        self.hello.as_ref().is_some_and(|h| h.privileged)
    }

    /// Records a failure of the current episode and returns it as a planner error.
    fn fail(&mut self, error: ExecError) -> PlannerError {
        let steps = match self.episode {
            Episode::Running { steps } | Episode::Failed { steps, .. } => steps,
            Episode::Idle => 0,
        };
        tracing::debug!(error = %error, "external planner failed");
        let error = PlannerError::from(error);
        if let PlannerError::Failed { cause, message, .. } = &error {
            self.episode = Episode::Failed {
                steps,
                cause: *cause,
                message: message.clone(),
            };
        }
        error
    }

    fn reset_inner(&mut self, context: &EpisodeContext) -> Result<(), ExecError> {
        if self.process.as_mut().is_some_and(Process::has_exited) {
            tracing::warn!(planner = %self.name, "planner process exited between episodes; restarting it");
            self.process = None;
        }
        if self.process.is_none() {
            self.start()?;
        }
        let context = if context.privileged.is_some() && !self.privileged() {
            let mut stripped = context.clone();
            stripped.privileged = None;
            Cow::Owned(stripped)
        } else {
            Cow::Borrowed(context)
        };
        self.exchange(&WaymarkMessage::Reset { context })?;
        Ok(())
    }
}

impl Planner for ExecPlanner {
    fn reset(&mut self, context: &EpisodeContext) -> Result<(), PlannerError> {
        if let Episode::Running { .. } = self.episode {
            // The last episode was not finished: end it so that the process is in step.
            let _ = self.finish_episode();
        }
        self.episode = Episode::Running { steps: 0 };
        self.reset_inner(context).map_err(|e| self.fail(e))
    }

    fn act(&mut self, observation: &Observation) -> Result<Action, PlannerError> {
        let steps = match &self.episode {
            Episode::Running { steps } => *steps,
            Episode::Failed { cause, message, .. } => {
                return Err(PlannerError::Failed {
                    planner: self.name.clone(),
                    cause: *cause,
                    message: format!("the episode already failed: {message}"),
                });
            }
            Episode::Idle => {
                return Err(PlannerError::failed(
                    self.name.clone(),
                    "act was called before reset",
                ));
            }
        };
        let observation = if observation.has_privileged() && !self.privileged() {
            let mut stripped = observation.clone();
            stripped.strip_privileged();
            Cow::Owned(stripped)
        } else {
            Cow::Borrowed(observation)
        };
        match self.exchange(&WaymarkMessage::Observation { observation }) {
            Ok(PlannerMessage::Action { action }) => {
                self.episode = Episode::Running { steps: steps + 1 };
                Ok(action)
            }
            Ok(other) => Err(self.fail(self.error(unexpected("action", &other)))),
            Err(e) => Err(self.fail(e)),
        }
    }

    fn finish_episode(&mut self) -> EpisodeReport {
        match std::mem::replace(&mut self.episode, Episode::Idle) {
            Episode::Idle => EpisodeReport::default(),
            Episode::Running { steps } => match self.exchange(&WaymarkMessage::End) {
                Ok(PlannerMessage::Report { report }) => report,
                Ok(other) => {
                    let kind = unexpected("report", &other);
                    failure_report(steps, kind.cause(), &kind.to_string())
                }
                Err(e) => {
                    tracing::warn!(error = %e, "external planner gave no report");
                    failure_report(steps, e.cause(), &e.kind.to_string())
                }
            },
            Episode::Failed {
                steps,
                cause,
                message,
            } => failure_report(steps, cause, &message),
        }
    }
}

/// Sends `hello` and checks the answer: a `hello` of this protocol version.
fn handshake(process: &mut Process, timeout: Duration) -> Result<Hello, ExecErrorKind> {
    let message = WaymarkMessage::Hello {
        protocol: PROTOCOL_VERSION,
    };
    process.send(&message)?;
    let line = process.receive(timeout, "hello")?;
    let bad = |reason: String| ExecErrorKind::BadMessage {
        awaiting: "hello",
        line: excerpt(&line),
        reason,
    };
    // Look at the version before the rest, so that another version's hello is reported as
    // such even when its other fields differ.
    let value: serde_json::Value =
        serde_json::from_slice(&line).map_err(|e| bad(format!("not JSON: {e}")))?;
    match value.get("type").and_then(serde_json::Value::as_str) {
        Some("hello") => {}
        Some(other) => return Err(bad(format!("a `{other}` message"))),
        None => return Err(bad("no `type` field".to_string())),
    }
    match value.get("protocol") {
        Some(v) if v.as_u64() == Some(u64::from(PROTOCOL_VERSION)) => {}
        Some(v) => {
            return Err(ExecErrorKind::ProtocolVersion {
                expected: PROTOCOL_VERSION,
                got: v.to_string(),
            });
        }
        None => return Err(bad("no `protocol` field".to_string())),
    }
    match serde_json::from_value(value) {
        Ok(PlannerMessage::Hello(hello)) => Ok(hello),
        Ok(other) => Err(unexpected("hello", &other)),
        Err(e) => Err(bad(e.to_string())),
    }
}

/// Sends `message` and reads its answer, checking that it is of the type asked for.
fn exchange_with(
    process: &mut Process,
    message: &WaymarkMessage<'_>,
    timeout: Duration,
) -> Result<PlannerMessage, ExecErrorKind> {
    let awaiting = message.answer_type();
    process.send(message)?;
    let line = process.receive(timeout, awaiting)?;
    let answer: PlannerMessage =
        serde_json::from_slice(&line).map_err(|e| ExecErrorKind::BadMessage {
            awaiting,
            line: excerpt(&line),
            reason: e.to_string(),
        })?;
    if answer.type_name() != awaiting {
        return Err(unexpected(awaiting, &answer));
    }
    Ok(answer)
}

/// The error for an answer of the wrong type.
fn unexpected(awaiting: &'static str, got: &PlannerMessage) -> ExecErrorKind {
    ExecErrorKind::BadMessage {
        awaiting,
        line: serde_json::to_string(got).map_or_else(|_| String::new(), |s| excerpt(s.as_bytes())),
        reason: format!("a `{}` message", got.type_name()),
    }
}

fn no_hello() -> ExecErrorKind {
    ExecErrorKind::BadMessage {
        awaiting: "hello",
        line: String::new(),
        reason: "no hello was recorded".to_string(),
    }
}

/// The first 200 characters of a line, for error messages.
fn excerpt(line: &[u8]) -> String {
    const LIMIT: usize = 200;
    let text = String::from_utf8_lossy(line);
    if text.chars().count() <= LIMIT {
        text.into_owned()
    } else {
        let mut cut: String = text.chars().take(LIMIT).collect();
        cut.push('…');
        cut
    }
}

/// The report of an episode the planner failed: one step-log entry saying why.
fn failure_report(steps: u32, cause: FailureCause, message: &str) -> EpisodeReport {
    let cause = match cause {
        FailureCause::Crashed => "crashed",
        FailureCause::Timeout => "timeout",
        FailureCause::BadAction => "bad_action",
        FailureCause::Infrastructure => "infrastructure",
        FailureCause::Other => "other",
    };
    let mut extra = serde_json::Map::new();
    extra.insert("error".to_string(), message.into());
    EpisodeReport {
        step_log: vec![StepLogEntry {
            step: steps,
            outcome: REPORT_FAILED.to_string(),
            cause: Some(cause.to_string()),
            extra,
            ..StepLogEntry::default()
        }],
        ..EpisodeReport::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_up_gets_at_least_the_default_time() {
        let spec = ExecSpec::new("  python3 agent.py  ", Duration::from_secs(2));
        assert_eq!(spec.startup_timeout, DEFAULT_STARTUP_TIMEOUT);
        assert_eq!(spec.planner_name(), "exec:python3 agent.py");
        let slow = ExecSpec::new("x", Duration::from_secs(600));
        assert_eq!(slow.startup_timeout, Duration::from_secs(600));
    }

    #[test]
    fn quoted_words_stay_whole() {
        let planner = ExecPlanner::new(ExecSpec::new(
            r#"python3 "my agent.py" --name 'a b' c\ d"#,
            Duration::from_secs(1),
        ));
        assert!(
            planner.is_ok_and(|p| p.argv == ["python3", "my agent.py", "--name", "a b", "c d"])
        );
    }

    #[test]
    fn long_lines_are_cut_in_error_messages() {
        assert_eq!(excerpt(b"short"), "short");
        let cut = excerpt("é".repeat(300).as_bytes());
        assert_eq!(cut.chars().count(), 201);
        assert!(cut.ends_with('…'));
    }
}
