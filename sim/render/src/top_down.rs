//! Bird's-eye maps: orthographic views from straight above, cut at a height so that ceilings
//! do not hide the rooms under them.

use crate::frame::Frame;
use crate::prepare::RenderScene;
use crate::raster::Target;
use glam::{Vec2, Vec3};

/// An orthographic camera looking straight down. Pixel `(col, row)` covers world `x` from
/// `origin_m.x + col · m_per_px` and `y` down from `origin_m.y − row · m_per_px`: `origin_m`
/// is the image's top-left corner, image right is `+x`, image up is `+y`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TopDownCamera {
    /// World `(x, y)` of the image's top-left corner, metres.
    pub origin_m: Vec2,
    /// Metres per pixel.
    pub m_per_px: f32,
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
    /// Geometry above this height (world `z`, metres) is cut away.
    pub cut_z_m: f32,
}

impl TopDownCamera {
    /// A camera framing the ground rectangle `min_m`–`max_m` with a 2 % margin, `side_px`
    /// pixels along its longer side, cut at `cut_z_m`.
    pub fn framing(min_m: Vec2, max_m: Vec2, side_px: u32, cut_z_m: f32) -> Self {
        let size = (max_m - min_m).max(Vec2::splat(0.01));
        let margin = size.max_element() * 0.02;
        let size = size + 2.0 * margin;
        let side_px = side_px.max(1);
        let m_per_px = size.max_element() / side_px as f32;
        let px = |m: f32| ((m / m_per_px).ceil() as u32).clamp(1, side_px);
        Self {
            origin_m: Vec2::new(min_m.x - margin, max_m.y + margin),
            m_per_px,
            width: px(size.x),
            height: px(size.y),
            cut_z_m,
        }
    }

    /// The image position (pixels, fractional) of world point `p`.
    pub fn pixel_of(&self, p: Vec3) -> Vec2 {
        Vec2::new(
            (p.x - self.origin_m.x) / self.m_per_px,
            (self.origin_m.y - p.y) / self.m_per_px,
        )
    }
}

/// The part of triangle `tri` at or below height `cut` (a triangle or a quadrilateral).
fn clip_below(tri: [Vec3; 3], cut: f32) -> ([Vec3; 4], usize) {
    let mut poly = [Vec3::ZERO; 4];
    let mut len = 0;
    for i in 0..3 {
        let (p, q) = (tri[i], tri[(i + 1) % 3]);
        let (p_in, q_in) = (p.z <= cut, q.z <= cut);
        if p_in {
            poly[len] = p;
            len += 1;
        }
        if p_in != q_in {
            let t = (cut - p.z) / (q.z - p.z);
            poly[len] = p + (q - p) * t;
            len += 1;
        }
    }
    (poly, len)
}

/// Renders `scene` from above. Depth is the distance below the cut, in metres (0 where
/// nothing is seen); the highest surface under the cut wins each pixel.
pub fn render_top_down(scene: &RenderScene, camera: &TopDownCamera) -> Frame {
    let mut frame = Frame::new(camera.width, camera.height);
    let n = frame.rgb.len();
    // The depth key is the height above a base under everything: it grows towards the
    // camera and is linear across a triangle in an orthographic view.
    let base = scene
        .triangle_chunks
        .iter()
        .chain(&scene.point_chunks)
        .map(|c| c.min.z)
        .fold(f32::INFINITY, f32::min)
        .min(camera.cut_z_m)
        - 1.0;
    let mut key = vec![0.0f32; n];
    let mut target = Target {
        width: camera.width as usize,
        height: camera.height as usize,
        rgb: &mut frame.rgb,
        instance: &mut frame.instance,
        inv_depth: &mut key,
    };
    let project = |p: Vec3| {
        let px = camera.pixel_of(p);
        [px.x, px.y, p.z - base]
    };
    for chunk in scene
        .triangle_chunks
        .iter()
        .filter(|c| c.min.z <= camera.cut_z_m)
    {
        for t in chunk.start as usize..chunk.end as usize {
            let tri = scene.triangles[t].map(|v| scene.positions[v as usize]);
            let (rgb, inst) = (scene.triangle_rgb[t], scene.triangle_instance[t]);
            let (poly, len) = clip_below(tri, camera.cut_z_m);
            for k in 1..len.saturating_sub(1) {
                target.triangle(
                    project(poly[0]),
                    project(poly[k]),
                    project(poly[k + 1]),
                    rgb,
                    inst,
                );
            }
        }
    }
    let radius_px = (scene.point_radius_m / camera.m_per_px).max(0.5);
    for chunk in scene
        .point_chunks
        .iter()
        .filter(|c| c.min.z <= camera.cut_z_m)
    {
        for i in chunk.start as usize..chunk.end as usize {
            let p = scene.points[i];
            if p.z <= camera.cut_z_m {
                target.splat(
                    project(p),
                    radius_px,
                    scene.point_rgb[i],
                    scene.point_instance[i],
                );
            }
        }
    }
    for (depth, &k) in frame.depth_m.iter_mut().zip(&key) {
        *depth = if k > 0.0 {
            camera.cut_z_m - (k + base)
        } else {
            0.0
        };
    }
    frame
}

