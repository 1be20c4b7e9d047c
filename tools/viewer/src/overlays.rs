//! Overlays, each toggled by a key: `1` the navigation graph or walkable area, `2` the agent's
//! body and heading, `3` its trajectory against the reference path, `4` the goal and its success
//! radius, `5` the objects the agent currently sees. Picked objects are outlined too.

use crate::coords::{heading_dir, to_bevy};
use crate::picking::Picked;
use crate::state::{Episodes, Loaded, Walkable};
use crate::view_render::AgentView;
use bevy::asset::RenderAssetUsages;
use bevy::mesh::Indices;
use bevy::prelude::*;
use bevy::render::render_resource::PrimitiveTopology;
use std::f32::consts::FRAC_PI_2;
use waymark_continuous::WalkableGrid;
use waymark_scenes::scene_graph::InstanceNode;

/// The agent's trajectory colour (sRGB), distinct from scene colours; tests look for it.
pub const TRAJECTORY_RGB: [u8; 3] = [255, 0, 200];
/// The reference path's colour.
pub const REFERENCE_RGB: [u8; 3] = [0, 230, 255];
/// The goal's colour.
pub const GOAL_RGB: [u8; 3] = [40, 255, 60];
/// The agent's colour.
pub const AGENT_RGB: [u8; 3] = [255, 220, 0];
/// The navigation graph's colour.
pub const GRAPH_RGB: [u8; 3] = [120, 160, 255];
/// Visible objects' colour.
pub const VISIBLE_RGB: [u8; 3] = [255, 140, 0];

fn rgb(c: [u8; 3]) -> Color {
    Color::srgb_u8(c[0], c[1], c[2])
}

/// Overlay lines, drawn over the scene.
#[derive(Default, Reflect, GizmoConfigGroup)]
pub struct OverlayGizmos;

/// Which overlays are on.
#[derive(Resource, Debug)]
pub struct Overlays {
    /// The navigation graph or walkable area.
    pub nav: bool,
    /// The agent's body and heading.
    pub agent: bool,
    /// Trajectory and reference path.
    pub trajectory: bool,
    /// Goal and success radius.
    pub goal: bool,
    /// Objects the agent sees.
    pub visible: bool,
}

impl Default for Overlays {
    fn default() -> Self {
        Self {
            nav: true,
            agent: true,
            trajectory: true,
            goal: true,
            visible: true,
        }
    }
}

/// Marks the walkable-area mesh.
#[derive(Component)]
pub struct WalkableMesh;

/// Sets the overlay lines' width and draws them on top of the scene.
pub fn configure_gizmos(mut store: ResMut<GizmoConfigStore>) {
    let (config, _) = store.config_mut::<OverlayGizmos>();
    config.line.width = 5.0;
    config.depth_bias = -1.0;
}

/// Number keys toggle the overlays.
pub fn toggle_overlays(
    keys: Res<ButtonInput<KeyCode>>,
    mut overlays: ResMut<Overlays>,
    mut loaded: ResMut<Loaded>,
) {
    let o = &mut *overlays;
    for (key, flag) in [
        (KeyCode::Digit1, &mut o.nav),
        (KeyCode::Digit2, &mut o.agent),
        (KeyCode::Digit3, &mut o.trajectory),
        (KeyCode::Digit4, &mut o.goal),
        (KeyCode::Digit5, &mut o.visible),
    ] {
        if keys.just_pressed(key) {
            *flag = !*flag;
        }
    }
    if keys.just_pressed(KeyCode::Digit1) && o.nav && loaded.scan.graph.is_none() {
        loaded.request_walkable();
    }
}

fn floor_circle(floor_m: Vec3) -> Isometry3d {
    Isometry3d::new(
        to_bevy(floor_m + Vec3::Z * 0.03),
        Quat::from_rotation_x(FRAC_PI_2),
    )
}

