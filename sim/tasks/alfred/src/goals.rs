//! ALFRED's goal conditions (`env/tasks.py`), judged on the final state.
//!
//! Targets match as ALFRED matches them: a target name is a case-sensitive substring of the
//! object id, not the object type, so `Knife` also matches butter knives, `Pot` potatoes and
//! an unsliced `Apple` its own slices (documented quirks, kept).

use crate::traj::PddlParams;
use crate::world::World;

/// The seven task types.
pub const TASK_TYPES: [&str; 7] = [
    "pick_and_place_simple",
    "pick_two_obj_and_place",
    "look_at_obj_in_light",
    "pick_clean_then_place_in_recep",
    "pick_heat_then_place_in_recep",
    "pick_cool_then_place_in_recep",
    "pick_and_place_with_movable_recep",
];

/// Goal conditions met and in total.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GoalConditions {
    /// Conditions met.
    pub met: u32,
    /// Conditions in total.
    pub total: u32,
}

impl GoalConditions {
    /// ALFRED's success: every condition met.
    pub fn success(self) -> bool {
        self.met == self.total
    }
}

/// What a task asks for.
#[derive(Clone, Debug)]
pub struct Targets {
    /// The object (with `Sliced` appended when it must be sliced).
    pub object: String,
    /// The receptacle.
    pub parent: String,
    /// The lamp.
    pub toggle: String,
    /// The movable receptacle.
    pub mrecep: String,
}

impl Targets {
    /// ALFRED's `get_targets`.
    pub fn of(params: &PddlParams) -> Self {
        let mut object = params.object_target.clone();
        if params.object_sliced {
            object.push_str("Sliced");
        }
        Self {
            object,
            parent: params.parent_target.clone(),
            toggle: params.toggle_target.clone(),
            mrecep: params.mrecep_target.clone(),
        }
    }

    fn sliced(&self) -> bool {
        self.object.contains("Sliced")
    }
}

/// The objects whose id contains `name` and that have the property.
fn matching(world: &World, name: &str, property: impl Fn(usize) -> bool) -> Vec<usize> {
    (0..world.objects().len())
        .filter(|&i| {
            let o = &world.objects()[i];
            !o.is_sliced && o.id.contains(name) && property(i)
        })
        .collect()
}

/// ALFRED's `goal_conditions_met` for `task_type` on the world's current state; `None` for a
/// task type ALFRED does not have.
pub fn goal_conditions(
    world: &World,
    task_type: &str,
    targets: &Targets,
) -> Option<GoalConditions> {
    let objects = world.objects();
    let pickupables = matching(world, &targets.object, |i| objects[i].pickupable);
    let receptacles = matching(world, &targets.parent, |i| objects[i].receptacle);
    let inside = |p: usize, r: usize| objects[p].parent == Some(r);
    let in_some_parent = |p: usize| receptacles.iter().any(|&r| inside(p, r));
    let sliced: Vec<usize> = pickupables
        .iter()
        .copied()
        .filter(|&p| objects[p].id.contains("Sliced"))
        .collect();
    let (mut met, mut total) = (0u32, 0u32);
    if targets.sliced() {
        let (credit, most) = if task_type == "pick_two_obj_and_place" {
            (sliced.len().min(2), 2)
        } else {
            (sliced.len().min(1), 1)
        };
        met += credit as u32;
        total += most;
    }
    let count = |b: bool| u32::from(b);
    let bookkept = |set: &std::collections::BTreeSet<String>| {
        let placed: Vec<usize> = pickupables
            .iter()
            .copied()
            .filter(|&p| in_some_parent(p))
            .collect();
        let treated: Vec<usize> = pickupables
            .iter()
            .copied()
            .filter(|&p| set.contains(&objects[p].id))
            .collect();
        count(!placed.is_empty())
            + count(!treated.is_empty())
            + count(placed.iter().any(|p| treated.contains(p)))
    };
    match task_type {
        "pick_and_place_simple" => {
            total += 1;
            met += count(pickupables.iter().any(|&p| in_some_parent(p)));
        }
        "pick_two_obj_and_place" => {
            total += 2;
            let most = receptacles
                .iter()
                .map(|&r| pickupables.iter().filter(|&&p| inside(p, r)).count())
                .max()
                .unwrap_or(0);
            met += most.min(2) as u32;
        }
        "look_at_obj_in_light" => {
            total += 2;
            let lamps = matching(world, &targets.toggle, |i| objects[i].toggleable);
            let held = world.held().map(|h| h.id.as_str());
            met += count(
                pickupables
                    .iter()
                    .any(|&p| Some(objects[p].id.as_str()) == held),
            );
            met += count(lamps.iter().any(|&l| objects[l].is_on && world.visible(l)));
        }
        "pick_heat_then_place_in_recep" => {
            total += 3;
            met += bookkept(world.heated());
        }
        "pick_cool_then_place_in_recep" => {
            total += 3;
            met += bookkept(world.cooled());
        }
        "pick_clean_then_place_in_recep" => {
            total += 3;
            met += bookkept(world.cleaned());
        }
        "pick_and_place_with_movable_recep" => {
            total += 3;
            let movables = matching(world, &targets.mrecep, |i| objects[i].pickupable);
            let holds_target = |m: usize| pickupables.iter().any(|&p| inside(p, m));
            let in_parent = |m: usize| {
                receptacles
                    .iter()
                    .any(|&r| world.ancestors(m).any(|a| a == r))
            };
            met += count(movables.iter().any(|&m| holds_target(m)));
            met += count(
                movables
                    .iter()
                    .any(|&m| receptacles.iter().any(|&r| inside(m, r))),
            );
            met += count(movables.iter().any(|&m| holds_target(m) && in_parent(m)));
        }
        _ => return None,
    }
    Some(GoalConditions { met, total })
}