#[cfg(test)]
mod tests {
    use super::*;
    use waymark_scenes::scene::{Scene, SceneMesh};

    /// A floor square (instance 1) under a ceiling square (instance 2), and a box top
    /// (instance 3) 0.5 m above the floor.
    fn room() -> Scene {
        let square = |z: f32, lo: f32, hi: f32| {
            [
                Vec3::new(lo, lo, z),
                Vec3::new(hi, lo, z),
                Vec3::new(hi, hi, z),
                Vec3::new(lo, hi, z),
            ]
        };
        let mut positions = Vec::new();
        let mut triangles = Vec::new();
        let mut instances = Vec::new();
        for (k, (z, lo, hi)) in [(0.0, 0.0, 4.0), (2.5, 0.0, 4.0), (0.5, 1.0, 2.0)]
            .into_iter()
            .enumerate()
        {
            let first = positions.len() as u32;
            positions.extend(square(z, lo, hi));
            instances.extend([k as u32 + 1; 4]);
            triangles.push([first, first + 1, first + 2]);
            triangles.push([first, first + 2, first + 3]);
        }
        let n = positions.len();
        Scene {
            name: "room".into(),
            mesh: SceneMesh {
                positions_m: positions,
                colors: vec![[200; 3]; n],
                triangles,
                instance_of_vertex: Some(instances),
                ..SceneMesh::default()
            },
            labels: Default::default(),
        }
    }

    #[test]
    fn the_ceiling_is_cut_and_the_highest_surface_below_wins() {
        let scene = RenderScene::new(&room());
        let camera = TopDownCamera::framing(Vec2::ZERO, Vec2::splat(4.0), 100, 2.0);
        assert_eq!((camera.width, camera.height), (100, 100));
        let frame = render_top_down(&scene, &camera);
        let at = |x: f32, y: f32| {
            let p = camera.pixel_of(Vec3::new(x, y, 0.0));
            frame.index(p.x as u32, p.y as u32)
        };
        // Over the box: its top, 1.5 m below the cut; elsewhere the floor, 2 m below.
        assert_eq!(frame.instance[at(1.5, 1.5)], 3);
        assert!((frame.depth_m[at(1.5, 1.5)] - 1.5).abs() < 1e-4);
        assert_eq!(frame.instance[at(3.0, 3.0)], 1);
        assert!((frame.depth_m[at(3.0, 3.0)] - 2.0).abs() < 1e-4);
        assert!(!frame.instance.contains(&2), "the ceiling is cut away");
        // Image up is +y: the box (low y) lies in the lower half.
        assert!(camera.pixel_of(Vec3::new(1.5, 1.5, 0.0)).y > 50.0);
    }

    #[test]
    fn walls_crossing_the_cut_keep_their_lower_part() {
        let tri = [
            Vec3::ZERO,
            Vec3::new(1.0, 0.0, 0.0),
            Vec3::new(0.0, 0.0, 3.0),
        ];
        let (poly, len) = clip_below(tri, 1.5);
        assert_eq!(len, 4);
        assert!(poly[..len].iter().all(|p| p.z <= 1.5 + 1e-6));
    }
}
