//! A task's own breakdowns of a run, beside the generic ones (per language, scene, task
//! type): SG3D's step accuracy by step position and by the target's label, for example.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Steps answered and answered right within one group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// Steps in the group.
    pub steps: u64,
    /// Those answered right.
    pub correct: u64,
    /// `correct / steps` (0 for no steps).
    pub accuracy: f64,
}

impl Tally {
    /// Counts one step.
    pub fn add(&mut self, correct: bool) {
        self.steps += 1;
        self.correct += u64::from(correct);
        self.accuracy = self.correct as f64 / self.steps as f64;
    }
}

/// Tables by name (`by_step_position`), each of groups by key (`01`, `cup`).
pub type Breakdowns = BTreeMap<String, BTreeMap<String, Tally>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accuracy_follows_the_counts() {
        let mut t = Tally::default();
        assert_eq!(t.accuracy, 0.0);
        for correct in [true, false, true, true] {
            t.add(correct);
        }
        assert_eq!((t.steps, t.correct, t.accuracy), (4, 3, 0.75));
    }
}
