//! The rasterizer: z-buffered triangles and point splats into a [`Frame`].
//!
//! Hand-written because the job is narrow and hot: no general-purpose software rasterizer crate
//! gives per-pixel instance ids and metric depth at the frame rates the evaluator needs, and
//! the GPU ones need a GPU. Depth is interpolated as `1/z` in screen space, which is exact for
//! planar surfaces; triangles crossing the near plane are clipped; no backface culling (scans
//! do not orient their triangles consistently).

use crate::camera::{CameraBasis, PinholeCamera};
use crate::frame::Frame;
use crate::prepare::{Chunk, RenderScene};
use glam::Vec3;

/// Distance of the near clipping plane in metres.
pub const NEAR_M: f32 = 0.05;

/// A camera reduced to what projection needs.
#[derive(Clone, Copy)]
struct View {
    origin: Vec3,
    basis: CameraBasis,
    focal_px: f32,
    cx: f32,
    cy: f32,
    tan_half_w: f32,
    tan_half_h: f32,
}

impl View {
    fn new(camera: &PinholeCamera) -> Self {
        let focal_px = camera.focal_px();
        let (cx, cy) = (camera.width as f32 / 2.0, camera.height as f32 / 2.0);
        Self {
            origin: camera.position_m,
            basis: camera.basis(),
            focal_px,
            cx,
            cy,
            tan_half_w: cx / focal_px,
            tan_half_h: cy / focal_px,
        }
    }

    /// World point → camera coordinates `(right, up, forward)`.
    #[inline]
    fn camera_coords(&self, p: Vec3) -> Vec3 {
        let d = p - self.origin;
        Vec3::new(
            d.dot(self.basis.right),
            d.dot(self.basis.up),
            d.dot(self.basis.forward),
        )
    }

    /// Camera coordinates (in front of the near plane) → `[x_px, y_px, 1/z]`.
    #[inline]
    fn project(&self, c: Vec3) -> [f32; 3] {
        let inv_z = 1.0 / c.z;
        [
            self.cx + self.focal_px * c.x * inv_z,
            self.cy - self.focal_px * c.y * inv_z,
            inv_z,
        ]
    }

    /// Whether a world-space box may intersect the view frustum.
    fn sees(&self, chunk: &Chunk) -> bool {
        let mut outside = [true; 5];
        for i in 0..8 {
            let corner = Vec3::new(
                if i & 1 == 0 { chunk.min.x } else { chunk.max.x },
                if i & 2 == 0 { chunk.min.y } else { chunk.max.y },
                if i & 4 == 0 { chunk.min.z } else { chunk.max.z },
            );
            let c = self.camera_coords(corner);
            outside[0] &= c.z < NEAR_M;
            outside[1] &= c.x > c.z * self.tan_half_w;
            outside[2] &= c.x < -c.z * self.tan_half_w;
            outside[3] &= c.y > c.z * self.tan_half_h;
            outside[4] &= c.y < -c.z * self.tan_half_h;
        }
        !outside.iter().any(|&o| o)
    }
}

/// Draws views of prepared scenes; keeps scratch buffers between frames.
#[derive(Debug, Default)]
pub struct Renderer {
    /// Per vertex: camera-space position (valid where `stamp` equals `frame_no`).
    camera_space: Vec<Vec3>,
    /// Per vertex: projected `[x_px, y_px, 1/z]` (when in front of the near plane).
    projected: Vec<[f32; 3]>,
    /// Per vertex: the frame number it was last transformed in. Vertices are transformed on
    /// first use by a triangle of a visible chunk, so culled geometry costs nothing.
    stamp: Vec<u32>,
    frame_no: u32,
    /// Per pixel: `1/z` of the nearest surface so far (0: none).
    inv_depth: Vec<f32>,
}

/// The frame's buffers being drawn into. The depth key is `1/z` for pinhole views; any key
/// that grows towards the viewer and is linear in screen space works (top-down views use the
/// height).
pub(crate) struct Target<'a> {
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) rgb: &'a mut [[u8; 3]],
    pub(crate) instance: &'a mut [u32],
    pub(crate) inv_depth: &'a mut [f32],
}

