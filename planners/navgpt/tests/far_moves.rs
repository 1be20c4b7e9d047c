//! A model that names a viewpoint of the scan the agent is not next to: by default NavGPT's
//! simulator goes there and records the breadth-first path on NavGPT's own graph, which
//! waymark walks one adjacent move at a time, without turning; a viewpoint that graph cannot
//! reach gets the invalid-id answer (where NavGPT fails); `adjacent_only` refuses both. On the
//! shipped demo apartment, with a source that knows every viewpoint's navigable ones (as
//! NavGPT's files do).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use waymark_core::{DiscreteNavObservation, ScanId, SensorRequest};
use waymark_eval::{BatchConfig, NoProgress, ShardSpec, TaskArgs, run_eval, tasks};
use waymark_llm::BlockingLlmClient;
use waymark_llm::scripted_server::{Reply, TestServer, test_config};
use waymark_navgpt::sectors::ViewpointText;
use waymark_navgpt::{
    NavGptConfig, NavGptPlanner, ObservationSource, PLANNER_NAME, SensorSource, SourceError,
};
use waymark_planner::PlannerRegistry;
use waymark_sim::{GraphStore, NavGraph};

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets")
}

/// The renderer's view of where the agent stands, and the demo graph's navigable viewpoints of
/// any viewpoint (NavGPT's navigable files know every viewpoint's).
struct GraphSource {
    sensors: SensorSource,
    graphs: GraphStore,
}

impl GraphSource {
    fn graph(&self, scan: &str) -> Arc<NavGraph> {
        self.graphs.graph(&ScanId::new(scan)).unwrap()
    }
}

impl ObservationSource for GraphSource {
    fn viewpoint(
        &self,
        scan: &str,
        obs: &DiscreteNavObservation,
    ) -> Result<Arc<ViewpointText>, SourceError> {
        self.sensors.viewpoint(scan, obs)
    }

    fn knows(&self, scan: &str, viewpoint: &str) -> Option<bool> {
        Some(self.graph(scan).index_of(viewpoint).is_some())
    }

    fn navigable_of(&self, scan: &str, viewpoint: &str) -> Option<Vec<String>> {
        let graph = self.graph(scan);
        let v = graph.index_of(viewpoint)?;
        Some(
            graph
                .edges(v)
                .iter()
                .map(|e| graph.id(e.to).to_string())
                .collect(),
        )
    }

    fn sensors(&self) -> SensorRequest {
        self.sensors.sensors()
    }
}

/// The first demo episode's start, a viewpoint two moves away whose navigable ones include one
/// of the start's, the one between, and a viewpoint nowhere near what the agent can know.
fn places() -> (String, String, String, String) {
    let episode =
        &waymark_scenes::read_r2r_episodes(&assets().join("demo/R2R_demo.json")).unwrap()[0];
    let graph = GraphStore::new(assets().join("demo/connectivity"))
        .graph(&episode.scan)
        .unwrap();
    let start = graph.index_of(episode.reference_path[0].as_str()).unwrap();
    let near: Vec<u32> = graph.edges(start).iter().map(|e| e.to).collect();
    let (mid, two) = near
        .iter()
        .find_map(|&m| {
            graph
                .edges(m)
                .iter()
                .map(|e| e.to)
                .find(|&t| t != start && !near.contains(&t))
                .map(|t| (m, t))
        })
        .unwrap();
    // Far: not within three moves of the start.
    let within3 = |v: u32| {
        let mut seen = vec![start];
        for _ in 0..3 {
            let next: Vec<u32> = seen
                .iter()
                .flat_map(|&s| graph.edges(s).iter().map(|e| e.to))
                .collect();
            seen.extend(next);
        }
        seen.contains(&v)
    };
    let far = (0..graph.len() as u32).find(|&v| !within3(v)).unwrap();
    let id = |v: u32| graph.id(v).to_string();
    (id(start), id(mid), id(two), id(far))
}

