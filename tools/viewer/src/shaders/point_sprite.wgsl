// Point clouds as small squares of constant screen size: every point is four vertices at the
// same position whose UV says which corner it is; the vertex stage spreads them in clip space.
#import bevy_pbr::{
    forward_io::{Vertex, VertexOutput},
    mesh_functions,
    mesh_view_bindings::view,
    view_transformations::position_world_to_clip,
}

// The square's side, pixels.
const POINT_PX: f32 = 3.0;

@vertex
fn vertex(vertex: Vertex) -> VertexOutput {
    var out: VertexOutput;
    let world_from_local = mesh_functions::get_world_from_local(vertex.instance_index);
    out.world_position = mesh_functions::mesh_position_local_to_world(
        world_from_local,
        vec4<f32>(vertex.position, 1.0),
    );
    out.world_normal = vec3<f32>(0.0, 1.0, 0.0);
    let clip = position_world_to_clip(out.world_position.xyz);
    let clip_per_px = 2.0 / view.viewport.zw;
    let offset = vertex.uv * (0.5 * POINT_PX) * clip_per_px * clip.w;
    out.position = vec4<f32>(clip.xy + offset, clip.zw);
    out.uv = vertex.uv;
#ifdef VERTEX_COLORS
    out.color = vertex.color;
#endif
    return out;
}
