//! The report's title and the runs' settings, side by side.

use crate::html::{escape, run_colour};
use crate::{Report, Run};
use std::collections::BTreeSet;

/// The page's heading: the task, its splits, how many runs.
pub(crate) fn title(report: &Report) -> String {
    let splits: BTreeSet<&str> = report
        .runs
        .iter()
        .map(|r| r.summary.split.as_str())
        .collect();
    let splits: Vec<&str> = splits.into_iter().collect();
    format!(
        "<header>\n<h1>waymark report: {}</h1>\n<p class=\"subtitle\">{} · split {} · {} run{}</p>\n</header>\n",
        escape(report.task()),
        escape(report.description),
        escape(&splits.join(", ")),
        report.runs.len(),
        if report.runs.len() == 1 { "" } else { "s" },
    )
}

/// The header cells of a table with one column per run.
pub(crate) fn run_header_cells(report: &Report) -> String {
    let mut out = String::new();
    for (i, name) in report.names.iter().enumerate() {
        out.push_str(&format!(
            r#"<th class="run" style="--run:{}">{}</th>"#,
            run_colour(i),
            escape(name)
        ));
    }
    out
}

/// The runs' settings: one column per run.
pub(crate) fn runs_section(report: &Report) -> String {
    let columns: Vec<Vec<(&str, String)>> = report.runs.iter().map(settings).collect();
    let mut out =
        String::from("<div class=\"scroll\"><table class=\"runs\">\n<thead><tr><th></th>");
    out.push_str(&run_header_cells(report));
    out.push_str("</tr></thead>\n<tbody>\n");
    let names = columns
        .first()
        .map(|c| c.iter().map(|(name, _)| *name).collect::<Vec<_>>());
    for (row, name) in names.unwrap_or_default().into_iter().enumerate() {
        out.push_str(&format!("<tr><th>{name}</th>"));
        for column in &columns {
            let cell = column.get(row).map_or("", |(_, cell)| cell.as_str());
            out.push_str(&format!("<td>{cell}</td>"));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>");
    out
}

/// One run's settings as `(name, HTML)`, the same names in the same order for every run.
fn settings(run: &Run) -> Vec<(&'static str, String)> {
    let (manifest, summary) = (&run.manifest, &run.summary);
    let flag = |on: bool| {
        if on {
            r#"<span class="warn">yes</span>"#
        } else {
            "no"
        }
    };
    let settings = if manifest.planner_settings.is_empty() {
        r#"<span class="note">none</span>"#.to_string()
    } else {
        manifest
            .planner_settings
            .iter()
            .map(|(k, v)| format!("{} = <code>{}</code>", escape(k), escape(v)))
            .collect::<Vec<_>>()
            .join("<br>")
    };
    vec![
        (
            "folder",
            format!("<code>{}</code>", escape(&run.dir.display().to_string())),
        ),
        ("planner", escape(&manifest.planner)),
        ("planner settings", settings),
        (
            "privileged",
            (if manifest.privileged { "yes" } else { "no" }).into(),
        ),
        ("split", escape(&summary.split)),
        ("episodes scored", summary.overall.episodes.to_string()),
        (
            "episodes in the file",
            manifest.instructions_in_file.to_string(),
        ),
        (
            "limit",
            manifest.limit.map_or("none".into(), |n| n.to_string()),
        ),
        ("shard", manifest.shard.to_string()),
        ("seed", manifest.seed.to_string()),
        ("step limit", manifest.max_steps.to_string()),
        (
            "success radius",
            manifest
                .success_threshold_m
                .map_or("none".into(), |m| format!("{m} m")),
        ),
        (
            "not done",
            match summary.not_done {
                0 => "0".into(),
                n => format!(r#"<span class="warn">{n}</span>"#),
            },
        ),
        ("partial", flag(summary.partial).into()),
        ("stopped early", flag(summary.stopped_early).into()),
    ]
}
