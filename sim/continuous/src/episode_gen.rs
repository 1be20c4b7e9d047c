//! Generated episodes on any scene: start and goal sampled by distance on a generated
//! navigation graph, the shortest path as the reference, instructions written from the scene
//! graph in several languages; written as R2R-format and VLN-CE-format records.

use crate::geodesic::GeodesicField;
use crate::instructions::{Direction, LANGUAGES, RouteDescription, write_instruction};
use crate::walkable::WalkableGrid;
use glam::Vec3;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::f32::consts::TAU;
use waymark_core::ContinuousEpisode;
use waymark_scenes::r2r::Languages;
use waymark_scenes::scene_graph::{InstanceNode, RoomNode};
use waymark_scenes::vlnce::VlnceEpisode;
use waymark_scenes::{NavGraphSpec, R2rRecord};
use waymark_sim::NavGraph;

/// How to sample episodes.
#[derive(Clone, Debug, PartialEq)]
pub struct EpisodeGenConfig {
    /// Paths to generate (each gets one instruction per language).
    pub count: usize,
    /// Shortest geodesic start–goal distance, in metres.
    pub min_dist_m: f32,
    /// Longest geodesic start–goal distance, in metres.
    pub max_dist_m: f32,
    /// The first path id.
    pub first_path_id: i64,
    /// The seed.
    pub seed: u64,
    /// Camera height of the graph's viewpoints above the floor, in metres.
    pub camera_height_m: f32,
}

impl Default for EpisodeGenConfig {
    fn default() -> Self {
        Self {
            count: 10,
            min_dist_m: 4.0,
            max_dist_m: 15.0,
            first_path_id: 1,
            seed: 0,
            camera_height_m: 1.5,
        }
    }
}

/// Generated episodes in both formats (instruction ids `"{path_id}_{k}"` agree between them).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GeneratedEpisodes {
    /// R2R-format records (one per path, an instruction per language).
    pub r2r: Vec<R2rRecord>,
    /// VLN-CE episodes (one per path and language).
    pub vlnce: Vec<ContinuousEpisode>,
}

impl GeneratedEpisodes {
    /// The VLN-CE records to write.
    pub fn vlnce_records(&self, goal_radius_m: f32) -> Vec<VlnceEpisode> {
        self.vlnce
            .iter()
            .map(|e| {
                let path_id = e.episode_id.split('_').next().and_then(|p| p.parse().ok());
                VlnceEpisode::from_episode(e, path_id, goal_radius_m)
            })
            .collect()
    }
}

/// What the scene graph says about a scene: its rooms (generated apartments) and objects.
#[derive(Clone, Copy, Debug)]
pub struct SceneContext<'a> {
    /// Rooms (may be empty).
    pub rooms: &'a [RoomNode],
    /// Object instances.
    pub objects: &'a [InstanceNode],
}

/// Labels that are structure, never landmarks.
const NOT_LANDMARKS: [&str; 5] = ["wall", "floor", "ceiling", "object", "unlabelled"];

/// Samples up to `config.count` paths on `graph` whose geodesic length on `grid` lies in the
/// configured range, and writes their episodes.
pub fn generate_episodes(
    scene: &str,
    grid: &WalkableGrid,
    graph: &NavGraphSpec,
    context: SceneContext<'_>,
    config: &EpisodeGenConfig,
) -> GeneratedEpisodes {
    let nav = NavGraph::from_spec(graph);
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let n = nav.len() as u32;
    let mut pairs: Vec<(u32, u32)> = (0..n)
        .flat_map(|a| (0..n).map(move |b| (a, b)))
        .filter(|&(a, b)| {
            let d = nav.distance_m(a, b) as f32;
            a != b && d >= config.min_dist_m && d <= config.max_dist_m
        })
        .collect();
    let floor = |v: u32| nav.position(v).as_vec3() - Vec3::Z * config.camera_height_m;
    let mut out = GeneratedEpisodes::default();
    while out.r2r.len() < config.count && !pairs.is_empty() {
        let (start, goal) = pairs.swap_remove(rng.random_range(0..pairs.len()));
        let heading_rad = (rng.random_range(0.0..TAU) * 1000.0).round() / 1000.0;
        let Some(path) = nav.shortest_path(start, goal) else {
            continue;
        };
        let points: Vec<Vec3> = path.iter().map(|&v| floor(v)).collect();
        let Ok(field) = GeodesicField::new(grid, floor(goal), 0.5) else {
            continue;
        };
        let Some(geodesic_m) = field.distance(grid, floor(start)) else {
            continue;
        };
        if geodesic_m < config.min_dist_m || geodesic_m > config.max_dist_m {
            continue;
        }
        let route = describe(context, &points, heading_rad, geodesic_m);
        let path_id = config.first_path_id + out.r2r.len() as i64;
        let instructions: Vec<String> = LANGUAGES
            .iter()
            .map(|&(_, l)| write_instruction(&route, l))
            .collect();
        for (k, ((tag, _), text)) in LANGUAGES.iter().zip(&instructions).enumerate() {
            out.vlnce.push(ContinuousEpisode {
                episode_id: format!("{path_id}_{k}"),
                scene: scene.to_string(),
                start_position_m: points[0],
                start_heading_rad: heading_rad,
                goal_position_m: points[points.len() - 1],
                reference_path_m: points.clone(),
                instruction: text.clone(),
                language: Some((*tag).to_string()),
                geodesic_distance_m: (geodesic_m * 100.0).round() / 100.0,
            });
        }
        let length: f64 = path.windows(2).map(|w| nav.distance_m(w[0], w[1])).sum();
        out.r2r.push(R2rRecord {
            distance: (length * 100.0).round() / 100.0,
            scan: scene.to_string(),
            path_id: Some(path_id),
            path: path.iter().map(|&v| nav.id(v).to_string()).collect(),
            heading: f64::from(heading_rad),
            instructions,
            language: Some(Languages::PerInstruction(
                LANGUAGES.iter().map(|(t, _)| (*t).to_string()).collect(),
            )),
            id: None,
            obj_id: None,
            generated: Some(true),
        });
    }
    out
}

/// The rooms along `points`, the landmark nearest the goal, length and direction.
fn describe(
    context: SceneContext<'_>,
    points: &[Vec3],
    heading_rad: f32,
    length_m: f32,
) -> RouteDescription {
    let room_of = |p: Vec3| {
        context.rooms.iter().position(|r| {
            p.x >= r.aabb.min.x && p.x <= r.aabb.max.x && p.y >= r.aabb.min.y && p.y <= r.aabb.max.y
        })
    };
    let mut rooms: Vec<usize> = points.iter().filter_map(|&p| room_of(p)).collect();
    rooms.dedup();
    let goal = points[points.len() - 1];
    let landmark = context
        .objects
        .iter()
        .filter(|o| !NOT_LANDMARKS.contains(&o.label.as_str()))
        .map(|o| (o.centroid.truncate().distance(goal.truncate()), o))
        .filter(|(d, _)| *d <= 2.5)
        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.id.cmp(&b.1.id)))
        .map(|(_, o)| o.label.clone());
    let d = goal - points[0];
    let rel_deg = (d.x.atan2(d.y) - heading_rad).to_degrees();
    RouteDescription {
        rooms: rooms
            .iter()
            .map(|&r| context.rooms[r].name.clone())
            .collect(),
        landmark,
        length_m,
        direction: Direction::of_relative_deg(rel_deg),
    }
}
