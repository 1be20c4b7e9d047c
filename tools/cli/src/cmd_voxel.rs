//! `waymark bench voxel` (the voxel world's steps per second on one core) and `waymark
//! record` (a voxel episode of a run folder replayed into an animated GIF or PNG frames).

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::PathBuf;
use std::time::Instant;
use waymark_core::{CrafterAction, MineRlInput, VoxelActionSpace};
use waymark_voxel::render::Frame;
use waymark_voxel::{Game, GameConfig};

/// `waymark bench …`.
#[derive(Subcommand)]
pub enum BenchCommand {
    /// The voxel world's steps per second on one thread, with uniformly random actions (as
    /// Crafter's own benchmark), with or without a first-person render per step.
    Voxel(VoxelBenchArgs),
}

/// The action space to draw random actions from.
#[derive(Clone, Copy, ValueEnum)]
pub enum SpaceArg {
    /// Crafter's 17 actions.
    Crafter,
    /// MineRL keys and camera.
    Minerl,
}

/// Options of `waymark bench voxel`.
#[derive(Args)]
pub struct VoxelBenchArgs {
    /// Render width and height in pixels.
    #[arg(long, default_value_t = 64)]
    size: u32,
    /// Steps to take (new episodes start when the agent dies).
    #[arg(long, default_value_t = 10_000)]
    steps: u32,
    /// Step without rendering.
    #[arg(long)]
    no_render: bool,
    /// Also build the full observation (nearby things, text) each step.
    #[arg(long)]
    observe: bool,
    /// The first world seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The action space.
    #[arg(long, value_enum, default_value_t = SpaceArg::Crafter)]
    action_space: SpaceArg,
    /// The world's side in chunks.
    #[arg(long, default_value_t = 8)]
    world_chunks: u32,
    /// Horizontal field of view of the render, degrees.
    #[arg(long, default_value_t = 90.0)]
    hfov_deg: f32,
}

/// Runs `waymark bench …`.
pub fn bench(command: BenchCommand) -> Result<()> {
    match command {
        BenchCommand::Voxel(args) => bench_voxel(&args),
    }
}

fn bench_voxel(args: &VoxelBenchArgs) -> Result<()> {
    if args.size == 0 || args.steps == 0 {
        bail!("--size and --steps must be at least 1");
    }
    let space = match args.action_space {
        SpaceArg::Crafter => VoxelActionSpace::Crafter,
        SpaceArg::Minerl => VoxelActionSpace::Minerl,
    };
    let config = |seed| GameConfig {
        seed,
        size_chunks: args.world_chunks,
        action_space: space,
    };
    // World generation per chunk: every chunk of one world, timed alone.
    let start = Instant::now();
    let mut world = waymark_voxel::World::new(args.seed, args.world_chunks);
    let side = args.world_chunks as i32;
    for cy in 0..side {
        for cx in 0..side {
            world.generate_chunk(cx, cy);
        }
    }
    let gen_ms = start.elapsed().as_secs_f64() * 1e3 / f64::from((side * side) as u32);
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let mut seed = args.seed;
    let mut game = Game::new(config(seed));
    let mut frame = Frame::new(args.size, args.size);
    let mut episodes = 1u32;
    let mut checksum = 0u64;
    let mut stepping = std::time::Duration::ZERO;
    let mut resetting = std::time::Duration::ZERO;
    // The steps that generated terrain (the agent came near new chunks in the MineRL space;
    // Crafter's world is generated whole at the start).
    let mut generating_steps = 0u32;
    // The clock is read once per stretch of steps between episode starts, not per step (its
    // cost would be a tenth of a step without rendering).
    let mut stretch = Instant::now();
    for _ in 0..args.steps {
        let chunks = game.world.generated_chunks();
        match space {
            VoxelActionSpace::Crafter => {
                game.step_crafter(
                    CrafterAction::ALL[rng.random_range(0..CrafterAction::ALL.len())],
                );
            }
            VoxelActionSpace::Minerl => {
                let mut key = || rng.random_bool(0.5);
                let input = MineRlInput {
                    forward: key(),
                    back: key(),
                    left: key(),
                    right: key(),
                    jump: key(),
                    attack: key(),
                    camera: [rng.random_range(-10.0..10.0), rng.random_range(-10.0..10.0)],
                    ..Default::default()
                };
                game.step_minerl(&input);
            }
        }
        if !args.no_render {
            waymark_voxel::observe::render_view(&game, args.hfov_deg, &mut frame);
            checksum = checksum.wrapping_add(u64::from(frame.rgb[frame.rgb.len() / 2]));
        }
        if args.observe {
            let obs = waymark_voxel::observe::observation(&game, "bench", false);
            checksum = checksum.wrapping_add(obs.text.len() as u64);
        }
        if game.world.generated_chunks() != chunks {
            generating_steps += 1;
        }
        if game.dead() {
            let start = Instant::now();
            stepping += start - stretch;
            seed += 1;
            episodes += 1;
            game = Game::new(config(seed));
            stretch = Instant::now();
            resetting += stretch - start;
        }
    }
    stepping += stretch.elapsed();
    let seconds = stepping.as_secs_f64();
    let render = if args.no_render {
        "no render".to_string()
    } else {
        format!("a {0}×{0} first-person render per step", args.size)
    };
    say!(
        "voxel bench: {} steps, random {} actions, {render}{}, {} episode(s), one thread",
        args.steps,
        match space {
            VoxelActionSpace::Crafter => "Crafter",
            VoxelActionSpace::Minerl => "MineRL",
        },
        if args.observe {
            ", full observations"
        } else {
            ""
        },
        episodes
    );
    say!("steps per second: {:.0}", f64::from(args.steps) / seconds);
    say!("steps that generated chunks: {generating_steps}");
    say!(
        "episode start (the world generated: whole for Crafter, around the spawn for MineRL): {:.2} ms on average over {} new episode(s)",
        resetting.as_secs_f64() * 1e3 / f64::from((episodes - 1).max(1)),
        episodes - 1
    );
    say!(
        "world generation: {gen_ms:.3} ms per chunk ({} chunks of 16×16×64 blocks)",
        side * side
    );
    tracing::debug!(checksum, "bench checksum");
    Ok(())
}

