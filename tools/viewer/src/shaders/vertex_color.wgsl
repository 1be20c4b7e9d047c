// The scene's own colours, unlit: the fragment is its interpolated vertex colour (linear; the
// sRGB view target encodes it back), with no lighting, fog or texture work per pixel.
#import bevy_pbr::forward_io::VertexOutput

@fragment
fn fragment(in: VertexOutput) -> @location(0) vec4<f32> {
#ifdef VERTEX_COLORS
    return vec4<f32>(in.color.rgb, 1.0);
#else
    return vec4<f32>(1.0, 1.0, 1.0, 1.0);
#endif
}
