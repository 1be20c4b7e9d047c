//! The plots, as inline SVG written from the data: success per run, histograms of
//! navigation error and path length, success per task type. Each run has one colour
//! ([`run_colour`]) in every plot.

use crate::Report;
use crate::html::{escape, legend, run_colour};
use crate::metrics::{label, rounded, unit_text};
use waymark_core::{Aggregate, MetricDef, MetricMeans, Unit};

/// Plot width in pixels.
const WIDTH: f64 = 720.0;

/// The section, when there is something to plot.
pub(crate) fn plots_section(report: &Report) -> Option<String> {
    let mut figures = Vec::new();
    let headline = headline_metrics(report.defs);
    if !headline.is_empty() {
        let bars = Bars {
            categories: headline.iter().map(|d| label(d)).collect(),
            values: headline
                .iter()
                .map(|d| {
                    report
                        .runs
                        .iter()
                        .map(|r| r.summary.overall.get(d.name))
                        .collect()
                })
                .collect(),
            axis: "percent of episodes (%)".into(),
        };
        figures.push(figure(
            &format!(
                "{} per run",
                headline
                    .iter()
                    .map(|d| label(d))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            report,
            &bars.svg(&report.names),
        ));
    }
    for name in ["ne", "tl"] {
        if let Some(figure) = histogram_figure(report, name) {
            figures.push(figure);
        }
    }
    for name in ["gc", "sr"] {
        if let Some(figure) = per_task_type_figure(report, name) {
            figures.push(figure);
        }
    }
    (!figures.is_empty()).then(|| figures.concat())
}

/// The metrics of the success plot: `sr` and `spl` where the task has them, else its rates.
fn headline_metrics(defs: &'static [MetricDef]) -> Vec<&'static MetricDef> {
    let named: Vec<_> = defs
        .iter()
        .filter(|d| matches!(d.name, "sr" | "spl"))
        .collect();
    if named.is_empty() {
        defs.iter()
            .filter(|d| d.aggregate == Aggregate::Rate)
            .collect()
    } else {
        named
    }
}

/// A metric's axis title: its description up to any colon, then its unit.
fn axis_title(def: &MetricDef) -> String {
    let what = def.description.split(':').next().unwrap_or(def.name).trim();
    match unit_text(def.unit) {
        "" => format!("{what} (count)"),
        unit => format!("{what} ({unit})"),
    }
}

/// A figure: caption with the runs' legend, then the plot.
fn figure(caption: &str, report: &Report, svg: &str) -> String {
    format!(
        "<figure><figcaption>{} {}</figcaption>\n{svg}\n</figure>\n",
        escape(caption),
        legend(&report.names)
    )
}

/// The histogram of metric `name` over each run's episodes (with the success radius marked
/// on navigation errors), when the task has the metric and some run has episodes.
fn histogram_figure(report: &Report, name: &str) -> Option<String> {
    let def = report.metric(name)?;
    let values: Vec<Vec<f64>> = report
        .runs
        .iter()
        .map(|r| {
            r.records
                .iter()
                .filter_map(|e| e.metrics.get(name).map(|v| v.as_f64()))
                .filter(|v| v.is_finite())
                .collect()
        })
        .collect();
    if values.iter().all(Vec::is_empty) {
        return None;
    }
    let marker = (name == "ne")
        .then(|| {
            report
                .runs
                .iter()
                .find_map(|r| r.manifest.success_threshold_m)
        })
        .flatten()
        .map(|m| (m, format!("success radius {m} m")));
    let histogram = Histogram {
        values,
        axis: axis_title(def),
        marker,
    };
    Some(figure(
        &format!("Distribution of {} per run", label(def)),
        report,
        &histogram.svg(),
    ))
}

/// Metric `name` per task type, when the task has it and some run has task types.
fn per_task_type_figure(report: &Report, name: &str) -> Option<String> {
    let def = report.metric(name)?;
    let types: std::collections::BTreeSet<&String> = report
        .runs
        .iter()
        .flat_map(|r| r.summary.by_task_type.keys())
        .collect();
    if types.is_empty() || def.unit != Unit::Fraction {
        return None;
    }
    let bars = Bars {
        values: types
            .iter()
            .map(|t| {
                report
                    .runs
                    .iter()
                    .map(|r| {
                        r.summary
                            .by_task_type
                            .get(*t)
                            .and_then(|m: &MetricMeans| m.get(name))
                    })
                    .collect()
            })
            .collect(),
        categories: types.into_iter().cloned().collect(),
        axis: axis_title(def),
    };
    Some(figure(
        &format!("{} per task type", label(def)),
        report,
        &bars.svg(&report.names),
    ))
}

/// The smallest of 1, 2, 5 × 10ⁿ at least `raw` (which must be positive).
fn nice_step(raw: f64) -> f64 {
    let power = 10f64.powf(raw.log10().floor());
    let f = raw / power;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// A tick label: as many decimals as the step needs.
fn tick_text(value: f64, step: f64) -> String {
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    format!("{value:.decimals$}")
}

/// Horizontal bars of fractions: per category one bar per run.
struct Bars {
    /// The categories, top to bottom.
    categories: Vec<String>,
    /// Per category, per run: the fraction (`None`: the run has none).
    values: Vec<Vec<Option<f64>>>,
    /// The value axis's title.
    axis: String,
}

impl Bars {
    fn svg(&self, names: &[String]) -> String {
        const BAR: f64 = 14.0;
        const GAP: f64 = 3.0;
        const GROUP_GAP: f64 = 14.0;
        const TOP: f64 = 8.0;
        const RIGHT: f64 = 56.0;
        let runs = names.len().max(1) as f64;
        let longest = self
            .categories
            .iter()
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(0);
        let left = (longest as f64 * 6.6 + 14.0).clamp(60.0, 280.0);
        let group_h = runs * (BAR + GAP) - GAP + GROUP_GAP;
        let plot_h = self.categories.len() as f64 * group_h;
        let height = TOP + plot_h + 44.0;
        let width_of = |v: f64| v.clamp(0.0, 1.0) * (WIDTH - left - RIGHT);
        let mut out = svg_open(WIDTH, height, &self.axis);
        for tick in 0..=5 {
            let v = f64::from(tick) * 0.2;
            let x = left + width_of(v);
            out.push_str(&format!(
                r#"<line class="grid" x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{:.1}"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                TOP + plot_h,
                TOP + plot_h + 14.0,
                tick * 20
            ));
        }
        for (c, (category, values)) in self.categories.iter().zip(&self.values).enumerate() {
            let y0 = TOP + c as f64 * group_h + GROUP_GAP / 2.0;
            out.push_str(&format!(
                r#"<text x="{:.1}" y="{:.1}" text-anchor="end" dominant-baseline="middle">{}</text>"#,
                left - 8.0,
                y0 + (group_h - GROUP_GAP) / 2.0,
                escape(category)
            ));
            for (r, value) in values.iter().enumerate() {
                let y = y0 + r as f64 * (BAR + GAP);
                let name = names.get(r).map_or("", String::as_str);
                match value.filter(|v| v.is_finite()) {
                    Some(v) => {
                        let w = width_of(v);
                        out.push_str(&format!(
                            r#"<rect x="{left:.1}" y="{y:.1}" width="{w:.1}" height="{BAR}" fill="{}"><title>{}: {} %</title></rect><text x="{:.1}" y="{:.1}" dominant-baseline="middle">{}</text>"#,
                            run_colour(r),
                            escape(name),
                            rounded(Unit::Fraction, v),
                            left + w + 4.0,
                            y + BAR / 2.0,
                            rounded(Unit::Fraction, v)
                        ));
                    }
                    None => out.push_str(&format!(
                        r#"<text x="{:.1}" y="{:.1}" dominant-baseline="middle">n/a</text>"#,
                        left + 4.0,
                        y + BAR / 2.0
                    )),
                }
            }
        }
        out.push_str(&format!(
            r#"<line class="axis" x1="{left:.1}" y1="{TOP}" x2="{left:.1}" y2="{:.1}"/><text class="axis-label" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text></svg>"#,
            TOP + plot_h,
            left + (WIDTH - left - RIGHT) / 2.0,
            height - 8.0,
            escape(&self.axis)
        ));
        out
    }
}

/// A histogram of values per run: shared bins, one bar per run in each.
struct Histogram {
    /// Per run, the values (finite).
    values: Vec<Vec<f64>>,
    /// The value axis's title.
    axis: String,
    /// A value to mark with a vertical line, and its label.
    marker: Option<(f64, String)>,
}

impl Histogram {
    fn svg(&self) -> String {
        const HEIGHT: f64 = 260.0;
        const LEFT: f64 = 56.0;
        const RIGHT: f64 = 16.0;
        const TOP: f64 = 18.0;
        const BOTTOM: f64 = 46.0;
        let all = self.values.iter().flatten().copied();
        let lo = all.clone().fold(0.0f64, f64::min);
        let hi = all.fold(lo, f64::max);
        let step = nice_step(if hi > lo { (hi - lo) / 10.0 } else { 1.0 });
        let start = (lo / step).floor() * step;
        let bins = (((hi - start) / step).floor() as usize + 1).min(100);
        let bin_of = |v: f64| (((v - start) / step).floor().max(0.0) as usize).min(bins - 1);
        let counts: Vec<Vec<usize>> = self
            .values
            .iter()
            .map(|vs| {
                let mut c = vec![0; bins];
                for &v in vs {
                    c[bin_of(v)] += 1;
                }
                c
            })
            .collect();
        let most = counts.iter().flatten().copied().max().unwrap_or(0).max(1);
        let y_step = nice_step(most as f64 / 5.0).max(1.0);
        let y_top = (most as f64 / y_step).ceil() * y_step;
        let (pw, ph) = (WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
        let x_of = |v: f64| LEFT + (v - start) / (step * bins as f64) * pw;
        let y_of = |n: f64| TOP + ph - n / y_top * ph;
        let mut out = svg_open(WIDTH, HEIGHT, &self.axis);
        let mut tick = 0.0;
        while tick <= y_top {
            let y = y_of(tick);
            out.push_str(&format!(
                r#"<line class="grid" x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text x="{:.1}" y="{y:.1}" text-anchor="end" dominant-baseline="middle">{tick}</text>"#,
                LEFT + pw,
                LEFT - 6.0
            ));
            tick += y_step;
        }
        let bin_w = pw / bins as f64;
        let runs = counts.len().max(1) as f64;
        let bar_w = ((bin_w - 4.0) / runs).max(1.0);
        for (r, run_counts) in counts.iter().enumerate() {
            for (b, &n) in run_counts.iter().enumerate() {
                if n == 0 {
                    continue;
                }
                let x = LEFT + b as f64 * bin_w + 2.0 + r as f64 * bar_w;
                let y = y_of(n as f64);
                let from = start + b as f64 * step;
                out.push_str(&format!(
                    r#"<rect x="{x:.1}" y="{y:.1}" width="{bar_w:.1}" height="{:.1}" fill="{}"><title>{n} episodes in [{}, {})</title></rect>"#,
                    TOP + ph - y,
                    run_colour(r),
                    tick_text(from, step),
                    tick_text(from + step, step)
                ));
            }
        }
        let label_every = bins.div_ceil(12);
        for edge in (0..=bins).step_by(label_every) {
            let v = start + edge as f64 * step;
            out.push_str(&format!(
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                x_of(v),
                TOP + ph + 14.0,
                tick_text(v, step)
            ));
        }
        if let Some((value, text)) = &self.marker
            && (start..=start + step * bins as f64).contains(value)
        {
            let x = x_of(*value);
            out.push_str(&format!(
                r#"<line class="marker-line" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
                TOP - 4.0,
                TOP + ph,
                x + 4.0,
                TOP - 6.0,
                escape(text)
            ));
        }
        out.push_str(&format!(
            r#"<line class="axis" x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/><text class="axis-label" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text><text class="axis-label" transform="translate(14 {:.1}) rotate(-90)" text-anchor="middle">episodes</text></svg>"#,
            TOP + ph,
            LEFT + pw,
            TOP + ph,
            LEFT + pw / 2.0,
            HEIGHT - 8.0,
            escape(&self.axis),
            TOP + ph / 2.0
        ));
        out
    }
}

/// The opening tag of a plot `width` × `height` pixels, described by `label`.
fn svg_open(width: f64, height: f64, label: &str) -> String {
    format!(
        r#"<svg class="plot" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" role="img" aria-label="{}">"#,
        escape(label)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(0.93), 1.0);
        assert_eq!(nice_step(1.2), 2.0);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(7.0), 10.0);
        assert!((nice_step(0.013) - 0.02).abs() < 1e-12);
        assert_eq!(tick_text(2.5, 0.5), "2.5");
        assert_eq!(tick_text(20.0, 10.0), "20");
    }

    #[test]
    fn histograms_count_every_value_once() {
        let h = Histogram {
            values: vec![vec![0.0, 1.0, 9.99, 10.0], vec![3.0]],
            axis: "navigation error (m)".into(),
            marker: Some((3.0, "success radius 3 m".into())),
        };
        let svg = h.svg();
        let bars = svg.matches("<rect").count();
        // Run 0: bins [0,1), [1,2), [9,10), [10,11); run 1: [3,4).
        assert_eq!(bars, 5, "{svg}");
        assert!(svg.contains("success radius 3 m") && svg.contains("navigation error (m)"));
        assert!(svg.contains(">episodes</text>"));
    }

    #[test]
    fn bars_show_fractions_as_percentages() {
        let bars = Bars {
            categories: vec!["SR (%)".into(), "<b>".into()],
            values: vec![vec![Some(0.5), None], vec![Some(1.0), Some(0.25)]],
            axis: "percent of episodes (%)".into(),
        };
        let svg = bars.svg(&["a".into(), "b".into()]);
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains(">50.0</text>") && svg.contains(">n/a</text>"));
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
    }
}
