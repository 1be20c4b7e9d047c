//! The symbolic household: objects with positions and states, the agent on the floor plan's
//! grid, and AI2-THOR's preconditions and effects for ALFRED's low-level actions.

use crate::types;
use glam::DVec3;
use std::collections::{BTreeSet, HashMap, HashSet};
use waymark_core::{Interaction, ObjectState, SeenHouseholdObject};

/// The grid step in metres (ALFRED's `AGENT_STEP_SIZE`).
pub const GRID_M: f64 = 0.25;
/// How far the agent reaches and sees, horizontally, in metres (ALFRED's visibility distance,
/// measured on the floor: ids of large receptacles name a point on the floor, up to 2.2 m
/// from the camera in 3-D at the expert's interaction poses).
pub const REACH_M: f64 = 1.5;
/// How far off the facing direction an object can be seen and reached, in degrees (the
/// expert's widest interaction is 54°).
pub const HALF_VIEW_DEG: f64 = 60.0;
/// The camera horizon's range in degrees (the expert's looks stay within it).
pub const HORIZON_RANGE_DEG: (f64, f64) = (-30.0, 60.0);

/// One object of the household.
#[derive(Clone, Debug)]
pub struct Object {
    /// Its id.
    pub id: String,
    /// Its type.
    pub object_type: String,
    /// Where it is (ALFRED's frame).
    pub position: DVec3,
    /// It can be picked up.
    pub pickupable: bool,
    /// It holds other objects.
    pub receptacle: bool,
    /// It opens (then `is_open` says whether it is).
    pub openable: bool,
    /// It switches (then `is_on` says whether it is on).
    pub toggleable: bool,
    /// Open.
    pub is_open: bool,
    /// Switched on.
    pub is_on: bool,
    /// Sliced into pieces (and gone: the pieces replace it).
    pub is_sliced: bool,
    /// The receptacle it is in or on.
    pub parent: Option<usize>,
}

impl Object {
    /// An object of the type its id names, at `position`, with that type's abilities.
    pub fn new(id: String, position: DVec3, pickupable: bool) -> Self {
        let object_type = waymark_core::object_ids::type_of(&id).to_string();
        Self {
            receptacle: types::is_receptacle(&object_type),
            openable: types::is_openable(&object_type),
            toggleable: types::is_toggleable(&object_type),
            // Laptops stand open (ALFRED's expert closes one before picking it up) and boxes
            // open (its expert puts into boxes without opening them).
            is_open: object_type == "Laptop" || object_type == "Box",
            is_on: false,
            is_sliced: false,
            parent: None,
            id,
            object_type,
            position,
            pickupable,
        }
    }
}

/// The agent's pose: a grid cell, a facing and a camera horizon.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pose {
    /// Grid cell (`x / 0.25`, `z / 0.25`).
    pub cell: (i32, i32),
    /// The agent's height (ALFRED's `y`), metres.
    pub y_m: f64,
    /// Degrees clockwise from `+z`: 0, 90, 180, 270.
    pub rotation_deg: i32,
    /// Degrees, positive looking down.
    pub horizon_deg: i32,
}

impl Pose {
    /// The position in metres.
    pub fn position(&self) -> DVec3 {
        DVec3::new(
            f64::from(self.cell.0) * GRID_M,
            self.y_m,
            f64::from(self.cell.1) * GRID_M,
        )
    }

    /// The cell straight ahead.
    pub fn ahead(&self) -> (i32, i32) {
        let (dx, dz) = match self.rotation_deg.rem_euclid(360) {
            0 => (0, 1),
            90 => (1, 0),
            180 => (0, -1),
            _ => (-1, 0),
        };
        (self.cell.0 + dx, self.cell.1 + dz)
    }

    /// Turns by `degrees` (±90).
    pub fn rotate(&mut self, degrees: i32) {
        self.rotation_deg = (self.rotation_deg + degrees).rem_euclid(360);
    }
}

