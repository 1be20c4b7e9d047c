//! NavGPT's observations on waymark's own scenes, from the environment's sensor readings:
//! objects from the sensors layer, candidates from the observation, and captions from a
//! (scripted) vision model on the rendered views, following NavGPT's captioning pipeline.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use waymark_core::{DiscreteNavObservation, Observation, SensorRequest};
use waymark_eval::{TaskArgs, tasks};
use waymark_llm::BlockingLlmClient;
use waymark_llm::scripted_server::{Reply, TestServer, test_config};
use waymark_navgpt::{ObservationSource, SensorSource};

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets")
}

/// The first observation of each of the first `n` demo episodes, with the readings `request`
/// asks for, as the R2R environment gives them.
fn observations(request: &SensorRequest, n: usize) -> Vec<DiscreteNavObservation> {
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
    let episodes = tasks::find("r2r").unwrap().open(&args).unwrap();
    let positions: Vec<usize> = (0..n).collect();
    episodes.check(&positions, request).unwrap();
    positions
        .iter()
        .map(|&p| {
            let env = episodes.start(p).unwrap();
            match env.observe(false, request).unwrap() {
                Observation::DiscreteNav(obs) => obs,
                other => panic!("{other:?}"),
            }
        })
        .collect()
}

#[test]
fn objects_come_from_the_sensors_and_candidates_from_the_observation() {
    let source = SensorSource::new(None);
    let mut objects = 0;
    for obs in observations(&source.sensors(), 6) {
        assert!(obs.teacher.is_none(), "NavGPT is not privileged");
        let text = source.viewpoint(obs.scan.as_str(), &obs).unwrap();
        let listed: Vec<&str> = text
            .candidates
            .iter()
            .map(|c| c.viewpoint.as_str())
            .collect();
        let navigable: Vec<&str> = obs.navigable.iter().map(|c| c.viewpoint.as_str()).collect();
        assert_eq!(listed, navigable);
        for (c, n) in text.candidates.iter().zip(&obs.navigable) {
            let back = waymark_core::angles::wrap_to_pi(c.heading_rad - obs.heading_rad);
            assert!((back - n.rel_heading_rad).abs() < 1e-9, "absolute headings");
        }
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
    assert_eq!(source.knows("apartment_a", "anything"), None);
}

#[test]
fn an_observation_without_readings_is_a_clear_error() {
    let source = SensorSource::new(None);
    let obs = observations(&SensorRequest::default(), 1).remove(0);
    let err = source
        .viewpoint("apartment_a", &obs)
        .unwrap_err()
        .to_string();
    assert!(err.contains("carries no sensor readings"), "{err}");
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
    let source = SensorSource::new(Some(client));
    let request = source.sensors();
    assert_eq!(
        request.views.as_ref().map(|v| v.elevations_deg.len()),
        Some(3)
    );
    let obs = observations(&request, 1).remove(0);
    assert_eq!(obs.sensors.as_ref().unwrap().views.len(), 24);
    let text = source.viewpoint("apartment_a", &obs).unwrap();
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
    source.viewpoint("apartment_a", &obs).unwrap();
    assert_eq!(server.request_count(), 9);
}
