//! The objects of a household scene as a privileged planner knows them: every object at the
//! start (the privileged context's `objects`), kept up to date from what the agent sees and
//! does (what it holds, where it put things, the pieces it sliced).

use glam::DVec3;
use serde_json::Value;
use waymark_core::HouseholdObservation;

/// One object of the scene.
#[derive(Clone, Debug, PartialEq)]
pub struct SceneObject {
    /// Its ALFRED id.
    pub id: String,
    /// Its type (`Apple`, `AppleSliced`, `SinkBasin`, …).
    pub object_type: String,
    /// Where it was last known to be (ALFRED's frame, metres).
    pub position_m: DVec3,
    /// It can be picked up.
    pub pickupable: bool,
    /// It holds other objects.
    pub receptacle: bool,
    /// It opens.
    pub openable: bool,
    /// It switches on and off.
    pub toggleable: bool,
    /// The receptacle it was last known to be in or on.
    pub parent: Option<String>,
    /// Last known open (openable objects).
    pub is_open: Option<bool>,
}

/// The scene's objects.
#[derive(Clone, Debug, Default)]
pub struct Scene {
    objects: Vec<SceneObject>,
}

fn field<'a>(object: &'a Value, key: &str) -> Result<&'a Value, String> {
    object
        .get(key)
        .ok_or_else(|| format!("a scene object has no `{key}`: {object}"))
}

