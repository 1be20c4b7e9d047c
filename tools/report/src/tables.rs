//! The summary tables: overall, per language, per scene, per task type, end reasons; runs side
//! by side. Every number carries its exact `summary.json` value (see the crate's docs).

use crate::Report;
use crate::header::run_header_cells;
use crate::html::{escape, run_colour};
use crate::metrics::{exact, group_metrics, label, rounded};
use std::collections::{BTreeMap, BTreeSet};
use waymark_core::{Aggregate, MetricDef, MetricMeans, Unit};
use waymark_eval::Summary;

/// A table cell of one exact summary value (`exact`, serde_json's text) shown as `shown`.
pub(crate) fn value_cell(
    run: usize,
    group: &str,
    metric: &str,
    exact: &str,
    shown: &str,
) -> String {
    format!(
        r#"<td class="num" data-run="{run}" data-group="{}" data-metric="{}" data-value="{exact}">{shown}</td>"#,
        escape(group),
        escape(metric)
    )
}

/// Where a summary keeps one grouping (per language, per scene, per task type).
type GroupOf = fn(&Summary) -> &BTreeMap<String, MetricMeans>;

/// A cell for a value the run does not have.
pub(crate) const MISSING_CELL: &str = r#"<td class="num note">—</td>"#;

/// The summary section.
pub(crate) fn summary_section(report: &Report) -> String {
    let mut out = String::from("<h3>Overall</h3>\n");
    out.push_str(&overall_table(report));
    out.push_str(&metric_legend(report.defs));
    let groups: [(&str, &str, &str, GroupOf); 3] = [
        ("Per language", "by_language", "language", |s| {
            &s.by_language
        }),
        ("Per scene", "by_scan", "scene", |s| &s.by_scan),
        ("Per task type", "by_task_type", "task type", |s| {
            &s.by_task_type
        }),
    ];
    for (heading, group, key_name, of) in groups {
        let maps: Vec<&BTreeMap<String, MetricMeans>> =
            report.runs.iter().map(|r| of(&r.summary)).collect();
        if maps.iter().all(|m| m.is_empty()) {
            continue;
        }
        out.push_str(&format!("<h3>{heading}</h3>\n"));
        out.push_str(&group_table(report, group, key_name, &maps));
    }
    out.push_str("<h3>End reasons</h3>\n");
    out.push_str(&end_reasons_table(report));
    out
}

