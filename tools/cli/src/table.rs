//! Plain-text metric tables for the terminal.

use waymark_core::NavMetricsMean;

/// The metric columns, in the order R2R papers report them.
const HEADER: &str =
    "episodes       tl       ne       sr      osr      spl     ndtw     sdtw      cls";

/// One row of metrics: lengths in metres, rates as fractions.
fn row(m: &NavMetricsMean) -> String {
    format!(
        "{:>8} {:>8.2} {:>8.2} {:>8.4} {:>8.4} {:>8.4} {:>8.4} {:>8.4} {:>8.4}",
        m.episodes, m.tl, m.ne, m.sr, m.osr, m.spl, m.ndtw, m.sdtw, m.cls
    )
}

/// A table with a label column.
pub fn metrics_table<'a>(rows: impl IntoIterator<Item = (&'a str, &'a NavMetricsMean)>) -> String {
    let rows: Vec<(&str, &NavMetricsMean)> = rows.into_iter().collect();
    let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0).max(5);
    let mut out = format!("{:width$} {HEADER}\n", "");
    for (label, m) in rows {
        out.push_str(&format!("{label:width$} {}\n", row(m)));
    }
    out
}
