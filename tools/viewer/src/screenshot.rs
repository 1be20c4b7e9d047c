//! Screenshot mode and frame-rate measurement.
//!
//! `--screenshot FILE --frames N` renders N frames, captures the window, writes it as PNG and
//! exits (non-zero when the capture cannot be written). The mean FPS over the run is printed
//! in screenshot mode and, with `--fps`, when the window closes.

use bevy::prelude::*;
use bevy::render::render_resource::TextureFormat;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Frames counted and the time they took, shared with `main` for the report after the run.
#[derive(Debug, Default)]
pub struct FrameStats {
    /// When the program started.
    pub launched: Option<Instant>,
    /// From the start until the first frame has surely been drawn (input read, window, upload,
    /// shaders): the end of the third update, since rendering runs one frame behind the update.
    pub first_frame_after: Option<std::time::Duration>,
    /// Frames rendered after the first.
    pub frames: u64,
    /// When the first frame ended.
    pub started: Option<Instant>,
    /// When the last counted frame ended.
    pub last: Option<Instant>,
}

impl FrameStats {
    /// Mean frames per second, when at least one frame after the first was counted.
    pub fn mean_fps(&self) -> Option<(u64, f64, f64)> {
        let seconds = self.last?.duration_since(self.started?).as_secs_f64();
        (self.frames > 0 && seconds > 0.0)
            .then(|| (self.frames, seconds, self.frames as f64 / seconds))
    }
}

/// The shared frame statistics.
#[derive(Resource, Clone, Default)]
pub struct FpsMeter(pub Arc<Mutex<FrameStats>>);

impl FpsMeter {
    /// A meter for a program that started at `launched`.
    pub fn since(launched: Instant) -> Self {
        Self(Arc::new(Mutex::new(FrameStats {
            launched: Some(launched),
            ..FrameStats::default()
        })))
    }
}

/// What screenshot mode is to do, and how it went.
#[derive(Resource)]
pub struct ScreenshotPlan {
    /// Where the PNG goes.
    pub path: PathBuf,
    /// Frames to render first.
    pub frames: u32,
    /// Frames rendered so far.
    pub rendered: u32,
    /// Whether the capture was requested.
    pub requested: bool,
    /// The result of writing the file, once captured.
    pub result: Arc<Mutex<Option<Result<(), String>>>>,
}

/// Counts frames.
pub fn count_frames(meter: Res<FpsMeter>) {
    if let Ok(mut stats) = meter.0.lock() {
        let now = Instant::now();
        match stats.started {
            None => stats.started = Some(now),
            Some(_) => {
                stats.frames += 1;
                stats.last = Some(now);
                if stats.frames == 2 {
                    stats.first_frame_after = stats.launched.map(|t| now.duration_since(t));
                }
            }
        }
    }
}

/// Requests the capture after the planned frames, and exits once it is written.
pub fn take_screenshot(
    mut commands: Commands,
    mut plan: ResMut<ScreenshotPlan>,
    mut exit: MessageWriter<AppExit>,
) {
    plan.rendered += 1;
    if !plan.requested && plan.rendered >= plan.frames.max(1) {
        plan.requested = true;
        let path = plan.path.clone();
        let result = plan.result.clone();
        commands.spawn(Screenshot::primary_window()).observe(
            move |captured: On<ScreenshotCaptured>| {
                let written = write_png(&path, &captured.image);
                if let Ok(mut slot) = result.lock() {
                    *slot = Some(written);
                }
            },
        );
    }
    let done = plan.result.lock().ok().and_then(|slot| slot.clone());
    match done {
        Some(Ok(())) => {
            exit.write(AppExit::Success);
        }
        Some(Err(_)) => {
            exit.write(AppExit::from_code(2));
        }
        None => {}
    }
}

/// Writes a captured window image as an RGB PNG.
pub fn write_png(path: &Path, image: &Image) -> Result<(), String> {
    let (width, height) = (image.width(), image.height());
    let data = image
        .data
        .as_ref()
        .ok_or_else(|| "the captured image has no data".to_string())?;
    let format = image.texture_descriptor.format;
    let bgra = matches!(
        format,
        TextureFormat::Bgra8Unorm | TextureFormat::Bgra8UnormSrgb
    );
    let rgba = matches!(
        format,
        TextureFormat::Rgba8Unorm | TextureFormat::Rgba8UnormSrgb
    );
    if !(bgra || rgba) || data.len() < (width * height * 4) as usize {
        return Err(format!(
            "unsupported capture format {format:?} ({width}×{height})"
        ));
    }
    let rgb: Vec<u8> = data
        .chunks_exact(4)
        .take((width * height) as usize)
        .flat_map(|px| {
            if bgra {
                [px[2], px[1], px[0]]
            } else {
                [px[0], px[1], px[2]]
            }
        })
        .collect();
    let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder
        .write_header()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    writer
        .write_image_data(&rgb)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    writer
        .finish()
        .map_err(|e| format!("{}: {e}", path.display()))
}
