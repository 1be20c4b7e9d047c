//! Plain-text metric tables for the terminal: the task's official metrics, lengths in metres
//! with two decimals, rates and fractions with four.

use waymark_core::{MetricDef, MetricMeans, Unit};

/// A table with a label column and one column per official metric of `defs`.
pub fn metrics_table<'a>(
    defs: &[MetricDef],
    rows: impl IntoIterator<Item = (&'a str, &'a MetricMeans)>,
) -> String {
    let rows: Vec<(&str, &MetricMeans)> = rows.into_iter().collect();
    let columns: Vec<&MetricDef> = defs.iter().filter(|d| d.official).collect();
    let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0).max(5);
    let mut out = format!("{:width$} {:>8}", "", "episodes");
    for def in &columns {
        out.push_str(&format!(" {:>8}", def.name));
    }
    out.push('\n');
    for (label, m) in rows {
        out.push_str(&format!("{label:width$} {:>8}", m.episodes));
        for def in &columns {
            let value = m.get(def.name).unwrap_or(0.0);
            match def.unit {
                Unit::Metres | Unit::Count | Unit::Percent => {
                    out.push_str(&format!(" {value:>8.2}"))
                }
                Unit::Fraction => out.push_str(&format!(" {value:>8.4}")),
            }
        }
        out.push('\n');
    }
    out
}
