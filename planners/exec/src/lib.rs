//! Planners in any language: a planner that runs as a child process and speaks waymark's
//! JSON-lines protocol (version 1) on its stdin and stdout.
//!
//! [`ExecPlanner`] implements [`Planner`](waymark_planner::Planner) by running a command
//! ([`ExecSpec`]): one process per planner instance, started at the first episode (or by
//! [`ExecPlanner::probe`]) and reused for the episodes that follow. waymark writes one JSON
//! object per line ([`protocol::WaymarkMessage`]) and reads one answer per line
//! ([`protocol::PlannerMessage`]):
//!
//! ```text
//! waymark → planner                               planner → waymark
//! {"type":"hello","protocol":1}                   {"type":"hello","protocol":1,"supports":["*"],"privileged":false}
//! {"type":"reset","context":{…}}                  {"type":"ready"}
//! {"type":"observation","observation":{…}}        {"type":"action","action":{"type":"stop"}}
//! {"type":"end"}                                  {"type":"report","report":{"step_log":[…]}}
//! ```
//!
//! The planner's stderr is its own log, forwarded to `tracing` at debug level (target
//! `waymark_exec::stderr`). Closing its stdin asks it to exit. The full description and a
//! JSON Schema of every message are in `planners/protocol/`; a reference agent in Python
//! (standard library only) is `planners/python/waymark_agent.py`.
//!
//! Failures end the episode and are counted by cause: the process ended
//! ([`FailureCause::Crashed`](waymark_planner::FailureCause::Crashed)), no answer within the
//! time limit (`Timeout`), an answer that is not the expected message or not a valid action
//! (`BadAction`). The process is then killed and the next episode starts a fresh one.

mod error;
mod planner;
mod process;
pub mod protocol;

pub use error::{ExecError, ExecErrorKind};
pub use planner::{DEFAULT_STARTUP_TIMEOUT, ExecPlanner, ExecSpec};
pub use protocol::PROTOCOL_VERSION;

use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use waymark_planner::{Planner, PlannerRegistry};

/// Registers the external planner `command` in `registry` under `exec:<command>`, with the
/// support and privilege it declares, and returns that name.
///
/// The command is started once here to learn its declaration (so a bad command fails before
/// any episode); the first planner the registry creates keeps that process, later ones start
/// their own. `timeout` bounds every answer after `hello` (see [`ExecSpec::new`] for the
/// start-up limit).
pub fn register(
    registry: &mut PlannerRegistry,
    command: &str,
    timeout: Duration,
) -> Result<String, ExecError> {
    let spec = ExecSpec::new(command, timeout);
    let (info, probed) = ExecPlanner::probe(&spec)?;
    let name = info.name.clone();
    let probed = Mutex::new(Some(probed));
    registry.register(
        info,
        Box::new(move || {
            let reused = probed.lock().unwrap_or_else(PoisonError::into_inner).take();
            let planner = match reused {
                Some(planner) => planner,
                None => ExecPlanner::new(spec.clone())?,
            };
            Ok(Box::new(planner) as Box<dyn Planner>)
        }),
    );
    Ok(name)
}
