//! What a privileged household planner is told about an episode: the expert's plans, the
//! floor plan's grid, and every object of the scene as the episode starts (the ground truth
//! ALFRED's released LLM agents read from the simulator's metadata).

use crate::episodes::Trajectory;
use crate::world::{GRID_M, World};
use serde_json::{Value, json};

/// The privileged context of an episode on `traj`, whose world starts as `world`:
/// - `task_type`, `expert_low_actions`, `expert_high_actions` (`plan.high_pddl[].planner_action`);
/// - `expert_subgoals`: per high-level step, `{action, args}` (its PDDL words) and the
///   `interactions` the expert makes in it (`{action, objectId, receptacleObjectId}`);
/// - `reachable_cells` (`[gx, gz]` on the `grid_m` grid);
/// - `objects`: `{id, type, position: [x, y, z], pickupable, receptacle, openable,
///   toggleable, is_open (openable objects), parent}` for every object at the start.
pub(crate) fn context(traj: &Trajectory, world: &World) -> Value {
    let mut cells: Vec<(i32, i32)> = traj.reachable.iter().copied().collect();
    cells.sort_unstable();
    let plan = &traj.data.plan;
    let subgoals: Vec<Value> = plan
        .high_pddl
        .iter()
        .enumerate()
        .map(|(k, high)| {
            let words = &high.discrete_action;
            let interactions: Vec<&crate::traj::ApiAction> = plan
                .low_actions
                .iter()
                .filter(|low| low.high_idx == Some(k) && low.api_action.object_id.is_some())
                .map(|low| &low.api_action)
                .collect();
            json!({
                "action": words.get("action").or_else(|| high.planner_action.get("action")),
                "args": words.get("args").cloned().unwrap_or_else(|| json!([])),
                "interactions": interactions,
            })
        })
        .collect();
    let objects = world.objects();
    let objects: Vec<Value> = objects
        .iter()
        .map(|o| {
            json!({
                "id": o.id,
                "type": o.object_type,
                "position": [o.position.x, o.position.y, o.position.z],
                "pickupable": o.pickupable,
                "receptacle": o.receptacle,
                "openable": o.openable,
                "toggleable": o.toggleable,
                "is_open": o.openable.then_some(o.is_open),
                "parent": o.parent.map(|p| &objects[p].id),
            })
        })
        .collect();
    json!({
        "task_type": traj.data.task_type,
        "expert_low_actions": plan.low_actions.iter().map(|l| &l.api_action).collect::<Vec<_>>(),
        "expert_high_actions": plan.high_pddl.iter().map(|h| &h.planner_action).collect::<Vec<_>>(),
        "expert_subgoals": subgoals,
        "reachable_cells": cells,
        "grid_m": GRID_M,
        "objects": objects,
    })
}
