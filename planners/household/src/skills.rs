//! ALFRED's high-level actions executed as low-level ones, the way ALFRED's expert decomposes
//! them (`gen/game_states/game_state_base.py`): a receptacle that is closed is opened before a
//! pick-up or a put and closed after; heating is open, put, close, switch on, switch off,
//! open, pick up, close; cooling is open, put, close, open, pick up, close; rinsing is put
//! in the basin, faucet on, faucet off, pick up. Each step reads the current observation (what
//! is open, what is on, what is in view), so the same skills serve any planner.

use crate::grid::{Grid, GridPose};
use serde_json::Value;
use std::collections::VecDeque;
use waymark_core::object_ids::position_of;
use waymark_core::{Action, HouseholdObservation, Interaction};

/// One of ALFRED's high-level actions, with the object ids it acts on.
#[derive(Clone, Debug, PartialEq)]
pub enum HighLevelAction {
    /// Go to a grid pose (`loc|gx|gz|rotation/90|horizon`) and tilt the camera there.
    GotoLocation {
        /// The pose.
        pose: GridPose,
        /// The camera horizon, degrees.
        horizon_deg: i32,
    },
    /// Go to the nearest pose from which the object (where its id says) is within
    /// [`NEAR_M`] and straight ahead within [`FACING_DEG`]: how a planner that names objects,
    /// not poses, moves.
    GotoObject(String),
    /// Pick the object up (opening and closing what holds it).
    Pickup(String),
    /// Put the held object into the receptacle (opening and closing it).
    Put(String),
    /// Switch the object on (or off when it is on).
    Toggle(String),
    /// Slice the object (a knife must be held).
    Slice(String),
    /// Heat the held object in the microwave and take it back.
    Heat {
        /// The microwave.
        microwave: String,
    },
    /// Cool the held object in the fridge and take it back.
    Cool {
        /// The fridge.
        fridge: String,
    },
    /// Rinse the held object in the sink basin and take it back.
    Clean {
        /// The sink basin.
        basin: String,
    },
    /// The plan's end.
    End,
}

impl HighLevelAction {
    /// Reads one `plan.high_pddl[i].planner_action` of ALFRED's `traj_data.json`.
    pub fn from_planner_action(action: &Value) -> Result<Self, String> {
        let field = |key: &str| {
            action
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("planner_action lacks `{key}`: {action}"))
        };
        let name = field("action")?;
        Ok(match name.as_str() {
            "GotoLocation" => {
                let location = field("location")?;
                let parts: Vec<i32> = location
                    .split('|')
                    .skip(1)
                    .map(|p| p.parse::<i32>())
                    .collect::<Result<_, _>>()
                    .map_err(|e| format!("location `{location}`: {e}"))?;
                let [gx, gz, r, h] = parts[..] else {
                    return Err(format!("location `{location}` is not loc|gx|gz|r|h"));
                };
                Self::GotoLocation {
                    pose: GridPose {
                        cell: (gx, gz),
                        rotation_deg: (r * 90).rem_euclid(360),
                    },
                    horizon_deg: h,
                }
            }
            "PickupObject" => Self::Pickup(field("objectId")?),
            "PutObject" => Self::Put(field("receptacleObjectId")?),
            "ToggleObject" => Self::Toggle(field("objectId")?),
            "SliceObject" => Self::Slice(field("objectId")?),
            "HeatObject" | "CoolObject" | "CleanObject" => {
                // The object is the one in hand (ALFRED's `cleanObjectId` is sometimes the
                // unsliced parent of the slice held).
                let place = field("objectId")?;
                match name.as_str() {
                    "HeatObject" => Self::Heat { microwave: place },
                    "CoolObject" => Self::Cool { fridge: place },
                    _ => Self::Clean { basin: place },
                }
            }
            "End" => Self::End,
            other => return Err(format!("unknown high-level action `{other}`")),
        })
    }
}

/// How near a pose must be to an object that [`HighLevelAction::GotoObject`] goes to, metres
/// (horizontally; the household reaches 1.5 m).
pub const NEAR_M: f64 = 1.0;
/// How far off the facing that object may be, degrees (the household sees 60°).
pub const FACING_DEG: f64 = 30.0;

