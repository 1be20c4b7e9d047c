//! Generated R2R-format episodes on demo houses: start and goal sampled by graph distance, the
//! shortest path as reference, and instructions written from the rooms the path crosses.

use crate::navgraph::{NavGraph, NodeIx};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::f64::consts::TAU;
use waymark_scenes::R2rRecord;
use waymark_scenes::demo_houses::DemoHouse;

/// How episodes are sampled.
#[derive(Clone, Debug, PartialEq)]
pub struct EpisodeGenConfig {
    /// Paths to generate.
    pub count: usize,
    /// Shortest reference path length, in metres.
    pub min_dist_m: f64,
    /// Longest reference path length, in metres.
    pub max_dist_m: f64,
    /// The first path id; the others follow.
    pub first_path_id: i64,
    /// The RNG seed.
    pub seed: u64,
}

/// Samples `config.count` paths on `house` and writes three instructions for each.
///
/// Returns fewer paths when the house has too few start–goal pairs in the distance band.
pub fn generate_house_episodes(
    house: &DemoHouse,
    graph: &NavGraph,
    config: &EpisodeGenConfig,
) -> Vec<R2rRecord> {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let n = graph.len() as NodeIx;
    let mut pairs: Vec<(NodeIx, NodeIx)> = (0..n)
        .flat_map(|a| (0..n).map(move |b| (a, b)))
        .filter(|&(a, b)| {
            let d = graph.distance_m(a, b);
            a != b && d >= config.min_dist_m && d <= config.max_dist_m
        })
        .collect();
    let mut records = Vec::new();
    while records.len() < config.count && !pairs.is_empty() {
        let (start, goal) = pairs.swap_remove(rng.random_range(0..pairs.len()));
        let Some(path) = graph.shortest_path(start, goal) else {
            continue;
        };
        let rooms = rooms_along(house, &path);
        let instructions = (0..3)
            .map(|style| describe_route(house, &rooms, style))
            .collect();
        let distance = path
            .windows(2)
            .map(|p| graph.distance_m(p[0], p[1]))
            .sum::<f64>();
        records.push(R2rRecord {
            distance: (distance * 100.0).round() / 100.0,
            scan: graph.scan().to_string(),
            path_id: Some(config.first_path_id + records.len() as i64),
            path: path.iter().map(|&v| graph.id(v).to_string()).collect(),
            heading: (rng.random_range(0.0..TAU) * 1000.0).round() / 1000.0,
            instructions,
            language: Some(waymark_scenes::r2r::Languages::One("en-US".into())),
            id: None,
            obj_id: None,
            generated: Some(true),
        });
    }
    records
}

/// The rooms a path passes through, in order, without repeats in a row.
fn rooms_along(house: &DemoHouse, path: &[NodeIx]) -> Vec<usize> {
    let mut rooms: Vec<usize> = path.iter().map(|&v| house.room_of[v as usize]).collect();
    rooms.dedup();
    rooms
}

/// One of three phrasings of the route through `rooms`, ending at the last room's landmark.
fn describe_route(house: &DemoHouse, rooms: &[usize], style: usize) -> String {
    let name = |r: usize| house.rooms[r].name.as_str();
    let (first, last) = (rooms[0], rooms[rooms.len() - 1]);
    let landmark = house.rooms[last].landmark.as_str();
    if rooms.len() == 1 {
        return match style {
            0 => format!(
                "Walk across the {} and stop next to {landmark}.",
                name(first)
            ),
            1 => format!("Stay in the {} and wait by {landmark}.", name(first)),
            _ => format!(
                "Go to {landmark} on the other side of the {} and stop.",
                name(first)
            ),
        };
    }
    let middle: Vec<&str> = rooms[1..rooms.len() - 1].iter().map(|&r| name(r)).collect();
    let via = match middle.as_slice() {
        [] => String::new(),
        [one] => format!(" through the {one}"),
        many => format!(
            " through the {} and then the {}",
            many[..many.len() - 1].join(", the "),
            many[many.len() - 1]
        ),
    };
    match style {
        0 => format!(
            "Walk out of the {}{via} into the {}. Stop next to {landmark}.",
            name(first),
            name(last)
        ),
        1 if via.is_empty() => format!(
            "Leave the {} and enter the {}. Wait by {landmark}.",
            name(first),
            name(last)
        ),
        1 => format!(
            "Leave the {}, go{via} and enter the {}. Wait by {landmark}.",
            name(first),
            name(last)
        ),
        _ => format!(
            "Head from the {} to the {}{via}, and stop when you reach {landmark}.",
            name(first),
            name(last)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use waymark_core::ScanId;
    use waymark_scenes::demo_houses::generate_demo_house;

    #[test]
    fn generated_paths_are_shortest_and_deterministic() {
        let house = generate_demo_house(&ScanId::new("h"), 3, 2, 3);
        let graph = NavGraph::from_spec(&house.graph);
        let config = EpisodeGenConfig {
            count: 5,
            min_dist_m: 5.0,
            max_dist_m: 12.0,
            first_path_id: 100,
            seed: 9,
        };
        let records = generate_house_episodes(&house, &graph, &config);
        assert_eq!(records, generate_house_episodes(&house, &graph, &config));
        assert_eq!(records.len(), 5);
        for r in &records {
            let path: Vec<NodeIx> = r.path.iter().map(|v| graph.index_of(v).unwrap()).collect();
            let walked: f64 = path
                .windows(2)
                .map(|p| graph.edge(p[0], p[1]).unwrap().dist_m)
                .sum();
            let shortest = graph.distance_m(path[0], path[path.len() - 1]);
            assert!((walked - shortest).abs() < 1e-9);
            assert!((r.distance - walked).abs() <= 0.005);
            assert!((5.0..=12.0).contains(&shortest));
            assert_eq!(r.instructions.len(), 3);
            assert!(r.instructions.iter().all(|i| i.ends_with('.')));
        }
    }

    #[test]
    fn describes_rooms_in_order() {
        let house = generate_demo_house(&ScanId::new("h"), 2, 1, 1);
        let text = describe_route(&house, &[0, 1], 0);
        assert_eq!(
            text,
            format!(
                "Walk out of the {} into the {}. Stop next to {}.",
                house.rooms[0].name, house.rooms[1].name, house.rooms[1].landmark
            )
        );
        let three = generate_demo_house(&ScanId::new("h"), 3, 1, 1);
        assert!(
            describe_route(&three, &[0, 1, 2], 1)
                .contains(&format!("go through the {}", three.rooms[1].name))
        );
    }
}
