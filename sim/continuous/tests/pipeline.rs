//! The whole continuous pipeline on a procedural apartment and on a real scan: walkable area,
//! generated graph and episodes, the oracle, and random agents that never pass walls.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use glam::Vec3;
use proptest::prelude::*;
use std::sync::{Arc, OnceLock};
use waymark_continuous::env::NavScene;
use waymark_continuous::episode_gen::{EpisodeGenConfig, SceneContext, generate_episodes};
use waymark_continuous::navgraph_gen::{NavGraphGenConfig, generate_navgraph};
use waymark_continuous::{ContinuousNavConfig, ContinuousNavEnv, GeodesicField, WalkableConfig};
use waymark_core::{Action, ScanId};
use waymark_scenes::apartment::{ApartmentConfig, generate_apartment};
use waymark_scenes::scene::{Scene, UpAxis};
use waymark_scenes::scene_graph::SceneGraph;
use waymark_sim::NavGraph;

struct Fixture {
    nav: Arc<NavScene>,
    graph: SceneGraph,
}

fn apartment() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let apt = generate_apartment(
            "apt",
            &ApartmentConfig {
                cols: 3,
                rows: 2,
                seed: 3,
            },
        );
        Fixture {
            nav: Arc::new(NavScene::new(&apt.scene, &WalkableConfig::default()).unwrap()),
            graph: apt.scene_graph(),
        }
    })
}

/// Runs the teacher on every generated VLN-CE episode; returns how many ran.
fn oracle_on_generated(
    nav: &Arc<NavScene>,
    graph: &SceneGraph,
    count: usize,
    min_dist_m: f32,
) -> usize {
    let spec = generate_navgraph(
        &ScanId::new(&nav.name),
        &nav.grid,
        &NavGraphGenConfig::default(),
    )
    .unwrap();
    let generated = generate_episodes(
        &nav.name,
        &nav.grid,
        &spec,
        SceneContext {
            rooms: &graph.rooms,
            objects: &graph.instances,
        },
        &EpisodeGenConfig {
            count,
            min_dist_m,
            ..EpisodeGenConfig::default()
        },
    );
    assert_eq!(
        generated.vlnce.len(),
        2 * generated.r2r.len(),
        "one episode per language"
    );
    let discrete = NavGraph::from_spec(&spec);
    for record in &generated.r2r {
        for pair in record.path.windows(2) {
            let (a, b) = (
                discrete.index_of(&pair[0]).unwrap(),
                discrete.index_of(&pair[1]).unwrap(),
            );
            assert!(
                discrete.edge(a, b).is_some(),
                "R2R path walks the generated graph"
            );
        }
        assert_eq!(record.instructions.len(), 2);
        assert_eq!(record.generated, Some(true));
    }
    for episode in &generated.vlnce {
        let mut env =
            ContinuousNavEnv::new(nav.clone(), ContinuousNavConfig::default(), episode).unwrap();
        while !env.is_done() {
            let action = env.teacher();
            env.step(&action).unwrap();
        }
        let m = env.metrics(3.0);
        assert_eq!(m.sr, 1.0, "{}: {m:?}", episode.episode_id);
        assert!(m.spl > 0.9, "{}: {m:?}", episode.episode_id);
    }
    generated.vlnce.len()
}

#[test]
fn the_oracle_reaches_every_generated_goal_in_an_apartment() {
    let f = apartment();
    assert_eq!(oracle_on_generated(&f.nav, &f.graph, 8, 4.0), 16);
}

#[test]
fn instructions_name_rooms_and_landmarks_in_english_and_arabic() {
    let f = apartment();
    let spec = generate_navgraph(
        &ScanId::new("apt"),
        &f.nav.grid,
        &NavGraphGenConfig::default(),
    )
    .unwrap();
    let g = generate_episodes(
        "apt",
        &f.nav.grid,
        &spec,
        SceneContext {
            rooms: &f.graph.rooms,
            objects: &f.graph.instances,
        },
        &EpisodeGenConfig::default(),
    );
    let english: Vec<&str> = g
        .vlnce
        .iter()
        .filter(|e| e.language.as_deref() == Some("en-US"))
        .map(|e| e.instruction.as_str())
        .collect();
    let arabic: Vec<&str> = g
        .vlnce
        .iter()
        .filter(|e| e.language.as_deref() == Some("ar"))
        .map(|e| e.instruction.as_str())
        .collect();
    assert_eq!(english.len(), arabic.len());
    assert!(
        english.iter().any(|i| i.contains("Leave the")),
        "{english:?}"
    );
    assert!(
        arabic
            .iter()
            .all(|i| i.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))),
        "{arabic:?}"
    );
}

