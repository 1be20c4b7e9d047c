//! Building an episode's household from ALFRED's files.
//!
//! `traj_data.json` lists only the movable objects (`scene.object_poses`, by name and
//! position). Their ids are the ones the trajectory's plans use where a plan names one (same
//! type, within 1 cm), else the id AI2-THOR would give (`Type|x|y|z`). The fixed objects
//! (counter tops, cabinets, sinks, …) appear only through their ids: a floor plan's inventory
//! is every id of a fixed object in the plans of every trajectory of that floor plan that was
//! read, plus the keys of its `FloorPlanN-openable.json`. The agent stands on the layout's
//! reachable points plus every cell the trajectory's expert visits (ALFRED's generator read
//! reachability from the scene after placing the objects; the static layout misses about one
//! expert position in ten). No field says which receptacle a movable object starts in: an
//! object starts in the nearest receptacle that does not open (a sink basin, a cup, a plate)
//! within [`RESTS_ON_M`] horizontally and not above it; objects in cabinets, drawers and
//! fridges start free-standing (visible; the expert opens them first anyway).

use crate::traj::{LowAction, TrajData};
use crate::world::{Object, Pose, World, cell_of};
use glam::DVec3;
use std::collections::{BTreeSet, HashSet};
use waymark_core::object_ids::{format_id, position_of, type_of};

/// The ids a trajectory's plans name.
pub fn plan_ids(traj: &TrajData) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for low in &traj.plan.low_actions {
        ids.extend(low.api_action.object_id.iter().cloned());
        ids.extend(low.api_action.receptacle_object_id.iter().cloned());
    }
    for high in &traj.plan.high_pddl {
        for key in ["objectId", "receptacleObjectId", "cleanObjectId"] {
            if let Some(id) = high.planner_action.get(key).and_then(|v| v.as_str()) {
                ids.insert(id.to_string());
            }
        }
    }
    ids
}

/// The plan's ids (`ids`, from [`plan_ids`]) of movable objects (a type `object_poses` has) that no pose matches (same
/// type, within 1 cm): objects the plan names but the scene does not have.
pub fn unmatched_plan_ids<'a>(traj: &TrajData, ids: &'a BTreeSet<String>) -> Vec<&'a String> {
    let poses: Vec<(&str, DVec3)> = traj
        .scene
        .object_poses
        .iter()
        .map(|p| {
            let object_type = p.object_name.split('_').next().unwrap_or(&p.object_name);
            (
                object_type,
                DVec3::new(p.position.x, p.position.y, p.position.z),
            )
        })
        .collect();
    ids.iter()
        .filter(|id| !is_slice(id))
        .filter(|id| {
            let object_type = type_of(id);
            poses.iter().any(|(t, _)| *t == object_type)
                && !poses.iter().any(|(t, p)| {
                    *t == object_type
                        && position_of(id).is_some_and(|q| (q - *p).abs().max_element() < 0.01)
                })
        })
        .collect()
}

/// Whether an id is of a slice (made by slicing, not present at the start).
fn is_slice(id: &str) -> bool {
    id.split('|')
        .nth(4)
        .is_some_and(|last| last.contains("Sliced"))
}

/// The expert's positions: every cell it stands on, from the start (its moves replayed with
/// the household's own turning and stepping, whether or not the cell is reachable).
pub fn expert_cells(traj: &TrajData) -> HashSet<(i32, i32)> {
    let mut pose = start_pose(traj);
    let mut cells = HashSet::from([pose.cell]);
    for LowAction { api_action, .. } in &traj.plan.low_actions {
        match api_action.action.as_str() {
            "RotateLeft" => pose.rotate(-90),
            "RotateRight" => pose.rotate(90),
            "MoveAhead" => {
                pose.cell = pose.ahead();
                cells.insert(pose.cell);
            }
            _ => {}
        }
    }
    cells
}

/// The agent's pose at the start of `traj`.
fn start_pose(traj: &TrajData) -> Pose {
    let init = traj.scene.init_action;
    Pose {
        cell: cell_of(init.x, init.z),
        y_m: init.y,
        rotation_deg: (init.rotation.round() as i32).rem_euclid(360),
        horizon_deg: init.horizon.round() as i32,
    }
}

/// The household at the start of `traj`, with the fixed objects `fixed_ids` of its floor plan
/// and the `reachable` cells (the layout's and the expert's, see [`expert_cells`]).
pub fn household(
    traj: &TrajData,
    fixed_ids: &BTreeSet<String>,
    reachable: &HashSet<(i32, i32)>,
) -> World {
    let named = plan_ids(traj);
    let mut objects: Vec<Object> = Vec::new();
    let mut taken: HashSet<String> = HashSet::new();
    let mut movable_types: HashSet<&str> = HashSet::new();
    for pose in &traj.scene.object_poses {
        let object_type = pose
            .object_name
            .split('_')
            .next()
            .unwrap_or(&pose.object_name);
        movable_types.insert(object_type);
        let position = DVec3::new(pose.position.x, pose.position.y, pose.position.z);
        let from_plan = named.iter().find(|id| {
            !is_slice(id)
                && type_of(id) == object_type
                && !taken.contains(*id)
                && position_of(id).is_some_and(|p| (p - position).abs().max_element() < 0.01)
        });
        let id = from_plan
            .cloned()
            .unwrap_or_else(|| format_id(object_type, position));
        if taken.insert(id.clone()) {
            objects.push(Object::new(id, position, true));
        }
    }
    for id in fixed_ids {
        if taken.contains(id) || movable_types.contains(type_of(id)) || is_slice(id) {
            continue;
        }
        let Some(position) = position_of(id) else {
            continue;
        };
        taken.insert(id.clone());
        objects.push(Object::new(id.clone(), position, false));
    }
    place_objects(&mut objects);
    let mut world = World::new(objects, reachable.clone(), start_pose(traj));
    for toggle in &traj.scene.object_toggles {
        world.set_on(&toggle.object_type, toggle.is_on);
    }
    world
}

/// How far (horizontally, metres) an object may lie from the point a receptacle's id names
/// and still start in it.
pub const RESTS_ON_M: f64 = 0.35;

/// Puts each movable object in the nearest receptacle that does not open, within
/// [`RESTS_ON_M`] horizontally and at most 5 cm above the object.
fn place_objects(objects: &mut [Object]) {
    for i in 0..objects.len() {
        if !objects[i].pickupable {
            continue;
        }
        let p = objects[i].position;
        let receptacle = (0..objects.len())
            .filter(|&r| r != i && objects[r].receptacle && !objects[r].openable)
            .map(|r| {
                let q = objects[r].position;
                (r, (p.x - q.x).hypot(p.z - q.z), q.y)
            })
            .filter(|&(_, d, y)| d <= RESTS_ON_M && y <= p.y + 0.05)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(r, _, _)| r);
        objects[i].parent = receptacle;
    }
}
