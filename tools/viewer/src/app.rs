//! The Bevy app: window, plugins, resources and systems.

use crate::camera_control::{CameraRig, control_camera, frame_loaded, spawn_camera};
use crate::overlays::{
    OverlayGizmos, Overlays, configure_gizmos, draw_overlays, sync_walkable_mesh, toggle_overlays,
};
use crate::panel::{
    PanelLayout, Title, layout_panels, scrub_timeline, spawn_panels, update_panels,
};
use crate::picking::{Picked, pick};
use crate::replay::{list_keys, live_keys, playback};
use crate::scene_mesh::{UpperMask, sync_scene_meshes, toggle_upper};
use crate::screenshot::{FpsMeter, ScreenshotPlan, count_frames, take_screenshot};
use crate::state::{Episodes, Loaded, Messages};
use crate::view_render::{AgentView, update_agent_view};
use bevy::prelude::*;
use bevy::window::PresentMode;

/// Everything the app starts with.
pub struct Setup {
    /// Window title and status line.
    pub title: String,
    /// Window size in pixels.
    pub size: (u32, u32),
    /// Whether to wait for vsync (off when measuring FPS or taking screenshots).
    pub vsync: bool,
    /// The loaded scan.
    pub loaded: Loaded,
    /// Episodes and playback.
    pub episodes: Episodes,
    /// Notices to show.
    pub messages: Messages,
    /// Screenshot mode, when asked for.
    pub screenshot: Option<ScreenshotPlan>,
    /// Frame statistics shared with `main`.
    pub meter: FpsMeter,
}

/// Builds the app.
pub fn build(setup: Setup) -> App {
    let mut app = App::new();
    let window = Window {
        title: setup.title.clone(),
        resolution: setup.size.into(),
        present_mode: if setup.vsync {
            PresentMode::AutoVsync
        } else {
            PresentMode::AutoNoVsync
        },
        ..default()
    };
    app.add_plugins(DefaultPlugins.set(WindowPlugin {
        primary_window: Some(window),
        ..default()
    }))
    .init_gizmo_group::<OverlayGizmos>()
    .insert_resource(ClearColor(Color::srgb(0.12, 0.12, 0.14)))
    .insert_resource(Title(setup.title))
    .insert_resource(setup.loaded)
    .insert_resource(setup.episodes)
    .insert_resource(setup.messages)
    .insert_resource(setup.meter)
    .init_resource::<UpperMask>()
    .init_resource::<Picked>()
    .init_resource::<AgentView>()
    .init_resource::<PanelLayout>()
    .init_resource::<Overlays>()
    .init_resource::<CameraRig>()
    .add_systems(Startup, (spawn_camera, spawn_panels, configure_gizmos))
    .add_systems(
        Update,
        (
            (list_keys, playback, live_keys, scrub_timeline).chain(),
            (toggle_overlays, toggle_upper),
            (
                sync_scene_meshes,
                sync_walkable_mesh,
                frame_loaded,
                control_camera,
            )
                .chain(),
            pick,
            update_agent_view,
            draw_overlays,
            (layout_panels, update_panels).chain(),
            count_frames,
        ),
    );
    if let Some(plan) = setup.screenshot {
        app.insert_resource(plan).add_systems(Last, take_screenshot);
    }
    app
}