/// One episode (the first of the demo) with the model answering `target`, then stopping.
fn run(target: &str, adjacent_only: bool, out: &Path) -> (Vec<String>, serde_json::Value) {
    let target = target.to_string();
    let server = TestServer::start(move |n, _| {
        if n == 0 {
            Reply::completion(
                &format!("I go back there.\nAction: action_maker\nAction Input: \"{target}\""),
                10,
                5,
            )
        } else {
            Reply::completion("Final Answer: Finished!", 10, 5)
        }
    });
    let client = BlockingLlmClient::new(test_config(&server.url())).unwrap();
    let source = Arc::new(GraphSource {
        sensors: SensorSource::new(None),
        graphs: GraphStore::new(assets().join("demo/connectivity")),
    });
    let sensors = source.sensors();
    let config = NavGptConfig {
        adjacent_only,
        ..NavGptConfig::for_model("test-model")
    };
    let mut registry = PlannerRegistry::with_baselines();
    registry.register(
        waymark_navgpt::setup::info(10, sensors),
        Box::new(move || {
            Ok(Box::new(NavGptPlanner::new(
                client.clone(),
                source.clone(),
                config.clone(),
            )))
        }),
    );
    let batch = BatchConfig {
        workers: 1,
        planner: PLANNER_NAME.into(),
        planner_settings: Default::default(),
        out_dir: out.to_path_buf(),
        shard: ShardSpec::WHOLE,
        limit: Some(1),
        seed: 0,
    };
    let args = TaskArgs::new()
        .with(
            "connectivity",
            assets().join("demo/connectivity").to_string_lossy(),
        )
        .with(
            "episodes",
            assets().join("demo/R2R_demo.json").to_string_lossy(),
        )
        .with("scenes", assets().join("apartments").to_string_lossy());
    run_eval(
        tasks::find("r2r").unwrap(),
        &args,
        &batch,
        &registry,
        &NoProgress,
    )
    .unwrap();
    let record: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(out.join("episodes.jsonl"))
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let visited = record["trajectory"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[0].as_str().unwrap().to_string())
        .collect();
    (visited, record)
}

#[test]
fn a_far_viewpoint_is_reached_along_navgpts_own_graph() {
    let (start, mid, two, _) = places();
    let tmp = tempfile::tempdir().unwrap();
    let (visited, record) = run(&two, false, tmp.path());
    let mut moved = visited.clone();
    moved.dedup();
    assert_eq!(moved, [start, mid, two.clone()]);
    assert_eq!(record["counters"]["far_moves"], 1);
    // No turn on the way: the heading stays the start's.
    let headings: Vec<f64> = record["trajectory"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[1].as_f64().unwrap())
        .collect();
    assert!(headings.windows(2).all(|w| w[0] == w[1]), "{headings:?}");
    // The step log shows the path.
    let log = std::fs::read_to_string(tmp.path().join(format!(
        "steps/{}.jsonl",
        record["instr_id"].as_str().unwrap()
    )))
    .unwrap();
    let first: serde_json::Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    assert_eq!(first["outcome"], "far_move");
    assert_eq!(first["path"].as_array().unwrap().len(), 3);
}

#[test]
fn an_unreachable_or_refused_viewpoint_leaves_the_agent_where_it_stands() {
    let (start, _, two, far) = places();
    let tmp = tempfile::tempdir().unwrap();
    let (visited, record) = run(&far, false, &tmp.path().join("far"));
    assert!(visited.iter().all(|v| *v == start), "{visited:?}");
    assert_eq!(record["counters"]["failure.unreachable_viewpoint"], 1);
    let (visited, record) = run(&two, true, &tmp.path().join("strict"));
    assert!(visited.iter().all(|v| *v == start), "{visited:?}");
    assert_eq!(record["counters"]["failure.non_adjacent_viewpoint"], 1);
}
