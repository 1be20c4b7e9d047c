//! One planner process: its pipes, a reader thread per output stream, and its end.
//!
//! stdout is read by a thread that sends each line over a channel, so that waiting for an
//! answer can time out (`recv_timeout`) whatever the process does. stderr is read by another
//! thread that logs each line (tracing, debug level) and keeps the last few for error messages.
//! A process is always reaped: killed and waited for on a failure, closed and given a short
//! grace period (then killed) when dropped.
//!
//! Limitation: a message is written with one blocking write. Messages are far smaller than a
//! pipe's buffer (64 KiB on Linux) and each is written only after the previous one was
//! answered, so the write returns at once unless a planner stops reading its stdin and a
//! message is larger than that buffer.

use crate::error::ExecErrorKind;
use crate::protocol::WaymarkMessage;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread;
use std::time::{Duration, Instant};

/// The longest line accepted from a planner.
pub(crate) const MAX_LINE_BYTES: usize = 64 << 20;
/// How many of the last stderr lines an error message quotes.
const STDERR_TAIL_LINES: usize = 5;
/// Longest stderr line kept for an error message, in characters.
const STDERR_LINE_CHARS: usize = 300;
/// How long a dropped process may take to exit after its stdin is closed.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);
/// How long a process that closed its stdout may take to exit before it is killed.
const EXIT_WAIT: Duration = Duration::from_millis(500);
/// How long to wait for the last stderr lines of a process that ended.
const STDERR_DRAIN_WAIT: Duration = Duration::from_millis(200);

/// What the stdout thread saw.
enum ReadEvent {
    /// One line, without its end of line.
    Line(Vec<u8>),
    /// The process closed its stdout.
    Eof,
    /// Reading failed.
    Failed(std::io::Error),
    /// A line longer than [`MAX_LINE_BYTES`].
    TooLong,
}

/// The last lines a process wrote to stderr.
struct StderrTail {
    lines: Arc<Mutex<VecDeque<String>>>,
    /// Disconnected once the stderr thread has seen the end of the stream.
    done: Receiver<()>,
}

impl StderrTail {
    /// `; stderr: a | b | c`, or empty when it wrote nothing. Waits briefly for the stream to end,
    /// so that the lines a crashing process wrote last are there.
    fn text(&self) -> String {
        let _ = self.done.recv_timeout(STDERR_DRAIN_WAIT);
        let lines = self.lines.lock().unwrap_or_else(PoisonError::into_inner);
        if lines.is_empty() {
            return String::new();
        }
        let joined: Vec<&str> = lines.iter().map(String::as_str).collect();
        format!("; stderr: {}", joined.join(" | "))
    }
}

/// A running planner process.
pub(crate) struct Process {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<ReadEvent>,
    stderr: StderrTail,
    /// The encoding buffer, reused for every message.
    out: Vec<u8>,
    /// Whether the process has been waited for.
    reaped: bool,
}

impl Process {
    /// Starts `argv` with piped stdin, stdout and stderr. `planner` names it in logs.
    pub(crate) fn spawn(planner: &str, argv: &[String]) -> Result<Self, ExecErrorKind> {
        let (program, args) = argv.split_first().ok_or(ExecErrorKind::EmptyCommand)?;
        let spawn_error = |source| ExecErrorKind::Spawn {
            program: program.clone(),
            source,
        };
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(spawn_error)?;
        let pipes = (child.stdin.take(), child.stdout.take(), child.stderr.take());
        let (Some(stdin), Some(stdout), Some(stderr)) = pipes else {
            kill_and_wait(&mut child);
            return Err(spawn_error(std::io::Error::other("a pipe was not set up")));
        };

        let (line_tx, lines) = mpsc::sync_channel(16);
        let stdout_thread = thread::Builder::new()
            .name("exec-planner-stdout".into())
            .spawn(move || read_lines(stdout, &line_tx));
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let (done_tx, done) = mpsc::channel();
        let stderr_thread = {
            let tail = Arc::clone(&tail);
            let planner = planner.to_string();
            thread::Builder::new()
                .name("exec-planner-stderr".into())
                .spawn(move || {
                    log_stderr(stderr, &planner, &tail);
                    drop(done_tx);
                })
        };
        if let Err(source) = stdout_thread.and(stderr_thread) {
            kill_and_wait(&mut child);
            return Err(spawn_error(source));
        }
        tracing::debug!(planner, pid = child.id(), "started planner process");
        Ok(Self {
            child,
            stdin: Some(stdin),
            lines,
            stderr: StderrTail { lines: tail, done },
            out: Vec::with_capacity(4096),
            reaped: false,
        })
    }

