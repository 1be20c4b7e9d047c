//! Household instruction following (ALFRED): interactions and what the agent observes.
//!
//! Positions are in ALFRED's (AI2-THOR's, Unity's) frame: metres, `y` up, the agent on the
//! `x`–`z` floor grid. Rotation is in degrees clockwise seen from above, `0` facing `+z` and
//! `90` facing `+x`; the camera horizon is in degrees, positive looking down.

use glam::DVec3;
use serde::{Deserialize, Serialize};

/// An interaction with one object: ALFRED's interactive low-level actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interaction {
    /// Pick the object up (the hand must be empty).
    Pickup,
    /// Put the held object into or onto the object (a receptacle).
    Put,
    /// Open the object.
    Open,
    /// Close the object.
    Close,
    /// Switch the object on.
    ToggleOn,
    /// Switch the object off.
    ToggleOff,
    /// Slice the object (a knife must be held).
    Slice,
}

impl Interaction {
    /// Every interaction.
    pub const ALL: [Self; 7] = [
        Self::Pickup,
        Self::Put,
        Self::Open,
        Self::Close,
        Self::ToggleOn,
        Self::ToggleOff,
        Self::Slice,
    ];

    /// ALFRED's name of the action (`PickupObject`, …).
    pub fn alfred_name(self) -> &'static str {
        match self {
            Self::Pickup => "PickupObject",
            Self::Put => "PutObject",
            Self::Open => "OpenObject",
            Self::Close => "CloseObject",
            Self::ToggleOn => "ToggleObjectOn",
            Self::ToggleOff => "ToggleObjectOff",
            Self::Slice => "SliceObject",
        }
    }

    /// The interaction ALFRED names `name`.
    pub fn from_alfred_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.alfred_name() == name)
    }
}

/// The state of a household episode, as a planner sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HouseholdObservation {
    /// The floor plan (`FloorPlan10`, …).
    pub scene: String,
    /// The agent's position (ALFRED's frame, metres).
    pub position_m: DVec3,
    /// Facing, degrees clockwise from `+z`: 0, 90, 180 or 270.
    pub rotation_deg: f64,
    /// Camera horizon, degrees, positive looking down.
    pub horizon_deg: f64,
    /// Steps taken so far (failed actions count).
    pub step: u32,
    /// Failed actions so far.
    pub failures: u32,
    /// The object in the agent's hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<String>,
    /// The objects the agent can see, nearest first.
    pub visible: Vec<SeenHouseholdObject>,
    /// What the last action did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_action: Option<ActionResult>,
    /// What the sensors saw, when the planner asked for readings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensors: Option<crate::SensorReadings>,
    /// The expert's next action. Privileged: present only for planners that declare they
    /// need it (oracles, training).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teacher: Option<crate::Action>,
}

impl HouseholdObservation {
    /// The kind name of these observations.
    pub const KIND: &'static str = "household";
}

/// One object the agent sees.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeenHouseholdObject {
    /// The object id (`Apple|-1.65|0.94|-0.41`).
    pub id: String,
    /// The object type (`Apple`).
    pub object_type: String,
    /// Distance from the camera in metres.
    pub distance_m: f64,
    /// Its state.
    pub state: ObjectState,
}

/// An object's state. Flags that do not apply to its type are `None`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ObjectState {
    /// Open (openable objects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_open: Option<bool>,
    /// Switched on (toggleable objects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_on: Option<bool>,
    /// Sliced (sliceable objects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_sliced: Option<bool>,
    /// Heated in a microwave.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_hot: bool,
    /// Cooled in a fridge.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_cold: bool,
    /// Rinsed under a running faucet.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_clean: bool,
    /// The receptacle it is in or on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// What it holds (receptacles; nothing is listed inside a closed one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contents: Vec<String>,
}

/// What an action did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionResult {
    /// The action, in ALFRED's words (`MoveAhead_25`, `PickupObject`, …).
    pub action: String,
    /// Whether it succeeded.
    pub success: bool,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}
