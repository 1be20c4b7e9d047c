//! NavGPT's observations on waymark's own scenes: objects from the renderer, candidates from the
//! graph, and captions from a (scripted) vision model following NavGPT's captioning pipeline.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use waymark_llm::BlockingLlmClient;
use waymark_llm::scripted_server::{Reply, TestServer, test_config};
use waymark_navgpt::{ObservationSource, SceneSource};

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets")
}

fn graph() -> waymark_sim::NavGraph {
    let spec = waymark_scenes::read_connectivity(
        &assets().join("demo/connectivity"),
        &waymark_core::ScanId::new("apartment_a"),
    )
    .unwrap();
    waymark_sim::NavGraph::from_spec(&spec)
}

#[test]
fn objects_come_from_the_renderer_and_candidates_from_the_graph() {
    let source = SceneSource::new(
        assets().join("apartments"),
        assets().join("demo/connectivity"),
        None,
    );
    let graph = graph();
    let mut objects = 0;
    for v in 0..graph.len() as u32 {
        let id = graph.id(v).to_string();
        let text = source.viewpoint("apartment_a", &id).unwrap();
        let neighbours: Vec<String> = graph
            .edges(v)
            .iter()
            .map(|e| graph.id(e.to).to_string())
            .collect();
        let listed: Vec<String> = text
            .candidates
            .iter()
            .map(|c| c.viewpoint.clone())
            .collect();
        assert_eq!(listed, neighbours, "viewpoint {id}");
        for (k, sector) in text.objects.iter().enumerate() {
            for o in sector {
                objects += 1;
                assert!(o.distance_m <= 3.0 + 1e-6, "{o:?}");
                // Absolute headings in NavGPT's range, inside the sector they are listed in.
                assert!((-22.5..337.5).contains(&o.heading_deg), "{o:?}");
                let centre = k as f64 * 45.0;
                let off = (o.heading_deg - centre + 540.0).rem_euclid(360.0) - 180.0;
                assert!(off.abs() <= 22.5 + 1e-3, "sector {k}: {o:?}");
            }
        }
        assert!(text.captions.iter().all(|c| c.starts_with("A view with ")));
        assert!(text.summary.starts_with("view with "));
    }
    assert!(objects > 0, "the apartment's furniture is seen");
    assert!(!source.knows("apartment_a", "0123456789abcdef0123456789abcdef"));
    assert!(source.knows("apartment_a", graph.id(0).as_str()));
}

#[test]
fn a_vision_model_captions_each_direction_from_three_rendered_views() {
    let server = TestServer::start(|_, request| {
        let body = request.json();
        let content = &body["messages"][0]["content"];
        if content.is_array() {
            Reply::completion("A room with a sofa.", 10, 5)
        } else {
            Reply::completion(" view of a living room.", 10, 5)
        }
    });
    let client = BlockingLlmClient::new(test_config(&server.url())).unwrap();
    let source = SceneSource::new(
        assets().join("apartments"),
        assets().join("demo/connectivity"),
        Some(client),
    );
    let id = graph().id(0).to_string();
    let text = source.viewpoint("apartment_a", &id).unwrap();
    assert!(text.captions.iter().all(|c| c == "A room with a sofa."));
    assert_eq!(text.summary, "view of a living room.");
    let requests = server.requests();
    assert_eq!(requests.len(), 9, "eight captions and one summary");
    for r in &requests[..8] {
        let parts = r.json()["messages"][0]["content"]
            .as_array()
            .unwrap()
            .clone();
        let images: Vec<&str> = parts
            .iter()
            .filter_map(|p| p["image_url"]["url"].as_str())
            .collect();
        assert_eq!(images.len(), 3, "up, down and level views");
        assert!(
            images
                .iter()
                .all(|u| u.starts_with("data:image/png;base64,"))
        );
    }
    let summary_prompt = requests[8].json()["messages"][0]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(summary_prompt.contains("A room with a sofa.\nA room with a sofa."));
    assert!(summary_prompt.ends_with("The scene from the viewpoint is a"));
    // Described once, then served from memory.
    source.viewpoint("apartment_a", &id).unwrap();
    assert_eq!(server.request_count(), 9);
}