/// The grid cell of a position (`x`, `z` in metres).
pub fn cell_of(x_m: f64, z_m: f64) -> (i32, i32) {
    ((x_m / GRID_M).round() as i32, (z_m / GRID_M).round() as i32)
}

/// Why an action failed (AI2-THOR reports the action as failed; the state is unchanged).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// The cell ahead is not reachable.
    #[error("blocked: the cell ahead is not reachable")]
    Blocked,
    /// The camera would leave its range.
    #[error("the camera cannot tilt beyond {0}°")]
    HorizonLimit(i32),
    /// No object has the id.
    #[error("no object {0}")]
    UnknownObject(String),
    /// The object is out of reach or out of view (or inside a closed receptacle).
    #[error("{0} is not visible")]
    NotVisible(String),
    /// The hand already holds something.
    #[error("the hand already holds {0}")]
    HandFull(String),
    /// The hand is empty.
    #[error("nothing in hand")]
    HandEmpty,
    /// The object cannot be picked up.
    #[error("{0} cannot be picked up")]
    NotPickupable(String),
    /// The object holds nothing.
    #[error("{0} is not a receptacle")]
    NotReceptacle(String),
    /// The receptacle is closed.
    #[error("{0} is closed")]
    Closed(String),
    /// Putting an object into itself or into what it holds.
    #[error("{0} cannot go into itself")]
    IntoItself(String),
    /// The object does not open.
    #[error("{0} does not open")]
    NotOpenable(String),
    /// The object does not switch.
    #[error("{0} does not switch on or off")]
    NotToggleable(String),
    /// Slicing without a knife in hand.
    #[error("slicing needs a knife in hand")]
    NoKnife,
    /// The object cannot be sliced (or already is).
    #[error("{0} cannot be sliced")]
    NotSliceable(String),
    /// A faucet ran with no sink basin in view (ALFRED counts the action as failed).
    #[error("no sink basin in view of {0}")]
    NoSinkBasin(String),
}

/// The household in one episode.
#[derive(Clone, Debug)]
pub struct World {
    objects: Vec<Object>,
    index: HashMap<String, usize>,
    reachable: HashSet<(i32, i32)>,
    pose: Pose,
    held: Option<usize>,
    /// ALFRED's bookkeeping of what was heated, cooled and rinsed (ids; never emptied).
    heated: BTreeSet<String>,
    cooled: BTreeSet<String>,
    cleaned: BTreeSet<String>,
}

