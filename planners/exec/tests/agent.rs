//! `ExecPlanner` driving the reference Python agent (and a few tiny scripts) through the
//! `Planner` trait.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{agent, continuous, continuous_context, discrete, discrete_context, python, script};
use std::time::{Duration, Instant};
use waymark_exec::{ExecErrorKind, ExecPlanner, ExecSpec, register};
use waymark_planner::{Action, FailureCause, Planner, PlannerError, PlannerRegistry};

const TIMEOUT: Duration = Duration::from_secs(10);

fn cause(e: &PlannerError) -> FailureCause {
    e.cause()
}

fn move_to(viewpoint: &str) -> Action {
    Action::MoveTo {
        viewpoint: viewpoint.into(),
    }
}

/// Runs one episode that stops at the first observation and checks it went well.
fn assert_stop_episode_works(planner: &mut ExecPlanner, id: &str) {
    planner.reset(&discrete_context(id)).unwrap();
    assert_eq!(planner.act(&discrete(0, None)).unwrap(), Action::Stop);
    let report = planner.finish_episode();
    assert_eq!(report.step_log.len(), 1, "{report:?}");
    assert_eq!(report.step_log[0].outcome, "finish");
}

#[test]
fn probe_reports_the_declared_support_and_privilege() {
    let Some(py) = python() else { return };
    let command = agent(py, &["shortest"]);
    let (info, planner) = ExecPlanner::probe(&ExecSpec::new(&command, TIMEOUT)).unwrap();
    assert_eq!(info.name, format!("exec:{command}"));
    assert_eq!(planner.name(), info.name);
    assert_eq!(
        info.supports,
        ["discrete_nav", "continuous_nav", "grounding"]
    );
    assert!(info.privileged);
    assert!(info.supports("r2r", "discrete_nav"));
    assert!(
        info.description.contains("waymark_agent/shortest"),
        "{info:?}"
    );
    assert!(planner.process_id().is_some(), "probe keeps the process");

    let (info, _) =
        ExecPlanner::probe(&ExecSpec::new(agent(py, &["random-walk"]), TIMEOUT)).unwrap();
    assert!(!info.privileged);
}

#[test]
fn shortest_follows_the_teacher_in_one_process_across_episodes() {
    let Some(py) = python() else { return };
    let spec = ExecSpec::new(agent(py, &["shortest"]), TIMEOUT);
    let mut planner = ExecPlanner::new(spec).unwrap();
    assert_eq!(planner.process_id(), None, "started lazily");

    planner.reset(&discrete_context("1_0")).unwrap();
    let pid = planner.process_id().unwrap();
    assert_eq!(
        planner.act(&discrete(0, Some("vp1"))).unwrap(),
        move_to("vp1")
    );
    assert_eq!(
        planner.act(&discrete(1, Some("vp2"))).unwrap(),
        move_to("vp2")
    );
    assert_eq!(planner.act(&discrete(2, None)).unwrap(), Action::Stop);
    let report = planner.finish_episode();
    let outcomes: Vec<_> = report.step_log.iter().map(|e| e.outcome.as_str()).collect();
    assert_eq!(outcomes, ["move", "move", "finish"]);
    assert_eq!(report.step_log[1].step, 1);
    assert_eq!(report.step_log[0].action.as_deref(), Some("move_to vp1"));
    assert_eq!(report.counters["moves"], 2);

    planner.reset(&continuous_context("ce_1")).unwrap();
    assert_eq!(planner.process_id(), Some(pid), "the process is reused");
    let teacher = Some(Action::TurnLeft);
    assert_eq!(
        planner.act(&continuous(0, teacher)).unwrap(),
        Action::TurnLeft
    );
    let teacher = Some(Action::MoveForward);
    assert_eq!(
        planner.act(&continuous(1, teacher)).unwrap(),
        Action::MoveForward
    );
    assert_eq!(planner.act(&continuous(2, None)).unwrap(), Action::Stop);
    assert_eq!(planner.finish_episode().step_log.len(), 3);
}

