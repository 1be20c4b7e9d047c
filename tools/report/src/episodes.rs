//! Episodes: each run's worst ones as cards with their top-down pictures, and every episode
//! in a sortable table whose rows open the planner's step log.

use crate::error::ReportError;
use crate::html::{escape, run_colour};
use crate::metrics::{episode_metrics, episode_value, exact, label, rounded};
use crate::top_down_svg::{LEGEND, top_down_svg};
use crate::{Report, Run, STEP_LOG_EPISODES, WORST_EPISODES};
use waymark_core::MetricDef;
use waymark_planner::StepLogEntry;
use waymark_task::{EpisodeRecord, TopDown};

/// The longest text of one step log field kept in the report, in characters.
const MAX_FIELD_CHARS: usize = 20_000;

/// The id of an episode's entry in the table of every episode.
fn anchor(run: usize, position: usize) -> String {
    format!("run{run}-ep{position}")
}

/// A run's heading, with its colour.
fn run_heading(report: &Report, run: usize) -> String {
    format!(
        r#"<h3><i class="swatch" style="background:{}"></i>{}</h3>"#,
        run_colour(run),
        escape(report.names.get(run).map_or("", String::as_str))
    )
}

/// Where an episode took place: scene, language, task type.
fn place(record: &EpisodeRecord) -> String {
    let mut parts = vec![format!("scene {}", escape(&record.scene))];
    if let Some(language) = &record.language {
        parts.push(format!("language {}", escape(language)));
    }
    if let Some(task_type) = &record.task_type {
        parts.push(format!("type {}", escape(task_type)));
    }
    parts.join(" · ")
}

/// The section of the worst episodes, when some run has episodes.
pub(crate) fn worst_section(
    report: &Report,
    pictures: &dyn Fn(usize, &EpisodeRecord) -> Option<TopDown>,
) -> Option<String> {
    if report.runs.iter().all(|r| r.records.is_empty()) {
        return None;
    }
    let shown = episode_metrics(report.defs);
    let mut out = format!(
        "<p>Each run's {WORST_EPISODES} worst episodes: {}.</p>\n<p class=\"picture-legend\">{}.</p>\n",
        escape(&report.ranking.describe()),
        escape(LEGEND)
    );
    for (r, run) in report.runs.iter().enumerate() {
        out.push_str(&run_heading(report, r));
        out.push_str("\n<div class=\"cards\">\n");
        for &position in report.worst_first[r].iter().take(WORST_EPISODES) {
            let Some(record) = run.records.get(position) else {
                continue;
            };
            out.push_str(&card(r, position, record, &shown, pictures(r, record)));
        }
        out.push_str("</div>\n");
    }
    Some(out)
}

