//! NavGPT's own graph of the viewpoints it has stood at and the navigable ones it was shown
//! there (`NavGraph` in its `graph_utils.py`): its far moves follow a breadth-first path on it.

use std::collections::{HashMap, VecDeque};

/// Undirected adjacency lists, each in the order its edges were learnt.
#[derive(Clone, Debug, Default)]
pub(crate) struct KnownGraph {
    adjacent: HashMap<String, Vec<String>>,
}

impl KnownGraph {
    /// What NavGPT's simulator learns standing at `viewpoint`: an edge to each of its
    /// navigable viewpoints, in their order (its `updateGraph`).
    pub(crate) fn stand_at<'a>(
        &mut self,
        viewpoint: &str,
        navigable: impl IntoIterator<Item = &'a str>,
    ) {
        for other in navigable {
            self.connect(viewpoint, other);
        }
    }

    /// NavGPT's `update_connection`: both nodes, and the edge once.
    fn connect(&mut self, a: &str, b: &str) {
        self.adjacent.entry(b.to_string()).or_default();
        let from_a = self.adjacent.entry(a.to_string()).or_default();
        if from_a.iter().any(|v| v == b) {
            return;
        }
        from_a.push(b.to_string());
        if let Some(from_b) = self.adjacent.get_mut(b) {
            from_b.push(a.to_string());
        }
    }

    /// NavGPT's `bfs_shortest_path`: the fewest-edge path from `start` to `end`, both included,
    /// neighbours taken in the order they were learnt; `None` when either is unknown or no
    /// path joins them.
    pub(crate) fn bfs(&self, start: &str, end: &str) -> Option<Vec<String>> {
        if !self.adjacent.contains_key(start) || !self.adjacent.contains_key(end) {
            return None;
        }
        let mut came_from: HashMap<&str, Option<&str>> = HashMap::from([(start, None)]);
        let mut queue = VecDeque::from([start]);
        while let Some(current) = queue.pop_front() {
            if current == end {
                let mut path = vec![current.to_string()];
                let mut at = current;
                while let Some(&Some(previous)) = came_from.get(at) {
                    path.push(previous.to_string());
                    at = previous;
                }
                path.reverse();
                return Some(path);
            }
            for next in self.adjacent.get(current).into_iter().flatten() {
                if !came_from.contains_key(next.as_str()) {
                    came_from.insert(next, Some(current));
                    queue.push_back(next);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_take_the_fewest_edges_in_the_order_they_were_learnt() {
        let mut g = KnownGraph::default();
        g.stand_at("a", ["b", "c"]);
        g.stand_at("b", ["a", "d"]);
        g.stand_at("c", ["a", "d"]);
        // a–b–d and a–c–d have two edges each: the one learnt first wins.
        assert_eq!(g.bfs("a", "d").unwrap(), ["a", "b", "d"]);
        assert_eq!(g.bfs("d", "a").unwrap(), ["d", "b", "a"]);
        assert_eq!(g.bfs("a", "a").unwrap(), ["a"]);
        // Unknown, or known but not joined: NavGPT gets None (and then fails).
        assert_eq!(g.bfs("a", "z"), None);
        g.stand_at("x", ["y"]);
        assert_eq!(g.bfs("a", "y"), None);
    }
}
