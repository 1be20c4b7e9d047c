//! A small labelled room written as a PLY file, and task files on it.
#![allow(clippy::unwrap_used, dead_code)]

use glam::Vec3;
use std::path::{Path, PathBuf};
use waymark_scenes::primitives::MeshBuilder;
use waymark_scenes::{PlyEncoding, UpAxis, write_ply_scene};
use waymark_task::TaskArgs;

/// Writes `room.ply` into `dir`: a floor (SG3D id 0), a desk (15) with a cup on it (19), a
/// table (23) with a cup on it (24), a sofa (14). Waymark instance ids are SG3D's + 1.
pub fn room(dir: &Path) -> PathBuf {
    let mut b = MeshBuilder::new();
    let mut add = |id: u32, label: &str, min: [f32; 3], max: [f32; 3]| {
        b.add_box(Vec3::from(min), Vec3::from(max), [120, 90, 60], id + 1);
        b.label(id + 1, label);
    };
    add(0, "floor", [0.0, 0.0, -0.1], [6.0, 6.0, 0.0]);
    add(15, "desk", [0.5, 0.5, 0.0], [2.0, 1.2, 0.75]);
    add(19, "cup", [1.0, 0.8, 0.75], [1.1, 0.9, 0.87]);
    add(23, "table", [4.0, 4.0, 0.0], [5.0, 5.0, 0.7]);
    add(24, "cup", [4.4, 4.4, 0.7], [4.5, 4.5, 0.82]);
    add(14, "sofa", [0.2, 4.0, 0.0], [2.2, 5.0, 0.9]);
    let scene = b.finish("room");
    let path = dir.join("room.ply");
    write_ply_scene(&path, &scene, UpAxis::Z, PlyEncoding::BinaryLittleEndian).unwrap();
    path
}

/// Three tasks on `room`: 3 steps, 1 step, 2 steps.
pub const TASKS: &str = r#"[
  {"scan_id": "ScanNet_room", "task_description": "Have a drink at the desk.",
   "action_steps": [{"action": "Go to the desk.", "target_id": "15", "label": "desk"},
                    {"action": "Take the cup on it.", "target_id": "19", "label": "cup"},
                    {"action": "Sit on the sofa.", "target_id": "14", "label": "sofa"}]},
  {"scan_id": "ScanNet_room", "task_description": "Rest.",
   "action_steps": [{"action": "Lie on the sofa.", "target_id": "14", "label": "sofa"}]},
  {"scan_id": "ScanNet_room", "task_description": "Clear the table.",
   "action_steps": [{"action": "Go to the table.", "target_id": "23", "label": "table"},
                    {"action": "Pick up the cup on the table.", "target_id": "24", "label": "cup"}]}
]"#;

/// `tasks` written as `tasks.json` in `dir`, with the room, as task arguments.
pub fn args(dir: &Path, tasks: &str) -> TaskArgs {
    let scene = room(dir);
    let file = dir.join("tasks.json");
    std::fs::write(&file, tasks).unwrap();
    TaskArgs::new()
        .with("episodes", file.to_string_lossy())
        .with("scenes", scene.parent().unwrap().to_string_lossy())
}