/// One worst episode: its metrics, how it ended, its picture.
fn card(
    run: usize,
    position: usize,
    record: &EpisodeRecord,
    shown: &[&'static MetricDef],
    picture: Option<TopDown>,
) -> String {
    let mut out = format!(
        "<div class=\"card\"><h4>{} <a href=\"#{}\">(in the table)</a></h4><div class=\"note\">{}</div>\n<dl class=\"metrics\">",
        escape(&record.id),
        anchor(run, position),
        place(record)
    );
    for def in shown {
        let value = episode_value(def, &record.metrics);
        out.push_str(&format!(
            "<dt>{}</dt><dd>{}</dd>",
            escape(&label(def)),
            value.map_or("—".into(), |v| rounded(def.unit, v))
        ));
    }
    out.push_str(&format!(
        "<dt>ended</dt><dd>{}</dd></dl>\n",
        record.end.as_str()
    ));
    if let Some(error) = &record.error {
        out.push_str(&format!(r#"<div class="error">{}</div>"#, escape(error)));
    }
    match picture {
        Some(picture) => out.push_str(&top_down_svg(&picture, &record.id)),
        None => out.push_str(
            r#"<p class="note">no top-down picture (the task has no ground plane, or its scene files were not found)</p>"#,
        ),
    }
    out.push_str("</div>\n");
    out
}

/// The section of every episode, when some run has episodes. Step logs are read here.
pub(crate) fn all_episodes_section(report: &Report) -> Result<Option<String>, ReportError> {
    if report.runs.iter().all(|r| r.records.is_empty()) {
        return Ok(None);
    }
    let mut out = String::from(
        "<p>Worst first; click a column's header to sort by it. Where the planner wrote a step log, the row below an episode opens it.</p>\n",
    );
    for (r, run) in report.runs.iter().enumerate() {
        out.push_str(&run_heading(report, r));
        out.push_str(&episode_table(report, r, run)?);
    }
    Ok(Some(out))
}

/// One run's table: one `tbody` per episode (its row, then its error and step log).
fn episode_table(report: &Report, r: usize, run: &Run) -> Result<String, ReportError> {
    let shown = episode_metrics(report.defs);
    let typed = run.records.iter().any(|e| e.task_type.is_some());
    let mut headers = vec![
        "#".to_string(),
        "episode".into(),
        "scene".into(),
        "language".into(),
    ];
    if typed {
        headers.push("task type".into());
    }
    headers.extend(shown.iter().map(|d| label(d)));
    headers.push("ended".into());
    let mut out = String::from("<div class=\"scroll\"><table class=\"episodes\">\n<thead><tr>");
    for (c, header) in headers.iter().enumerate() {
        out.push_str(&format!(r#"<th data-col="{c}">{}</th>"#, escape(header)));
    }
    out.push_str("</tr></thead>\n");
    let mut left_out = 0usize;
    for (rank, &position) in report.worst_first[r].iter().enumerate() {
        let Some(record) = run.records.get(position) else {
            continue;
        };
        out.push_str(&format!(
            "<tbody class=\"episode\" id=\"{}\"><tr><td class=\"num\" data-sort=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td>",
            anchor(r, position),
            record.index,
            record.index,
            escape(&record.id),
            escape(&record.scene),
            escape(record.language.as_deref().unwrap_or("—"))
        ));
        if typed {
            out.push_str(&format!(
                "<td>{}</td>",
                escape(record.task_type.as_deref().unwrap_or("—"))
            ));
        }
        for def in &shown {
            out.push_str(&match episode_value(def, &record.metrics) {
                Some(v) => format!(
                    r#"<td class="num" data-sort="{}">{}</td>"#,
                    exact(v),
                    rounded(def.unit, v)
                ),
                None => r#"<td class="num note">—</td>"#.into(),
            });
        }
        let warn = if record.error.is_some() {
            r#" class="warn""#
        } else {
            ""
        };
        out.push_str(&format!("<td{warn}>{}</td></tr>\n", record.end.as_str()));
        let mut below = String::new();
        if let Some(error) = &record.error {
            below.push_str(&format!(
                r#"<div class="error">error: {}</div>"#,
                escape(error)
            ));
        }
        if rank < STEP_LOG_EPISODES {
            if let Some(entries) = run.step_log(&record.id)? {
                below.push_str(&step_log(&entries));
            }
        } else if run.step_log_path(&record.id).is_file() {
            left_out += 1;
        }
        if !below.is_empty() {
            out.push_str(&format!(
                "<tr class=\"log\"><td colspan=\"{}\">{below}</td></tr>\n",
                headers.len()
            ));
        }
        out.push_str("</tbody>\n");
    }
    out.push_str("</table></div>\n");
    if left_out > 0 {
        out.push_str(&format!(
            "<p class=\"note\">The step logs of {left_out} more episode{} are left out (the report holds those of the first {STEP_LOG_EPISODES} episodes, worst first); they are in <code>{}</code>.</p>\n",
            if left_out == 1 { "" } else { "s" },
            escape(&run.dir.join(waymark_eval::run_dir::STEPS_DIR).display().to_string())
        ));
    }
    Ok(out)
}

/// A step log, folded: each entry's step and outcome, then its prompt, thought, response,
/// action and the planner's other fields, as preformatted text.
fn step_log(entries: &[StepLogEntry]) -> String {
    let mut out = format!(
        "<details><summary>step log: {} entr{}</summary>",
        entries.len(),
        if entries.len() == 1 { "y" } else { "ies" }
    );
    for entry in entries {
        let outcome = match &entry.cause {
            Some(cause) if !cause.is_empty() => format!("{}: {cause}", entry.outcome),
            _ => entry.outcome.clone(),
        };
        out.push_str(&format!(
            r#"<div class="step"><div class="step-head">step {} · {}</div><dl>"#,
            entry.step,
            escape(&outcome)
        ));
        let extra = |name: &str| entry.extra.get(name).map(field_text);
        let mut fields: Vec<(&str, Option<String>)> = vec![
            ("prompt", extra("prompt")),
            ("thought", entry.thought.clone()),
            ("response", extra("response")),
            ("action", entry.action.clone()),
        ];
        fields.extend(
            entry
                .extra
                .iter()
                .filter(|(name, _)| !matches!(name.as_str(), "prompt" | "response"))
                .map(|(name, value)| (name.as_str(), Some(field_text(value)))),
        );
        for (name, text) in fields {
            if let Some(text) = text {
                out.push_str(&format!(
                    "<dt>{}</dt><dd><pre>{}</pre></dd>",
                    escape(name),
                    escape(&shortened(&text))
                ));
            }
        }
        out.push_str("</dl></div>");
    }
    out.push_str("</details>");
    out
}

/// A field's text: a string as it is, anything else as indented JSON.
fn field_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_else(|_| other.to_string()),
    }
}

/// `text`, cut after [`MAX_FIELD_CHARS`] characters with a note of how many were left out.
fn shortened(text: &str) -> String {
    match text.char_indices().nth(MAX_FIELD_CHARS) {
        None => text.to_string(),
        Some((cut, _)) => {
            let rest = text[cut..].chars().count();
            format!("{}\n… ({rest} more characters left out)", &text[..cut])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_logs_are_escaped_and_ordered() {
        let entry = StepLogEntry {
            step: 2,
            thought: Some("go <left>".into()),
            action: Some("move_to b".into()),
            outcome: "parse_error".into(),
            cause: Some("no viewpoint".into()),
            extra: StepLogEntry::fields(serde_json::json!({
                "response": "Final Answer: b",
                "prompt": "<script>alert(1)</script>",
                "iteration": 3,
            })),
        };
        let html = step_log(&[entry]);
        assert!(html.contains("step 2 · parse_error: no viewpoint"));
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script")
        );
        let at = |s: &str| html.find(s).unwrap_or(usize::MAX);
        assert!(at(">prompt<") < at(">thought<"));
        assert!(at(">thought<") < at(">response<"));
        assert!(at(">response<") < at(">action<"));
        assert!(at(">action<") < at(">iteration<") && at(">iteration<") < usize::MAX);
        assert!(html.contains("step log: 1 entry"));
    }

    #[test]
    fn long_fields_are_cut_on_a_character_boundary() {
        let text = "é".repeat(MAX_FIELD_CHARS + 5);
        let short = shortened(&text);
        assert!(short.starts_with(&"é".repeat(MAX_FIELD_CHARS)));
        assert!(short.ends_with("(5 more characters left out)"));
        assert_eq!(shortened("abc"), "abc");
    }
}
