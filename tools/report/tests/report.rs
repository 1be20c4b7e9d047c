//! The report of real run folders (made by the batch runner on the shipped demo data): every
//! table number is `summary.json`'s, runs sit side by side, plots and pictures are SVG, text
//! is escaped, nothing is fetched, and bad inputs are refused naming the folder or file.

#![allow(clippy::unwrap_used)]

mod common;

use common::{HOSTILE_PROMPT, assets, path_text, picture, r2r_run, run_batch};
use regex::Regex;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use waymark_eval::TaskArgs;
use waymark_report::{ReportError, Run, STEP_LOG_EPISODES, WORST_EPISODES, render, write};
use waymark_task::{EpisodeRecord, TopDown};

/// No pictures.
fn none(_: usize, _: &EpisodeRecord) -> Option<TopDown> {
    None
}

/// The household demo (every ALFRED task type) run by the expert, made once.
fn alfred_run() -> &'static Path {
    static RUN: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, out) = RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("alfred-expert");
        let household = assets().join("household");
        let args = TaskArgs::new()
            .with("episodes", path_text(&household.join("tasks")))
            .with("layouts", path_text(&household.join("layouts")));
        run_batch("alfred", &args, "expert", None, &out);
        (dir, out)
    });
    out
}

fn load(dirs: &[&Path]) -> Vec<Run> {
    dirs.iter().map(|d| Run::load(d).unwrap()).collect()
}

/// The two demo R2R runs, shortest first.
fn r2r_runs() -> Vec<Run> {
    load(&[r2r_run("shortest"), r2r_run("random")])
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The attributes of every table cell that carries a `data-value`.
fn value_cells(html: &str) -> Vec<BTreeMap<String, String>> {
    let cell = Regex::new(r"<td ([^>]*)>").unwrap();
    let attribute = Regex::new(r#"([a-z-]+)="([^"]*)""#).unwrap();
    cell.captures_iter(html)
        .map(|c| {
            attribute
                .captures_iter(&c[1])
                .map(|a| (a[1].to_string(), unescape(&a[2])))
                .collect::<BTreeMap<_, _>>()
        })
        .filter(|attributes| attributes.contains_key("data-value"))
        .collect()
}

/// `summary.json`'s value at `[group…][metric]` (`overall`: the top level).
fn summary_value<'a>(summary: &'a Value, group: &str, metric: &str) -> Option<&'a Value> {
    let mut value = summary;
    if group != "overall" {
        let (head, key) = group
            .split_once('/')
            .map_or((group, None), |(h, k)| (h, Some(k)));
        value = value.get(head)?;
        if let Some(key) = key {
            value = value.get(key)?;
        }
    }
    value.get(metric)
}

/// The `summary.json` of each of `dirs`.
fn summaries(dirs: &[&Path]) -> Vec<Value> {
    dirs.iter()
        .map(|d| {
            let text = std::fs::read_to_string(d.join("summary.json")).unwrap();
            serde_json::from_str(&text).unwrap()
        })
        .collect()
}

/// Checks that every `data-value` cell of `html` holds exactly the value of `summaries` it
/// names (the same text serde_json writes, the same number); returns `(run, group, metric)`
/// of each.
fn check_cells(html: &str, summaries: &[Value]) -> BTreeSet<(String, String, String)> {
    let mut seen = BTreeSet::new();
    for cell in value_cells(html) {
        let (run, group, metric) = (&cell["data-run"], &cell["data-group"], &cell["data-metric"]);
        let summary = &summaries[run.parse::<usize>().unwrap()];
        let expected = summary_value(summary, group, metric)
            .unwrap_or_else(|| panic!("run {run}: no {group}/{metric} in summary.json"));
        assert_eq!(
            cell["data-value"],
            serde_json::to_string(expected).unwrap(),
            "run {run} {group} {metric}"
        );
        assert_eq!(
            cell["data-value"].parse::<f64>().ok(),
            expected.as_f64(),
            "run {run} {group} {metric}"
        );
        seen.insert((run.clone(), group.clone(), metric.clone()));
    }
    seen
}

