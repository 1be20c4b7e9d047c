//! The protocol's JSON Schema (`planners/protocol/planner-protocol-v1.schema.json`) against the
//! real Rust types, the README's worked example and the reference agent's output.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{
    continuous, continuous_context, discrete, discrete_context, grounding, grounding_context,
    grounding_walking, household, python, voxel,
};
use serde_json::{Value, json};
use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use waymark_exec::protocol::{Hello, PlannerMessage, WaymarkMessage};
use waymark_planner::{Action, EpisodeReport, StepLogEntry};

fn protocol_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../protocol")
}

fn schema() -> Value {
    let path = protocol_dir().join("planner-protocol-v1.schema.json");
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// A validator for one of the schema's definitions (`toPlanner`, `fromPlanner`, …).
fn validator(definition: &str) -> jsonschema::Validator {
    let mut schema = schema();
    schema["oneOf"] = json!([{ "$ref": format!("#/$defs/{definition}") }]);
    jsonschema::draft202012::new(&schema).unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, message: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(message)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{message}\n{}", errors.join("\n"));
}

/// Every action; the match fails to compile when a variant is added, so that it is tested.
fn every_action() -> Vec<Action> {
    let actions = vec![
        Action::MoveTo {
            viewpoint: "vp1".into(),
        },
        Action::Turn {
            heading_delta_rad: -0.75,
            elevation_delta_rad: 0.1,
        },
        Action::MoveForward,
        Action::TurnLeft,
        Action::TurnRight,
        Action::LookUp,
        Action::LookDown,
        Action::Interact {
            interaction: waymark_core::Interaction::Put,
            object_id: "SinkBasin|+01.00|+00.90|-00.10".into(),
        },
        Action::Ground { object_id: 15 },
        Action::Crafter {
            action: waymark_core::CrafterAction::MakeWoodPickaxe,
        },
        Action::Minerl {
            input: waymark_core::MineRlInput {
                forward: true,
                attack: true,
                camera: [-5.0, 12.5],
                hotbar: Some(3),
                craft: Some("table".into()),
                ..Default::default()
            },
        },
        Action::Stop,
    ];
    for action in &actions {
        match action {
            Action::MoveTo { .. }
            | Action::Turn { .. }
            | Action::MoveForward
            | Action::TurnLeft
            | Action::TurnRight
            | Action::LookUp
            | Action::LookDown
            | Action::Interact { .. }
            | Action::Ground { .. }
            | Action::Crafter { .. }
            | Action::Minerl { .. }
            | Action::Stop => {}
        }
    }
    actions
}

/// `observation` carrying sensor readings of every kind.
fn with_sensors(mut observation: waymark_planner::Observation) -> waymark_planner::Observation {
    use waymark_core::sensors::{ObjectsWithin, RenderedView, SeenObject, SeenRegion, Walk};
    let walk = Walk {
        geodesic_m: 2.4,
        first_heading_deg: 30.0,
        straight_m: 1.2,
    };
    let chair = SeenObject {
        instance: 12,
        label: "chair".into(),
        heading_deg: 47.5,
        distance_m: 1.8,
        walk: Some(walk),
    };
    let mut regions = vec![Vec::new(); 8];
    regions[2].push(SeenRegion {
        name: "kitchen".into(),
        heading_deg: 88.0,
        distance_m: 3.5,
        walk: Some(walk),
    });
    let mut sectors = vec![Vec::new(); 8];
    sectors[1].push(chair);
    observation.set_sensors(waymark_core::SensorReadings {
        objects: vec![ObjectsWithin {
            radius_m: 3.0,
            sectors,
        }],
        views: vec![RenderedView {
            heading_deg: 45.0,
            elevation_deg: -30.0,
            png_base64: "iVBORw0KGgo=".into(),
            depth_png_base64: None,
        }],
        region: Some("office".into()),
        regions,
        free_m: vec![1.0, 0.5, 0.0, 0.0, 1.0, 1.0, 0.25, 1.0],
        birds_eye: Some(waymark_core::sensors::BirdsEyeView {
            origin_m: [-0.5, 8.2],
            m_per_px: 0.02,
            png_base64: "iVBORw0KGgo=".into(),
        }),
    });
    observation
}

fn to_value<T: serde::Serialize>(message: &T) -> Value {
    serde_json::to_value(message).unwrap()
}

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::meta::validate(&schema).unwrap();
    for definition in [
        "toPlanner",
        "fromPlanner",
        "episodeContext",
        "observation",
        "action",
        "episodeReport",
    ] {
        assert!(schema["$defs"][definition].is_object(), "{definition}");
    }
}