/// Draws the line overlays.
pub fn draw_overlays(
    overlays: Res<Overlays>,
    loaded: Res<Loaded>,
    episodes: Res<Episodes>,
    view: Res<AgentView>,
    picked: Res<Picked>,
    mut gizmos: Gizmos<OverlayGizmos>,
) {
    if overlays.nav
        && !episodes.is_continuous()
        && let Some(graph) = &loaded.scan.graph
    {
        for v in 0..graph.len() as u32 {
            let p = graph.position(v).as_vec3();
            gizmos.sphere(
                Isometry3d::from_translation(to_bevy(p)),
                0.08,
                rgb(GRAPH_RGB),
            );
            for e in graph.edges(v).iter().filter(|e| e.to > v) {
                gizmos.line(
                    to_bevy(p),
                    to_bevy(graph.position(e.to).as_vec3()),
                    rgb(GRAPH_RGB),
                );
            }
        }
    }
    let lift = Vec3::Z * 0.05;
    if overlays.trajectory {
        let reference = &episodes.track.reference_m;
        if reference.len() > 1 {
            gizmos.linestrip(
                reference.iter().map(|p| to_bevy(*p + lift * 2.0)),
                rgb(REFERENCE_RGB),
            );
        }
        let trajectory = episodes.trajectory();
        if trajectory.len() > 1 {
            gizmos.linestrip(
                trajectory.iter().map(|p| to_bevy(p.floor_m + lift)),
                rgb(TRAJECTORY_RGB),
            );
        }
        for p in &trajectory {
            gizmos.sphere(
                Isometry3d::from_translation(to_bevy(p.floor_m + lift)),
                0.05,
                rgb(TRAJECTORY_RGB),
            );
        }
    }
    if overlays.goal
        && let Some((goal, radius)) = episodes.track.goal
    {
        gizmos.circle(floor_circle(goal), radius, rgb(GOAL_RGB));
        gizmos.circle(floor_circle(goal), 0.15, rgb(GOAL_RGB));
        gizmos.line(to_bevy(goal), to_bevy(goal + Vec3::Z * 2.0), rgb(GOAL_RGB));
    }
    if overlays.agent
        && let Some(pose) = episodes.pose()
    {
        let radius = 0.18;
        gizmos.circle(floor_circle(pose.floor_m), radius, rgb(AGENT_RGB));
        let top = pose.floor_m + Vec3::Z * (pose.eye_m.z - pose.floor_m.z);
        gizmos.circle(floor_circle(top - Vec3::Z * 0.03), radius, rgb(AGENT_RGB));
        for side in [Vec3::X, -Vec3::X, Vec3::Y, -Vec3::Y] {
            gizmos.line(
                to_bevy(pose.floor_m + side * radius),
                to_bevy(top + side * radius),
                rgb(AGENT_RGB),
            );
        }
        let dir = heading_dir(pose.heading_rad);
        gizmos.arrow(
            to_bevy(pose.eye_m),
            to_bevy(pose.eye_m + dir * 0.8),
            rgb(AGENT_RGB),
        );
    }
    if overlays.visible {
        for object in &view.visible {
            if let Some(node) = loaded
                .scan
                .instances
                .iter()
                .find(|n| n.id == object.instance)
            {
                outline(&mut gizmos, node, rgb(VISIBLE_RGB));
            }
        }
    }
    for (id, color) in [
        (picked.hovered, Color::WHITE),
        (picked.selected, rgb(AGENT_RGB)),
    ] {
        if let Some(node) = id.and_then(|id| loaded.scan.instances.iter().find(|n| n.id == id)) {
            outline(&mut gizmos, node, color);
        }
    }
}

/// Outlines an instance's box.
fn outline(gizmos: &mut Gizmos<OverlayGizmos>, node: &InstanceNode, color: Color) {
    let (min, max) = (to_bevy(node.aabb.min), to_bevy(node.aabb.max));
    let centre = (min + max) / 2.0;
    let size = (max - min).abs() + Vec3::splat(0.02);
    gizmos.cube(Transform::from_translation(centre).with_scale(size), color);
}

/// Collects the walkable area once it is built, and shows it as a translucent floor mesh.
#[allow(clippy::too_many_arguments)]
pub fn sync_walkable_mesh(
    mut commands: Commands,
    mut loaded: ResMut<Loaded>,
    overlays: Res<Overlays>,
    episodes: Res<Episodes>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut existing: Query<(Entity, &mut Visibility), With<WalkableMesh>>,
    mut shown_for: Local<Option<u64>>,
) {
    let finished = match &loaded.walkable {
        Walkable::Building(receive) => receive.lock().ok().and_then(|r| r.try_recv().ok()),
        _ => None,
    };
    match finished {
        Some(Ok(nav)) => loaded.walkable = Walkable::Ready(nav),
        Some(Err(e)) => {
            tracing::warn!("no walkable area: {e}");
            loaded.walkable = Walkable::Failed(e);
        }
        None => {}
    }
    if *shown_for != Some(loaded.generation) {
        for (entity, _) in &existing {
            commands.entity(entity).despawn();
        }
        if let Walkable::Ready(nav) = &loaded.walkable {
            *shown_for = Some(loaded.generation);
            commands.spawn((
                Mesh3d(meshes.add(walkable_mesh(&nav.grid))),
                MeshMaterial3d(materials.add(StandardMaterial {
                    base_color: Color::srgba(0.1, 0.9, 0.4, 0.35),
                    alpha_mode: AlphaMode::Blend,
                    unlit: true,
                    cull_mode: None,
                    double_sided: true,
                    ..default()
                })),
                WalkableMesh,
            ));
        }
        return;
    }
    let show = overlays.nav && (loaded.scan.graph.is_none() || episodes.is_continuous());
    for (_, mut visibility) in &mut existing {
        *visibility = if show {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        };
    }
}

/// The walkable cells as quads, one per run of walkable cells along x, just above the floor.
pub fn walkable_mesh(grid: &WalkableGrid) -> Mesh {
    let (nx, ny) = grid.dims();
    let mut positions: Vec<[f32; 3]> = Vec::new();
    let mut indices: Vec<u32> = Vec::new();
    for y in 0..ny {
        let mut x = 0;
        while x < nx {
            let c = y * nx + x;
            if !grid.is_walkable(c) {
                x += 1;
                continue;
            }
            let start = x;
            let z = grid.centre(c).z;
            while x < nx
                && grid.is_walkable(y * nx + x)
                && (grid.centre(y * nx + x).z - z).abs() < 0.05
            {
                x += 1;
            }
            let (lo, _) = grid.cell_bounds(y * nx + start);
            let (_, hi) = grid.cell_bounds(y * nx + x - 1);
            let base = positions.len() as u32;
            for (px, py) in [(lo.x, lo.y), (hi.x, lo.y), (hi.x, hi.y), (lo.x, hi.y)] {
                positions.push(to_bevy(Vec3::new(px, py, z + 0.02)).to_array());
            }
            indices.extend([base, base + 1, base + 2, base, base + 2, base + 3]);
        }
    }
    let normals = vec![[0.0, 1.0, 0.0]; positions.len()];
    Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::RENDER_WORLD,
    )
    .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, positions)
    .with_inserted_attribute(Mesh::ATTRIBUTE_NORMAL, normals)
    .with_inserted_indices(Indices::U32(indices))
}
