//! The scene as Bevy meshes: vertex-coloured, unlit triangles or points, with the geometry
//! above the cut height (ceilings) in a separate entity that `C` shows or hides.

use crate::coords::to_bevy;
use crate::state::Loaded;
use bevy::asset::RenderAssetUsages;
use bevy::mesh::Indices;
use bevy::prelude::*;
use bevy::render::render_resource::PrimitiveTopology;
use waymark_scenes::Scene;

/// Marks the entities of the loaded scene (despawned when the scan changes).
#[derive(Component)]
pub struct SceneEntity;

/// Marks the upper part (ceilings), hidden by default.
#[derive(Component)]
pub struct UpperPart;

/// Which triangles (or points) are upper geometry, for picking.
#[derive(Resource, Default)]
pub struct UpperMask {
    /// Per triangle (meshes) or per point (clouds): above the cut or labelled `ceiling`.
    pub upper: Vec<bool>,
    /// Whether the upper part is shown.
    pub shown: bool,
}

/// The height above which geometry counts as upper: the scene's lowest point plus `cut_m`.
pub fn cut_z(scene: &Scene, cut_m: f32) -> f32 {
    let floor = scene
        .mesh
        .positions_m
        .iter()
        .map(|p| p.z)
        .fold(f32::INFINITY, f32::min);
    if floor.is_finite() {
        floor + cut_m
    } else {
        0.0
    }
}

/// Splits the scene's elements into lower and upper ones.
pub fn upper_mask(scene: &Scene, cut_m: f32) -> Vec<bool> {
    let top = cut_z(scene, cut_m);
    let mesh = &scene.mesh;
    let ceiling: Vec<u32> = scene
        .labels
        .iter()
        .filter(|(_, l)| l.as_str() == "ceiling")
        .map(|(id, _)| *id)
        .collect();
    let is_ceiling = |v: u32| {
        mesh.instance_of_vertex
            .as_ref()
            .and_then(|ids| ids.get(v as usize))
            .is_some_and(|id| ceiling.contains(id))
    };
    let z = |v: u32| mesh.positions_m.get(v as usize).map_or(0.0, |p| p.z);
    if mesh.is_point_cloud() {
        (0..mesh.positions_m.len() as u32)
            .map(|v| z(v) > top || is_ceiling(v))
            .collect()
    } else {
        mesh.triangles
            .iter()
            .map(|t| t.iter().all(|&v| z(v) > top) || is_ceiling(t[0]))
            .collect()
    }
}

/// Builds the lower and upper meshes of `scene` (Bevy frame, linear vertex colours).
pub fn scene_meshes(scene: &Scene, upper: &[bool]) -> [Mesh; 2] {
    let mesh = &scene.mesh;
    let positions: Vec<[f32; 3]> = mesh
        .positions_m
        .iter()
        .map(|p| to_bevy(*p).to_array())
        .collect();
    let colors: Vec<[f32; 4]> = mesh
        .colors
        .iter()
        .map(|[r, g, b]| {
            let linear = Color::srgb_u8(*r, *g, *b).to_linear();
            [linear.red, linear.green, linear.blue, 1.0]
        })
        .collect();
    let normals: Vec<[f32; 3]> = match &mesh.normals {
        Some(n) if n.len() == positions.len() => n.iter().map(|v| to_bevy(*v).to_array()).collect(),
        _ => vec![[0.0, 1.0, 0.0]; positions.len()],
    };
    let point_cloud = mesh.is_point_cloud();
    let build = |want_upper: bool| {
        let indices: Vec<u32> = if point_cloud {
            (0..positions.len() as u32)
                .filter(|&v| upper.get(v as usize).copied().unwrap_or(false) == want_upper)
                .collect()
        } else {
            mesh.triangles
                .iter()
                .zip(upper)
                .filter(|(_, u)| **u == want_upper)
                .flat_map(|(t, _)| *t)
                .collect()
        };
        let topology = if point_cloud {
            PrimitiveTopology::PointList
        } else {
            PrimitiveTopology::TriangleList
        };
        Mesh::new(topology, RenderAssetUsages::RENDER_WORLD)
            .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, positions.clone())
            .with_inserted_attribute(Mesh::ATTRIBUTE_NORMAL, normals.clone())
            .with_inserted_attribute(Mesh::ATTRIBUTE_COLOR, colors.clone())
            .with_inserted_indices(Indices::U32(indices))
    };
    [build(false), build(true)]
}

/// Respawns the scene's meshes whenever the loaded scan changes.
pub fn sync_scene_meshes(
    mut commands: Commands,
    loaded: Res<Loaded>,
    mut mask: ResMut<UpperMask>,
    mut spawned: Local<Option<u64>>,
    old: Query<Entity, With<SceneEntity>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
) {
    if *spawned == Some(loaded.generation) {
        return;
    }
    *spawned = Some(loaded.generation);
    for entity in &old {
        commands.entity(entity).despawn();
    }
    let Some(scene) = &loaded.scan.scene else {
        mask.upper.clear();
        return;
    };
    let started = std::time::Instant::now();
    mask.upper = upper_mask(scene, loaded.cut_height_m);
    let [lower, upper] = scene_meshes(scene, &mask.upper);
    let material = materials.add(StandardMaterial {
        base_color: Color::WHITE,
        unlit: true,
        cull_mode: None,
        double_sided: true,
        ..default()
    });
    commands.spawn((
        Mesh3d(meshes.add(lower)),
        MeshMaterial3d(material.clone()),
        SceneEntity,
    ));
    let visibility = if mask.shown {
        Visibility::Inherited
    } else {
        Visibility::Hidden
    };
    commands.spawn((
        Mesh3d(meshes.add(upper)),
        MeshMaterial3d(material),
        visibility,
        SceneEntity,
        UpperPart,
    ));
    tracing::info!(
        ms = started.elapsed().as_millis() as u64,
        "scene meshes built"
    );
}

/// `C` shows or hides the upper part.
pub fn toggle_upper(
    keys: Res<ButtonInput<KeyCode>>,
    mut mask: ResMut<UpperMask>,
    mut parts: Query<&mut Visibility, With<UpperPart>>,
) {
    if !keys.just_pressed(KeyCode::KeyC) {
        return;
    }
    mask.shown = !mask.shown;
    for mut v in &mut parts {
        *v = if mask.shown {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        };
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use waymark_scenes::SceneMesh;

    #[test]
    fn splits_ceilings_from_the_rest() {
        let scene = Scene {
            name: "t".into(),
            mesh: SceneMesh {
                positions_m: vec![
                    Vec3::ZERO,
                    Vec3::X,
                    Vec3::Y,
                    Vec3::new(0.0, 0.0, 3.0),
                    Vec3::new(1.0, 0.0, 3.0),
                    Vec3::new(0.0, 1.0, 3.0),
                ],
                colors: vec![[200, 10, 10]; 6],
                normals: None,
                triangles: vec![[0, 1, 2], [3, 4, 5]],
                instance_of_vertex: None,
            },
            labels: Default::default(),
        };
        let upper = upper_mask(&scene, 2.2);
        assert_eq!(upper, vec![false, true]);
        let [lower, top] = scene_meshes(&scene, &upper);
        assert_eq!(lower.indices().map(|i| i.len()), Some(3));
        assert_eq!(top.indices().map(|i| i.len()), Some(3));
    }
}