#[test]
fn every_message_waymark_sends_is_valid() {
    let to_planner = validator("toPlanner");
    let from_planner = validator("fromPlanner");
    let mut messages = vec![WaymarkMessage::Hello { protocol: 1 }, WaymarkMessage::End];
    for context in [discrete_context("1_0"), continuous_context("ce_1")] {
        messages.push(WaymarkMessage::Reset {
            context: Cow::Owned(context),
        });
    }
    let mut without = discrete_context("1_1");
    without.privileged = None;
    without.language = None;
    messages.push(WaymarkMessage::Reset {
        context: Cow::Owned(without),
    });
    let mut observations = vec![
        discrete(0, None),
        discrete(3, Some("vp2")),
        continuous(0, None),
        with_sensors(discrete(2, None)),
        with_sensors(continuous(2, None)),
        household(0, None),
        household(4, Some(Action::LookDown)),
        grounding(0, None),
        grounding(1, Some(19)),
        grounding_walking(None),
        with_sensors(grounding_walking(Some(Action::Ground { object_id: 15 }))),
        voxel(false),
        voxel(true),
    ];
    observations.extend(every_action().into_iter().map(|a| continuous(1, Some(a))));
    for observation in observations {
        messages.push(WaymarkMessage::Observation {
            observation: Cow::Owned(observation),
        });
    }
    for message in &messages {
        let value = to_value(message);
        assert_valid(&to_planner, &value);
        assert!(!from_planner.is_valid(&value), "{value}");
    }
}

#[test]
fn every_message_a_planner_sends_is_valid_and_parses() {
    let to_planner = validator("toPlanner");
    let from_planner = validator("fromPlanner");
    let mut extra = serde_json::Map::new();
    extra.insert("prompt".into(), json!("You are a navigation agent."));
    extra.insert("iteration".into(), json!(3));
    let report = EpisodeReport {
        step_log: vec![
            StepLogEntry {
                step: 0,
                thought: Some("the kitchen is left".into()),
                action: Some("move_to vp1".into()),
                outcome: "move".into(),
                cause: None,
                extra,
            },
            StepLogEntry {
                step: 1,
                outcome: "parse_error".into(),
                cause: Some("no action".into()),
                ..StepLogEntry::default()
            },
        ],
        counters: [
            ("llm_calls".to_string(), 2),
            ("prompt_tokens".to_string(), 812),
        ]
        .into_iter()
        .collect(),
        cost_usd: Some(0.0042),
    };
    let mut messages = vec![
        PlannerMessage::Hello(Hello {
            protocol: 1,
            name: Some("mine".into()),
            description: Some("a planner".into()),
            supports: vec!["r2r".into(), "continuous_nav".into(), "*".into()],
            privileged: true,
            min_max_steps: Some(10),
            sensors: waymark_planner::SensorRequest {
                objects_within_m: vec![3.0, 10.0],
                views: Some(waymark_core::sensors::ViewRequest {
                    width: 320,
                    height: 240,
                    hfov_deg: 60.0,
                    elevations_deg: vec![30.0, -30.0, 0.0],
                }),
                regions_within_m: Some(10.0),
                free_space_m: Some(1.0),
                walks: true,
                birds_eye_px: Some(512),
            },
        }),
        PlannerMessage::Hello(Hello {
            protocol: 1,
            name: None,
            description: None,
            supports: vec![],
            privileged: false,
            min_max_steps: None,
            sensors: Default::default(),
        }),
        PlannerMessage::Ready,
        PlannerMessage::Report { report },
        PlannerMessage::Report {
            report: EpisodeReport::default(),
        },
    ];
    messages.extend(
        every_action()
            .into_iter()
            .map(|action| PlannerMessage::Action { action }),
    );
    for message in &messages {
        let value = to_value(message);
        assert_valid(&from_planner, &value);
        assert!(!to_planner.is_valid(&value), "{value}");
        let back: PlannerMessage = serde_json::from_value(value).unwrap();
        assert_eq!(&back, message);
    }

    // The shortest messages the schema allows are what Rust accepts.
    for minimal in [
        json!({"type": "hello", "protocol": 1, "supports": ["*"]}),
        json!({"type": "report"}),
        json!({"type": "report", "report": {}}),
        json!({"type": "report", "report": {"step_log": [{"step": 0, "outcome": "move", "x": 1}]}}),
    ] {
        assert_valid(&from_planner, &minimal);
        serde_json::from_value::<PlannerMessage>(minimal.clone())
            .unwrap_or_else(|e| panic!("{minimal}: {e}"));
    }
}

