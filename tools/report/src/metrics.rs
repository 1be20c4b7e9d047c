//! How the task's metric definitions are shown: labels with units, which metrics each table
//! takes, numbers rounded for people and written exactly for machines.

use waymark_core::{Aggregate, MetricDef, Metrics, Unit};

/// A metric's column header: short names (`sr`, `spl`, `ndtw`) in capitals, longer ones as
/// written; then the unit.
pub(crate) fn label(def: &MetricDef) -> String {
    let name = if def.name.len() <= 4 && !def.name.contains('_') {
        def.name.to_uppercase()
    } else {
        def.name.replace('_', " ")
    };
    match unit_text(def.unit) {
        "" => name,
        unit => format!("{name} ({unit})"),
    }
}

/// The unit as a header shows it: fractions are shown as percentages.
pub(crate) fn unit_text(unit: Unit) -> &'static str {
    match unit {
        Unit::Metres => "m",
        Unit::Fraction => "%",
        Unit::Count => "",
        Unit::Percent => "%",
    }
}

/// A value rounded for people: fractions as percentages with one decimal, metres and mean
/// counts with two; `n/a` for a value that is not a number.
pub(crate) fn rounded(unit: Unit, value: f64) -> String {
    if !value.is_finite() {
        return "n/a".into();
    }
    match unit {
        Unit::Fraction => format!("{:.1}", value * 100.0),
        Unit::Count if value.fract() == 0.0 => format!("{value}"),
        Unit::Metres | Unit::Count | Unit::Percent => format!("{value:.2}"),
    }
}

/// The exact value as `summary.json` writes it (serde_json's shortest round-trip text; `null`
/// for a value that is not finite).
pub(crate) fn exact(value: f64) -> String {
    serde_json::Value::from(value).to_string()
}

/// The metrics the per-group tables show: the official ones (all of them for a task that
/// declares none official).
pub(crate) fn group_metrics(defs: &'static [MetricDef]) -> Vec<&'static MetricDef> {
    let official: Vec<_> = defs.iter().filter(|d| d.official).collect();
    if official.is_empty() {
        defs.iter().collect()
    } else {
        official
    }
}

/// The metrics each episode is shown with: the official ones and `steps`.
pub(crate) fn episode_metrics(defs: &'static [MetricDef]) -> Vec<&'static MetricDef> {
    let mut shown = group_metrics(defs);
    if let Some(steps) = defs.iter().find(|d| d.name == "steps" && !d.official) {
        shown.push(steps);
    }
    shown
}

/// One episode's value of `def`. A pooled metric is divided by its denominator, so that a
/// goal-condition count reads as the fraction of the episode's conditions met (`None` when
/// the denominator is 0 or a metric is absent).
pub(crate) fn episode_value(def: &MetricDef, metrics: &Metrics) -> Option<f64> {
    let value = metrics.get(def.name)?.as_f64();
    match def.aggregate {
        Aggregate::Mean | Aggregate::Rate | Aggregate::LogMeanOfRates { .. } => Some(value),
        Aggregate::Pooled { denominator } => {
            let d = metrics.get(denominator)?.as_f64();
            (d != 0.0).then(|| value / d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NE: MetricDef = MetricDef::new("ne", "", Unit::Metres, Aggregate::Mean, true);
    const GC: MetricDef = MetricDef::new(
        "gc",
        "",
        Unit::Fraction,
        Aggregate::Pooled {
            denominator: "total_goal_conditions",
        },
        true,
    );
    const STEPS: MetricDef = MetricDef::new("steps", "", Unit::Count, Aggregate::Mean, false);

    #[test]
    fn labels_carry_units() {
        assert_eq!(label(&NE), "NE (m)");
        assert_eq!(label(&GC), "GC (%)");
        assert_eq!(label(&STEPS), "steps");
        let plw = MetricDef::new("plw_sr", "", Unit::Fraction, Aggregate::Mean, true);
        assert_eq!(label(&plw), "plw sr (%)");
    }

    #[test]
    fn rounded_for_people_exact_for_machines() {
        assert_eq!(rounded(Unit::Fraction, 0.5833333333333334), "58.3");
        assert_eq!(rounded(Unit::Metres, 9.416716062638482), "9.42");
        assert_eq!(rounded(Unit::Count, 7.0), "7");
        assert_eq!(rounded(Unit::Count, 6.866666666666666), "6.87");
        assert_eq!(rounded(Unit::Metres, f64::NAN), "n/a");
        for v in [0.0, 1.0, 0.1 + 0.2, 6.866666666666666, 1e-7, 12345678.9] {
            assert_eq!(exact(v), serde_json::to_string(&v).unwrap_or_default());
            assert_eq!(exact(v).parse::<f64>().ok(), Some(v));
        }
        assert_eq!(exact(f64::NAN), "null");
    }

    #[test]
    fn pooled_metrics_per_episode_are_fractions() {
        let m = Metrics::new()
            .with_count("gc", 1)
            .with_count("total_goal_conditions", 4)
            .with_real("ne", 2.5);
        assert_eq!(episode_value(&GC, &m), Some(0.25));
        assert_eq!(episode_value(&NE, &m), Some(2.5));
        let none = Metrics::new()
            .with_count("gc", 0)
            .with_count("total_goal_conditions", 0);
        assert_eq!(episode_value(&GC, &none), None);
        assert_eq!(episode_value(&STEPS, &m), None);
    }
}
