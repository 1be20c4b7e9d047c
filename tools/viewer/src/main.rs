//! `waymark-view`: a window onto waymark scenes, navigation graphs, and recorded or live
//! episodes. The only part of waymark that depends on Bevy.

mod app;
mod args;
mod camera_control;
#[cfg(test)]
mod controls_tests;
mod coords;
mod episodes;
mod grounding;
mod household;
mod live;
mod overlays;
mod panel;
mod picking;
mod replay;
mod scene_mesh;
mod screenshot;
mod sources;
mod startup;
mod state;
mod step_log;
mod track;
mod vertex_color;
mod view_render;
mod voxel;

use anyhow::{Result, bail};
use args::Args;
use clap::Parser;
use screenshot::{FpsMeter, ScreenshotPlan};
use startup::{Prepared, prepare};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;

fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("WAYMARK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,waymark_view=info")),
        )
        .init();
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("waymark-view: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The hint for machines without a screen.
const HEADLESS_HINT: &str = "without a screen, use the screenshot mode under a virtual X server: \
     xvfb-run -a waymark-view INPUT --screenshot out.png --frames 10 \
     (software Vulkan: apt-get install xvfb mesa-vulkan-drivers)";

fn run(args: Args) -> Result<ExitCode> {
    let started = Instant::now();
    let Prepared {
        loaded,
        episodes,
        messages,
    } = prepare(&args)?;
    tracing::info!(
        ms = started.elapsed().as_millis() as u64,
        "input loaded (file reads included)"
    );
    check_display()?;
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        default_hook(info);
        eprintln!("waymark-view: the window or its renderer failed; {HEADLESS_HINT}");
    }));

    let meter = FpsMeter::since(started);
    let result = Arc::new(Mutex::new(None));
    let screenshot = args.screenshot.as_ref().map(|path| ScreenshotPlan {
        path: path.clone(),
        frames: args.frames,
        rendered: 0,
        requested: false,
        result: result.clone(),
    });
    let title = format!("waymark-view {}", args.input.display());
    let exit = app::build(app::Setup {
        title,
        size: (args.width, args.height),
        vsync: !(args.fps || args.screenshot.is_some()),
        loaded,
        episodes,
        messages,
        screenshot,
        meter: meter.clone(),
    })
    .run();

    if (args.fps || args.screenshot.is_some())
        && let Ok(stats) = meter.0.lock()
        && let Some((frames, seconds, fps)) = stats.mean_fps()
    {
        let first = stats.first_frame_after.map_or(String::new(), |t| {
            format!(", first frame drawn by {} ms after start", t.as_millis())
        });
        println!("waymark-view: {frames} frames in {seconds:.2} s: mean {fps:.1} FPS{first}");
    }
    if let Some(path) = &args.screenshot {
        let outcome = result.lock().ok().and_then(|r| r.clone());
        match outcome {
            Some(Ok(())) => println!("waymark-view: saved {}", path.display()),
            Some(Err(e)) => bail!("cannot save the screenshot: {e}"),
            None => bail!("the window closed before the screenshot was taken"),
        }
    }
    Ok(if exit.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Fails early, with advice, when no X display can be opened.
fn check_display() -> Result<()> {
    let display = std::env::var("DISPLAY").unwrap_or_default();
    if display.is_empty() {
        bail!("cannot open a window: no display ($DISPLAY is not set); {HEADLESS_HINT}");
    }
    if let Some(number) = display
        .strip_prefix(':')
        .and_then(|rest| rest.split('.').next())
    {
        let socket = std::path::PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
        if !socket.exists() {
            bail!(
                "cannot open display {display}: no X server listens at {}; {HEADLESS_HINT}",
                socket.display()
            );
        }
    }
    Ok(())
}
