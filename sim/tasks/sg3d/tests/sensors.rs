//! Sensor readings for grounding planners (vision models): the bird's-eye map with the
//! candidates' SG3D ids written on it, and views from the scene's centre.
#![allow(clippy::unwrap_used)]

use base64::Engine;
use std::path::PathBuf;
use waymark_core::sensors::ViewRequest;
use waymark_core::{Observation, SensorRequest};
use waymark_sg3d::Sg3dTask;
use waymark_task::{Task, TaskArgs};

fn decode(png_base64: &str) -> (u32, u32, Vec<u8>) {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(png_base64)
        .unwrap();
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut data = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut data).unwrap();
    (info.width, info.height, data)
}

#[test]
fn the_birds_eye_map_shows_the_apartment_with_ids_and_views_come_from_its_centre() {
    let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../assets");
    let args = TaskArgs::new()
        .with(
            "episodes",
            assets.join("demo/apartment_a_sg3d.json").to_string_lossy(),
        )
        .with("scenes", assets.join("apartments").to_string_lossy());
    let episodes = Sg3dTask.open(&args).unwrap();
    let request = SensorRequest {
        birds_eye_px: Some(320),
        views: Some(ViewRequest {
            width: 32,
            height: 24,
            hfov_deg: 90.0,
            elevations_deg: vec![0.0],
        }),
        ..SensorRequest::default()
    };
    episodes.check(&[0], &request).unwrap();
    let env = episodes.start(0).unwrap();
    let Observation::Grounding(obs) = env.observe(false, &request).unwrap() else {
        panic!("not a grounding observation");
    };
    let readings = obs.sensors.unwrap();
    assert_eq!(readings.views.len(), 8);
    let map = readings.birds_eye.unwrap();
    let (w, h, rgb) = decode(&map.png_base64);
    assert_eq!(w.max(h), 320);
    // The map's corner and scale place the scene's objects inside the image.
    for o in &obs.objects {
        let col = (o.centre_m.x - map.origin_m[0]) / map.m_per_px;
        let row = (map.origin_m[1] - o.centre_m.y) / map.m_per_px;
        assert!(
            col > 0.0 && col < w as f32 && row > 0.0 && row < h as f32,
            "{o:?}"
        );
    }
    // Ids are written in white: lit glyph pixels exist, and the floor is not white.
    let white = rgb.chunks(3).filter(|p| p == &[255, 255, 255]).count();
    assert!(white > 20 * obs.objects.len() / 2, "{white} white pixels");
    // Another episode renders afresh and sees the same (deterministic).
    let other = episodes.start(0).unwrap();
    let Observation::Grounding(again) = other.observe(false, &request).unwrap() else {
        panic!("not a grounding observation");
    };
    assert_eq!(again.sensors.unwrap().birds_eye.unwrap(), map);
    // Views from a chosen viewpoint are other views.
    let chosen = Sg3dTask.open(&args.with("viewpoint", "2,2,1.2")).unwrap();
    let Observation::Grounding(there) = chosen.start(0).unwrap().observe(false, &request).unwrap()
    else {
        panic!("not a grounding observation");
    };
    assert_ne!(there.sensors.unwrap().views, readings.views);
}