impl Renderer {
    /// A renderer with empty scratch buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Renders a new frame.
    pub fn render(&mut self, scene: &RenderScene, camera: &PinholeCamera) -> Frame {
        let mut frame = Frame::new(camera.width, camera.height);
        self.render_into(scene, camera, &mut frame);
        frame
    }

    /// Renders into `frame`, reusing its buffers (resized to the camera's image size).
    pub fn render_into(&mut self, scene: &RenderScene, camera: &PinholeCamera, frame: &mut Frame) {
        let (w, h) = (camera.width as usize, camera.height as usize);
        let n = w * h;
        frame.width = camera.width;
        frame.height = camera.height;
        frame.rgb.clear();
        frame.rgb.resize(n, [0; 3]);
        frame.instance.clear();
        frame.instance.resize(n, 0);
        frame.depth_m.resize(n, 0.0);
        self.inv_depth.clear();
        self.inv_depth.resize(n, 0.0);
        let view = View::new(camera);
        let mut target = Target {
            width: w,
            height: h,
            rgb: &mut frame.rgb,
            instance: &mut frame.instance,
            inv_depth: &mut self.inv_depth,
        };
        if !scene.triangles.is_empty() {
            let n_vertices = scene.positions.len();
            if self.stamp.len() != n_vertices || self.frame_no == u32::MAX {
                self.stamp.clear();
                self.stamp.resize(n_vertices, 0);
                self.camera_space.resize(n_vertices, Vec3::ZERO);
                self.projected.resize(n_vertices, [0.0; 3]);
                self.frame_no = 0;
            }
            self.frame_no += 1;
            let frame_no = self.frame_no;
            for chunk in scene.triangle_chunks.iter().filter(|c| view.sees(c)) {
                for t in chunk.start as usize..chunk.end as usize {
                    let [a, b, c] = scene.triangles[t].map(|v| v as usize);
                    for v in [a, b, c] {
                        if self.stamp[v] != frame_no {
                            self.stamp[v] = frame_no;
                            let cam = view.camera_coords(scene.positions[v]);
                            self.camera_space[v] = cam;
                            if cam.z > NEAR_M {
                                self.projected[v] = view.project(cam);
                            }
                        }
                    }
                    let (rgb, inst) = (scene.triangle_rgb[t], scene.triangle_instance[t]);
                    let (ca, cb, cc) = (
                        self.camera_space[a],
                        self.camera_space[b],
                        self.camera_space[c],
                    );
                    if ca.z > NEAR_M && cb.z > NEAR_M && cc.z > NEAR_M {
                        target.triangle(
                            self.projected[a],
                            self.projected[b],
                            self.projected[c],
                            rgb,
                            inst,
                        );
                    } else {
                        draw_clipped(&view, &mut target, [ca, cb, cc], rgb, inst);
                    }
                }
            }
        }
        for chunk in scene.point_chunks.iter().filter(|c| view.sees(c)) {
            for i in chunk.start as usize..chunk.end as usize {
                let c = view.camera_coords(scene.points[i]);
                if c.z > NEAR_M {
                    let radius_px = (scene.point_radius_m * view.focal_px / c.z).max(0.5);
                    target.splat(
                        view.project(c),
                        radius_px,
                        scene.point_rgb[i],
                        scene.point_instance[i],
                    );
                }
            }
        }
        for (depth, &inv) in frame.depth_m.iter_mut().zip(self.inv_depth.iter()) {
            *depth = if inv > 0.0 { 1.0 / inv } else { 0.0 };
        }
    }
}

/// Clips a triangle (camera space) against the near plane and draws what remains.
fn draw_clipped(view: &View, target: &mut Target<'_>, tri: [Vec3; 3], rgb: [u8; 3], inst: u32) {
    let mut poly: [Vec3; 4] = [Vec3::ZERO; 4];
    let mut len = 0;
    for i in 0..3 {
        let (p, q) = (tri[i], tri[(i + 1) % 3]);
        let (p_in, q_in) = (p.z > NEAR_M, q.z > NEAR_M);
        if p_in {
            poly[len] = p;
            len += 1;
        }
        if p_in != q_in {
            let t = (NEAR_M - p.z) / (q.z - p.z);
            let mut x = p + (q - p) * t;
            x.z = NEAR_M * (1.0 + 1e-6);
            poly[len] = x;
            len += 1;
        }
    }
    for k in 1..len.saturating_sub(1) {
        target.triangle(
            view.project(poly[0]),
            view.project(poly[k]),
            view.project(poly[k + 1]),
            rgb,
            inst,
        );
    }
}

