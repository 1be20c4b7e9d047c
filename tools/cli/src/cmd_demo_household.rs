//! The shipped household demo: waymark's own kitchen and living room (floor plans in ALFRED's
//! layout format), ALFRED-format tasks (the kitchen has one of each of the seven types, the
//! living room three more) with their expert plans. The
//! high-level plans are written here; the low-level expert actions are what the household
//! skills do with them in the symbolic household, checked to reach every goal condition.

use anyhow::{Context, bail};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use waymark_core::{Action, Observation, SensorRequest};
use waymark_household::{HighLevelAction, SkillExecutor};
use waymark_task::TaskArgs;

/// A floor plan of the demo: its number, fixed objects, movable objects and tasks.
struct FloorPlanSpec {
    number: u32,
    fixed: &'static [&'static str],
    movable: &'static [(&'static str, [f64; 3])],
    tasks: &'static [TaskSpec],
}

/// The demo's floor plans: a kitchen with a task of each type, and a living room.
const FLOOR_PLANS: &[FloorPlanSpec] = &[
    FloorPlanSpec {
        number: 901,
        fixed: FIXED,
        movable: MOVABLE,
        tasks: TASKS,
    },
    FloorPlanSpec {
        number: 902,
        fixed: LIVING_FIXED,
        movable: LIVING_MOVABLE,
        tasks: LIVING_TASKS,
    },
];
/// Standing cells: x and z from -1.5 m to 1.5 m on the 0.25 m grid.
const HALF_CELLS: i32 = 6;

/// The kitchen's fixed objects, along the walls just outside the standing area.
const FIXED: &[&str] = &[
    "CounterTop|-02.00|+00.90|+00.50",
    "Sink|-02.00|+00.90|-01.00|SinkBasin",
    "Faucet|-02.20|+01.00|-01.00",
    "Fridge|+02.00|00.00|+01.00",
    "Microwave|+02.00|+00.90|-00.50",
    "Cabinet|+00.50|+00.40|-02.00",
    "DiningTable|00.00|+00.75|+02.00",
    "GarbageCan|+01.50|00.00|-02.00",
    "DeskLamp|-00.75|+00.90|+02.00",
    "Shelf|+01.00|+01.20|+02.00",
];

/// The kitchen's movable objects: name and position.
const MOVABLE: &[(&str, [f64; 3])] = &[
    ("Apple_01", [-1.9, 0.95, 0.3]),
    ("Tomato_01", [-1.9, 0.95, 0.75]),
    ("Potato_01", [-1.9, 0.95, 1.2]),
    ("Bowl_01", [-1.9, 0.95, -0.3]),
    ("Mug_01", [0.3, 0.8, 1.9]),
    ("Mug_02", [-1.9, 0.95, -1.6]),
    ("Cup_01", [-0.3, 0.8, 1.9]),
    ("CD_01", [1.0, 1.2, 1.9]),
];

/// One task: type, targets (object, movable receptacle, parent, lamp), the high-level plan as
/// (action, object, receptacle), the goal and the step instructions.
struct TaskSpec {
    task_type: &'static str,
    targets: [&'static str; 4],
    plan: &'static [(&'static str, &'static str, &'static str)],
    goal: &'static str,
    steps: &'static [&'static str],
}

const APPLE: &str = "Apple|-01.90|+00.95|+00.30";
const TOMATO: &str = "Tomato|-01.90|+00.95|+00.75";
const POTATO: &str = "Potato|-01.90|+00.95|+01.20";
const BOWL: &str = "Bowl|-01.90|+00.95|-00.30";
const MUG_1: &str = "Mug|+00.30|+00.80|+01.90";
const MUG_2: &str = "Mug|-01.90|+00.95|-01.60";
const CUP: &str = "Cup|-00.30|+00.80|+01.90";
const CD: &str = "CD|+01.00|+01.20|+01.90";
const TABLE: &str = "DiningTable|00.00|+00.75|+02.00";
const COUNTER: &str = "CounterTop|-02.00|+00.90|+00.50";
const CABINET: &str = "Cabinet|+00.50|+00.40|-02.00";
const FRIDGE: &str = "Fridge|+02.00|00.00|+01.00";
const MICROWAVE: &str = "Microwave|+02.00|+00.90|-00.50";
const BASIN: &str = "Sink|-02.00|+00.90|-01.00|SinkBasin";
const LAMP: &str = "DeskLamp|-00.75|+00.90|+02.00";