#[test]
fn every_table_number_is_the_exact_summary_value() {
    for dirs in [
        vec![r2r_run("shortest"), r2r_run("random")],
        vec![alfred_run()],
    ] {
        let runs = load(&dirs);
        let html = render(&runs, &none).unwrap();
        let summaries = summaries(&dirs);
        let seen = check_cells(&html, &summaries);
        // … and every number of the summaries is in a table.
        let task = runs[0].manifest.task.clone();
        let defs = waymark_eval::tasks::find(&task).unwrap().info().metrics;
        for (run, summary) in summaries.iter().enumerate() {
            let has = |group: &str, metric: &str| {
                seen.contains(&(run.to_string(), group.to_string(), metric.to_string()))
            };
            assert!(has("overall", "episodes"));
            for def in defs {
                assert!(has("overall", def.name), "{task} run {run}: {}", def.name);
            }
            for group in ["by_language", "by_scan", "by_task_type"] {
                let Some(members) = summary.get(group).and_then(Value::as_object) else {
                    continue;
                };
                for key in members.keys() {
                    let group = format!("{group}/{key}");
                    assert!(has(&group, "episodes"), "{group}");
                    for def in defs.iter().filter(|d| d.official) {
                        assert!(has(&group, def.name), "{group} {}", def.name);
                    }
                }
            }
            for reason in summary["end_reasons"].as_object().unwrap().keys() {
                assert!(has("end_reasons", reason), "{reason}");
            }
        }
        assert!(seen.len() > 40, "{} cells", seen.len());
    }
}

/// A copy of the random R2R run in `into`, its records replaced by `records` when given.
fn copy_run(into: &Path, records: Option<&[EpisodeRecord]>) -> PathBuf {
    let source = r2r_run("random");
    std::fs::create_dir_all(into).unwrap();
    for file in ["run.json", "summary.json", "episodes.jsonl"] {
        std::fs::copy(source.join(file), into.join(file)).unwrap();
    }
    if let Some(records) = records {
        let lines: String = records
            .iter()
            .map(|r| serde_json::to_string(r).unwrap() + "\n")
            .collect();
        std::fs::write(into.join("episodes.jsonl"), lines).unwrap();
    }
    into.to_path_buf()
}

