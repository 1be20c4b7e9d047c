//! [`Cheapest`]: a Dijkstra queue entry for [`std::collections::BinaryHeap`].

use std::cmp::Ordering;

/// A node and its tentative cost, ordered so that a max-heap pops the cheapest first (ties: the
/// lowest index, which keeps searches deterministic). Costs compare by `total_cmp`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cheapest(pub f64, pub usize);

impl Eq for Cheapest {}

impl Ord for Cheapest {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .0
            .total_cmp(&self.0)
            .then_with(|| other.1.cmp(&self.1))
    }
}

impl PartialOrd for Cheapest {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BinaryHeap;

    #[test]
    fn pops_the_cheapest_then_the_lowest_index() {
        let mut heap = BinaryHeap::from([Cheapest(2.0, 0), Cheapest(1.0, 5), Cheapest(1.0, 3)]);
        let order: Vec<usize> = std::iter::from_fn(|| heap.pop().map(|c| c.1)).collect();
        assert_eq!(order, [3, 5, 0]);
    }
}
