//! The messages of the JSON-lines planner protocol, version 1.
//!
//! Each message is one JSON object on one line, tagged by its `type` field. waymark writes
//! [`WaymarkMessage`]s to the planner's stdin and reads one [`PlannerMessage`] from its stdout
//! for each (`hello` → `hello`, `reset` → `ready`, `observation` → `action`, `end` →
//! `report`). The JSON Schema of every message is `planners/protocol/planner-protocol-v1.schema.json`.
//!
//! Receivers ignore fields they do not know, so a later version can add optional fields
//! without breaking planners written against this one.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use waymark_planner::{Action, EpisodeContext, EpisodeReport, Observation};

/// The protocol version this crate speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// A message from waymark to the planner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WaymarkMessage<'a> {
    /// Sent once when the process starts; the planner answers [`PlannerMessage::Hello`].
    Hello {
        /// The protocol version waymark speaks ([`PROTOCOL_VERSION`]).
        protocol: u32,
    },
    /// A new episode starts; the planner answers [`PlannerMessage::Ready`].
    Reset {
        /// The episode.
        context: Cow<'a, EpisodeContext>,
    },
    /// The current state; the planner answers [`PlannerMessage::Action`].
    Observation {
        /// The observation.
        observation: Cow<'a, Observation>,
    },
    /// The episode has ended; the planner answers [`PlannerMessage::Report`].
    End,
}

impl WaymarkMessage<'_> {
    /// The `type` of the answer the planner owes to this message.
    pub fn answer_type(&self) -> &'static str {
        match self {
            Self::Hello { .. } => "hello",
            Self::Reset { .. } => "ready",
            Self::Observation { .. } => "action",
            Self::End => "report",
        }
    }
}

/// A message from the planner to waymark.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PlannerMessage {
    /// The answer to [`WaymarkMessage::Hello`]: the planner's declaration.
    Hello(Hello),
    /// The answer to [`WaymarkMessage::Reset`].
    Ready,
    /// The answer to [`WaymarkMessage::Observation`].
    Action {
        /// The chosen action.
        action: Action,
    },
    /// The answer to [`WaymarkMessage::End`]; every field of the report is optional.
    Report {
        /// What the planner reports about the episode.
        #[serde(default)]
        report: EpisodeReport,
    },
}

impl PlannerMessage {
    /// The message's `type`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Hello(_) => "hello",
            Self::Ready => "ready",
            Self::Action { .. } => "action",
            Self::Report { .. } => "report",
        }
    }
}

/// A planner's `hello`: which protocol it speaks and what it declares about itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hello {
    /// The protocol version the planner speaks; must be [`PROTOCOL_VERSION`].
    pub protocol: u32,
    /// The planner's own name, for logs and descriptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// One line describing the planner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Task names (`r2r`), observation kinds (`discrete_nav`) or `*`.
    pub supports: Vec<String>,
    /// Whether it needs privileged information (the teacher, the reference path).
    #[serde(default)]
    pub privileged: bool,
    /// The smallest step limit it works under, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_max_steps: Option<u32>,
    /// The sensor readings its observations should carry (objects per direction, views).
    #[serde(
        default,
        skip_serializing_if = "waymark_planner::SensorRequest::is_empty"
    )]
    pub sensors: waymark_planner::SensorRequest,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn waymark_messages_have_the_documented_wire_format() {
        let hello = WaymarkMessage::Hello {
            protocol: PROTOCOL_VERSION,
        };
        assert_eq!(
            serde_json::to_string(&hello).unwrap(),
            r#"{"type":"hello","protocol":1}"#
        );
        assert_eq!(
            serde_json::to_string(&WaymarkMessage::End).unwrap(),
            r#"{"type":"end"}"#
        );
        let action = PlannerMessage::Action {
            action: Action::Stop,
        };
        assert_eq!(
            serde_json::to_string(&action).unwrap(),
            r#"{"type":"action","action":{"type":"stop"}}"#
        );
    }

    #[test]
    fn planner_messages_ignore_unknown_fields_and_default_the_optional_ones() {
        let hello: PlannerMessage =
            serde_json::from_str(r#"{"type":"hello","protocol":1,"supports":["*"],"future":1}"#)
                .unwrap();
        let PlannerMessage::Hello(hello) = hello else {
            panic!("not a hello: {hello:?}");
        };
        assert!(!hello.privileged);
        assert_eq!(hello.name, None);
        let report: PlannerMessage = serde_json::from_str(r#"{"type":"report"}"#).unwrap();
        assert_eq!(
            report,
            PlannerMessage::Report {
                report: EpisodeReport::default()
            }
        );
    }
}