impl Target<'_> {
    /// Rasterizes one projected triangle with a depth test (pixel centres at `i + 0.5`).
    #[inline]
    pub(crate) fn triangle(
        &mut self,
        v0: [f32; 3],
        v1: [f32; 3],
        v2: [f32; 3],
        rgb: [u8; 3],
        inst: u32,
    ) {
        let min_x = v0[0].min(v1[0]).min(v2[0]);
        let max_x = v0[0].max(v1[0]).max(v2[0]);
        let min_y = v0[1].min(v1[1]).min(v2[1]);
        let max_y = v0[1].max(v1[1]).max(v2[1]);
        // Pixel-centre range, clamped to the image (in float first: coordinates may be huge).
        let x0 = (min_x - 0.5).ceil().max(0.0);
        let x1 = (max_x - 0.5).floor().min(self.width as f32 - 1.0);
        let y0 = (min_y - 0.5).ceil().max(0.0);
        let y1 = (max_y - 0.5).floor().min(self.height as f32 - 1.0);
        if !(x0 <= x1 && y0 <= y1) {
            return;
        }
        let edge = |a: [f32; 3], b: [f32; 3], px: f32, py: f32| {
            (b[0] - a[0]) * (py - a[1]) - (px - a[0]) * (b[1] - a[1])
        };
        let mut area = edge(v0, v1, v2[0], v2[1]);
        let (v1, v2) = if area < 0.0 {
            area = -area;
            (v2, v1)
        } else {
            (v1, v2)
        };
        if area.is_nan() || area <= 1e-12 {
            return;
        }
        let inv_area = 1.0 / area;
        // d(edge)/dx for the three edges, for stepping along a row.
        let (dx0, dx1, dx2) = (v1[1] - v2[1], v2[1] - v0[1], v0[1] - v1[1]);
        let (x0, x1, y0, y1) = (x0 as usize, x1 as usize, y0 as usize, y1 as usize);
        let px0 = x0 as f32 + 0.5;
        for y in y0..=y1 {
            let py = y as f32 + 0.5;
            let mut w0 = edge(v1, v2, px0, py);
            let mut w1 = edge(v2, v0, px0, py);
            let mut w2 = edge(v0, v1, px0, py);
            let row = y * self.width;
            for x in x0..=x1 {
                if w0 >= 0.0 && w1 >= 0.0 && w2 >= 0.0 {
                    let inv_z = (w0 * v0[2] + w1 * v1[2] + w2 * v2[2]) * inv_area;
                    let i = row + x;
                    if inv_z > self.inv_depth[i] {
                        self.inv_depth[i] = inv_z;
                        self.rgb[i] = rgb;
                        self.instance[i] = inst;
                    }
                }
                w0 += dx0;
                w1 += dx1;
                w2 += dx2;
            }
        }
    }

    /// Draws a square splat of half-side `radius_px` at constant depth.
    #[inline]
    pub(crate) fn splat(&mut self, p: [f32; 3], radius_px: f32, rgb: [u8; 3], inst: u32) {
        let x0 = (p[0] - radius_px).floor().max(0.0);
        let x1 = (p[0] + radius_px).floor().min(self.width as f32 - 1.0);
        let y0 = (p[1] - radius_px).floor().max(0.0);
        let y1 = (p[1] + radius_px).floor().min(self.height as f32 - 1.0);
        if !(x0 <= x1 && y0 <= y1) {
            return;
        }
        for y in y0 as usize..=y1 as usize {
            let row = y * self.width;
            for x in x0 as usize..=x1 as usize {
                let i = row + x;
                if p[2] > self.inv_depth[i] {
                    self.inv_depth[i] = p[2];
                    self.rgb[i] = rgb;
                    self.instance[i] = inst;
                }
            }
        }
    }
}
