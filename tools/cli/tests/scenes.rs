//! End-to-end runs of `waymark scene` and `waymark render`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/apartments")
}

fn waymark() -> Command {
    Command::cargo_bin("waymark").unwrap()
}

fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// Decodes a PNG: (width, height, bit depth, colour type, bytes).
fn png_info(path: &Path) -> (u32, u32, png::BitDepth, png::ColorType, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (
        info.width,
        info.height,
        info.bit_depth,
        info.color_type,
        buf,
    )
}

#[test]
fn the_shipped_apartments_are_what_the_generator_makes() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, seed, cols) in [("apartment_a", "1", "3"), ("apartment_b", "2", "4")] {
        waymark()
            .args([
                "scene", "generate", "--name", name, "--seed", seed, "--cols", cols, "--rows", "2",
                "--out",
            ])
            .arg(tmp.path())
            .assert()
            .success();
        for ext in ["ply", "scene.json"] {
            let file = format!("{name}.{ext}");
            assert!(
                std::fs::read(tmp.path().join(&file)).unwrap()
                    == std::fs::read(assets().join(&file)).unwrap(),
                "{file} differs"
            );
        }
    }
}

#[test]
fn scene_info_and_graph_describe_an_apartment() {
    let ply = assets().join("apartment_a.ply");
    let info = stdout(
        &waymark()
            .args(["scene", "info"])
            .arg(&ply)
            .assert()
            .success(),
    );
    assert!(
        info.contains("triangles") && info.contains("instances"),
        "{info}"
    );
    for label in ["bed ×1", "sofa ×1", "fridge ×1", "toilet ×1", "wall ×1"] {
        assert!(info.contains(label), "{label} missing from {info}");
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("graph.json");
    waymark()
        .args(["scene", "graph"])
        .arg(&ply)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let graph: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let shipped: Value = serde_json::from_str(
        &std::fs::read_to_string(assets().join("apartment_a.scene.json")).unwrap(),
    )
    .unwrap();
    // The graph of the PLY as read back equals the generator's (rooms aside, which PLY lacks).
    assert_eq!(graph["instances"], shipped["instances"]);
    assert_eq!(graph["face_count"], shipped["face_count"]);
    let bed = graph["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "bed")
        .unwrap();
    assert_eq!(bed["size"].as_array().unwrap().len(), 3);
    assert!(bed["count"].as_u64().unwrap() > 0);
}

#[test]
fn render_writes_rgb_depth_instance_pngs_and_arrays() {
    let tmp = tempfile::tempdir().unwrap();
    let assert = waymark()
        .args(["render"])
        .arg(assets().join("apartment_a.ply"))
        .args([
            "--position",
            "2,2,1.5",
            "--heading",
            "45",
            "--width",
            "64",
            "--height",
            "48",
            "--hfov",
            "90",
            "--panorama",
            "--views36",
            "--out",
        ])
        .arg(tmp.path())
        .assert()
        .success();
    assert!(
        stdout(&assert).contains("wrote 47 files"),
        "{}",
        stdout(&assert)
    );
    let (w, h, depth, color, rgb) = png_info(&tmp.path().join("view_rgb.png"));
    assert_eq!(
        (w, h, depth, color),
        (64, 48, png::BitDepth::Eight, png::ColorType::Rgb)
    );
    assert!(rgb.chunks(3).any(|p| p != [0, 0, 0]), "not blank");
    let (w, h, depth, color, mm) = png_info(&tmp.path().join("view_depth.png"));
    assert_eq!(
        (w, h, depth, color),
        (64, 48, png::BitDepth::Sixteen, png::ColorType::Grayscale)
    );
    let depths_mm: Vec<u16> = mm
        .chunks(2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .collect();
    assert!(
        depths_mm.iter().all(|&d| d > 100 && d < 20_000),
        "inside a closed apartment every pixel hits something"
    );
    let (pw, ph, ..) = png_info(&tmp.path().join("panorama_rgb.png"));
    assert_eq!((pw, ph), (128, 64));
    assert!(tmp.path().join("view36_35_rgb.png").is_file());
    let npy = std::fs::read(tmp.path().join("view_depth.npy")).unwrap();
    assert_eq!(&npy[..6], b"\x93NUMPY");
    assert_eq!(
        npy.len() % 16,
        (128 + 64 * 48 * 4) % 16,
        "header + 64×48 float32"
    );
    let labels: Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("labels.json")).unwrap())
            .unwrap();
    assert_eq!(labels["1"], "wall");
}

#[test]
fn visible_lists_objects_per_sector() {
    let assert = waymark()
        .args(["scene", "visible"])
        .arg(assets().join("apartment_a.ply"))
        .args(["--position", "2,2,1.5", "--radius", "30"])
        .assert()
        .success();
    let v: Value = serde_json::from_str(&stdout(&assert)).unwrap();
    let sectors = v.as_object().unwrap();
    assert_eq!(sectors.len(), 8);
    assert!(sectors.contains_key("Front Left") && sectors.contains_key("Rear"));
    let all: Vec<&Value> = sectors
        .values()
        .flat_map(|s| s.as_array().unwrap())
        .collect();
    assert!(!all.is_empty());
    assert!(
        all.iter()
            .all(|o| o["label"] != "wall" && o["dist_m"].as_f64().unwrap() <= 30.0)
    );
}

#[test]
fn bad_scene_input_gives_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nope.ply");
    let err = stderr(
        &waymark()
            .args(["scene", "info"])
            .arg(&missing)
            .assert()
            .failure(),
    );
    assert!(err.contains("nope.ply"), "{err}");

    let bad = tmp.path().join("bad.ply");
    std::fs::write(&bad, "ply\nformat ascii 1.0\ncomment waymark up z\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1 7\n").unwrap();
    let err = stderr(
        &waymark()
            .args(["scene", "info"])
            .arg(&bad)
            .assert()
            .failure(),
    );
    assert!(
        err.contains("bad.ply") && err.contains("face") && err.contains('7'),
        "{err}"
    );

    let unsaid = tmp.path().join("unsaid.ply");
    std::fs::write(&unsaid, "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 0\n").unwrap();
    let err = stderr(
        &waymark()
            .args(["scene", "info"])
            .arg(&unsaid)
            .assert()
            .failure(),
    );
    assert!(err.contains("--up"), "the up axis is never guessed: {err}");
    waymark()
        .args(["scene", "info", "--up", "y"])
        .arg(&unsaid)
        .assert()
        .success();

    let err = stderr(
        &waymark()
            .args(["render"])
            .arg(assets().join("apartment_a.ply"))
            .args(["--position", "1,2", "--out"])
            .arg(tmp.path())
            .assert()
            .failure(),
    );
    assert!(err.contains("X,Y,Z"), "{err}");
    let err = stderr(
        &waymark()
            .args(["render"])
            .arg(assets().join("apartment_a.ply"))
            .args(["--position", "1,2,1", "--width", "0", "--out"])
            .arg(tmp.path())
            .assert()
            .failure(),
    );
    assert!(err.contains("image size"), "{err}");
}

