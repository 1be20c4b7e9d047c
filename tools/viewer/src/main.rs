//! `waymark-view`: a window onto waymark scenes, navigation graphs, and recorded or live
//! episodes. The only part of waymark that depends on Bevy.

mod app;
mod args;
mod camera_control;
mod coords;
mod episodes;
mod live;
mod overlays;
mod panel;
mod picking;
mod replay;
mod scene_mesh;
mod screenshot;
mod sources;
mod state;
mod step_log;
mod track;
mod view_render;

use anyhow::{Result, bail};
use args::Args;
use clap::Parser;
use episodes::{EpisodeList, load_episodes_file, load_eval_dir};
use screenshot::{FpsMeter, ScreenshotPlan};
use sources::{Input, ScanData, Sources};
use state::{Episodes, Loaded, Messages, Walkable, open_episode};
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
    let input = Input::classify(&args.input)?;
    let sources = Sources::new(&args, &input);
    let mut messages = Messages::default();
    let (list, eval_dir, first_scan) = match &input {
        Input::EvalDir(dir) => {
            let (list, notes) = load_eval_dir(dir, args.episodes.as_deref())?;
            for note in notes {
                messages.push(note);
            }
            let Some(first) = list.entries.first() else {
                bail!(
                    "{}: the eval folder has no recorded episodes",
                    dir.display()
                );
            };
            let scan = first.scan.clone();
            (list, Some(dir.clone()), scan)
        }
        Input::Graph { scan, .. } => {
            let list = match &args.episodes {
                Some(path) => load_episodes_file(path, false)?,
                None => EpisodeList::default(),
            };
            (list, None, scan.clone())
        }
        Input::Scene(path) => {
            let list = match &args.episodes {
                Some(path) => load_episodes_file(path, true)?,
                None => EpisodeList::default(),
            };
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (list, None, stem)
        }
    };
    let first = match &args.episode {
        Some(id) => match list.entries.iter().position(|e| e.id == *id) {
            Some(i) => Some(i),
            None => bail!("episode {id} is not in the list"),
        },
        None => (!list.entries.is_empty()).then_some(0),
    };
    let first_scan = first
        .and_then(|i| list.entries.get(i))
        .map_or(first_scan, |e| e.scan.clone());
    let need_scene = !matches!(input, Input::Graph { .. });
    let mut scan = ScanData::load(&sources, &first_scan, need_scene)?;
    if let (Input::Scene(_), Some(scene)) = (&input, &scan.scene) {
        scan.name = scene.name.clone();
    }
    for note in &scan.notes {
        messages.push(note.clone());
    }
    let mut loaded = Loaded {
        sources,
        scan,
        generation: 0,
        walkable: Walkable::NotStarted,
        cut_height_m: args.cut_height,
    };
    let success_m = list
        .manifest
        .as_ref()
        .map_or(waymark_sim::DEFAULT_SUCCESS_THRESHOLD_M, |m| {
            m.success_threshold_m
        }) as f32;
    let mut episodes = Episodes {
        list,
        eval_dir,
        planner: args.planner.clone(),
        success_m,
        ..Default::default()
    };
    if let Some(i) = first {
        episodes.list.cursor = i;
        open_episode(i, &mut loaded, &mut episodes, &mut messages, args.step);
    }
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

    let meter = FpsMeter::default();
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
        println!("waymark-view: {frames} frames in {seconds:.2} s: mean {fps:.1} FPS");
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