/// Whether an agent at `pose` (cells of `step_m`) has `target` (x, z in metres) near and ahead.
fn faces(pose: GridPose, target: glam::DVec2, step_m: f64) -> bool {
    let at = glam::DVec2::new(f64::from(pose.cell.0), f64::from(pose.cell.1)) * step_m;
    let d = target - at;
    let dist = d.length();
    if dist > NEAR_M {
        return false;
    }
    if dist < 1e-9 {
        return true;
    }
    let bearing = d.x.atan2(d.y).to_degrees() - f64::from(pose.rotation_deg);
    ((bearing + 180.0).rem_euclid(360.0) - 180.0).abs() <= FACING_DEG
}

/// One step of a skill, decided against the observation when it comes up.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    /// Exactly this action.
    Do(Action),
    /// Walk to the pose.
    Navigate(GridPose),
    /// Walk to a pose facing the point (x, z).
    NavigateNear(glam::DVec2),
    /// Tilt the camera to the horizon.
    LookTo(i32),
    /// Open the object when it is in view and closed.
    OpenIfClosed(String),
    /// Close the object when it is in view and open.
    CloseIfOpen(String),
    /// Pick up or slice the object where it is, as ALFRED's expert does: when it is not in
    /// view, open the nearest closed receptacle in view first; close the receptacle holding
    /// it after.
    FromWhereItIs(Interaction, String),
    /// Switch the object on, or off when it is on.
    ToggleEither(String),
    /// Switch the faucet nearest the sink basin on or off.
    Faucet { basin: String, on: bool },
    /// Take the held object back out of where it was put: the id of what is held when the
    /// skill starts.
    PickupHeld,
}

fn interact(interaction: Interaction, id: &str) -> Step {
    Step::Do(Action::Interact {
        interaction,
        object_id: id.to_string(),
    })
}

/// Runs high-level actions as low-level ones, one observation at a time.
#[derive(Clone, Debug, Default)]
pub struct SkillExecutor {
    grid: Grid,
    steps: VecDeque<Step>,
    /// What the agent held when the current skill started (heat, cool, clean take it back).
    held_at_start: Option<String>,
}

impl SkillExecutor {
    /// An executor walking on `grid`.
    pub fn new(grid: Grid) -> Self {
        Self {
            grid,
            ..Self::default()
        }
    }

    /// Whether the current skill is done.
    pub fn is_idle(&self) -> bool {
        self.steps.is_empty()
    }

    /// Starts `action` (dropping what was left of the previous one).
    pub fn start(&mut self, action: &HighLevelAction, observation: &HouseholdObservation) {
        use HighLevelAction as H;
        use Interaction::{Close, Open, Put, ToggleOff, ToggleOn};
        self.held_at_start = observation.held.clone();
        let steps: Vec<Step> = match action {
            H::GotoLocation { pose, horizon_deg } => {
                vec![Step::Navigate(*pose), Step::LookTo(*horizon_deg)]
            }
            H::GotoObject(id) => match position_of(id) {
                Some(p) => vec![Step::NavigateNear(glam::DVec2::new(p.x, p.z))],
                None => Vec::new(),
            },
            H::Pickup(id) => vec![Step::FromWhereItIs(Interaction::Pickup, id.clone())],
            H::Put(r) => vec![
                Step::OpenIfClosed(r.clone()),
                interact(Put, r),
                Step::CloseIfOpen(r.clone()),
            ],
            H::Toggle(id) => vec![Step::ToggleEither(id.clone())],
            H::Slice(id) => vec![Step::FromWhereItIs(Interaction::Slice, id.clone())],
            H::Heat { microwave: m, .. } => vec![
                Step::OpenIfClosed(m.clone()),
                interact(Put, m),
                interact(Close, m),
                interact(ToggleOn, m),
                interact(ToggleOff, m),
                interact(Open, m),
                Step::PickupHeld,
                interact(Close, m),
            ],
            H::Cool { fridge: f, .. } => vec![
                Step::OpenIfClosed(f.clone()),
                interact(Put, f),
                interact(Close, f),
                interact(Open, f),
                Step::PickupHeld,
                interact(Close, f),
            ],
            H::Clean { basin: b, .. } => vec![
                interact(Put, b),
                Step::Faucet {
                    basin: b.clone(),
                    on: true,
                },
                Step::Faucet {
                    basin: b.clone(),
                    on: false,
                },
                Step::PickupHeld,
            ],
            H::End => Vec::new(),
        };
        self.steps = steps.into();
    }

    /// The next low-level action of the current skill, or `None` when it is done (or cannot
    /// go on: a pose that cannot be reached ends the walk where it is).
    pub fn next(&mut self, observation: &HouseholdObservation) -> Option<Action> {
        while let Some(step) = self.steps.pop_front() {
            if let Some(action) = self.decide(step, observation) {
                return Some(action);
            }
        }
        None
    }

