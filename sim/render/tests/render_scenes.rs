//! Rendering known scenes and checking depth, instance ids, clipping and visibility.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use glam::Vec3;
use waymark_render::visible::{VisibilityOptions, visible_objects};
use waymark_render::{PinholeCamera, RenderScene, Renderer, panorama};
use waymark_scenes::primitives::MeshBuilder;
use waymark_scenes::scene::{Scene, SceneMesh};

fn camera(heading_deg: f32, width: u32, height: u32) -> PinholeCamera {
    PinholeCamera {
        position_m: Vec3::new(0.0, 0.0, 1.5),
        heading_rad: heading_deg.to_radians(),
        elevation_rad: 0.0,
        hfov_deg: 90.0,
        width,
        height,
    }
}

/// A wall `y = dist_m` (10 m wide, floor to 3 m) facing the origin.
fn wall_scene(dist_m: f32) -> Scene {
    let mut b = MeshBuilder::new();
    b.add_box(
        Vec3::new(-5.0, dist_m, 0.0),
        Vec3::new(5.0, dist_m + 0.2, 3.0),
        [180, 180, 180],
        1,
    );
    b.label(1, "wall");
    b.finish("wall")
}

#[test]
fn depth_of_a_wall_at_a_known_distance_is_exact_to_a_millimetre() {
    for dist in [0.7_f32, 2.5, 4.321] {
        let scene = RenderScene::new(&wall_scene(dist));
        let frame = Renderer::new().render(&scene, &camera(0.0, 64, 48));
        for (i, &d) in frame.depth_m.iter().enumerate() {
            // Every pixel whose ray hits the wall (within its 3 m height) sees depth = dist.
            if frame.instance[i] == 1 {
                assert!(
                    (d - dist).abs() < 1e-3,
                    "pixel {i}: depth {d} for a wall at {dist} m"
                );
            }
        }
        let centre = frame.index(32, 24);
        assert_eq!(frame.instance[centre], 1);
        assert!((frame.depth_m[centre] - dist).abs() < 1e-3);
    }
}

#[test]
fn instance_ids_match_the_objects_in_front_of_the_camera() {
    let mut b = MeshBuilder::new();
    b.add_box(
        Vec3::new(-1.5, 2.0, 0.5),
        Vec3::new(-0.5, 3.0, 2.5),
        [200, 30, 30],
        7,
    );
    b.add_box(
        Vec3::new(0.5, 2.0, 0.5),
        Vec3::new(1.5, 3.0, 2.5),
        [30, 30, 200],
        9,
    );
    b.label(7, "fridge");
    b.label(9, "shelf");
    let scene = RenderScene::new(&b.finish("two boxes"));
    let frame = Renderer::new().render(&scene, &camera(0.0, 80, 60));
    let at = |x: u32, y: u32| frame.instance[frame.index(x, y)];
    // The left box spans x/y ∈ [−0.75, −0.25] of the image plane → columns 15–30.
    assert_eq!(at(22, 30), 7, "left box on the left");
    assert_eq!(at(58, 30), 9, "right box on the right");
    assert_eq!(at(40, 30), 0, "nothing between them");
    let rgb = frame.rgb[frame.index(22, 30)];
    assert!(rgb[0] > rgb[2], "the left box is red: {rgb:?}");
    // Turning round shows neither.
    let back = Renderer::new().render(&scene, &camera(180.0, 80, 60));
    assert!(back.instance.iter().all(|&i| i == 0));
    assert!(back.depth_m.iter().all(|&d| d == 0.0));
}

#[test]
fn a_triangle_crossing_the_near_plane_is_clipped_not_lost() {
    // A floor under and around the camera: half of it is behind the camera.
    let mut b = MeshBuilder::new();
    b.add_quad(
        [
            Vec3::new(-10.0, -10.0, 0.0),
            Vec3::new(10.0, -10.0, 0.0),
            Vec3::new(10.0, 10.0, 0.0),
            Vec3::new(-10.0, 10.0, 0.0),
        ],
        [90, 140, 90],
        3,
    );
    let scene = RenderScene::new(&b.finish("floor"));
    let frame = Renderer::new().render(&scene, &camera(0.0, 40, 40));
    let bottom = frame.index(20, 39);
    assert_eq!(frame.instance[bottom], 3, "the floor fills the lower half");
    // Bottom row centre: ray 45°·(39.5−20)/20 below the horizon, hits z=0 at depth 1.5/tan(angle).
    let f = 20.0_f32;
    let expected = 1.5 * f / (39.5 - 20.0);
    assert!(
        (frame.depth_m[bottom] - expected).abs() < 1e-3,
        "{} vs {expected}",
        frame.depth_m[bottom]
    );
    assert_eq!(
        frame.instance[frame.index(20, 5)],
        0,
        "sky above the horizon"
    );
}