const TASKS: &[TaskSpec] = &[
    TaskSpec {
        task_type: "pick_and_place_simple",
        targets: ["Apple", "", "DiningTable", ""],
        plan: &[
            ("Goto", APPLE, ""),
            ("Pickup", APPLE, ""),
            ("Goto", TABLE, ""),
            ("Put", APPLE, TABLE),
        ],
        goal: "Put the apple on the dining table.",
        steps: &[
            "Go to the counter.",
            "Take the apple.",
            "Go to the table.",
            "Put the apple on it.",
        ],
    },
    TaskSpec {
        task_type: "pick_two_obj_and_place",
        targets: ["Mug", "", "Cabinet", ""],
        plan: &[
            ("Goto", MUG_1, ""),
            ("Pickup", MUG_1, ""),
            ("Goto", CABINET, ""),
            ("Put", MUG_1, CABINET),
            ("Goto", MUG_2, ""),
            ("Pickup", MUG_2, ""),
            ("Goto", CABINET, ""),
            ("Put", MUG_2, CABINET),
        ],
        goal: "Put both mugs in the cabinet.",
        steps: &[
            "Go to the table.",
            "Take the mug.",
            "Go to the cabinet.",
            "Put the mug inside.",
            "Go to the counter by the sink.",
            "Take the other mug.",
            "Go back to the cabinet.",
            "Put it inside too.",
        ],
    },
    TaskSpec {
        task_type: "look_at_obj_in_light",
        targets: ["CD", "", "", "DeskLamp"],
        plan: &[
            ("Goto", CD, ""),
            ("Pickup", CD, ""),
            ("Goto", LAMP, ""),
            ("Toggle", LAMP, ""),
        ],
        goal: "Look at the CD under the desk lamp.",
        steps: &[
            "Go to the shelf.",
            "Take the CD.",
            "Go to the lamp.",
            "Switch the lamp on.",
        ],
    },
    TaskSpec {
        task_type: "pick_heat_then_place_in_recep",
        targets: ["Potato", "", "DiningTable", ""],
        plan: &[
            ("Goto", POTATO, ""),
            ("Pickup", POTATO, ""),
            ("Goto", MICROWAVE, ""),
            ("Heat", POTATO, MICROWAVE),
            ("Goto", TABLE, ""),
            ("Put", POTATO, TABLE),
        ],
        goal: "Put a heated potato on the table.",
        steps: &[
            "Go to the counter.",
            "Take the potato.",
            "Go to the microwave.",
            "Heat the potato in it.",
            "Go to the table.",
            "Put the potato on it.",
        ],
    },
    TaskSpec {
        task_type: "pick_cool_then_place_in_recep",
        targets: ["Tomato", "", "DiningTable", ""],
        plan: &[
            ("Goto", TOMATO, ""),
            ("Pickup", TOMATO, ""),
            ("Goto", FRIDGE, ""),
            ("Cool", TOMATO, FRIDGE),
            ("Goto", TABLE, ""),
            ("Put", TOMATO, TABLE),
        ],
        goal: "Put a chilled tomato on the table.",
        steps: &[
            "Go to the counter.",
            "Take the tomato.",
            "Go to the fridge.",
            "Chill the tomato in it.",
            "Go to the table.",
            "Put the tomato on it.",
        ],
    },
    TaskSpec {
        task_type: "pick_clean_then_place_in_recep",
        targets: ["Cup", "", "CounterTop", ""],
        plan: &[
            ("Goto", CUP, ""),
            ("Pickup", CUP, ""),
            ("Goto", BASIN, ""),
            ("Clean", CUP, BASIN),
            ("Goto", COUNTER, ""),
            ("Put", CUP, COUNTER),
        ],
        goal: "Put a rinsed cup on the counter.",
        steps: &[
            "Go to the table.",
            "Take the cup.",
            "Go to the sink.",
            "Rinse the cup.",
            "Go to the counter.",
            "Put the cup on it.",
        ],
    },
    TaskSpec {
        task_type: "pick_and_place_with_movable_recep",
        targets: ["Apple", "Bowl", "DiningTable", ""],
        plan: &[
            ("Goto", APPLE, ""),
            ("Pickup", APPLE, ""),
            ("Goto", BOWL, ""),
            ("Put", APPLE, BOWL),
            ("Pickup", BOWL, ""),
            ("Goto", TABLE, ""),
            ("Put", BOWL, TABLE),
        ],
        goal: "Put a bowl with an apple in it on the table.",
        steps: &[
            "Go to the counter.",
            "Take the apple.",
            "Go to the bowl.",
            "Put the apple in the bowl.",
            "Take the bowl.",
            "Go to the table.",
            "Put the bowl on it.",
        ],
    },
];

