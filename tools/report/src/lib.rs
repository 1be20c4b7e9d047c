//! `waymark report`: one self-contained HTML file comparing one or more run folders of the
//! same task.
//!
//! The report holds, in this order (a section without data is left out): the runs' settings;
//! their summaries side by side (overall, per language, per scene, per task type, end
//! reasons); plots drawn as inline SVG from the data (success rates, histograms of navigation
//! error and path length, goal-condition success per task type); each run's worst episodes
//! (see [`WORST_EPISODES`] and the order below) with a top-down picture where the caller can
//! give one; LLM usage, cost and failures by cause; and every episode, one click away from
//! its step log.
//!
//! Episodes are listed worst first: failures first (the lowest value of the task's success
//! metric, `sr`), then the largest navigation error (`ne`) or, for tasks without one, the
//! lowest fraction of goal conditions met (`gc`), then file order.
//!
//! Every number of the summary tables is shown rounded and carries the exact value of
//! `summary.json` (serde_json's text) in `data-value`, with `data-run` (the run's position),
//! `data-group` (`overall`, `by_language/<language>`, `by_scan/<scene>`,
//! `by_task_type/<type>`, `end_reasons`, `counters`, `counters_by_language/<language>`,
//! `not_done_causes`) and `data-metric` (the key within the group): the value is
//! `summary.json`'s `[group…][metric]`, the group `overall` being the top level.
//!
//! The file needs nothing else: styles and the small script (sortable tables) are inline and
//! nothing is fetched.

mod cost;
mod episodes;
mod error;
mod header;
mod html;
mod load;
mod metrics;
mod plots;
mod ranking;
mod tables;
mod top_down_svg;

pub use error::ReportError;
pub use load::Run;

use ranking::Ranking;
use std::path::Path;
use waymark_core::MetricDef;
use waymark_task::{EpisodeRecord, TopDown};

/// How many of each run's worst episodes are shown with their metrics and picture.
pub const WORST_EPISODES: usize = 12;

/// How many episodes per run (worst first) have their step logs in the report; the others'
/// logs are left out (and counted), to keep the file a reasonable size.
pub const STEP_LOG_EPISODES: usize = 500;

/// The HTML report of `runs` (all of one task). `pictures(run, record)` gives the top-down
/// view of an episode of `runs[run]`, or `None` where there is none (a task without a ground
/// plane, scene files not found).
pub fn render(
    runs: &[Run],
    pictures: &dyn Fn(usize, &EpisodeRecord) -> Option<TopDown>,
) -> Result<String, ReportError> {
    let report = Report::new(runs)?;
    let sections = [
        ("runs", "Runs", Some(header::runs_section(&report))),
        ("summary", "Summary", Some(tables::summary_section(&report))),
        ("plots", "Plots", plots::plots_section(&report)),
        (
            "worst",
            "Worst episodes",
            episodes::worst_section(&report, pictures),
        ),
        ("llm", "LLM cost and failures", cost::cost_section(&report)),
        (
            "episodes",
            "Every episode",
            episodes::all_episodes_section(&report)?,
        ),
    ];
    let present: Vec<_> = sections
        .into_iter()
        .filter_map(|(id, title, body)| body.map(|b| (id, title, b)))
        .collect();
    let mut body = header::title(&report);
    body.push_str("<nav>");
    for (id, title, _) in &present {
        body.push_str(&format!(r##"<a href="#{id}">{title}</a>"##));
    }
    body.push_str("</nav>\n");
    for (id, title, content) in &present {
        body.push_str(&format!(
            "<section id=\"{id}\">\n<h2>{title}</h2>\n{content}\n</section>\n"
        ));
    }
    Ok(html::page(
        &format!("waymark report: {}", report.task()),
        &body,
    ))
}

/// Writes the report of `runs` to `out` atomically (see [`render`]).
pub fn write(
    runs: &[Run],
    pictures: &dyn Fn(usize, &EpisodeRecord) -> Option<TopDown>,
    out: &Path,
) -> Result<(), ReportError> {
    let html = render(runs, pictures)?;
    Ok(waymark_io::write_bytes_atomic(out, html.as_bytes())?)
}

/// The runs being compared, with what every section needs to know about them.
pub(crate) struct Report<'a> {
    /// The runs, in the order given.
    pub(crate) runs: &'a [Run],
    /// Their names in the report: folder names, whole paths where two names are the same.
    pub(crate) names: Vec<String>,
    /// The task's metric definitions.
    pub(crate) defs: &'static [MetricDef],
    /// The task's one-line description.
    pub(crate) description: &'static str,
    /// The worst-first order.
    pub(crate) ranking: Ranking,
    /// Each run's record positions, worst first.
    pub(crate) worst_first: Vec<Vec<usize>>,
}

impl<'a> Report<'a> {
    /// Checks that `runs` are of one known task.
    fn new(runs: &'a [Run]) -> Result<Self, ReportError> {
        let first = runs.first().ok_or(ReportError::NoRuns)?;
        if let Some(other) = runs.iter().find(|r| r.manifest.task != first.manifest.task) {
            return Err(ReportError::MixedTasks {
                first: first.dir.clone(),
                first_task: first.manifest.task.clone(),
                other: other.dir.clone(),
                other_task: other.manifest.task.clone(),
            });
        }
        let info = waymark_eval::tasks::find(&first.manifest.task)
            .map_err(|source| ReportError::UnknownTask {
                dir: first.dir.clone(),
                source: Box::new(source),
            })?
            .info();
        let ranking = Ranking::of(info.metrics);
        let folder_names: Vec<String> = runs.iter().map(Run::name).collect();
        let names = runs
            .iter()
            .zip(&folder_names)
            .map(|(run, name)| {
                if folder_names.iter().filter(|n| *n == name).count() > 1 {
                    run.dir.display().to_string()
                } else {
                    name.clone()
                }
            })
            .collect();
        Ok(Self {
            runs,
            names,
            defs: info.metrics,
            description: info.description,
            ranking,
            worst_first: runs
                .iter()
                .map(|r| ranking.worst_first(&r.records))
                .collect(),
        })
    }

    /// The task's name.
    pub(crate) fn task(&self) -> &str {
        self.runs.first().map_or("", |r| r.manifest.task.as_str())
    }

    /// The definition of the task's metric `name`, if it has one.
    pub(crate) fn metric(&self, name: &str) -> Option<&'static MetricDef> {
        self.defs.iter().find(|d| d.name == name)
    }
}