#[test]
fn random_walk_moves_five_times_then_stops() {
    let Some(py) = python() else { return };
    let mut planner =
        ExecPlanner::new(ExecSpec::new(agent(py, &["random-walk"]), TIMEOUT)).unwrap();
    planner.reset(&discrete_context("2_0")).unwrap();
    let first = match &discrete(0, None) {
        waymark_planner::Observation::DiscreteNav(o) => o.navigable[0].viewpoint.clone(),
        _ => unreachable!(),
    };
    for step in 0..5 {
        let action = planner.act(&discrete(step, None)).unwrap();
        assert_eq!(
            action,
            Action::MoveTo {
                viewpoint: first.clone()
            }
        );
    }
    assert_eq!(planner.act(&discrete(5, None)).unwrap(), Action::Stop);
    assert_eq!(planner.finish_episode().counters["moves"], 5);

    planner.reset(&continuous_context("ce_2")).unwrap();
    for step in 0..5 {
        assert_eq!(
            planner.act(&continuous(step, None)).unwrap(),
            Action::MoveForward
        );
    }
    assert_eq!(planner.act(&continuous(5, None)).unwrap(), Action::Stop);
}

#[test]
fn a_crash_fails_the_episode_and_the_next_episode_gets_a_fresh_process() {
    let Some(py) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let flag = dir.path().join("crashed");
    let command = agent(py, &["crash", flag.to_str().unwrap()]);
    let mut planner = ExecPlanner::new(ExecSpec::new(command, TIMEOUT)).unwrap();

    planner.reset(&discrete_context("3_0")).unwrap();
    let first_pid = planner.process_id().unwrap();
    let err = planner.act(&discrete(0, Some("vp1"))).unwrap_err();
    assert_eq!(cause(&err), FailureCause::Crashed, "{err}");
    let text = err.to_string();
    assert!(text.contains("exit status: 3"), "{text}");
    assert!(
        text.contains("crash mode: exiting"),
        "stderr is quoted: {text}"
    );
    assert!(text.starts_with("planner `exec:"), "{text}");
    assert_eq!(planner.process_id(), None);
    // Asking again within the failed episode repeats the failure without hanging.
    assert_eq!(
        cause(&planner.act(&discrete(0, None)).unwrap_err()),
        FailureCause::Crashed
    );

    let report = planner.finish_episode();
    assert_eq!(report.step_log.len(), 1);
    assert_eq!(report.step_log[0].outcome, "planner_failed");
    assert_eq!(report.step_log[0].cause.as_deref(), Some("crashed"));

    assert_stop_episode_works(&mut planner, "3_1");
    assert_ne!(planner.process_id(), Some(first_pid), "a fresh process");
}

#[test]
fn a_hang_times_out_within_the_limit_and_the_next_episode_works() {
    let Some(py) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let flag = dir.path().join("hung");
    let command = agent(py, &["hang", flag.to_str().unwrap()]);
    let mut planner = ExecPlanner::new(ExecSpec::new(command, Duration::from_secs(1))).unwrap();

    planner.reset(&discrete_context("4_0")).unwrap();
    let start = Instant::now();
    let err = planner.act(&discrete(0, None)).unwrap_err();
    let waited = start.elapsed();
    assert_eq!(cause(&err), FailureCause::Timeout, "{err}");
    assert!(
        err.to_string().contains("no `action` answer within 1s"),
        "{err}"
    );
    assert!(waited >= Duration::from_secs(1), "{waited:?}");
    assert!(waited < Duration::from_millis(2500), "{waited:?}");
    assert_eq!(
        planner.finish_episode().step_log[0].cause.as_deref(),
        Some("timeout")
    );

    assert_stop_episode_works(&mut planner, "4_1");
}

#[test]
fn a_line_that_is_not_json_is_a_bad_action() {
    let Some(py) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let flag = dir.path().join("garbled");
    let command = agent(py, &["bad-json", flag.to_str().unwrap()]);
    let mut planner = ExecPlanner::new(ExecSpec::new(command, TIMEOUT)).unwrap();

    planner.reset(&discrete_context("5_0")).unwrap();
    let err = planner.act(&discrete(0, None)).unwrap_err();
    assert_eq!(cause(&err), FailureCause::BadAction, "{err}");
    assert!(err.to_string().contains("this is not JSON"), "{err}");
    assert_eq!(
        planner.finish_episode().step_log[0].cause.as_deref(),
        Some("bad_action")
    );

    assert_stop_episode_works(&mut planner, "5_1");
}