impl Scene {
    /// Reads the privileged context's `objects` (see the household task's privileged context).
    pub fn from_privileged(privileged: &Value) -> Result<Self, String> {
        let list = privileged["objects"]
            .as_array()
            .ok_or("no `objects` in the privileged context")?;
        let objects = list
            .iter()
            .map(|o| {
                let text = |key: &str| -> Result<String, String> {
                    field(o, key)?
                        .as_str()
                        .map(str::to_string)
                        .ok_or_else(|| format!("`{key}` is not text in {o}"))
                };
                let flag = |key: &str| o.get(key).and_then(Value::as_bool).unwrap_or(false);
                let position = field(o, "position")?
                    .as_array()
                    .filter(|p| p.len() == 3)
                    .and_then(|p| Some(DVec3::new(p[0].as_f64()?, p[1].as_f64()?, p[2].as_f64()?)))
                    .ok_or_else(|| format!("`position` is not [x, y, z] in {o}"))?;
                Ok(SceneObject {
                    id: text("id")?,
                    object_type: text("type")?,
                    position_m: position,
                    pickupable: flag("pickupable"),
                    receptacle: flag("receptacle"),
                    openable: flag("openable"),
                    toggleable: flag("toggleable"),
                    parent: o.get("parent").and_then(Value::as_str).map(str::to_string),
                    is_open: o.get("is_open").and_then(Value::as_bool),
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Self { objects })
    }

    /// A scene of these objects.
    pub fn new(objects: Vec<SceneObject>) -> Self {
        Self { objects }
    }

    /// All objects.
    pub fn objects(&self) -> &[SceneObject] {
        &self.objects
    }

    /// The object with this id.
    pub fn get(&self, id: &str) -> Option<&SceneObject> {
        self.objects.iter().find(|o| o.id == id)
    }

    /// Whether `id` is inside a receptacle last known to be closed.
    pub fn in_closed_receptacle(&self, id: &str) -> bool {
        let mut at = self.get(id).and_then(|o| o.parent.as_deref());
        // Receptacles nest a few levels at most; the bound guards a cycle in bad input.
        for _ in 0..8 {
            let Some(parent) = at.and_then(|p| self.get(p)) else {
                return false;
            };
            if parent.openable && parent.is_open != Some(true) {
                return true;
            }
            at = parent.parent.as_deref();
        }
        false
    }

    /// Updates what is known from an observation: the held object goes with the agent, seen
    /// objects sit in the receptacles they are seen in (at its position once moved), and new
    /// ids (slices) join the scene.
    pub fn observe(&mut self, obs: &HouseholdObservation) {
        for seen in &obs.visible {
            let parent_position = seen
                .state
                .parent
                .as_deref()
                .and_then(|p| self.get(p))
                .map(|p| p.position_m);
            match self.objects.iter_mut().find(|o| o.id == seen.id) {
                Some(o) => {
                    if o.parent != seen.state.parent {
                        o.parent.clone_from(&seen.state.parent);
                        if let Some(p) = parent_position {
                            o.position_m = p;
                        }
                    }
                    if seen.state.is_open.is_some() {
                        o.is_open = seen.state.is_open;
                    }
                }
                None => {
                    // A slice: `<parent id>|<Type>Sliced_<n>`, where its whole was.
                    let whole = seen.id.rsplit_once('|').map(|(w, _)| w);
                    let position = whole
                        .and_then(|w| self.get(w))
                        .map(|w| w.position_m)
                        .or(parent_position)
                        .unwrap_or(obs.position_m);
                    self.objects.push(SceneObject {
                        id: seen.id.clone(),
                        object_type: seen.object_type.clone(),
                        position_m: position,
                        pickupable: true,
                        receptacle: false,
                        openable: false,
                        toggleable: false,
                        parent: seen.state.parent.clone(),
                        is_open: seen.state.is_open,
                    });
                }
            }
        }
        if let Some(held) = obs.held.as_deref()
            && let Some(o) = self.objects.iter_mut().find(|o| o.id == held)
        {
            o.position_m = obs.position_m;
            o.parent = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use waymark_core::{ObjectState, SeenHouseholdObject};

    fn seen(id: &str, t: &str, parent: Option<&str>) -> SeenHouseholdObject {
        SeenHouseholdObject {
            id: id.into(),
            object_type: t.into(),
            distance_m: 1.0,
            state: ObjectState {
                parent: parent.map(Into::into),
                ..ObjectState::default()
            },
        }
    }

    fn obs(visible: Vec<SeenHouseholdObject>, held: Option<&str>) -> HouseholdObservation {
        HouseholdObservation {
            scene: "FloorPlan1".into(),
            position_m: DVec3::new(3.0, 0.9, 3.0),
            rotation_deg: 0.0,
            horizon_deg: 0.0,
            step: 0,
            failures: 0,
            held: held.map(Into::into),
            visible,
            last_action: None,
            sensors: None,
            teacher: None,
        }
    }

    #[test]
    fn the_scene_follows_what_the_agent_holds_puts_and_slices() {
        let mut scene = Scene::from_privileged(&json!({"objects": [
            {"id": "Apple|1|1|1", "type": "Apple", "position": [1.0, 1.0, 1.0], "pickupable": true},
            {"id": "Fridge|5|0|5", "type": "Fridge", "position": [5.0, 0.0, 5.0],
             "receptacle": true, "openable": true, "is_open": false}
        ]}))
        .unwrap();
        assert!(!scene.in_closed_receptacle("Apple|1|1|1"));
        scene.observe(&obs(Vec::new(), Some("Apple|1|1|1")));
        assert_eq!(
            scene.get("Apple|1|1|1").unwrap().position_m,
            DVec3::new(3.0, 0.9, 3.0)
        );
        scene.observe(&obs(
            vec![seen("Apple|1|1|1", "Apple", Some("Fridge|5|0|5"))],
            None,
        ));
        let apple = scene.get("Apple|1|1|1").unwrap();
        assert_eq!(apple.parent.as_deref(), Some("Fridge|5|0|5"));
        assert_eq!(apple.position_m, DVec3::new(5.0, 0.0, 5.0));
        assert!(scene.in_closed_receptacle("Apple|1|1|1"));
        scene.observe(&obs(
            vec![seen("Apple|1|1|1|AppleSliced_0", "AppleSliced", None)],
            None,
        ));
        let slice = scene.get("Apple|1|1|1|AppleSliced_0").unwrap();
        assert_eq!(slice.position_m, DVec3::new(5.0, 0.0, 5.0));
        assert!(Scene::from_privileged(&json!({"objects": [{"id": "A"}]})).is_err());
    }
}
