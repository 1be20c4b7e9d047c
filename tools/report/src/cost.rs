//! LLM usage, cost and failures: the planners' counters summed over each run (token usage,
//! failures by cause), the estimated cost, episodes not done and why, counters per language.

use crate::Report;
use crate::header::run_header_cells;
use crate::html::escape;
use crate::metrics::exact;
use crate::tables::{MISSING_CELL, value_cell};
use std::collections::{BTreeMap, BTreeSet};

/// The prefix of the counters of failures by cause.
const FAILURE: &str = "failure.";

/// One table row: its header (HTML) and one cell per run.
type Row = (String, Vec<String>);

/// The section, when some run has counters, a cost or episodes not done.
pub(crate) fn cost_section(report: &Report) -> Option<String> {
    let runs = report.runs;
    let any = runs.iter().any(|r| {
        let s = &r.summary;
        !s.counters.is_empty() || s.cost_usd.is_some() || s.not_done > 0
    });
    if !any {
        return None;
    }
    let counter_names: BTreeSet<&String> = runs
        .iter()
        .flat_map(|r| r.summary.counters.keys())
        .collect();
    let counter_row = |name: &String, shown_name: &str| -> Row {
        let cells = runs
            .iter()
            .enumerate()
            .map(|(i, r)| match r.summary.counters.get(name) {
                Some(n) => value_cell(i, "counters", name, &n.to_string(), &n.to_string()),
                None => MISSING_CELL.into(),
            })
            .collect();
        (escape(shown_name), cells)
    };
    let mut out = String::new();
    let mut usage: Vec<Row> = counter_names
        .iter()
        .filter(|n| !n.starts_with(FAILURE))
        .map(|n| counter_row(n, n))
        .collect();
    if runs.iter().any(|r| r.summary.cost_usd.is_some()) {
        let cells = runs
            .iter()
            .enumerate()
            .map(|(i, r)| match r.summary.cost_usd {
                Some(c) => value_cell(i, "overall", "cost_usd", &exact(c), &format!("{c:.4}")),
                None => MISSING_CELL.into(),
            })
            .collect();
        usage.push(("estimated cost (USD)".into(), cells));
    }
    out.push_str(&table(report, "Usage", "counter", &usage));
    let failures: Vec<Row> = counter_names
        .iter()
        .filter_map(|n| n.strip_prefix(FAILURE).map(|cause| counter_row(n, cause)))
        .collect();
    out.push_str(&table(report, "Failures by cause", "cause", &failures));
    out.push_str(&table(report, "Not done", "why", &not_done_rows(report)));
    out.push_str(&table(
        report,
        "Counters per language",
        "language · counter",
        &per_language_rows(report),
    ));
    Some(out)
}

/// Episodes not done (left for a resume), and their causes.
fn not_done_rows(report: &Report) -> Vec<Row> {
    let runs = report.runs;
    if runs.iter().all(|r| r.summary.not_done == 0) {
        return Vec::new();
    }
    let total = runs
        .iter()
        .enumerate()
        .map(|(i, r)| match r.summary.not_done {
            // `summary.json` leaves a zero out.
            0 => r#"<td class="num">0</td>"#.to_string(),
            n => value_cell(i, "overall", "not_done", &n.to_string(), &n.to_string()),
        })
        .collect();
    let mut rows = vec![("all causes".to_string(), total)];
    let causes: BTreeSet<&String> = runs
        .iter()
        .flat_map(|r| r.summary.not_done_causes.keys())
        .collect();
    for cause in causes {
        let cells = runs
            .iter()
            .enumerate()
            .map(|(i, r)| match r.summary.not_done_causes.get(cause) {
                Some(n) => value_cell(i, "not_done_causes", cause, &n.to_string(), &n.to_string()),
                None => MISSING_CELL.into(),
            })
            .collect();
        rows.push((escape(cause), cells));
    }
    rows
}

/// Each counter per language, when some run has counters per language.
fn per_language_rows(report: &Report) -> Vec<Row> {
    let runs = report.runs;
    let pairs: BTreeSet<(&String, &String)> = runs
        .iter()
        .flat_map(|r| &r.summary.counters_by_language)
        .flat_map(|(language, counters)| counters.keys().map(move |c| (language, c)))
        .collect();
    pairs
        .into_iter()
        .map(|(language, counter)| {
            let group = format!("counters_by_language/{language}");
            let cells = runs
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    match r
                        .summary
                        .counters_by_language
                        .get(language)
                        .and_then(|c: &BTreeMap<String, u64>| c.get(counter))
                    {
                        Some(n) => value_cell(i, &group, counter, &n.to_string(), &n.to_string()),
                        None => MISSING_CELL.into(),
                    }
                })
                .collect();
            (format!("{} · {}", escape(language), escape(counter)), cells)
        })
        .collect()
}

/// A titled table of `rows` with one column per run; nothing when there are no rows.
fn table(report: &Report, heading: &str, corner: &str, rows: &[Row]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<h3>{heading}</h3>\n<div class=\"scroll\"><table>\n<thead><tr><th data-col=\"0\">{corner}</th>"
    );
    out.push_str(&run_header_cells(report));
    out.push_str("</tr></thead>\n<tbody>\n");
    for (header, cells) in rows {
        out.push_str(&format!("<tr><th>{header}</th>{}</tr>\n", cells.concat()));
    }
    out.push_str("</tbody></table></div>\n");
    out
}