#[test]
fn real_scans_load_and_render() {
    let Some(data) = waymark_io::test_env::require("WAYMARK_REAL_DATA", "the real scans") else {
        return;
    };
    let scans = Path::new(&data).join("scans");
    let info = stdout(
        &waymark()
            .args(["scene", "info", "--up", "z"])
            .arg(scans.join("office_chairs.ply"))
            .assert()
            .success(),
    );
    assert!(
        info.contains("vertices   87951") && info.contains("triangles  122881"),
        "{info}"
    );
    let info = stdout(
        &waymark()
            .args(["scene", "info"])
            .arg(scans.join("scene0451_01.npy"))
            .assert()
            .success(),
    );
    assert!(
        info.contains("points     107046") && info.contains("instances  46"),
        "{info}"
    );
    let tmp = tempfile::tempdir().unwrap();
    waymark()
        .args(["render", "--up", "z"])
        .arg(scans.join("office_chairs.ply"))
        .args([
            "--position",
            "0,0,0",
            "--width",
            "64",
            "--height",
            "48",
            "--out",
        ])
        .arg(tmp.path())
        .assert()
        .success();
    let (_, _, _, _, rgb) = png_info(&tmp.path().join("view_rgb.png"));
    assert!(
        rgb.chunks(3).filter(|p| *p != [0, 0, 0]).count() > 64 * 48 / 2,
        "the room fills most of the view"
    );
}
