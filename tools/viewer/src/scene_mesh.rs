//! The scene as Bevy meshes: vertex-coloured, unlit triangles or points, with the geometry
//! above the cut height (ceilings) in a separate entity that `C` shows or hides.

use crate::coords::to_bevy;
use crate::state::Loaded;
use crate::vertex_color::{PointSpriteMaterial, VertexColorMaterial, point_sprite_mesh};
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

/// The height above which geometry counts as upper: the scene's floor (the height below which
/// only [`FLOOR_OUTLIERS`] of its points lie, so that stray points under a scan do not count)
/// plus `cut_m`.
pub fn cut_z(scene: &Scene, cut_m: f32) -> f32 {
    let mut heights: Vec<f32> = scene
        .mesh
        .positions_m
        .iter()
        .map(|p| p.z)
        .filter(|z| z.is_finite())
        .collect();
    if heights.is_empty() {
        return 0.0;
    }
    let at = (heights.len() as f32 * FLOOR_OUTLIERS) as usize;
    let (_, floor, _) = heights.select_nth_unstable_by(at, f32::total_cmp);
    *floor + cut_m
}

/// Fraction of a scene's points allowed below its floor.
const FLOOR_OUTLIERS: f32 = 0.005;

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

/// Builds the lower and upper meshes of `scene` (Bevy frame, linear vertex colours): triangles,
/// or for a point cloud one [`point_sprite_mesh`] square per point.
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
    let is_upper = |i: usize| upper.get(i).copied().unwrap_or(false);
    if mesh.is_point_cloud() {
        let build = |want_upper: bool| {
            let points: Vec<([f32; 3], [f32; 4])> = positions
                .iter()
                .zip(&colors)
                .enumerate()
                .filter(|(i, _)| is_upper(*i) == want_upper)
                .map(|(_, (p, c))| (*p, *c))
                .collect();
            point_sprite_mesh(&points)
        };
        return [build(false), build(true)];
    }
    let build = |want_upper: bool| {
        let indices: Vec<u32> = mesh
            .triangles
            .iter()
            .enumerate()
            .filter(|(i, _)| is_upper(*i) == want_upper)
            .flat_map(|(_, t)| *t)
            .collect();
        Mesh::new(
            PrimitiveTopology::TriangleList,
            RenderAssetUsages::RENDER_WORLD,
        )
        .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, positions.clone())
        .with_inserted_attribute(Mesh::ATTRIBUTE_COLOR, colors.clone())
        .with_inserted_indices(Indices::U32(indices))
    };
    [build(false), build(true)]
}

/// Respawns the scene's meshes whenever the loaded scan changes.
#[allow(clippy::too_many_arguments)]
pub fn sync_scene_meshes(
    mut commands: Commands,
    loaded: Res<Loaded>,
    mut mask: ResMut<UpperMask>,
    mut spawned: Local<Option<u64>>,
    old: Query<Entity, With<SceneEntity>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut surfaces: ResMut<Assets<VertexColorMaterial>>,
    mut points: ResMut<Assets<PointSpriteMaterial>>,
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
    let parts = scene_meshes(scene, &mask.upper).map(|m| meshes.add(m));
    if scene.mesh.is_point_cloud() {
        spawn_parts(
            &mut commands,
            parts,
            points.add(PointSpriteMaterial {}),
            mask.shown,
        );
    } else {
        spawn_parts(
            &mut commands,
            parts,
            surfaces.add(VertexColorMaterial {}),
            mask.shown,
        );
    }
    tracing::info!(
        ms = started.elapsed().as_millis() as u64,
        "scene meshes built"
    );
}

/// Spawns the lower part, and the upper part hidden unless `upper_shown`.
fn spawn_parts<M: Material>(
    commands: &mut Commands,
    [lower, upper]: [Handle<Mesh>; 2],
    material: Handle<M>,
    upper_shown: bool,
) {
    commands.spawn((Mesh3d(lower), MeshMaterial3d(material.clone()), SceneEntity));
    let visibility = if upper_shown {
        Visibility::Inherited
    } else {
        Visibility::Hidden
    };
    commands.spawn((
        Mesh3d(upper),
        MeshMaterial3d(material),
        visibility,
        SceneEntity,
        UpperPart,
    ));
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

        // The same vertices as a point cloud: one square (4 vertices, 6 indices) per point.
        let mut cloud = scene;
        cloud.mesh.triangles.clear();
        let upper = upper_mask(&cloud, 2.2);
        assert_eq!(upper, vec![false, false, false, true, true, true]);
        let [lower, top] = scene_meshes(&cloud, &upper);
        assert_eq!(lower.count_vertices(), 12);
        assert_eq!(top.indices().map(|i| i.len()), Some(18));
    }
}
