//! The Bevy app: window, plugins, resources and systems.

use crate::camera_control::{
    CameraRig, control_camera, frame_loaded, match_msaa_to_adapter, spawn_camera,
};
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
use crate::vertex_color::VertexColorPlugin;
use crate::view_render::{AgentView, update_agent_view};
use bevy::ecs::schedule::ScheduleConfigs;
use bevy::ecs::system::ScheduleSystem;
use bevy::prelude::*;
use bevy::render::RenderPlugin;
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
    let screenshot_mode = setup.screenshot.is_some();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(window),
                ..default()
            })
            // A screenshot must show every pipeline: compile them before the frame that needs them.
            .set(RenderPlugin {
                synchronous_pipeline_compilation: screenshot_mode,
                ..default()
            }),
    )
    .add_plugins(VertexColorPlugin)
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
            key_controls(),
            scrub_timeline.after(live_keys),
            (
                sync_scene_meshes,
                sync_walkable_mesh,
                layout_panels,
                frame_loaded,
                control_camera,
            )
                .chain(),
            // The cursor of a virtual display rests mid-window: no hover in screenshots.
            pick.run_if(move || !screenshot_mode),
            update_agent_view,
            draw_overlays,
            update_panels
                .after(layout_panels)
                .after(crate::voxel::update_voxel_view),
            crate::household::update_household_map.after(layout_panels),
            crate::voxel::update_voxel_view.after(layout_panels),
            crate::grounding::update_grounding_map.after(layout_panels),
            match_msaa_to_adapter,
            count_frames,
        ),
    );
    if let Some(plan) = setup.screenshot {
        app.insert_resource(plan).add_systems(Last, take_screenshot);
    }
    app
}

/// The systems that turn keys into state: the episode list, replay, live mode, overlays and the
/// ceiling (the camera's keys are in `control_camera`). Tests drive them without a window.
pub fn key_controls() -> ScheduleConfigs<ScheduleSystem> {
    (
        (list_keys, playback, live_keys).chain(),
        toggle_overlays,
        toggle_upper,
    )
        .into_configs()
}
