//! The agent's view at the current step, rendered by waymark's CPU renderer into an image the
//! side panel shows, and the objects it sees (waymark-render's visible objects per sector).

use crate::state::{Episodes, Loaded};
use bevy::asset::RenderAssetUsages;
use bevy::platform::cell::SyncCell;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use waymark_render::visible::{VisibilityOptions, VisibleObject, visible_objects};
use waymark_render::{Frame, PinholeCamera, Renderer};

/// Size of the rendered view.
pub const VIEW_SIZE: (u32, u32) = (320, 240);
/// Vertical field of view of the rendered view (R2R's 60°).
pub const VIEW_VFOV_DEG: f32 = 60.0;

/// The rendered view and what it shows.
#[derive(Resource)]
pub struct AgentView {
    renderer: SyncCell<Renderer>,
    /// The image the panel shows.
    pub image: Option<Handle<Image>>,
    /// Objects the agent sees, nearest first.
    pub visible: Vec<VisibleObject>,
    key: Option<(u64, [u32; 5])>,
}

impl Default for AgentView {
    fn default() -> Self {
        Self {
            renderer: SyncCell::new(Renderer::new()),
            image: None,
            visible: Vec::new(),
            key: None,
        }
    }
}

/// An RGBA image of a frame.
pub fn frame_image(frame: &Frame) -> Image {
    let data: Vec<u8> = frame
        .rgb
        .iter()
        .flat_map(|[r, g, b]| [*r, *g, *b, 255])
        .collect();
    Image::new(
        Extent3d {
            width: frame.width,
            height: frame.height,
            depth_or_array_layers: 1,
        },
        TextureDimension::D2,
        data,
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::RENDER_WORLD,
    )
}

/// Re-renders the view when the agent's pose or the scene changes.
pub fn update_agent_view(
    loaded: Res<Loaded>,
    episodes: Res<Episodes>,
    mut view: ResMut<AgentView>,
    mut images: ResMut<Assets<Image>>,
) {
    // The renderer is prepared only once there is an agent to see through.
    let Some((pose, render)) = episodes
        .pose()
        .and_then(|pose| Some((pose, loaded.scan.render()?)))
    else {
        if view.key.take().is_some() {
            view.image = None;
            view.visible.clear();
        }
        return;
    };
    let key = (
        loaded.generation,
        [
            pose.eye_m.x.to_bits(),
            pose.eye_m.y.to_bits(),
            pose.eye_m.z.to_bits(),
            pose.heading_rad.to_bits(),
            pose.elevation_rad.to_bits(),
        ],
    );
    if view.key == Some(key) {
        return;
    }
    view.key = Some(key);
    let (width, height) = VIEW_SIZE;
    let camera = PinholeCamera {
        position_m: pose.eye_m,
        heading_rad: pose.heading_rad,
        elevation_rad: pose.elevation_rad,
        hfov_deg: PinholeCamera::hfov_for_vfov(VIEW_VFOV_DEG, width, height),
        width,
        height,
    };
    let started = std::time::Instant::now();
    let renderer = view.renderer.get();
    let frame = renderer.render(render, &camera);
    let sectors = visible_objects(
        renderer,
        render,
        pose.eye_m,
        pose.heading_rad,
        &VisibilityOptions::default(),
    );
    let mut visible: Vec<VisibleObject> = Vec::new();
    for object in sectors.into_iter().flatten() {
        match visible.iter_mut().find(|o| o.instance == object.instance) {
            Some(seen) if seen.dist_m <= object.dist_m => {}
            Some(seen) => *seen = object,
            None => visible.push(object),
        }
    }
    visible.sort_by(|a, b| a.dist_m.total_cmp(&b.dist_m));
    view.visible = visible;
    view.image = Some(images.add(frame_image(&frame)));
    tracing::debug!(
        ms = started.elapsed().as_millis() as u64,
        "agent view rendered"
    );
}