#[test]
fn point_clouds_render_as_splats_with_depth() {
    // A 2 m × 2 m grid of points on the plane y = 3, 2 cm apart.
    let mut mesh = SceneMesh::default();
    for i in 0..100 {
        for k in 0..100 {
            mesh.positions_m.push(Vec3::new(
                -1.0 + i as f32 * 0.02,
                3.0,
                0.5 + k as f32 * 0.02,
            ));
            mesh.colors.push([10, 200, 10]);
        }
    }
    mesh.instance_of_vertex = Some(vec![5; 10_000]);
    let scene = RenderScene::new(&Scene {
        name: "points".into(),
        mesh,
        labels: Default::default(),
    });
    assert_eq!(scene.point_count(), 10_000);
    let frame = Renderer::new().render(&scene, &camera(0.0, 64, 64));
    let centre = frame.index(32, 32);
    assert_eq!(frame.instance[centre], 5);
    assert!((frame.depth_m[centre] - 3.0).abs() < 1e-3);
    // The patch spans about ±1/3 of the image plane each way: a block of about 21 × 21 pixels,
    // with no holes between the splats.
    let hits: Vec<(u32, u32)> = (0..64u32)
        .flat_map(|y| (0..64u32).map(move |x| (x, y)))
        .filter(|&(x, y)| frame.instance[frame.index(x, y)] == 5)
        .collect();
    let (x0, x1) = (
        hits.iter().map(|h| h.0).min().unwrap(),
        hits.iter().map(|h| h.0).max().unwrap(),
    );
    let (y0, y1) = (
        hits.iter().map(|h| h.1).min().unwrap(),
        hits.iter().map(|h| h.1).max().unwrap(),
    );
    assert!(
        (20..=23).contains(&(x1 - x0 + 1)) && (20..=23).contains(&(y1 - y0 + 1)),
        "{x0}..{x1} × {y0}..{y1}"
    );
    assert_eq!(hits.len() as u32, (x1 - x0 + 1) * (y1 - y0 + 1), "no holes");
}

#[test]
fn rendering_is_deterministic() {
    let scene = RenderScene::new(&wall_scene(2.0));
    let mut r = Renderer::new();
    let a = r.render(&scene, &camera(10.0, 33, 21));
    let b = r.render(&scene, &camera(10.0, 33, 21));
    assert_eq!(a, b);
}

#[test]
fn objects_hidden_behind_a_wall_are_not_visible() {
    let mut b = MeshBuilder::new();
    b.add_box(
        Vec3::new(-0.4, 1.6, 0.0),
        Vec3::new(0.4, 2.4, 0.8),
        [150, 90, 40],
        11,
    );
    b.label(11, "table");
    b.add_box(
        Vec3::new(1.6, -0.4, 0.0),
        Vec3::new(2.4, 0.4, 1.0),
        [40, 40, 150],
        12,
    );
    b.label(12, "chair");
    let open = b.clone().finish("open");
    // The same room with a wall between the agent and the table.
    b.add_box(
        Vec3::new(-2.0, 1.0, 0.0),
        Vec3::new(2.0, 1.1, 2.6),
        [200, 200, 200],
        13,
    );
    b.label(13, "wall");
    let walled = b.finish("walled");
    let options = VisibilityOptions::default();
    let mut r = Renderer::new();
    let seen = visible_objects(
        &mut r,
        &RenderScene::new(&open),
        Vec3::new(0.0, 0.0, 1.5),
        0.0,
        &options,
    );
    let front: Vec<&str> = seen[0].iter().map(|o| o.label.as_str()).collect();
    assert_eq!(front, ["table"]);
    assert!((seen[0][0].rel_heading_deg).abs() < 3.0);
    assert!(
        seen[0][0].dist_m > 1.6 && seen[0][0].dist_m < 2.6,
        "{:?}",
        seen[0][0]
    );
    let right: Vec<&str> = seen[2].iter().map(|o| o.label.as_str()).collect();
    assert_eq!(right, ["chair"], "the chair is 90° to the right");
    assert!((seen[2][0].rel_heading_deg - 90.0).abs() < 3.0);

    let seen = visible_objects(
        &mut r,
        &RenderScene::new(&walled),
        Vec3::new(0.0, 0.0, 1.5),
        0.0,
        &options,
    );
    assert!(
        seen[0].is_empty(),
        "the table is behind the wall (and walls are not objects): {:?}",
        seen[0]
    );
    assert_eq!(seen[2].len(), 1);
    // A 1 m radius sees nothing at all.
    let near = VisibilityOptions {
        radius_m: 1.0,
        ..options
    };
    let seen = visible_objects(
        &mut r,
        &RenderScene::new(&open),
        Vec3::new(0.0, 0.0, 1.5),
        0.0,
        &near,
    );
    assert!(seen.iter().all(Vec::is_empty));
}

#[test]
fn panoramas_cover_every_direction_of_a_closed_room() {
    let mut b = MeshBuilder::new();
    // A 4 × 4 × 3 m closed box around the camera (walls seen from inside).
    b.add_box(
        Vec3::new(-2.0, -2.0, 0.0),
        Vec3::new(2.0, 2.0, 3.0),
        [120, 120, 200],
        1,
    );
    let scene = RenderScene::new(&b.finish("room"));
    let mut r = Renderer::new();
    let pano = panorama::equirect_panorama(&mut r, &scene, Vec3::new(0.0, 0.0, 1.5), 0.0, 64);
    assert_eq!((pano.width, pano.height), (64, 32));
    assert!(
        pano.instance.iter().all(|&i| i == 1),
        "no gaps between cube faces"
    );
    // Straight ahead (image centre) the wall is 2 m away; straight up the ceiling is 1.5 m.
    let ahead = pano.depth_m[pano.index(32, 16)];
    assert!((ahead - 2.0).abs() < 0.1, "{ahead}");
    assert!((pano.depth_m[pano.index(32, 0)] - 1.5).abs() < 0.1);
    let views = panorama::mattersim_views(&mut r, &scene, Vec3::new(0.0, 0.0, 1.5), 64, 48, 60.0);
    assert_eq!(views.len(), 36);
    assert!((views[13].0.heading_rad - 30f32.to_radians()).abs() < 1e-6);
    assert!((views[13].0.elevation_rad).abs() < 1e-6);
    assert!((views[30].0.elevation_rad - 30f32.to_radians()).abs() < 1e-6);
    assert!(
        (views[0].1.height as f32 - 48.0).abs() < 1e-6
            && (views[0].0.vfov_deg() - 60.0).abs() < 0.01
    );
}
