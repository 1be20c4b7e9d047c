//! ALFRED's `traj_data.json` (the `json_2.1.0` release), reduced to what the household needs.

use serde::Deserialize;

/// One trajectory: a task in a floor plan, its expert plan and its annotations.
#[derive(Clone, Debug, Deserialize)]
pub struct TrajData {
    /// The trial id (`trial_T20190908_142046_281296`).
    pub task_id: String,
    /// One of the seven task types.
    pub task_type: String,
    /// The task's targets.
    pub pddl_params: PddlParams,
    /// The floor plan and its initial state.
    pub scene: SceneSpec,
    /// The expert plan.
    pub plan: Plan,
    /// People's instructions.
    pub turk_annotations: TurkAnnotations,
}

/// The task's targets (object types; the empty string where a role is unused).
#[derive(Clone, Debug, Deserialize)]
pub struct PddlParams {
    /// The object to move or look at.
    pub object_target: String,
    /// The receptacle it goes to.
    #[serde(default)]
    pub parent_target: String,
    /// The lamp to switch on (look-at tasks).
    #[serde(default)]
    pub toggle_target: String,
    /// The movable receptacle (movable-receptacle tasks).
    #[serde(default)]
    pub mrecep_target: String,
    /// Whether the object must be sliced.
    #[serde(default)]
    pub object_sliced: bool,
}

/// The floor plan and how ALFRED sets it up.
#[derive(Clone, Debug, Deserialize)]
pub struct SceneSpec {
    /// `FloorPlanN`.
    pub floor_plan: String,
    /// The agent's start.
    pub init_action: InitAction,
    /// Where each movable object starts.
    pub object_poses: Vec<ObjectPose>,
    /// Objects switched on or off at the start, by type. (`dirty_and_empty` is not read:
    /// ALFRED's goal conditions track rinsing in their own set, never an object's dirtiness.)
    #[serde(default)]
    pub object_toggles: Vec<ObjectToggle>,
}

/// The agent's start pose.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct InitAction {
    /// Metres.
    pub x: f64,
    /// The agent's height, metres.
    pub y: f64,
    /// Metres.
    pub z: f64,
    /// Degrees clockwise from `+z`.
    pub rotation: f64,
    /// Degrees, positive looking down.
    pub horizon: f64,
}

/// A movable object's start.
#[derive(Clone, Debug, Deserialize)]
pub struct ObjectPose {
    /// `Type_hash`; not unique.
    #[serde(rename = "objectName")]
    pub object_name: String,
    /// Its position.
    pub position: Xyz,
}

/// A position in ALFRED's frame.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct Xyz {
    /// Metres.
    pub x: f64,
    /// Metres (up).
    pub y: f64,
    /// Metres.
    pub z: f64,
}

/// An initial on/off state, by object type.
#[derive(Clone, Debug, Deserialize)]
pub struct ObjectToggle {
    /// Switched on.
    #[serde(rename = "isOn")]
    pub is_on: bool,
    /// The object type.
    #[serde(rename = "objectType")]
    pub object_type: String,
}

/// The expert plan.
#[derive(Clone, Debug, Deserialize)]
pub struct Plan {
    /// The low-level actions, as AI2-THOR calls.
    pub low_actions: Vec<LowAction>,
    /// The high-level (PDDL) steps.
    pub high_pddl: Vec<HighAction>,
}

/// One low-level expert action.
#[derive(Clone, Debug, Deserialize)]
pub struct LowAction {
    /// The AI2-THOR call.
    pub api_action: ApiAction,
    /// The high-level step it belongs to.
    #[serde(default)]
    pub high_idx: Option<usize>,
}

/// An AI2-THOR call, as ALFRED records it (and as its leaderboard dump holds it).
#[derive(Clone, Debug, Deserialize, serde::Serialize, PartialEq)]
pub struct ApiAction {
    /// `MoveAhead`, `RotateLeft`, `PickupObject`, …
    pub action: String,
    /// The object acted on (for `PutObject`, the held object).
    #[serde(rename = "objectId", default, skip_serializing_if = "Option::is_none")]
    pub object_id: Option<String>,
    /// `PutObject`'s receptacle.
    #[serde(
        rename = "receptacleObjectId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub receptacle_object_id: Option<String>,
}

/// One high-level step: its planner call (ids and where objects start) and PDDL words.
#[derive(Clone, Debug, Deserialize)]
pub struct HighAction {
    /// The planner's call.
    #[serde(default)]
    pub planner_action: serde_json::Value,
    /// The step in PDDL words: `{"action": "GotoLocation", "args": ["countertop"]}`.
    #[serde(default)]
    pub discrete_action: serde_json::Value,
}

/// People's instructions for the trajectory.
#[derive(Clone, Debug, Deserialize)]
pub struct TurkAnnotations {
    /// One per annotator: an episode each.
    pub anns: Vec<Annotation>,
}

/// One annotator's instructions.
#[derive(Clone, Debug, Deserialize)]
pub struct Annotation {
    /// The goal.
    pub task_desc: String,
    /// The step-by-step instructions.
    #[serde(default)]
    pub high_descs: Vec<String>,
    /// The annotation's language tag (waymark's addition for translated sets such as an
    /// Arabic ALFRED; ALFRED's own annotations have none and are English).
    #[serde(default)]
    pub language: Option<String>,
}