/// A script that speaks the protocol but answers each observation with `ANSWER`.
const ANSWERS_WITH: &str = r#"
import json, sys
for line in iter(sys.stdin.readline, ""):
    kind = json.loads(line)["type"]
    answer = {"hello": '{"type":"hello","protocol":1,"supports":["*"]}', "reset": '{"type":"ready"}',
              "observation": ANSWER, "end": '{"type":"report"}'}[kind]
    print(answer, flush=True)
"#;

#[test]
fn unknown_actions_and_wrong_message_types_are_bad_actions() {
    let Some(py) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    for (name, answer, expected) in [
        (
            "fly",
            r#"'{"type":"action","action":{"type":"fly"}}'"#,
            "unknown variant `fly`",
        ),
        ("ready", r#"'{"type":"ready"}'"#, "a `ready` message"),
        (
            "noaction",
            r#"'{"type":"action"}'"#,
            "missing field `action`",
        ),
        ("array", r#"'[1, 2]'"#, "expected its `action` message"),
    ] {
        let source = ANSWERS_WITH.replace("ANSWER", answer);
        let command = script(py, dir.path(), &format!("{name}.py"), &source);
        let (info, mut planner) = ExecPlanner::probe(&ExecSpec::new(command, TIMEOUT)).unwrap();
        assert_eq!(info.supports, ["*"]);
        assert!(!info.privileged, "privileged defaults to false");
        planner.reset(&continuous_context(name)).unwrap();
        let err = planner.act(&continuous(0, None)).unwrap_err();
        assert_eq!(cause(&err), FailureCause::BadAction, "{err}");
        assert!(err.to_string().contains(expected), "{name}: {err}");
    }
}

#[test]
fn an_empty_report_is_accepted() {
    let Some(py) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let source = ANSWERS_WITH.replace("ANSWER", r#"'{"type":"action","action":{"type":"stop"}}'"#);
    let command = script(py, dir.path(), "stopper.py", &source);
    let mut planner = ExecPlanner::new(ExecSpec::new(command, TIMEOUT)).unwrap();
    planner.reset(&discrete_context("6_0")).unwrap();
    assert_eq!(planner.act(&discrete(0, None)).unwrap(), Action::Stop);
    assert_eq!(planner.finish_episode(), Default::default());
}

#[test]
fn planners_that_are_not_privileged_never_see_privileged_information() {
    let Some(py) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let source = r#"
import json, sys
leaked = False
for line in iter(sys.stdin.readline, ""):
    m = json.loads(line)
    if m["type"] == "hello":
        print('{"type":"hello","protocol":1,"supports":["*"],"privileged":false}', flush=True)
    elif m["type"] == "reset":
        leaked = "privileged" in m["context"]
        print('{"type":"ready"}', flush=True)
    elif m["type"] == "observation":
        leaked = leaked or "teacher" in m["observation"]
        action = {"type": "move_to", "viewpoint": "leaked"} if leaked else {"type": "stop"}
        print(json.dumps({"type": "action", "action": action}), flush=True)
    else:
        print('{"type":"report"}', flush=True)
"#;
    let command = script(py, dir.path(), "peek.py", source);
    let mut planner = ExecPlanner::new(ExecSpec::new(command, TIMEOUT)).unwrap();
    planner.reset(&discrete_context("7_0")).unwrap();
    assert_eq!(
        planner.act(&discrete(0, Some("vp1"))).unwrap(),
        Action::Stop
    );
    planner.finish_episode();
}

#[test]
fn another_protocol_version_is_a_clear_error() {
    let Some(py) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let source = r#"
import sys
sys.stdin.readline()
print('{"type":"hello","protocol":2,"capabilities":{}}', flush=True)
sys.stdin.readline()
"#;
    let command = script(py, dir.path(), "v2.py", source);
    let err = ExecPlanner::probe(&ExecSpec::new(&command, TIMEOUT))
        .err()
        .unwrap();
    assert!(
        matches!(err.kind, ExecErrorKind::ProtocolVersion { expected: 1, ref got } if got == "2"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "planner `exec:{command}`: the planner speaks protocol version 2; waymark speaks version 1"
        )
    );

    // Through the trait, the episode fails with that message, and so does the next one.
    let mut planner = ExecPlanner::new(ExecSpec::new(&command, TIMEOUT)).unwrap();
    for id in ["8_0", "8_1"] {
        let err = planner.reset(&discrete_context(id)).unwrap_err();
        assert!(err.to_string().contains("protocol version 2"), "{err}");
        assert_eq!(
            planner.finish_episode().step_log[0].cause.as_deref(),
            Some("other")
        );
    }
}

#[test]
fn a_missing_program_is_a_clear_error_naming_it() {
    let command = "waymark-no-such-planner --mode fast";
    let err = ExecPlanner::probe(&ExecSpec::new(command, TIMEOUT))
        .err()
        .unwrap();
    let text = err.to_string();
    assert!(
        text.starts_with(
            "planner `exec:waymark-no-such-planner --mode fast`: cannot start program `waymark-no-such-planner`: "
        ),
        "{text}"
    );
    assert!(matches!(err.kind, ExecErrorKind::Spawn { .. }), "{err:?}");

    let mut registry = PlannerRegistry::empty();
    assert!(register(&mut registry, command, TIMEOUT).is_err());
    assert_eq!(registry.list().count(), 0);
}

#[test]
fn command_lines_that_cannot_be_split_are_rejected() {
    for (command, kind) in [
        ("", "empty"),
        ("   ", "empty"),
        ("python3 'unclosed", "split"),
    ] {
        let err = ExecPlanner::new(ExecSpec::new(command, TIMEOUT))
            .err()
            .unwrap();
        match kind {
            "empty" => assert!(matches!(err.kind, ExecErrorKind::EmptyCommand), "{err:?}"),
            _ => assert!(matches!(err.kind, ExecErrorKind::BadCommandLine), "{err:?}"),
        }
    }
}

#[test]
fn register_probes_once_and_creates_planners_by_name() {
    let Some(py) = python() else { return };
    let command = agent(py, &["shortest"]);
    let mut registry = PlannerRegistry::with_baselines();
    let name = register(&mut registry, &command, TIMEOUT).unwrap();
    assert_eq!(name, format!("exec:{command}"));
    let info = registry.info(&name).unwrap();
    assert!(info.privileged);
    assert_eq!(
        info.supports,
        ["discrete_nav", "continuous_nav", "grounding"]
    );

    let mut first = registry.create(&name).unwrap();
    let mut second = registry.create(&name).unwrap();
    for planner in [&mut first, &mut second] {
        planner.reset(&discrete_context("9_0")).unwrap();
        assert_eq!(
            planner.act(&discrete(0, Some("vp9"))).unwrap(),
            move_to("vp9")
        );
        assert_eq!(planner.finish_episode().step_log.len(), 1);
    }
}

#[test]
fn act_before_reset_and_finish_without_episode_do_not_hang() {
    let Some(py) = python() else { return };
    let mut planner = ExecPlanner::new(ExecSpec::new(agent(py, &["stop"]), TIMEOUT)).unwrap();
    let err = planner.act(&discrete(0, None)).unwrap_err();
    assert_eq!(cause(&err), FailureCause::Other);
    assert_eq!(planner.finish_episode(), Default::default());
    // A reset without finishing the previous episode ends it first.
    planner.reset(&discrete_context("10_0")).unwrap();
    planner.act(&discrete(0, None)).unwrap();
    assert_stop_episode_works(&mut planner, "10_1");
}

#[cfg(target_os = "linux")]
#[test]
fn dropped_and_failed_processes_are_reaped() {
    let Some(py) = python() else { return };
    let gone = |pid: u32| !std::path::Path::new(&format!("/proc/{pid}")).exists();

    let (_, planner) = ExecPlanner::probe(&ExecSpec::new(agent(py, &["stop"]), TIMEOUT)).unwrap();
    let pid = planner.process_id().unwrap();
    drop(planner);
    assert!(gone(pid), "process {pid} still exists after drop");

    let command = agent(py, &["hang"]);
    let mut planner = ExecPlanner::new(ExecSpec::new(command, Duration::from_millis(300))).unwrap();
    planner.reset(&discrete_context("11_0")).unwrap();
    let pid = planner.process_id().unwrap();
    assert_eq!(
        cause(&planner.act(&discrete(0, None)).unwrap_err()),
        FailureCause::Timeout
    );
    assert!(gone(pid), "process {pid} still exists after a timeout");
}
