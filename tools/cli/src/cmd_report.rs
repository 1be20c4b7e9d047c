//! `waymark report`: one self-contained HTML file comparing run folders, with top-down
//! pictures of the worst episodes drawn from each run's episodes (opened again from the
//! options `run.json` records).

use anyhow::Context;
use clap::Args;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use waymark_eval::EpisodeRecord;
use waymark_report::Run;
use waymark_task::{TaskEpisodes, TopDown};

/// Arguments of `waymark report`.
#[derive(Args)]
pub struct ReportArgs {
    /// Run folders of one task, compared side by side.
    #[arg(required = true)]
    dirs: Vec<PathBuf>,
    /// The HTML file to write.
    #[arg(long, default_value = "report.html")]
    out: PathBuf,
}

/// Runs `waymark report`.
pub fn run(args: ReportArgs) -> anyhow::Result<()> {
    let runs = args
        .dirs
        .iter()
        .map(|dir| Run::load(dir))
        .collect::<Result<Vec<_>, _>>()?;
    write(&runs, &args.out)
}

/// Writes the report of `runs` to `out` and says where.
pub fn write(runs: &[Run], out: &Path) -> anyhow::Result<()> {
    let opened: Vec<OnceLock<Option<Box<dyn TaskEpisodes>>>> =
        runs.iter().map(|_| OnceLock::new()).collect();
    let pictures = |run: usize, record: &EpisodeRecord| -> Option<TopDown> {
        let episodes = opened
            .get(run)?
            .get_or_init(|| open(runs.get(run)?))
            .as_ref()?;
        episodes
            .top_down(record.index, &record.trajectory)
            .inspect_err(
                |e| tracing::warn!(episode = %record.id, error = %e, "no top-down picture"),
            )
            .ok()
            .flatten()
    };
    waymark_report::write(runs, &pictures, out)
        .with_context(|| format!("writing the report {}", out.display()))?;
    let bytes = std::fs::metadata(out).map_or(0, |m| m.len());
    say!(
        "wrote {} ({} run(s), {} KB)",
        out.display(),
        runs.len(),
        bytes.div_ceil(1024)
    );
    Ok(())
}

/// A run's episodes, opened from the task options its `run.json` records; `None` (with a
/// warning) when they no longer open, for example on another machine.
fn open(run: &Run) -> Option<Box<dyn TaskEpisodes>> {
    let task = waymark_eval::tasks::find(&run.manifest.task).ok()?;
    task.open(&run.manifest.task_args())
        .inspect_err(|e| {
            tracing::warn!(
                run = %run.dir.display(),
                error = %e,
                "no top-down pictures: the run's episodes do not open from the options in its run.json"
            );
        })
        .ok()
}