    /// The operating system's process id.
    pub(crate) fn id(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process has exited on its own (and so was reaped).
    pub(crate) fn has_exited(&mut self) -> bool {
        if self.reaped {
            return true;
        }
        match self.child.try_wait() {
            Ok(Some(_)) => {
                self.reaped = true;
                true
            }
            Ok(None) => false,
            Err(_) => true,
        }
    }

    /// Writes `message` as one line to the process's stdin.
    pub(crate) fn send(&mut self, message: &WaymarkMessage<'_>) -> Result<(), ExecErrorKind> {
        let awaiting = message.answer_type();
        self.out.clear();
        serde_json::to_writer(&mut self.out, message).map_err(|e| ExecErrorKind::BadMessage {
            awaiting,
            line: String::new(),
            reason: format!("waymark could not encode its own message: {e}"),
        })?;
        self.out.push(b'\n');
        let written = match self.stdin.as_mut() {
            Some(stdin) => stdin.write_all(&self.out),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        };
        match written {
            Ok(()) => Ok(()),
            Err(e) => {
                tracing::debug!(error = %e, "cannot write to the planner's stdin");
                Err(self.ended(awaiting))
            }
        }
    }

    /// Waits up to `timeout` for the next line. On any failure the process is killed (or
    /// found dead) and reaped.
    pub(crate) fn receive(
        &mut self,
        timeout: Duration,
        awaiting: &'static str,
    ) -> Result<Vec<u8>, ExecErrorKind> {
        match self.lines.recv_timeout(timeout) {
            Ok(ReadEvent::Line(line)) => Ok(line),
            Ok(ReadEvent::Eof) | Err(RecvTimeoutError::Disconnected) => Err(self.ended(awaiting)),
            Ok(ReadEvent::Failed(source)) => {
                self.kill();
                Err(ExecErrorKind::Read { awaiting, source })
            }
            Ok(ReadEvent::TooLong) => {
                self.kill();
                Err(ExecErrorKind::LineTooLong {
                    awaiting,
                    limit: MAX_LINE_BYTES,
                })
            }
            Err(RecvTimeoutError::Timeout) => {
                self.kill();
                Err(ExecErrorKind::Timeout {
                    awaiting,
                    waited: timeout,
                })
            }
        }
    }

    /// The error for a process that closed its stdout or stdin: waits briefly for it to exit
    /// (killing it if it does not) and quotes its last stderr lines.
    fn ended(&mut self, awaiting: &'static str) -> ExecErrorKind {
        let status = match wait_for_exit(&mut self.child, EXIT_WAIT) {
            Some(status) => {
                self.reaped = true;
                status.to_string()
            }
            None => {
                self.kill();
                "its stdout or stdin was closed; killed".to_string()
            }
        };
        ExecErrorKind::Exited {
            awaiting,
            status,
            stderr: self.stderr.text(),
        }
    }

    /// Kills the process at once and reaps it.
    pub(crate) fn kill(&mut self) {
        if !self.reaped {
            kill_and_wait(&mut self.child);
            self.reaped = true;
        }
        self.stdin = None;
    }
}

impl Drop for Process {
    /// Closes stdin (the protocol's shutdown), gives the process a short grace period to
    /// exit, then kills it; either way it is reaped.
    fn drop(&mut self) {
        self.stdin = None;
        if self.reaped {
            return;
        }
        if wait_for_exit(&mut self.child, SHUTDOWN_GRACE).is_none() {
            tracing::debug!(
                pid = self.child.id(),
                "planner did not exit after its stdin closed; killing it"
            );
            kill_and_wait(&mut self.child);
        }
        self.reaped = true;
    }
}

/// Sends each line of `stdout` to `tx` until the stream ends or the receiver is gone.
fn read_lines(stdout: impl Read, tx: &SyncSender<ReadEvent>) {
    let mut reader = BufReader::with_capacity(64 * 1024, stdout);
    let limit = MAX_LINE_BYTES as u64 + 1;
    loop {
        let mut line = Vec::new();
        let event = match (&mut reader).take(limit).read_until(b'\n', &mut line) {
            Ok(0) => ReadEvent::Eof,
            Ok(_) if line.last() == Some(&b'\n') => {
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                ReadEvent::Line(line)
            }
            Ok(n) if n > MAX_LINE_BYTES => ReadEvent::TooLong,
            // A last line without its end of line.
            Ok(_) => ReadEvent::Line(line),
            Err(e) => ReadEvent::Failed(e),
        };
        let last = !matches!(event, ReadEvent::Line(_));
        if tx.send(event).is_err() || last {
            return;
        }
    }
}

/// Logs each stderr line at debug level and keeps the last few in `tail`.
fn log_stderr(stderr: impl Read, planner: &str, tail: &Mutex<VecDeque<String>>) {
    let mut reader = BufReader::new(stderr);
    let mut bytes = Vec::new();
    loop {
        bytes.clear();
        match reader.read_until(b'\n', &mut bytes) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let line = String::from_utf8_lossy(&bytes);
        let line = line.trim_end();
        tracing::debug!(target: "waymark_exec::stderr", planner, "{line}");
        if line.is_empty() {
            continue;
        }
        let mut tail = tail.lock().unwrap_or_else(PoisonError::into_inner);
        if tail.len() == STDERR_TAIL_LINES {
            tail.pop_front();
        }
        tail.push_back(line.chars().take(STDERR_LINE_CHARS).collect());
    }
}

/// Polls until the child exits or `limit` has passed.
fn wait_for_exit(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) => {}
            Err(e) => {
                tracing::debug!(error = %e, "cannot poll the planner process");
                return None;
            }
        }
        if start.elapsed() >= limit {
            return None;
        }
        thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

/// Kills the child and waits for it; errors (it already exited) are only logged.
fn kill_and_wait(child: &mut Child) {
    if let Err(e) = child.kill() {
        tracing::debug!(error = %e, "cannot kill the planner process");
    }
    if let Err(e) = child.wait() {
        tracing::debug!(error = %e, "cannot wait for the planner process");
    }
}