    /// The action `step` takes now; `None` when it has nothing (left) to do. A step that
    /// takes several actions puts itself back.
    fn decide(&mut self, step: Step, obs: &HouseholdObservation) -> Option<Action> {
        let seen = |id: &str| obs.visible.iter().find(|o| o.id == id);
        let act = |interaction: Interaction, id: &str| Action::Interact {
            interaction,
            object_id: id.to_string(),
        };
        match step {
            Step::Do(action) => Some(action),
            Step::Navigate(goal) => {
                let here = self.grid.pose_of(obs.position_m, obs.rotation_deg);
                let first = self.grid.path(here, |p| p == goal)?.into_iter().next()?;
                self.steps.push_front(Step::Navigate(goal));
                Some(first)
            }
            Step::NavigateNear(target) => {
                let here = self.grid.pose_of(obs.position_m, obs.rotation_deg);
                let step_m = self.grid.step_m();
                let first = self
                    .grid
                    .path(here, |p| faces(p, target, step_m))?
                    .into_iter()
                    .next()?;
                self.steps.push_front(Step::NavigateNear(target));
                Some(first)
            }
            Step::LookTo(horizon) => {
                let now = obs.horizon_deg.round() as i32;
                if now == horizon {
                    return None;
                }
                self.steps.push_front(Step::LookTo(horizon));
                Some(if now < horizon {
                    Action::LookDown
                } else {
                    Action::LookUp
                })
            }
            Step::OpenIfClosed(id) => {
                (seen(&id)?.state.is_open == Some(false)).then(|| act(Interaction::Open, &id))
            }
            Step::CloseIfOpen(id) => {
                (seen(&id)?.state.is_open == Some(true)).then(|| act(Interaction::Close, &id))
            }
            Step::FromWhereItIs(interaction, id) => {
                if let Some(object) = seen(&id) {
                    if let Some(parent) = &object.state.parent {
                        self.steps.push_front(Step::CloseIfOpen(parent.clone()));
                    }
                    return Some(act(interaction, &id));
                }
                let target = position_of(&id)?;
                let holder = obs
                    .visible
                    .iter()
                    .filter(|o| o.state.is_open == Some(false))
                    .filter_map(|o| Some((o, (position_of(&o.id)? - target).length())))
                    .min_by(|a, b| a.1.total_cmp(&b.1))?
                    .0
                    .id
                    .clone();
                self.steps.push_front(Step::CloseIfOpen(holder.clone()));
                self.steps.push_front(interact(interaction, &id));
                Some(act(Interaction::Open, &holder))
            }
            Step::ToggleEither(id) => {
                let on = seen(&id).and_then(|o| o.state.is_on) == Some(true);
                Some(act(
                    if on {
                        Interaction::ToggleOff
                    } else {
                        Interaction::ToggleOn
                    },
                    &id,
                ))
            }
            Step::Faucet { basin, on } => {
                let at = position_of(&basin)?;
                let faucet = obs
                    .visible
                    .iter()
                    .filter(|o| o.object_type == "Faucet")
                    .filter_map(|o| Some((o, (position_of(&o.id)? - at).length())))
                    .min_by(|a, b| a.1.total_cmp(&b.1))?
                    .0
                    .id
                    .clone();
                Some(act(
                    if on {
                        Interaction::ToggleOn
                    } else {
                        Interaction::ToggleOff
                    },
                    &faucet,
                ))
            }
            Step::PickupHeld => {
                let id = self.held_at_start.clone()?;
                Some(act(Interaction::Pickup, &id))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_alfreds_planner_actions() {
        let goto = json!({"action": "GotoLocation", "location": "loc|-3|5|2|30"});
        assert_eq!(
            HighLevelAction::from_planner_action(&goto).unwrap(),
            HighLevelAction::GotoLocation {
                pose: GridPose {
                    cell: (-3, 5),
                    rotation_deg: 180
                },
                horizon_deg: 30
            }
        );
        let clean = json!({"action": "CleanObject", "objectId": "Sink|+01.00|+00.90|-00.10|SinkBasin",
                           "cleanObjectId": "Mug|+00.50|+00.90|-00.20"});
        assert_eq!(
            HighLevelAction::from_planner_action(&clean).unwrap(),
            HighLevelAction::Clean {
                basin: "Sink|+01.00|+00.90|-00.10|SinkBasin".into()
            }
        );
        let put = json!({"action": "PutObject", "objectId": "Mug|1|2|3"});
        assert!(
            HighLevelAction::from_planner_action(&put)
                .unwrap_err()
                .contains("receptacleObjectId")
        );
        let bad = json!({"action": "GotoLocation", "location": "loc|1|2"});
        assert!(HighLevelAction::from_planner_action(&bad).is_err());
    }

    fn observation(visible: Vec<waymark_core::SeenHouseholdObject>) -> HouseholdObservation {
        HouseholdObservation {
            scene: "FloorPlan1".into(),
            position_m: glam::DVec3::new(0.0, 0.9, 0.0),
            rotation_deg: 0.0,
            horizon_deg: 30.0,
            step: 0,
            failures: 0,
            held: Some("Apple|00.00|+00.90|+00.50".into()),
            visible,
            last_action: None,
            sensors: None,
            teacher: None,
        }
    }

    fn fridge(open: bool) -> waymark_core::SeenHouseholdObject {
        waymark_core::SeenHouseholdObject {
            id: "Fridge|00.00|00.00|+01.00".into(),
            object_type: "Fridge".into(),
            distance_m: 1.0,
            state: waymark_core::ObjectState {
                is_open: Some(open),
                ..Default::default()
            },
        }
    }

    #[test]
    fn going_to_an_object_ends_near_it_and_facing_it() {
        // A corridor along +z; a fridge just east of its far end.
        let grid = Grid::new((0..=6).map(|z| (0, z)), 0.25);
        let mut skills = SkillExecutor::new(grid);
        let mut obs = observation(Vec::new());
        let fridge = HighLevelAction::GotoObject("Fridge|+00.50|00.00|+01.50".into());
        skills.start(&fridge, &obs);
        let mut moves = Vec::new();
        while let Some(action) = skills.next(&obs) {
            // Apply the move to the observation's pose.
            match action {
                Action::MoveForward => {
                    let r = obs.rotation_deg.to_radians();
                    obs.position_m.x += 0.25 * r.sin().round();
                    obs.position_m.z += 0.25 * r.cos().round();
                }
                Action::TurnLeft => obs.rotation_deg = (obs.rotation_deg - 90.0).rem_euclid(360.0),
                Action::TurnRight => obs.rotation_deg = (obs.rotation_deg + 90.0).rem_euclid(360.0),
                other => panic!("{other:?}"),
            }
            moves.push(action);
            assert!(moves.len() < 20);
        }
        let pose = GridPose {
            cell: (
                (obs.position_m.x / 0.25).round() as i32,
                (obs.position_m.z / 0.25).round() as i32,
            ),
            rotation_deg: obs.rotation_deg as i32,
        };
        assert!(
            faces(pose, glam::DVec2::new(0.5, 1.5), 0.25),
            "{pose:?} after {moves:?}"
        );
        assert_eq!(moves.last(), Some(&Action::TurnRight), "{moves:?}");
    }

    #[test]
    fn cooling_opens_only_what_is_closed_and_takes_the_object_back() {
        let fridge_id = "Fridge|00.00|00.00|+01.00";
        let cool = HighLevelAction::Cool {
            fridge: fridge_id.into(),
        };
        let act = |interaction, id: &str| Action::Interact {
            interaction,
            object_id: id.into(),
        };
        let mut skills = SkillExecutor::new(Grid::new([(0, 0)], 0.25));
        skills.start(&cool, &observation(vec![fridge(false)]));
        let closed = observation(vec![fridge(false)]);
        let open = observation(vec![fridge(true)]);
        assert_eq!(
            skills.next(&closed),
            Some(act(Interaction::Open, fridge_id))
        );
        assert_eq!(skills.next(&open), Some(act(Interaction::Put, fridge_id)));
        assert_eq!(skills.next(&open), Some(act(Interaction::Close, fridge_id)));
        assert_eq!(
            skills.next(&closed),
            Some(act(Interaction::Open, fridge_id))
        );
        assert_eq!(
            skills.next(&open),
            Some(act(Interaction::Pickup, "Apple|00.00|+00.90|+00.50"))
        );
        assert_eq!(skills.next(&open), Some(act(Interaction::Close, fridge_id)));
        assert_eq!(skills.next(&closed), None);
        assert!(skills.is_idle());
        // Already open: no Open first.
        skills.start(&cool, &open);
        assert_eq!(skills.next(&open), Some(act(Interaction::Put, fridge_id)));
    }
}