#[test]
fn llm_usage_cost_and_failures_per_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_run(&tmp.path().join("r2r-llm"), None);
    let mut summary: Value = summaries(&[&dir]).remove(0);
    let extra = serde_json::json!({
        "counters": {"prompt_tokens": 123456, "completion_tokens": 789, "failure.missing_action": 3, "failure.llm_timeout": 1},
        "counters_by_language": {"ar": {"prompt_tokens": 100000}, "en-US": {"prompt_tokens": 23456}},
        "cost_usd": 0.1 + 0.2,
        "not_done": 2,
        "not_done_causes": {"LLM server <down>": 2},
        "stopped_early": true,
    });
    for (key, value) in extra.as_object().unwrap() {
        summary[key] = value.clone();
    }
    std::fs::write(
        dir.join("summary.json"),
        serde_json::to_string_pretty(&summary).unwrap(),
    )
    .unwrap();
    let dirs = [r2r_run("shortest"), dir.as_path()];
    let html = render(&load(&dirs), &none).unwrap();
    let seen = check_cells(&html, &summaries(&dirs));
    for (group, metric) in [
        ("counters", "prompt_tokens"),
        ("counters", "failure.missing_action"),
        ("counters", "failure.llm_timeout"),
        ("counters_by_language/ar", "prompt_tokens"),
        ("overall", "cost_usd"),
        ("overall", "not_done"),
        ("not_done_causes", "LLM server <down>"),
    ] {
        assert!(
            seen.contains(&("1".into(), group.into(), metric.into())),
            "{group} {metric}"
        );
    }
    assert!(html.contains(r#"data-value="0.30000000000000004">0.3000</td>"#));
    let llm = html.split(r#"<section id="llm">"#).nth(1).unwrap();
    let llm = llm.split("</section>").next().unwrap();
    for heading in [
        "Usage",
        "Failures by cause",
        "Not done",
        "Counters per language",
    ] {
        assert!(llm.contains(&format!("<h3>{heading}</h3>")), "{heading}");
    }
    assert!(llm.contains("<tr><th>missing_action</th>"));
    assert!(llm.contains("LLM server &lt;down&gt;"));
    let runs_table = html.split(r#"<section id="runs">"#).nth(1).unwrap();
    assert!(runs_table.contains(
        r#"<tr><th>stopped early</th><td>no</td><td><span class="warn">yes</span></td></tr>"#
    ));
    assert!(
        runs_table.contains(
            r#"<tr><th>not done</th><td>0</td><td><span class="warn">2</span></td></tr>"#
        )
    );
}

#[test]
fn step_logs_beyond_the_limit_are_counted_not_included() {
    let template = Run::load(r2r_run("random")).unwrap().records.remove(0);
    let records: Vec<EpisodeRecord> = (0..STEP_LOG_EPISODES + 2)
        .map(|i| EpisodeRecord {
            index: i,
            id: format!("x{i}"),
            ..template.clone()
        })
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_run(&tmp.path().join("many"), Some(&records));
    let run_dir = waymark_eval::run_dir::RunDir::new(&dir);
    let entry = waymark_planner::StepLogEntry {
        step: 0,
        outcome: "finish".into(),
        ..Default::default()
    };
    for record in &records {
        run_dir
            .write_step_log(&record.id, std::slice::from_ref(&entry))
            .unwrap();
    }
    let html = render(&load(&[&dir]), &none).unwrap();
    assert_eq!(html.matches("step log: 1 entry").count(), STEP_LOG_EPISODES);
    assert!(
        html.contains("The step logs of 2 more episodes are left out"),
        "the note"
    );
    assert_eq!(
        html.matches(r#"<tbody class="episode""#).count(),
        STEP_LOG_EPISODES + 2
    );
}

#[test]
fn two_r2r_runs_side_by_side() {
    let runs = r2r_runs();
    let html = render(&runs, &none).unwrap();
    assert!(html.contains("<h1>waymark report: r2r</h1>"));
    let header = Regex::new(r#"<th class="run" style="--run:[^"]*">([^<]*)</th>"#).unwrap();
    let names: Vec<&str> = header
        .captures_iter(&html)
        .map(|c| c.get(1).unwrap().as_str())
        .take(2)
        .collect();
    assert_eq!(names, ["r2r-shortest", "r2r-random"]);
    for section in ["runs", "summary", "plots", "worst", "episodes"] {
        assert!(
            html.contains(&format!(r#"<section id="{section}">"#)),
            "{section}"
        );
    }
    assert!(
        html.contains("<td>shortest</td><td>random</td>"),
        "planners side by side"
    );
    // The shortest path always succeeds; both runs have every overall metric.
    let cells = value_cells(&html);
    let overall = |run: &str, metric: &str| {
        cells
            .iter()
            .find(|c| {
                c["data-run"] == run && c["data-group"] == "overall" && c["data-metric"] == metric
            })
            .map(|c| c["data-value"].clone())
    };
    assert_eq!(overall("0", "sr").as_deref(), Some("1.0"));
    assert_eq!(overall("0", "episodes").as_deref(), Some("12"));
    assert_eq!(overall("1", "episodes").as_deref(), Some("12"));
    assert!(overall("1", "ne").is_some());
    // Plots: SR and SPL bars, histograms of NE and TL; no task types in R2R.
    assert_eq!(html.matches(r#"<svg class="plot""#).count(), 3);
    assert!(html.contains("SR (%) and SPL (%) per run"));
    assert!(
        html.contains("Distribution of NE (m) per run") && html.contains("navigation error (m)")
    );
    assert!(
        html.contains("Distribution of TL (m) per run") && html.contains("trajectory length (m)")
    );
    assert!(html.contains("success radius 3 m"));
    assert!(!html.contains("per task type"));
    // The worst episodes and every episode, per run.
    assert_eq!(
        html.matches(r#"<div class="card">"#).count(),
        2 * WORST_EPISODES
    );
    assert_eq!(html.matches(r#"<tbody class="episode""#).count(), 24);
    assert!(html.contains("lowest SR (%) first, then largest NE (m), then file order"));
    // The random run's first card is its failure that ended farthest from the goal.
    let expected = runs[1]
        .records
        .iter()
        .filter(|r| r.metrics.real("sr") == 0.0)
        .max_by(|a, b| {
            a.metrics
                .real("ne")
                .total_cmp(&b.metrics.real("ne"))
                .then(b.index.cmp(&a.index))
        })
        .map(|r| r.id.as_str())
        .unwrap();
    let worst = html.split(r#"<section id="worst">"#).nth(1).unwrap();
    let random_cards = worst.split(r#"<div class="cards">"#).nth(2).unwrap();
    let card = random_cards
        .split(r#"<div class="card"><h4>"#)
        .nth(1)
        .unwrap();
    let id = card.split(' ').next().unwrap();
    assert_eq!(id, expected);
}

#[test]
fn a_household_run_plots_goal_conditions_per_task_type() {
    let runs = load(&[alfred_run()]);
    let html = render(&runs, &none).unwrap();
    assert!(html.contains("<h1>waymark report: alfred</h1>"));
    assert!(html.contains("<h3>Per task type</h3>"));
    assert!(html.contains(r#"data-group="by_task_type/pick_and_place_simple""#));
    assert!(html.contains("GC (%) per task type") && html.contains("goal-condition success (%)"));
    assert!(html.contains("SR (%) per task type"));
    assert!(
        !html.contains("Distribution of NE"),
        "ALFRED has no navigation error"
    );
    assert!(html.contains("<th data-col=\"4\">task type</th>"));
    assert!(html.contains(
        "no top-down picture (the task has no ground plane, or its scene files were not found)"
    ));
    assert!(html.contains("lowest SR (%) first, then lowest GC (%) of the episode"));
}

#[test]
fn runs_of_different_tasks_are_refused_naming_both() {
    let runs = load(&[r2r_run("shortest"), alfred_run()]);
    let err = render(&runs, &none).unwrap_err();
    assert!(matches!(err, ReportError::MixedTasks { .. }), "{err:?}");
    let text = err.to_string();
    for part in [
        r2r_run("shortest").display().to_string(),
        alfred_run().display().to_string(),
        "`r2r`".into(),
        "`alfred`".into(),
    ] {
        assert!(text.contains(&part), "{part}: {text}");
    }
    assert!(matches!(render(&[], &none), Err(ReportError::NoRuns)));
}

#[test]
fn folders_that_are_not_finished_runs_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("foo");
    std::fs::create_dir(&empty).unwrap();
    let err = Run::load(&empty).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "{} is not a run folder: it has no run.json",
            empty.display()
        )
    );
    let missing = tmp.path().join("nowhere");
    let err = Run::load(&missing).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "{} is not a run folder: it does not exist",
            missing.display()
        )
    );

    let source = r2r_run("random");
    let unfinished = tmp.path().join("unfinished");
    std::fs::create_dir(&unfinished).unwrap();
    std::fs::copy(source.join("run.json"), unfinished.join("run.json")).unwrap();
    let err = Run::load(&unfinished).unwrap_err();
    assert!(matches!(err, ReportError::Unfinished { .. }));
    let text = err.to_string();
    assert!(
        text.starts_with(&unfinished.display().to_string()) && text.contains("no summary.json"),
        "{text}"
    );

    let torn = copy_run(&tmp.path().join("torn"), None);
    std::fs::write(torn.join("episodes.jsonl"), "{\"index\": 0}\n").unwrap();
    let text = Run::load(&torn).unwrap_err().to_string();
    assert!(
        text.contains(&torn.join("episodes.jsonl").display().to_string()),
        "{text}"
    );

    // A step log that is not one is an error naming the file and the line, when rendered.
    let bad_log = copy_run(&tmp.path().join("bad-log"), None);
    std::fs::create_dir(bad_log.join("steps")).unwrap();
    let run = Run::load(&bad_log).unwrap();
    let id = &run.records[0].id;
    let log = waymark_eval::run_dir::RunDir::new(&bad_log).step_log_path(id);
    std::fs::write(&log, "{\"step\": 0, \"outcome\": \"move\"}\nnot json\n").unwrap();
    let err = render(&[run], &none).unwrap_err();
    assert!(
        matches!(err, ReportError::StepLog { line: 2, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains(&log.display().to_string()),
        "{err}"
    );
}

#[test]
fn step_logs_arrive_escaped() {
    let html = render(&r2r_runs(), &none).unwrap();
    let escaped =
        "Go to the &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; kitchen &lt;/pre&gt; &amp; stop";
    assert_eq!(
        html.matches(escaped).count(),
        2,
        "two episodes have the prompt"
    );
    assert!(!html.contains(HOSTILE_PROMPT));
    assert_eq!(
        html.matches("<script").count(),
        1,
        "the report's own script only"
    );
    assert_eq!(html.matches("step log: 2 entries").count(), 2);
    assert!(html.contains("<dt>response</dt><dd><pre>Action: move_to b</pre></dd>"));
    assert!(html.contains("step 1 · finish"));
}

#[test]
fn nothing_is_fetched_from_outside_the_file() {
    let links = Regex::new(r#"(?i)\b(?:src|href)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)"#).unwrap();
    let urls = Regex::new(r"(?i)url\(([^)]*)\)").unwrap();
    for runs in [r2r_runs(), load(&[alfred_run()])] {
        let html = render(&runs, &|_, r| Some(picture(r))).unwrap();
        let external = |text: &str| {
            let text = text.to_ascii_lowercase();
            text.contains("http://") || text.contains("https://")
        };
        for found in links.captures_iter(&html).chain(urls.captures_iter(&html)) {
            assert!(!external(&found[1]), "{}", &found[0]);
        }
        assert!(
            !external(&html),
            "no address at all in the demo runs' report"
        );
        assert!(
            links.captures_iter(&html).count() > 5,
            "the in-page links are found"
        );
    }
}

#[test]
fn pictures_appear_as_svg_and_missing_ones_are_explained() {
    let runs = r2r_runs();
    let html = render(&runs, &|run, r| (run == 0).then(|| picture(r))).unwrap();
    assert_eq!(
        html.matches(r#"<svg class="top-down""#).count(),
        WORST_EPISODES
    );
    assert_eq!(
        html.matches(
            "no top-down picture (the task has no ground plane, or its scene files were not found)"
        )
        .count(),
        WORST_EPISODES
    );
    for class in [
        "map",
        "radius",
        "reference",
        "agent",
        "start",
        "goal",
        "end",
        "scale",
    ] {
        assert!(html.contains(&format!(r#"class="{class}""#)), "{class}");
    }
    assert!(html.contains(">2 m</text>"), "a scale bar in metres");
}

#[test]
fn write_puts_the_rendered_report_in_place() {
    let runs = r2r_runs();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    write(&runs, &none, &out).unwrap();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        render(&runs, &none).unwrap()
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
    let err = write(&runs, &none, &dir.path().join("no/such/folder/r.html")).unwrap_err();
    assert!(err.to_string().contains("no/such/folder/r.html"), "{err}");
}
