//! The scene materials: each pixel takes its interpolated vertex colour, both faces drawn, and
//! point clouds as squares of a few pixels (a 1-pixel point list is too faint to read).
//!
//! Bevy's `StandardMaterial`, even unlit, runs the PBR fragment shader per pixel; under a
//! software Vulkan driver (lavapipe) that dominated the frame time, so the scene gets this
//! minimal shader instead.

use bevy::asset::{RenderAssetUsages, embedded_asset};
use bevy::mesh::{Indices, MeshVertexBufferLayoutRef};
use bevy::pbr::{MaterialPipeline, MaterialPipelineKey};
use bevy::prelude::*;
use bevy::render::render_resource::{
    AsBindGroup, PrimitiveTopology, RenderPipelineDescriptor, SpecializedMeshPipelineError,
};
use bevy::shader::ShaderRef;

/// Where the embedded shaders are found.
const SHADER: &str = "embedded://waymark_view/shaders/vertex_color.wgsl";
const POINT_SHADER: &str = "embedded://waymark_view/shaders/point_sprite.wgsl";

/// The scene's material: unlit vertex colours, both faces drawn; with `POINTS`, each point of
/// a [`point_sprite_mesh`] is spread into a square.
#[derive(Asset, TypePath, AsBindGroup, Debug, Clone, Default)]
pub struct SceneMaterial<const POINTS: bool> {}

/// Triangles in their vertex colours.
pub type VertexColorMaterial = SceneMaterial<false>;
/// Point sprites in their vertex colours.
pub type PointSpriteMaterial = SceneMaterial<true>;

impl<const POINTS: bool> Material for SceneMaterial<POINTS> {
    fn vertex_shader() -> ShaderRef {
        if POINTS {
            POINT_SHADER.into()
        } else {
            ShaderRef::Default
        }
    }

    fn fragment_shader() -> ShaderRef {
        SHADER.into()
    }

    fn specialize(
        _pipeline: &MaterialPipeline,
        descriptor: &mut RenderPipelineDescriptor,
        _layout: &MeshVertexBufferLayoutRef,
        _key: MaterialPipelineKey<Self>,
    ) -> Result<(), SpecializedMeshPipelineError> {
        descriptor.primitive.cull_mode = None;
        Ok(())
    }
}

/// The corners of a point's square, in the order of its two triangles' indices.
const CORNERS: [[f32; 2]; 4] = [[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]];

/// A triangle mesh with four vertices (one per corner, the corner in UV) and two triangles for
/// each of `points` (Bevy frame, linear colours).
pub fn point_sprite_mesh(points: &[([f32; 3], [f32; 4])]) -> Mesh {
    let mut positions = Vec::with_capacity(points.len() * 4);
    let mut colors = Vec::with_capacity(points.len() * 4);
    let mut uvs = Vec::with_capacity(points.len() * 4);
    let mut indices = Vec::with_capacity(points.len() * 6);
    for (i, (position, color)) in points.iter().enumerate() {
        let base = (i * 4) as u32;
        for corner in CORNERS {
            positions.push(*position);
            colors.push(*color);
            uvs.push(corner);
        }
        indices.extend([base, base + 1, base + 2, base, base + 2, base + 3]);
    }
    Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::RENDER_WORLD,
    )
    .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, positions)
    .with_inserted_attribute(Mesh::ATTRIBUTE_COLOR, colors)
    .with_inserted_attribute(Mesh::ATTRIBUTE_UV_0, uvs)
    .with_inserted_indices(Indices::U32(indices))
}

/// Embeds the shaders and registers the materials.
pub struct VertexColorPlugin;

impl Plugin for VertexColorPlugin {
    fn build(&self, app: &mut App) {
        embedded_asset!(app, "shaders/vertex_color.wgsl");
        embedded_asset!(app, "shaders/point_sprite.wgsl");
        app.add_plugins((
            MaterialPlugin::<VertexColorMaterial>::default(),
            MaterialPlugin::<PointSpriteMaterial>::default(),
        ));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use bevy::mesh::VertexAttributeValues;

    #[test]
    fn every_point_becomes_a_square_of_four_corners() {
        let mesh = point_sprite_mesh(&[([1.0, 2.0, 3.0], [1.0; 4]), ([4.0, 5.0, 6.0], [0.5; 4])]);
        assert_eq!(mesh.count_vertices(), 8);
        let Some(Indices::U32(indices)) = mesh.indices() else {
            panic!("u32 indices")
        };
        assert_eq!(indices, &vec![0, 1, 2, 0, 2, 3, 4, 5, 6, 4, 6, 7]);
        let Some(VertexAttributeValues::Float32x3(positions)) =
            mesh.attribute(Mesh::ATTRIBUTE_POSITION)
        else {
            panic!("positions")
        };
        assert!(positions[4..].iter().all(|p| *p == [4.0, 5.0, 6.0]));
        let Some(VertexAttributeValues::Float32x2(uvs)) = mesh.attribute(Mesh::ATTRIBUTE_UV_0)
        else {
            panic!("uvs")
        };
        assert_eq!(uvs[..4], CORNERS);
    }
}