impl World {
    /// A household of `objects` (ids unique), the agent at `pose`, free to stand on
    /// `reachable` cells.
    pub fn new(objects: Vec<Object>, reachable: HashSet<(i32, i32)>, pose: Pose) -> Self {
        let index = objects
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.clone(), i))
            .collect();
        Self {
            objects,
            index,
            reachable,
            pose,
            held: None,
            heated: BTreeSet::new(),
            cooled: BTreeSet::new(),
            cleaned: BTreeSet::new(),
        }
    }

    /// Every object (sliced ones included, marked).
    pub fn objects(&self) -> &[Object] {
        &self.objects
    }

    /// The cells the agent may stand on, sorted.
    pub fn reachable_cells(&self) -> Vec<(i32, i32)> {
        let mut cells: Vec<(i32, i32)> = self.reachable.iter().copied().collect();
        cells.sort_unstable();
        cells
    }

    /// The agent's pose.
    pub fn pose(&self) -> Pose {
        self.pose
    }

    /// The held object.
    pub fn held(&self) -> Option<&Object> {
        self.held.map(|i| &self.objects[i])
    }

    /// Ids of what was heated, cooled and rinsed.
    pub fn heated(&self) -> &BTreeSet<String> {
        &self.heated
    }

    /// Ids of what was cooled.
    pub fn cooled(&self) -> &BTreeSet<String> {
        &self.cooled
    }

    /// Ids of what was rinsed.
    pub fn cleaned(&self) -> &BTreeSet<String> {
        &self.cleaned
    }

    /// The object with `id`.
    pub fn get(&self, id: &str) -> Option<&Object> {
        self.index.get(id).map(|&i| &self.objects[i])
    }

    /// The objects directly in or on object `r`.
    pub fn contents(&self, r: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.objects.len())
            .filter(move |&i| self.objects[i].parent == Some(r) && !self.objects[i].is_sliced)
    }

    /// The receptacles holding object `i`, innermost first.
    pub fn ancestors(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.objects[i].parent, move |&p| self.objects[p].parent)
            .take(self.objects.len())
    }

    /// Whether the object is in the hand, or inside something in the hand.
    fn in_hand(&self, i: usize) -> bool {
        Some(i) == self.held || self.ancestors(i).any(|a| Some(a) == self.held)
    }

    /// Whether the agent can see and reach object `i`: on the floor plan within
    /// [`REACH_M`] horizontally, within [`HALF_VIEW_DEG`] of the facing, not in the hand, and
    /// not inside a closed receptacle.
    pub fn visible(&self, i: usize) -> bool {
        let o = &self.objects[i];
        if o.is_sliced || self.in_hand(i) {
            return false;
        }
        if self
            .ancestors(i)
            .any(|a| self.objects[a].openable && !self.objects[a].is_open)
        {
            return false;
        }
        let agent = self.pose.position();
        let (dx, dz) = (o.position.x - agent.x, o.position.z - agent.z);
        let dist = dx.hypot(dz);
        if dist > REACH_M {
            return false;
        }
        if dist < 1e-9 {
            return true;
        }
        let bearing = dx.atan2(dz).to_degrees() - f64::from(self.pose.rotation_deg);
        let bearing = (bearing + 180.0).rem_euclid(360.0) - 180.0;
        bearing.abs() <= HALF_VIEW_DEG
    }

    /// The visible objects as a planner sees them, nearest first (ties by id).
    pub fn seen(&self) -> Vec<SeenHouseholdObject> {
        let camera = self.pose.position();
        let mut seen: Vec<SeenHouseholdObject> = (0..self.objects.len())
            .filter(|&i| self.visible(i))
            .map(|i| {
                let o = &self.objects[i];
                SeenHouseholdObject {
                    id: o.id.clone(),
                    object_type: o.object_type.clone(),
                    distance_m: (o.position - camera).length(),
                    state: self.state(i),
                }
            })
            .collect();
        seen.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m).then(a.id.cmp(&b.id)));
        seen
    }

    /// Object `i`'s state as a planner sees it.
    pub fn state(&self, i: usize) -> ObjectState {
        let o = &self.objects[i];
        let shows_contents = o.receptacle && (!o.openable || o.is_open);
        ObjectState {
            is_open: o.openable.then_some(o.is_open),
            is_on: o.toggleable.then_some(o.is_on),
            is_sliced: types::slices(&o.object_type).map(|_| o.is_sliced),
            is_hot: self.heated.contains(&o.id),
            is_cold: self.cooled.contains(&o.id),
            is_clean: self.cleaned.contains(&o.id),
            parent: o.parent.map(|p| self.objects[p].id.clone()),
            contents: if shows_contents {
                self.contents(i)
                    .map(|c| self.objects[c].id.clone())
                    .collect()
            } else {
                Vec::new()
            },
        }
    }

    /// Sets an object's on/off state (the scene's initial toggles).
    pub fn set_on(&mut self, object_type: &str, on: bool) {
        for o in &mut self.objects {
            if o.object_type == object_type && o.toggleable {
                o.is_on = on;
            }
        }
    }

    /// The index of `id`.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Moves one cell ahead.
    pub fn move_ahead(&mut self) -> Result<(), Failure> {
        let next = self.pose.ahead();
        if !self.reachable.contains(&next) {
            return Err(Failure::Blocked);
        }
        self.pose.cell = next;
        Ok(())
    }

    /// Turns by `degrees` (±90).
    pub fn rotate(&mut self, degrees: i32) {
        self.pose.rotate(degrees);
    }

    /// Tilts the camera by `degrees` (positive looks down).
    pub fn look(&mut self, degrees: i32) -> Result<(), Failure> {
        let horizon = self.pose.horizon_deg + degrees;
        let (low, high) = HORIZON_RANGE_DEG;
        if f64::from(horizon) < low || f64::from(horizon) > high {
            return Err(Failure::HorizonLimit(horizon));
        }
        self.pose.horizon_deg = horizon;
        Ok(())
    }

    /// Interacts with the object `id`.
    pub fn interact(&mut self, interaction: Interaction, id: &str) -> Result<(), Failure> {
        let i = self
            .index_of(id)
            .filter(|&i| !self.objects[i].is_sliced)
            .ok_or_else(|| Failure::UnknownObject(id.to_string()))?;
        if !self.visible(i) {
            return Err(Failure::NotVisible(id.to_string()));
        }
        match interaction {
            Interaction::Pickup => self.pickup(i),
            Interaction::Put => self.put(i),
            Interaction::Open | Interaction::Close => {
                let open = interaction == Interaction::Open;
                if !self.objects[i].openable {
                    return Err(Failure::NotOpenable(id.to_string()));
                }
                self.objects[i].is_open = open;
                if !open && self.objects[i].object_type == "Fridge" {
                    // ALFRED cools what the first fridge of the scene holds.
                    let ids = self.first_contents("Fridge");
                    self.cooled.extend(ids);
                }
                Ok(())
            }
            Interaction::ToggleOn | Interaction::ToggleOff => self.toggle(i, interaction),
            Interaction::Slice => self.slice(i),
        }
    }

    fn pickup(&mut self, i: usize) -> Result<(), Failure> {
        if let Some(h) = self.held {
            return Err(Failure::HandFull(self.objects[h].id.clone()));
        }
        if !self.objects[i].pickupable {
            return Err(Failure::NotPickupable(self.objects[i].id.clone()));
        }
        self.objects[i].parent = None;
        self.held = Some(i);
        Ok(())
    }

    fn put(&mut self, r: usize) -> Result<(), Failure> {
        let h = self.held.ok_or(Failure::HandEmpty)?;
        let receptacle = &self.objects[r];
        if !receptacle.receptacle {
            return Err(Failure::NotReceptacle(receptacle.id.clone()));
        }
        if receptacle.openable && !receptacle.is_open {
            return Err(Failure::Closed(receptacle.id.clone()));
        }
        if r == h || self.ancestors(r).any(|a| a == h) {
            return Err(Failure::IntoItself(self.objects[h].id.clone()));
        }
        let place = receptacle.position;
        self.objects[h].parent = Some(r);
        self.held = None;
        // What was in hand (the object and anything in it) now lies at the receptacle.
        for k in 0..self.objects.len() {
            if k == h || self.ancestors(k).any(|a| a == h) {
                self.objects[k].position = place;
            }
        }
        Ok(())
    }

    fn toggle(&mut self, i: usize, interaction: Interaction) -> Result<(), Failure> {
        if !self.objects[i].toggleable {
            return Err(Failure::NotToggleable(self.objects[i].id.clone()));
        }
        let on = interaction == Interaction::ToggleOn;
        self.objects[i].is_on = on;
        if !on {
            return Ok(());
        }
        match self.objects[i].object_type.as_str() {
            // ALFRED heats what the first microwave of the scene holds.
            "Microwave" => {
                let ids = self.first_contents("Microwave");
                self.heated.extend(ids);
            }
            // ALFRED rinses what the visible sink basin nearest the faucet holds; with none in
            // view the action counts as failed (the faucet stays on).
            "Faucet" => {
                let faucet = self.objects[i].position;
                let basin = (0..self.objects.len())
                    .filter(|&b| self.objects[b].object_type == "SinkBasin" && self.visible(b))
                    .min_by(|&a, &b| {
                        let da = (self.objects[a].position - faucet).length();
                        let db = (self.objects[b].position - faucet).length();
                        da.total_cmp(&db)
                    })
                    .ok_or_else(|| Failure::NoSinkBasin(self.objects[i].id.clone()))?;
                let ids: Vec<String> = self
                    .contents(basin)
                    .map(|c| self.objects[c].id.clone())
                    .collect();
                self.cleaned.extend(ids);
            }
            _ => {}
        }
        Ok(())
    }

    fn slice(&mut self, i: usize) -> Result<(), Failure> {
        let knife = self.held().is_some_and(|h| types::is_knife(&h.object_type));
        if !knife {
            return Err(Failure::NoKnife);
        }
        let o = &self.objects[i];
        let Some(pieces) = types::slices(&o.object_type).filter(|_| !o.is_sliced) else {
            return Err(Failure::NotSliceable(o.id.clone()));
        };
        let (parent_id, object_type, position, parent) =
            (o.id.clone(), o.object_type.clone(), o.position, o.parent);
        self.objects[i].is_sliced = true;
        for n in 0..pieces {
            let id = format!("{parent_id}|{object_type}Sliced_{n}");
            let mut piece = Object::new(id.clone(), position, true);
            piece.parent = parent;
            self.index.insert(id, self.objects.len());
            self.objects.push(piece);
        }
        Ok(())
    }

    /// The ids inside the first object of `object_type` in the scene's order.
    fn first_contents(&self, object_type: &str) -> Vec<String> {
        self.objects
            .iter()
            .position(|o| o.object_type == object_type)
            .map(|r| {
                self.contents(r)
                    .map(|c| self.objects[c].id.clone())
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A kitchen strip of waymark's own: the agent at (0, 0) facing +z, a counter, a fridge,
    /// a microwave, a sink with its faucet, an apple, a knife and a mug within reach, and a
    /// lamp across the room.
    fn kitchen() -> World {
        let fixed = |id: &str| {
            let p = waymark_core::object_ids::position_of(id).unwrap_or_default();
            Object::new(id.to_string(), p, false)
        };
        let movable = |id: &str| {
            let p = waymark_core::object_ids::position_of(id).unwrap_or_default();
            Object::new(id.to_string(), p, true)
        };
        let objects = vec![
            fixed("Microwave|+00.50|+01.00|+00.75"),
            fixed("Fridge|-00.50|00.00|+01.00"),
            fixed("CounterTop|00.00|+00.90|+01.00"),
            fixed("Sink|+00.75|+00.90|+00.50|SinkBasin"),
            fixed("Faucet|+00.80|+01.00|+00.60"),
            fixed("DeskLamp|+05.00|+00.80|+05.00"),
            movable("Apple|00.00|+00.95|+00.75"),
            movable("ButterKnife|+00.25|+00.95|+00.75"),
            movable("Mug|-00.25|+00.95|+00.75"),
        ];
        let reachable = (-4..=4)
            .flat_map(|x| (-4..=4).map(move |z| (x, z)))
            .collect();
        let pose = Pose {
            cell: (0, 0),
            y_m: 0.9,
            rotation_deg: 0,
            horizon_deg: 30,
        };
        World::new(objects, reachable, pose)
    }

    const APPLE: &str = "Apple|00.00|+00.95|+00.75";
    const FRIDGE: &str = "Fridge|-00.50|00.00|+01.00";
    const MICROWAVE: &str = "Microwave|+00.50|+01.00|+00.75";
    const KNIFE: &str = "ButterKnife|+00.25|+00.95|+00.75";
    const BASIN: &str = "Sink|+00.75|+00.90|+00.50|SinkBasin";

    #[test]
    fn preconditions_fail_with_their_reasons_and_change_nothing() {
        let mut w = kitchen();
        assert_eq!(
            w.interact(Interaction::Put, FRIDGE),
            Err(Failure::HandEmpty)
        );
        assert_eq!(
            w.interact(Interaction::Pickup, "DeskLamp|+05.00|+00.80|+05.00"),
            Err(Failure::NotVisible("DeskLamp|+05.00|+00.80|+05.00".into()))
        );
        w.interact(Interaction::Pickup, APPLE).unwrap();
        assert_eq!(
            w.interact(Interaction::Pickup, KNIFE),
            Err(Failure::HandFull(APPLE.into()))
        );
        assert_eq!(
            w.interact(Interaction::Put, FRIDGE),
            Err(Failure::Closed(FRIDGE.into()))
        );
        assert_eq!(w.held().map(|h| h.id.as_str()), Some(APPLE));
        assert_eq!(
            w.interact(Interaction::Slice, "Mug|-00.25|+00.95|+00.75"),
            Err(Failure::NoKnife)
        );
        // Turned away, the fridge is out of view.
        w.rotate(180);
        assert_eq!(
            w.interact(Interaction::Open, FRIDGE),
            Err(Failure::NotVisible(FRIDGE.into()))
        );
    }

    #[test]
    fn cooling_heating_and_rinsing_follow_alfreds_bookkeeping() {
        let mut w = kitchen();
        w.interact(Interaction::Pickup, APPLE).unwrap();
        w.interact(Interaction::Open, FRIDGE).unwrap();
        w.interact(Interaction::Put, FRIDGE).unwrap();
        // Inside an open fridge the apple is visible; closed, it is not, and it is cooled.
        assert!(w.visible(w.index_of(APPLE).unwrap()));
        w.interact(Interaction::Close, FRIDGE).unwrap();
        assert!(!w.visible(w.index_of(APPLE).unwrap()));
        assert!(w.cooled().contains(APPLE));
        w.interact(Interaction::Open, FRIDGE).unwrap();
        w.interact(Interaction::Pickup, APPLE).unwrap();
        w.interact(Interaction::Put, MICROWAVE).unwrap_err();
        w.interact(Interaction::Open, MICROWAVE).unwrap();
        w.interact(Interaction::Put, MICROWAVE).unwrap();
        w.interact(Interaction::ToggleOn, MICROWAVE).unwrap();
        assert!(w.heated().contains(APPLE));
        w.interact(Interaction::Pickup, APPLE).unwrap();
        w.interact(Interaction::Put, BASIN).unwrap();
        w.interact(Interaction::ToggleOn, "Faucet|+00.80|+01.00|+00.60")
            .unwrap();
        assert!(w.cleaned().contains(APPLE));
        assert_eq!(w.get(APPLE).unwrap().parent, w.index_of(BASIN));
    }

    #[test]
    fn a_knife_slices_into_pieces_that_keep_the_place() {
        let mut w = kitchen();
        w.interact(Interaction::Pickup, KNIFE).unwrap();
        w.interact(Interaction::Slice, APPLE).unwrap();
        assert!(w.get(APPLE).unwrap().is_sliced);
        let piece = format!("{APPLE}|AppleSliced_0");
        assert!(w.get(&piece).is_some_and(|p| p.pickupable));
        assert_eq!(
            w.interact(Interaction::Slice, APPLE),
            Err(Failure::UnknownObject(APPLE.into()))
        );
    }

    #[test]
    fn moves_keep_to_the_grid_and_the_camera_to_its_range() {
        let mut w = kitchen();
        for _ in 0..4 {
            w.move_ahead().unwrap();
        }
        assert_eq!(w.move_ahead(), Err(Failure::Blocked));
        assert_eq!(w.pose().cell, (0, 4));
        w.look(15).unwrap();
        w.look(15).unwrap();
        assert_eq!(w.look(15), Err(Failure::HorizonLimit(75)));
        assert_eq!(w.pose().horizon_deg, 60);
    }
}