/// Options of `waymark record`.
#[derive(Args)]
pub struct RecordArgs {
    /// The run folder (its `episodes.jsonl`).
    run_dir: PathBuf,
    /// The episode id.
    #[arg(long)]
    episode: String,
    /// The animated GIF to write.
    #[arg(long)]
    out: PathBuf,
    /// Frame width and height in pixels.
    #[arg(long, default_value_t = 128)]
    size: u32,
    /// Keep one frame every N steps.
    #[arg(long, default_value_t = 1)]
    every: u32,
    /// Upscale frames by this integer factor in the GIF.
    #[arg(long, default_value_t = 2)]
    scale: u32,
    /// Also write every kept frame as PNG (RGB) into this folder.
    #[arg(long)]
    frames: Option<PathBuf>,
}

/// Runs `waymark record`: replays the episode's actions from its seed and renders each kept
/// step.
pub fn record(args: RecordArgs) -> Result<()> {
    let path = args.run_dir.join("episodes.jsonl");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut found = None;
    for (n, line) in text.lines().enumerate() {
        let value: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("{}: line {}", path.display(), n + 1))?;
        if value.get("instr_id").and_then(|v| v.as_str()) == Some(args.episode.as_str()) {
            found = Some(value);
        }
    }
    let Some(record) = found else {
        bail!("{}: no episode {}", path.display(), args.episode);
    };
    let trajectory: waymark_voxel_tasks::Trajectory =
        serde_json::from_value(record["trajectory"].clone())
            .with_context(|| format!("episode {}: not a voxel trajectory", args.episode))?;
    if args.size == 0 || args.every == 0 || args.scale == 0 {
        bail!("--size, --every and --scale must be at least 1");
    }
    let file = std::fs::File::create(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let mut gif = waymark_voxel::record::GifRecorder::new(
        std::io::BufWriter::new(file),
        args.size,
        args.size,
        args.scale,
        10,
    )?;
    if let Some(dir) = &args.frames {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut game = trajectory.start();
    let mut frame = Frame::new(args.size, args.size);
    let bar = crate::progress_bar::bar(trajectory.len() as u64 + 1, "replaying");
    let mut kept = 0u32;
    for i in 0..=trajectory.len() {
        if i > 0 {
            trajectory.apply(&mut game, i - 1);
        }
        if (i as u32).is_multiple_of(args.every) || i == trajectory.len() {
            waymark_voxel::observe::render_view(&game, 90.0, &mut frame);
            gif.push(&frame)?;
            if let Some(dir) = &args.frames {
                let png = frame.rgb_png()?;
                let out = dir.join(format!("{i:06}.png"));
                std::fs::write(&out, png).with_context(|| format!("writing {}", out.display()))?;
            }
            kept += 1;
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    gif.finish()?;
    say!(
        "{}: {kept} frames of episode {} ({} steps)",
        args.out.display(),
        args.episode,
        trajectory.len()
    );
    Ok(())
}
