//! `waymark`: evaluate planners on embodied tasks, score submissions, merge shards.

/// Prints a line to stdout. A closed pipe (`waymark … | head`) is not an error, and never a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod cmd_demo;
mod cmd_demo_household;
mod cmd_eval;
mod cmd_grounding;
mod cmd_list;
mod cmd_llm;
mod cmd_merge;
mod cmd_nav;
mod cmd_render;
mod cmd_report;
mod cmd_scene;
mod cmd_score;
mod cmd_slurm;
mod cmd_view;
mod cmd_voxel;
mod progress_bar;
mod table;
mod task_command;
mod vec3_arg;

use clap::{Parser, Subcommand};

/// mimalloc: scoring and batch runs make many small allocations on several threads; it cut
/// `waymark score r2r`'s whole-process time by about a quarter against glibc's allocator.
/// Its v2 line (the `v2` feature): v3 touches more fresh memory in a short process (47 MB
/// peak RSS against 35 MB here, each page zeroed by the kernel) and returns it page by page at
/// exit, which made `score r2r` 7–12 % slower (A/B medians 17.9 against 16.7 ms; `perf stat`
/// means 14.5–16.1 against 13.2–13.4 ms).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

/// waymark: a headless simulator bridge between planners and embodied tasks.
#[derive(Parser)]
#[command(name = "waymark", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a planner over a task's episodes (resumable, shardable).
    #[command(subcommand)]
    Eval(Box<cmd_eval::EvalCommand>),
    /// Score a submission as the task's official evaluator does.
    #[command(subcommand)]
    Score(cmd_score::ScoreCommand),
    /// Merge the output folders of shards into one.
    Merge(cmd_merge::MergeArgs),
    /// Write one self-contained HTML report comparing run folders of one task.
    Report(cmd_report::ReportArgs),
    /// Write (and with --submit, submit) a Slurm job array for an eval command line: one
    /// shard per array task, then a merge job.
    Slurm(cmd_slurm::SlurmArgs),
    /// List the tasks this build knows: observations, episode formats, metrics, options.
    Tasks,
    /// List the planners this build knows and the tasks each supports.
    Planners,
    /// Regenerate the shipped demo apartments, graphs and episodes.
    GenerateDemo(cmd_demo::DemoArgs),
    /// Inspect, summarize and generate scenes.
    #[command(subcommand)]
    Scene(cmd_scene::SceneCommand),
    /// Render RGB, depth and instance views (PNG and .npy) of a scene.
    Render(cmd_render::RenderArgs),
    /// Build a scene's walkable area and report it (optionally as a top-down PNG).
    Navmesh(cmd_nav::NavmeshArgs),
    /// Generate a Matterport-format navigation graph on a scene.
    Navgraph(cmd_nav::NavgraphArgs),
    /// Generate R2R- and VLN-CE-format episodes (English and Arabic) on a scene.
    Episodes(cmd_nav::EpisodesArgs),
    /// Generate SG3D-format grounding tasks (English, Arabic) on an instance-labelled scene.
    GroundingTasks(cmd_grounding::GroundingTasksArgs),
    /// Benchmarks: `bench voxel` (the voxel world's steps per second on one core).
    #[command(subcommand)]
    Bench(cmd_voxel::BenchCommand),
    /// Replay a voxel episode of a run folder into an animated GIF (and PNG frames).
    Record(cmd_voxel::RecordArgs),
    /// Open the visual sim window (runs the separately built `waymark-view` binary).
    #[command(disable_help_flag = true)]
    View(cmd_view::ViewArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The main thread is one of rayon's workers: it waits for parallel work anyway, and
    // one thread fewer to start (its stack, its allocator heap: fresh memory the kernel
    // zeroes) cut `score r2r`'s whole-process time by about a tenth on two cores. Should
    // it fail (a thread that cannot start), rayon builds its default pool on first use.
    let _ = rayon::ThreadPoolBuilder::new()
        .use_current_thread()
        .build_global();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        // Colour codes only for a terminal, never into a log file.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("WAYMARK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let result = match cli.command {
        Command::Eval(command) => cmd_eval::run(*command),
        Command::Score(command) => cmd_score::run(command),
        Command::Merge(args) => cmd_merge::run(args),
        Command::Slurm(args) => cmd_slurm::run(args),
        Command::Report(args) => cmd_report::run(args),
        Command::Tasks => {
            cmd_list::list_tasks();
            Ok(())
        }
        Command::Planners => cmd_list::list_planners(),
        Command::GenerateDemo(args) => cmd_demo::run(args),
        Command::Scene(command) => cmd_scene::run(command),
        Command::Render(args) => cmd_render::run(args),
        Command::Navmesh(args) => cmd_nav::navmesh(args),
        Command::Navgraph(args) => cmd_nav::navgraph(args),
        Command::Episodes(args) => cmd_nav::episodes(args),
        Command::GroundingTasks(args) => cmd_grounding::run(args),
        Command::View(args) => cmd_view::run(args),
        Command::Bench(command) => cmd_voxel::bench(command),
        Command::Record(args) => cmd_voxel::record(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", error_chain(&e));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes joined by `: `, leaving out a cause whose text the message before
/// it already ends with (errors that name their source in their own message), so that no OS
/// error is printed twice; characters that would steer a terminal (escape sequences from input
/// files) are shown escaped.
fn error_chain(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let part = cause.to_string();
        if text.ends_with(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text.chars()
        .flat_map(|c| {
            let shown: Vec<char> = if c.is_control() && c != '\n' && c != '\t' {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            shown
        })
        .collect()
}
