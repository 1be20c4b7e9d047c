//! STEVE-1's eleven early-game prompts (Lifshitz et al. 2023, `paper_prompts.py`) and their
//! programmatic measures.
//!
//! STEVE-1 releases four measures (`programmatic_eval.py`): the episode's maximum inventory
//! count of logs, of dirt and of seeds, and the maximum horizontal distance from the spawn.
//! The other seven prompts have no released measure; waymark defines one each:
//!
//! | family | measure | definition |
//! |---|---|---|
//! | dig | `dig_depth_m` | the greatest depth of the feet below the spawn height, metres |
//! | sky | `sky_frac` | the share of steps whose view centre meets no block within 32 m while looking up |
//! | leaves | `leaves` | leaves blocks broken |
//! | flower | `flowers` | flowers broken |
//! | swim | `swim_frac` | the share of steps with the feet in water |
//! | underwater | `underwater_frac` | the share of steps with the eyes under water |
//! | inventory | `inventory_frac` | the share of steps with the inventory screen open |
//!
//! Every episode reports every measure (as STEVE-1's tables compare each prompt on every
//! measure), and `score` is the measure of its own prompt.

use waymark_core::{Aggregate, MetricDef, Metrics, Steve1Family, Unit};

/// The STEVE-1 task's metrics: `score` (the episode's own prompt's measure), STEVE-1's four
/// released measures, waymark's seven, and the episode's length.
pub static STEVE1_METRICS: [MetricDef; 14] = [
    MetricDef::new(
        "score",
        "the measure of the episode's own prompt (compare within a prompt)",
        Unit::Count,
        Aggregate::Mean,
        true,
    ),
    MetricDef::new(
        "travel_dist_m",
        "STEVE-1: the greatest horizontal distance from the spawn",
        Unit::Metres,
        Aggregate::Mean,
        true,
    ),
    MetricDef::new(
        "logs",
        "STEVE-1: the greatest number of logs (wood) held at once",
        Unit::Count,
        Aggregate::Mean,
        true,
    ),
    MetricDef::new(
        "dirt",
        "STEVE-1: the greatest number of dirt held at once",
        Unit::Count,
        Aggregate::Mean,
        true,
    ),
    MetricDef::new(
        "seeds",
        "STEVE-1: the greatest number of seeds held at once",
        Unit::Count,
        Aggregate::Mean,
        true,
    ),
    MetricDef::new(
        "dig_depth_m",
        "the greatest depth of the feet below the spawn height",
        Unit::Metres,
        Aggregate::Mean,
        false,
    ),
    MetricDef::new(
        "sky_frac",
        "the share of steps looking up at open sky",
        Unit::Fraction,
        Aggregate::Mean,
        false,
    ),
    MetricDef::new(
        "leaves",
        "leaves blocks broken",
        Unit::Count,
        Aggregate::Mean,
        false,
    ),
    MetricDef::new(
        "flowers",
        "flowers broken",
        Unit::Count,
        Aggregate::Mean,
        false,
    ),
    MetricDef::new(
        "swim_frac",
        "the share of steps with the feet in water",
        Unit::Fraction,
        Aggregate::Mean,
        false,
    ),
    MetricDef::new(
        "underwater_frac",
        "the share of steps with the eyes under water",
        Unit::Fraction,
        Aggregate::Mean,
        false,
    ),
    MetricDef::new(
        "inventory_frac",
        "the share of steps with the inventory screen open",
        Unit::Fraction,
        Aggregate::Mean,
        false,
    ),
    MetricDef::new(
        "died",
        "the agent died",
        Unit::Fraction,
        Aggregate::Rate,
        false,
    ),
    MetricDef::new(
        "length",
        "actions taken",
        Unit::Count,
        Aggregate::Mean,
        false,
    ),
];

/// What an episode has done so far, updated after every step.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Measures {
    /// Greatest horizontal distance from the spawn.
    pub travel_dist_m: f64,
    /// Greatest log count.
    pub logs: u32,
    /// Greatest dirt count.
    pub dirt: u32,
    /// Greatest seeds count.
    pub seeds: u32,
    /// Greatest depth below the spawn height.
    pub dig_depth_m: f64,
    /// Steps looking at open sky.
    pub sky_steps: u32,
    /// Leaves broken.
    pub leaves: u32,
    /// Flowers broken.
    pub flowers: u32,
    /// Steps with the feet in water.
    pub swim_steps: u32,
    /// Steps with the eyes under water.
    pub underwater_steps: u32,
    /// Steps with the inventory open.
    pub inventory_steps: u32,
    /// Steps taken.
    pub steps: u32,
}

impl Measures {
    /// The metrics of an episode of `family` that measured `self` and ended dead or not.
    pub fn metrics(&self, family: Steve1Family, died: bool) -> Metrics {
        let frac = |n: u32| {
            if self.steps == 0 {
                0.0
            } else {
                f64::from(n) / f64::from(self.steps)
            }
        };
        let mut m = Metrics::with_capacity(STEVE1_METRICS.len())
            .with_real("score", 0.0)
            .with_real("travel_dist_m", self.travel_dist_m)
            .with_count("logs", self.logs.into())
            .with_count("dirt", self.dirt.into())
            .with_count("seeds", self.seeds.into())
            .with_real("dig_depth_m", self.dig_depth_m)
            .with_real("sky_frac", frac(self.sky_steps))
            .with_count("leaves", self.leaves.into())
            .with_count("flowers", self.flowers.into())
            .with_real("swim_frac", frac(self.swim_steps))
            .with_real("underwater_frac", frac(self.underwater_steps))
            .with_real("inventory_frac", frac(self.inventory_steps))
            .with_real("died", if died { 1.0 } else { 0.0 })
            .with_count("length", self.steps.into());
        let own = m.real(family.measure());
        m.set("score", waymark_core::MetricValue::Real(own));
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_round_trip_and_measure_defined_metrics() {
        for f in Steve1Family::ALL {
            assert_eq!(Steve1Family::from_name(f.name()), Some(f));
            assert!(
                STEVE1_METRICS.iter().any(|d| d.name == f.measure()),
                "{f:?}"
            );
        }
    }

    #[test]
    fn score_is_the_own_measure_and_fractions_divide_by_steps() {
        let m = Measures {
            logs: 3,
            sky_steps: 5,
            steps: 20,
            ..Default::default()
        };
        let wood = m.metrics(Steve1Family::Wood, false);
        assert_eq!(wood.real("score"), 3.0);
        let sky = m.metrics(Steve1Family::Sky, false);
        assert_eq!(sky.real("score"), 0.25);
        assert_eq!(sky.real("sky_frac"), 0.25);
        assert_eq!(sky.real("died"), 0.0);
    }
}
