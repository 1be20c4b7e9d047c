//! `waymark render`: what a camera sees, as PNGs and raw arrays.

use crate::cmd_scene::SceneArgs;
use crate::vec3_arg::Vec3Arg;
use anyhow::Context;
use clap::Args;
use std::path::PathBuf;
use waymark_io::write_json_atomic;
use waymark_render::image_io::{write_frame_files, write_rgb_png};
use waymark_render::{PinholeCamera, RenderScene, Renderer, panorama};

/// Arguments of `waymark render`.
#[derive(Args)]
pub struct RenderArgs {
    #[command(flatten)]
    scene: SceneArgs,
    /// Camera position `X,Y,Z` in metres.
    #[arg(long, allow_hyphen_values = true)]
    position: Vec3Arg,
    /// Heading in degrees, clockwise from +y.
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    heading: f32,
    /// Elevation in degrees, up from the horizon.
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    elevation: f32,
    /// Image width in pixels.
    #[arg(long, default_value_t = 640)]
    width: u32,
    /// Image height in pixels.
    #[arg(long, default_value_t = 480)]
    height: u32,
    /// Horizontal field of view in degrees (R2R's 60° vertical at 640×480 is 75.18°).
    #[arg(long, default_value_t = 75.18)]
    hfov: f32,
    /// Also write an equirectangular panorama (width × width/2, centred on the heading).
    #[arg(long)]
    panorama: bool,
    /// Also write MatterSim's 36 discretized views (12 headings × 3 elevations).
    #[arg(long)]
    views36: bool,
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
}

/// Runs `waymark render`.
pub fn run(args: RenderArgs) -> anyhow::Result<()> {
    let camera = PinholeCamera {
        position_m: args.position.0,
        heading_rad: args.heading.to_radians(),
        elevation_rad: args.elevation.to_radians(),
        hfov_deg: args.hfov,
        width: args.width,
        height: args.height,
    };
    camera.validate()?;
    let scene = RenderScene::new(&args.scene.load()?);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let mut renderer = Renderer::new();
    // view_rgb.png, view_depth.png (16-bit mm), view_instance.png, view_depth.npy,
    // view_instance.npy; labels.json maps instance ids to labels.
    let mut written = write_frame_files(&args.out, "view", &renderer.render(&scene, &camera))?;
    if args.panorama {
        let pano = panorama::equirect_panorama(
            &mut renderer,
            &scene,
            camera.position_m,
            camera.heading_rad,
            args.width.max(64) * 2,
        );
        written.extend(write_frame_files(&args.out, "panorama", &pano)?);
    }
    if args.views36 {
        let vfov = camera.vfov_deg();
        for (i, (_, frame)) in panorama::mattersim_views(
            &mut renderer,
            &scene,
            camera.position_m,
            args.width,
            args.height,
            vfov,
        )
        .iter()
        .enumerate()
        {
            let path = args.out.join(format!("view36_{i:02}_rgb.png"));
            write_rgb_png(&path, frame)?;
            written.push(path);
        }
    }
    let labels = args.out.join("labels.json");
    write_json_atomic(&labels, scene.labels(), true)?;
    written.push(labels);
    say!("wrote {} files to {}", written.len(), args.out.display());
    Ok(())
}