#[test]
fn the_schema_rejects_what_rust_rejects() {
    let from_planner = validator("fromPlanner");
    let to_planner = validator("toPlanner");
    for bad in [
        json!({"type": "action", "action": {"type": "fly"}}),
        json!({"type": "action", "action": {"type": "move_to"}}),
        json!({"type": "action", "action": {"type": "turn", "heading_delta_rad": 1}}),
        json!({"type": "action"}),
        json!({"type": "hello", "protocol": 1}),
        json!({"type": "report", "report": {"step_log": [{"step": 0}]}}),
        json!({"type": "report", "report": {"counters": {"calls": -1}}}),
        json!({"type": "done"}),
    ] {
        assert!(!from_planner.is_valid(&bad), "schema accepts {bad}");
        assert!(
            serde_json::from_value::<PlannerMessage>(bad.clone()).is_err(),
            "Rust accepts {bad}"
        );
    }
    // Version 2 is not version 1.
    assert!(!from_planner.is_valid(&json!({"type": "hello", "protocol": 2, "supports": []})));
    let mut observation = to_value(&WaymarkMessage::Observation {
        observation: Cow::Owned(discrete(0, None)),
    });
    observation["observation"]["navigable"][0]
        .as_object_mut()
        .unwrap()
        .remove("dist_m");
    assert!(!to_planner.is_valid(&observation));
}

/// The lines of the README's worked example: `>` waymark to planner, `<` planner to waymark.
#[test]
fn the_readme_example_is_valid() {
    let readme = std::fs::read_to_string(protocol_dir().join("README.md")).unwrap();
    let to_planner = validator("toPlanner");
    let from_planner = validator("fromPlanner");
    let mut counts = (0, 0);
    for line in readme.lines() {
        let (validator, json) = if let Some(json) = line.strip_prefix("> ") {
            counts.0 += 1;
            (&to_planner, json)
        } else if let Some(json) = line.strip_prefix("< ") {
            counts.1 += 1;
            (&from_planner, json)
        } else {
            continue;
        };
        let value: Value =
            serde_json::from_str(json).unwrap_or_else(|e| panic!("not JSON: {json}: {e}"));
        assert_valid(validator, &value);
    }
    assert!(counts.0 >= 4 && counts.1 >= 4, "{counts:?}");
}

/// Runs the reference agent on `input` (all at once) and validates every line it writes.
fn check_agent_output(py: &str, mode: &str, input: &[WaymarkMessage<'_>]) -> Vec<Value> {
    let from_planner = validator("fromPlanner");
    let mut child = Command::new(py)
        .arg(common::agent_path())
        .arg(mode)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for message in input {
        writeln!(stdin, "{}", serde_json::to_string(message).unwrap()).unwrap();
    }
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{mode}: {}", output.status);
    let lines: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), input.len(), "{mode}: one answer per message");
    for (line, asked) in lines.iter().zip(input) {
        assert_valid(&from_planner, line);
        assert_eq!(line["type"], asked.answer_type(), "{mode}: {line}");
    }
    lines
}

#[test]
fn the_reference_agent_writes_valid_messages() {
    let Some(py) = python() else { return };
    let obs = |o| WaymarkMessage::Observation {
        observation: Cow::Owned(o),
    };
    let reset = |c| WaymarkMessage::Reset {
        context: Cow::Owned(c),
    };
    let input = vec![
        WaymarkMessage::Hello { protocol: 1 },
        reset(discrete_context("1_0")),
        obs(discrete(0, Some("vp1"))),
        obs(discrete(1, None)),
        WaymarkMessage::End,
        reset(continuous_context("ce_1")),
        obs(continuous(0, Some(Action::LookDown))),
        obs(continuous(1, None)),
        WaymarkMessage::End,
        reset(grounding_context()),
        obs(grounding(0, Some(15))),
        obs(grounding(1, None)),
        WaymarkMessage::End,
    ];
    for mode in ["shortest", "random-walk", "stop", "turn"] {
        let lines = check_agent_output(py, mode, &input);
        assert_eq!(lines[0]["privileged"], mode == "shortest", "{mode}");
        assert_eq!(lines[4]["report"]["step_log"].as_array().unwrap().len(), 2);
        let report: PlannerMessage = serde_json::from_value(lines[8].clone()).unwrap();
        assert!(matches!(report, PlannerMessage::Report { .. }));
        let grounded = &lines[10]["action"];
        match mode {
            "shortest" => assert_eq!(grounded, &json!({"type": "ground", "object_id": 15})),
            "random-walk" => assert_eq!(grounded["object_id"], 15),
            _ => assert_eq!(grounded["type"], "stop", "{mode}"),
        }
    }
}