/// The living room's fixed objects.
const LIVING_FIXED: &[&str] = &[
    "Sofa|-02.00|00.00|00.00",
    "CoffeeTable|00.00|+00.40|+02.00",
    "TVStand|+02.00|00.00|00.00",
    "FloorLamp|-01.50|00.00|+02.00",
    "Shelf|+01.00|+01.20|-02.00",
];

/// The living room's movable objects.
const LIVING_MOVABLE: &[(&str, [f64; 3])] = &[
    ("RemoteControl_01", [1.9, 0.6, 0.2]),
    ("Book_01", [1.0, 1.2, -1.9]),
    ("KeyChain_01", [0.2, 0.45, 1.9]),
    ("KeyChain_02", [1.9, 0.6, -0.3]),
];

const REMOTE: &str = "RemoteControl|+01.90|+00.60|+00.20";
const BOOK: &str = "Book|+01.00|+01.20|-01.90";
const KEYS_1: &str = "KeyChain|+00.20|+00.45|+01.90";
const KEYS_2: &str = "KeyChain|+01.90|+00.60|-00.30";
const SOFA: &str = "Sofa|-02.00|00.00|00.00";
const FLOOR_LAMP: &str = "FloorLamp|-01.50|00.00|+02.00";

const LIVING_TASKS: &[TaskSpec] = &[
    TaskSpec {
        task_type: "pick_and_place_simple",
        targets: ["RemoteControl", "", "Sofa", ""],
        plan: &[
            ("Goto", REMOTE, ""),
            ("Pickup", REMOTE, ""),
            ("Goto", SOFA, ""),
            ("Put", REMOTE, SOFA),
        ],
        goal: "Put the remote control on the sofa.",
        steps: &[
            "Go to the TV stand.",
            "Take the remote.",
            "Go to the sofa.",
            "Put the remote on it.",
        ],
    },
    TaskSpec {
        task_type: "look_at_obj_in_light",
        targets: ["Book", "", "", "FloorLamp"],
        plan: &[
            ("Goto", BOOK, ""),
            ("Pickup", BOOK, ""),
            ("Goto", FLOOR_LAMP, ""),
            ("Toggle", FLOOR_LAMP, ""),
        ],
        goal: "Read the book by the floor lamp.",
        steps: &[
            "Go to the shelf.",
            "Take the book.",
            "Go to the lamp.",
            "Switch the lamp on.",
        ],
    },
    TaskSpec {
        task_type: "pick_two_obj_and_place",
        targets: ["KeyChain", "", "Sofa", ""],
        plan: &[
            ("Goto", KEYS_1, ""),
            ("Pickup", KEYS_1, ""),
            ("Goto", SOFA, ""),
            ("Put", KEYS_1, SOFA),
            ("Goto", KEYS_2, ""),
            ("Pickup", KEYS_2, ""),
            ("Goto", SOFA, ""),
            ("Put", KEYS_2, SOFA),
        ],
        goal: "Put both key chains on the sofa.",
        steps: &[
            "Go to the coffee table.",
            "Take the key chain.",
            "Go to the sofa.",
            "Drop it there.",
            "Go to the TV stand.",
            "Take the other key chain.",
            "Go back to the sofa.",
            "Drop it there too.",
        ],
    },
];