/// Rows of metrics (with `episodes` first), a column per run.
fn overall_table(report: &Report) -> String {
    let mut out =
        String::from("<div class=\"scroll\"><table class=\"overall\">\n<thead><tr><th>metric</th>");
    out.push_str(&run_header_cells(report));
    out.push_str("</tr></thead>\n<tbody>\n<tr><th>episodes</th>");
    for (i, run) in report.runs.iter().enumerate() {
        let n = run.summary.overall.episodes;
        out.push_str(&value_cell(
            i,
            "overall",
            "episodes",
            &n.to_string(),
            &n.to_string(),
        ));
    }
    out.push_str("</tr>\n");
    for def in report.defs {
        out.push_str(&format!(
            r#"<tr><th title="{}">{}</th>"#,
            escape(def.description),
            escape(&label(def))
        ));
        for (i, run) in report.runs.iter().enumerate() {
            out.push_str(&mean_cell(i, "overall", def, &run.summary.overall));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

/// The cell of `def` in `means` (or a missing cell).
fn mean_cell(run: usize, group: &str, def: &MetricDef, means: &MetricMeans) -> String {
    match means.get(def.name) {
        Some(v) => value_cell(run, group, def.name, &exact(v), &rounded(def.unit, v)),
        None => MISSING_CELL.into(),
    }
}

/// What each metric is and how it aggregates.
fn metric_legend(defs: &[MetricDef]) -> String {
    let mut out =
        String::from("<details><summary>What the metrics are</summary><dl class=\"metrics\">\n");
    for def in defs {
        let aggregate = match def.aggregate {
            Aggregate::Mean => "the mean over episodes".to_string(),
            Aggregate::Rate => "a rate: the share of episodes".to_string(),
            Aggregate::Pooled { denominator } => {
                format!("pooled: its sum over episodes divided by the sum of {denominator}")
            }
            Aggregate::LogMeanOfRates { rates } => format!(
                "Crafter's score: exp(mean ln(1 + success %)) − 1 over the rates of {} metrics",
                rates.len()
            ),
        };
        let unit = match def.unit {
            Unit::Metres => "metres",
            Unit::Fraction => "shown in percent",
            Unit::Count => "a count",
            Unit::Percent => "in percent",
        };
        out.push_str(&format!(
            "<dt>{}</dt><dd>{}; {unit}; {aggregate}{}</dd>\n",
            escape(&label(def)),
            escape(def.description),
            if def.official {
                "; reported by the official evaluator"
            } else {
                ""
            }
        ));
    }
    out.push_str("</dl></details>\n");
    out
}

/// One row per group key (language, scene, task type); per metric one column per run.
fn group_table(
    report: &Report,
    group: &str,
    key_name: &str,
    maps: &[&BTreeMap<String, MetricMeans>],
) -> String {
    let runs = report.runs.len();
    let metrics = group_metrics(report.defs);
    let keys: BTreeSet<&String> = maps.iter().flat_map(|m| m.keys()).collect();
    let mut out = String::new();
    if runs > 1 {
        out.push_str(&numbered_legend(&report.names));
    }
    out.push_str("<div class=\"scroll\"><table class=\"group\">\n<thead><tr>");
    let corner = if runs > 1 { r#" rowspan="2""# } else { "" };
    out.push_str(&format!(r#"<th data-col="0"{corner}>{key_name}</th>"#));
    let columns: Vec<(String, &str)> = std::iter::once(("episodes".to_string(), ""))
        .chain(metrics.iter().map(|d| (label(d), d.description)))
        .collect();
    for (c, (name, description)) in columns.iter().enumerate() {
        if runs > 1 {
            out.push_str(&format!(
                r#"<th colspan="{runs}" title="{}">{}</th>"#,
                escape(description),
                escape(name)
            ));
        } else {
            out.push_str(&format!(
                r#"<th data-col="{}" title="{}">{}</th>"#,
                1 + c,
                escape(description),
                escape(name)
            ));
        }
    }
    out.push_str("</tr>");
    if runs > 1 {
        out.push_str("<tr>");
        for c in 0..columns.len() {
            for (r, name) in report.names.iter().enumerate() {
                out.push_str(&format!(
                    r#"<th class="run" style="--run:{}" data-col="{}" title="{}">{}</th>"#,
                    run_colour(r),
                    1 + c * runs + r,
                    escape(name),
                    r + 1
                ));
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</thead>\n<tbody>\n");
    for key in keys {
        let group_key = format!("{group}/{key}");
        out.push_str(&format!("<tr><td>{}</td>", escape(key)));
        let episodes_cells = maps.iter().enumerate().map(|(r, m)| match m.get(key) {
            Some(means) => {
                let n = means.episodes.to_string();
                value_cell(r, &group_key, "episodes", &n, &n)
            }
            None => MISSING_CELL.into(),
        });
        let cells: Vec<String> = episodes_cells
            .chain(metrics.iter().flat_map(|def| {
                maps.iter().enumerate().map(|(r, m)| match m.get(key) {
                    Some(means) => mean_cell(r, &group_key, def, means),
                    None => MISSING_CELL.into(),
                })
            }))
            .collect();
        out.push_str(&cells.concat());
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

/// Which run each numbered column is.
fn numbered_legend(names: &[String]) -> String {
    let runs: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(r, name)| {
            format!(
                r#"<i class="swatch" style="background:{}"></i>{} = {}"#,
                run_colour(r),
                r + 1,
                escape(name)
            )
        })
        .collect();
    format!(
        "<p class=\"legend\">One column per run under each metric: {}</p>\n",
        runs.join(" ")
    )
}

/// How many episodes ended each way, per run.
fn end_reasons_table(report: &Report) -> String {
    let reasons: BTreeSet<_> = report
        .runs
        .iter()
        .flat_map(|r| r.summary.end_reasons.keys().copied())
        .collect();
    let mut out = String::from(
        "<div class=\"scroll\"><table class=\"end-reasons\">\n<thead><tr><th>ended</th>",
    );
    out.push_str(&run_header_cells(report));
    out.push_str("</tr></thead>\n<tbody>\n");
    for reason in reasons {
        out.push_str(&format!("<tr><th>{}</th>", reason.as_str()));
        for (i, run) in report.runs.iter().enumerate() {
            match run.summary.end_reasons.get(&reason) {
                Some(&n) => {
                    let share = n as f64 / run.summary.overall.episodes.max(1) as f64;
                    let shown = format!(
                        r#"{n} <span class="note">({} %)</span>"#,
                        rounded(Unit::Fraction, share)
                    );
                    out.push_str(&value_cell(
                        i,
                        "end_reasons",
                        reason.as_str(),
                        &n.to_string(),
                        &shown,
                    ));
                }
                None => out.push_str(MISSING_CELL),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}