#[test]
fn geodesic_distance_is_at_least_the_straight_line() {
    let f = apartment();
    let grid = &f.nav.grid;
    let island = grid.largest_island().unwrap();
    let (nx, ny) = grid.dims();
    let cells: Vec<usize> = (0..nx * ny).filter(|&c| grid.island(c) == island).collect();
    let goal = grid.centre(cells[cells.len() / 2]);
    let field = GeodesicField::new(grid, goal, 0.5).unwrap();
    for &c in cells.iter().step_by(97) {
        let p = grid.centre(c);
        let d = field.distance(grid, p).unwrap();
        assert!(d + 1e-4 >= p.truncate().distance(goal.truncate()));
        let path = field.path(grid, p).unwrap();
        for w in path.windows(2) {
            assert!(
                grid.segment_walkable(w[0].truncate(), w[1].truncate()),
                "paths never cross walls"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn random_actions_never_pass_walls_or_leave_the_walkable_area(
        actions in proptest::collection::vec(0u8..4, 1..120),
        start_pick in 0usize..10_000,
    ) {
        let f = apartment();
        let grid = &f.nav.grid;
        let island = grid.largest_island().unwrap();
        let (nx, ny) = grid.dims();
        let cells: Vec<usize> = (0..nx * ny).filter(|&c| grid.island(c) == island).collect();
        let start = grid.centre(cells[start_pick % cells.len()]);
        let episode = waymark_core::ContinuousEpisode {
            episode_id: "p".into(),
            scene: "apt".into(),
            start_position_m: start,
            start_heading_rad: 0.0,
            goal_position_m: start,
            reference_path_m: vec![start],
            instruction: String::new(),
            language: None,
            geodesic_distance_m: 0.0,
        };
        let mut env = ContinuousNavEnv::new(f.nav.clone(), ContinuousNavConfig::default(), &episode).unwrap();
        for a in actions {
            let action = [Action::MoveForward, Action::MoveForward, Action::TurnLeft, Action::TurnRight][a as usize].clone();
            env.step(&action).unwrap();
        }
        let tolerance = grid.config().cell_m * 1.5;
        for w in env.positions().windows(2) {
            let (p, q): (Vec3, Vec3) = (w[0], w[1]);
            prop_assert!(grid.snap(q, tolerance, Some(island)).is_some(), "left the walkable area at {q}");
            // Each step is at most a forward move long (plus settling onto a cell centre) and
            // never jumps a wall.
            let settle = tolerance * std::f32::consts::SQRT_2;
            prop_assert!(p.truncate().distance(q.truncate()) <= 0.25 + settle + 1e-3);
            let mid = (p + q) / 2.0;
            prop_assert!(grid.snap(mid, tolerance, Some(island)).is_some(), "crossed a wall between {p} and {q}");
        }
    }
}

#[test]
fn the_pipeline_works_on_the_real_office_scan() {
    let Some(data) = waymark_io::test_env::require("WAYMARK_REAL_DATA", "the real office scan")
    else {
        return;
    };
    let path = std::path::Path::new(&data).join("scans/office_chairs.ply");
    let scene: Scene = waymark_scenes::read_ply_scene(&path, Some(UpAxis::Z)).unwrap();
    let nav = Arc::new(NavScene::new(&scene, &WalkableConfig::default()).unwrap());
    let area = nav.grid.area_m2();
    assert!(
        area > 1.5,
        "the office floor between its furniture is walkable: {area} m²"
    );
    let graph = SceneGraph::of(&scene);
    // The office is full of furniture: its open floor holds paths of a few metres.
    let ran = oracle_on_generated(&nav, &graph, 4, 1.0);
    assert!(ran >= 2, "at least one path fits the office");
}