/// The position an id names (the demo's ids are all well formed).
fn position(id: &str) -> [f64; 3] {
    waymark_core::object_ids::position_of(id)
        .unwrap_or_default()
        .to_array()
}

/// The standing cell nearest `id`'s position, facing it: ALFRED's `loc|gx|gz|r|h`.
fn location_of(id: &str) -> String {
    let [x, _, z] = position(id);
    let clamp = |v: f64| ((v / 0.25).round() as i32).clamp(-HALF_CELLS, HALF_CELLS);
    let (gx, gz) = (clamp(x), clamp(z));
    let (dx, dz) = (x - f64::from(gx) * 0.25, z - f64::from(gz) * 0.25);
    let rotation = if dx.abs() > dz.abs() {
        if dx > 0.0 { 1 } else { 3 }
    } else if dz > 0.0 {
        0
    } else {
        2
    };
    format!("loc|{gx}|{gz}|{rotation}|30")
}

/// The `planner_action` of one high-level step.
fn planner_action(action: &str, object: &str, receptacle: &str) -> Value {
    match action {
        "Goto" => json!({"action": "GotoLocation", "location": location_of(object)}),
        "Pickup" => json!({"action": "PickupObject", "objectId": object}),
        "Put" => {
            json!({"action": "PutObject", "objectId": object, "receptacleObjectId": receptacle})
        }
        "Toggle" => json!({"action": "ToggleObject", "objectId": object}),
        "Heat" => json!({"action": "HeatObject", "objectId": receptacle}),
        "Cool" => json!({"action": "CoolObject", "objectId": receptacle}),
        _ => json!({"action": "CleanObject", "objectId": receptacle, "cleanObjectId": object}),
    }
}

/// The `discrete_action` of one high-level step: ALFRED's PDDL words, objects as lower-case
/// types.
fn discrete_action(action: &str, object: &str, receptacle: &str) -> Value {
    let word = |id: &str| id.split('|').next().unwrap_or(id).to_lowercase();
    match action {
        "Goto" => json!({"action": "GotoLocation", "args": [word(object)]}),
        "Put" => json!({"action": "PutObject", "args": [word(object), word(receptacle)]}),
        "Pickup" | "Toggle" | "Heat" | "Cool" | "Clean" => {
            let name = match action {
                "Pickup" => "PickupObject",
                "Toggle" => "ToggleObject",
                "Heat" => "HeatObject",
                "Cool" => "CoolObject",
                _ => "CleanObject",
            };
            json!({"action": name, "args": [word(object)]})
        }
        other => json!({"action": other, "args": [word(object)]}),
    }
}

fn write(path: &Path, value: &Value) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    waymark_io::write_json_atomic(path, value, true)?;
    Ok(())
}

/// A trajectory file for task `k` with the given low-level actions.
fn trajectory(k: usize, plan: &FloorPlanSpec, task: &TaskSpec, low_actions: Vec<Value>) -> Value {
    let [object, mrecep, parent, toggle] = task.targets;
    let mut high: Vec<Value> = task
        .plan
        .iter()
        .enumerate()
        .map(|(i, (a, o, r))| {
            json!({"high_idx": i, "planner_action": planner_action(a, o, r),
                   "discrete_action": discrete_action(a, o, r)})
        })
        .collect();
    high.push(json!({"high_idx": task.plan.len(),
                     "planner_action": {"action": "End", "value": 1},
                     "discrete_action": {"action": "NoOp", "args": []}}));
    let poses: Vec<Value> = plan
        .movable
        .iter()
        .map(|(name, [x, y, z])| {
            json!({"objectName": name, "position": {"x": x, "y": y, "z": z},
                   "rotation": {"x": 0.0, "y": 0.0, "z": 0.0}})
        })
        .collect();
    let toggles = if toggle.is_empty() {
        json!([])
    } else {
        json!([{"isOn": false, "objectType": toggle}])
    };
    json!({
        "task_id": format!("trial_W{:06}", k + 1),
        "task_type": task.task_type,
        "pddl_params": {"object_target": object, "mrecep_target": mrecep, "parent_target": parent,
                        "toggle_target": toggle, "object_sliced": false},
        "scene": {
            "floor_plan": format!("FloorPlan{}", plan.number),
            "init_action": {"action": "TeleportFull", "x": 0.0, "y": 0.9, "z": 0.0,
                            "rotation": 0, "horizon": 30},
            "object_poses": poses,
            "object_toggles": toggles,
            "dirty_and_empty": task.task_type == "pick_clean_then_place_in_recep",
        },
        "plan": {"high_pddl": high, "low_actions": low_actions},
        "turk_annotations": {"anns": [{"task_desc": task.goal, "high_descs": task.steps}]},
    })
}

/// The folder of task `k` under `tasks/`.
fn task_dir(k: usize, plan: &FloorPlanSpec, task: &TaskSpec) -> String {
    let [object, mrecep, parent, toggle] = task.targets;
    let or_none = |s: &str| {
        if s.is_empty() {
            "None".to_string()
        } else {
            s.to_string()
        }
    };
    let place = if parent.is_empty() { toggle } else { parent };
    format!(
        "{}-{object}-{}-{place}-{}/trial_W{:06}",
        task.task_type,
        or_none(mrecep),
        plan.number,
        k + 1
    )
}

/// The expert's low-level actions for a task: its high-level plan through the skills, each
/// action succeeding and every goal condition met at the end.
fn expert_actions(dir: &Path, file: &Path) -> anyhow::Result<Vec<Value>> {
    let task = waymark_eval::tasks::find("alfred")?;
    let args = TaskArgs::new()
        .with("episodes", file.to_string_lossy())
        .with("layouts", dir.join("layouts").to_string_lossy());
    let episodes = task.open(&args)?;
    let context = episodes.context(0, 0, true)?;
    let privileged = context.privileged.context("no privileged context")?;
    let cells = privileged["reachable_cells"]
        .as_array()
        .context("no reachable cells")?
        .iter()
        .filter_map(|c| Some((c.get(0)?.as_i64()? as i32, c.get(1)?.as_i64()? as i32)));
    let step_m = privileged["grid_m"].as_f64().context("no grid_m")?;
    let mut skills = SkillExecutor::new(waymark_household::Grid::new(cells, step_m));
    let mut env = episodes.start(0)?;
    let mut low = Vec::new();
    let observe = |env: &dyn waymark_task::Environment| -> anyhow::Result<_> {
        match env.observe(false, &SensorRequest::default())? {
            Observation::Household(o) => Ok(o),
            other => bail!("not a household observation: {}", other.kind()),
        }
    };
    for (high_idx, step) in privileged["expert_high_actions"]
        .as_array()
        .context("no high-level plan")?
        .iter()
        .enumerate()
    {
        let action = HighLevelAction::from_planner_action(step).map_err(anyhow::Error::msg)?;
        skills.start(&action, &observe(env.as_ref())?);
        loop {
            let before = observe(env.as_ref())?;
            let Some(next) = skills.next(&before) else {
                break;
            };
            env.step(&next)?;
            let obs = observe(env.as_ref())?;
            let Some(result) = obs.last_action.filter(|r| r.success) else {
                bail!(
                    "{}: {next:?} failed at high-level step {high_idx}",
                    file.display()
                );
            };
            let api = api_action(&next, before.held.as_deref(), &result.action);
            low.push(json!({"api_action": api,
                            "discrete_action": {"action": discrete_name(&result.action), "args": {}},
                            "high_idx": high_idx}));
        }
    }
    env.step(&Action::Stop)?;
    let end = env.finish()?;
    if end.metrics.real("sr") != 1.0 {
        bail!(
            "{}: the plan does not meet every goal condition",
            file.display()
        );
    }
    Ok(low)
}

/// The AI2-THOR call of `action` (ALFRED's `api_action`).
fn api_action(action: &Action, held: Option<&str>, name: &str) -> Value {
    match action {
        Action::Interact {
            interaction: waymark_core::Interaction::Put,
            object_id,
        } => json!({"action": name, "objectId": held.unwrap_or_default(),
                    "receptacleObjectId": object_id, "forceAction": true, "placeStationary": true}),
        Action::Interact { object_id, .. } => json!({"action": name, "objectId": object_id}),
        Action::MoveForward => json!({"action": name, "forceAction": true, "moveMagnitude": 0.25}),
        _ => json!({"action": name, "forceAction": true}),
    }
}

/// ALFRED's discrete action name (`MoveAhead_25`, `RotateLeft_90`, …).
fn discrete_name(api: &str) -> String {
    match api {
        "MoveAhead" => "MoveAhead_25".into(),
        "RotateLeft" | "RotateRight" => format!("{api}_90"),
        "LookUp" | "LookDown" => format!("{api}_15"),
        other => other.into(),
    }
}

/// Writes the household demo into `dir` (`layouts/` and `tasks/`).
pub fn generate(dir: &Path) -> anyhow::Result<()> {
    let cells: Vec<[f64; 2]> = (-HALF_CELLS..=HALF_CELLS)
        .flat_map(|x| {
            (-HALF_CELLS..=HALF_CELLS).map(move |z| [f64::from(x) * 0.25, f64::from(z) * 0.25])
        })
        .collect();
    let layouts = dir.join("layouts");
    // Trials are numbered across the floor plans.
    let mut k = 0;
    for plan in FLOOR_PLANS {
        let name = format!("FloorPlan{}", plan.number);
        write(
            &layouts.join(format!("{name}-layout.json")),
            &json!({"points_xz": cells}),
        )?;
        // Like ALFRED's `openable.json`: the fixed objects, each with the pose it is used from.
        let openable: BTreeMap<&str, Value> = plan
            .fixed
            .iter()
            .copied()
            .map(|id| {
                let loc: Vec<i64> = location_of(id)
                    .split('|')
                    .skip(1)
                    .filter_map(|p| p.parse().ok())
                    .collect();
                (
                    id,
                    json!([
                        loc[0] as f64 * 0.25,
                        loc[1] as f64 * 0.25,
                        loc[2] * 90,
                        loc[3]
                    ]),
                )
            })
            .collect();
        write(
            &layouts.join(format!("{name}-openable.json")),
            &json!(openable),
        )?;
        let mut types: Vec<&str> = plan
            .fixed
            .iter()
            .map(|id| id.split('|').next().unwrap_or(id))
            .chain(
                plan.movable
                    .iter()
                    .map(|(n, _)| n.split('_').next().unwrap_or(n)),
            )
            .collect();
        types.sort_unstable();
        types.dedup();
        write(&layouts.join(format!("{name}-objects.json")), &json!(types))?;
        for task in plan.tasks {
            let file = dir
                .join("tasks")
                .join(task_dir(k, plan, task))
                .join("traj_data.json");
            // The low-level actions come from running the high-level plan.
            write(&file, &trajectory(k, plan, task, Vec::new()))?;
            let low = expert_actions(dir, &file)?;
            let steps = low.len();
            write(&file, &trajectory(k, plan, task, low))?;
            say!("{name} {}: {} expert actions", task.task_type, steps);
            k += 1;
        }
    }
    Ok(())
}
