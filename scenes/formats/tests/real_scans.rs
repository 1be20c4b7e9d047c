//! Loaders against the real scans in `$WAYMARK_REAL_DATA/scans` (skipped, with a note, when the
//! variable is unset; a failure under CI or when it is set but the files are missing).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use waymark_scenes::{UpAxis, load_scene, read_npy_cloud, read_ply_scene};

fn scan(name: &str) -> Option<PathBuf> {
    let root = waymark_io::test_env::require(
        "WAYMARK_REAL_DATA",
        &format!("the real-scan test for {name}"),
    )?;
    let path = PathBuf::from(root).join("scans").join(name);
    assert!(
        path.is_file(),
        "WAYMARK_REAL_DATA is set but {} is missing",
        path.display()
    );
    Some(path)
}

#[test]
fn office_chairs_ply_loads_completely() {
    let Some(path) = scan("office_chairs.ply") else {
        return;
    };
    // The file carries no `comment waymark up`, so the axis must be given.
    let err = read_ply_scene(&path, None).unwrap_err().to_string();
    assert!(err.contains("--up z"), "{err}");

    let scene = read_ply_scene(&path, Some(UpAxis::Z)).unwrap();
    let mesh = &scene.mesh;
    assert_eq!(scene.name, "office_chairs");
    assert_eq!(mesh.positions_m.len(), 87_951);
    assert_eq!(mesh.colors.len(), 87_951);
    assert_eq!(mesh.normals.as_ref().map(Vec::len), Some(87_951));
    // Every face is already a triangle: fan triangulation adds none.
    assert_eq!(mesh.triangles.len(), 122_881);
    // The scan is coloured per semantic class with the ScanNet palette: 35 distinct colours,
    // wall blue (174, 199, 232) among them.
    let distinct: BTreeSet<[u8; 3]> = mesh.colors.iter().copied().collect();
    assert_eq!(distinct.len(), 35);
    assert!(distinct.contains(&[174, 199, 232]));
    assert!(mesh.instance_of_vertex.is_none());
    // About 8 × 6 × 5 m.
    let (lo, hi) = mesh.positions_m.iter().fold(
        (glam::Vec3::splat(f32::MAX), glam::Vec3::splat(f32::MIN)),
        |(lo, hi), &p| (lo.min(p), hi.max(p)),
    );
    let size = hi - lo;
    assert!(
        size.max_element() < 12.0 && size.min_element() > 2.0,
        "{size:?}"
    );

    // The dispatcher agrees.
    assert_eq!(load_scene(&path, Some(UpAxis::Z)).unwrap(), scene);
}

#[test]
fn office_chairs_faces_are_triangles_in_the_file() {
    let Some(path) = scan("office_chairs.ply") else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    let ply = waymark_scenes::parse_ply_bytes(&path, &bytes).unwrap();
    let face = ply.element("face").unwrap();
    assert_eq!(face.len(), 122_881);
    let (lists, _) = face.property("vertex_indices").unwrap();
    assert!((0..face.len()).all(|i| lists.list(i).unwrap().len() == 3));
}

#[test]
fn scene0451_01_npy_has_46_labelled_instances() {
    let Some(path) = scan("scene0451_01.npy") else {
        return;
    };
    let scene = read_npy_cloud(&path).unwrap();
    assert_eq!(scene.name, "scene0451_01");
    assert!(scene.mesh.is_point_cloud());
    assert_eq!(scene.mesh.positions_m.len(), 107_046);
    let ids = scene.mesh.instance_of_vertex.as_ref().unwrap();
    let distinct: BTreeSet<u32> = ids.iter().copied().collect();
    assert_eq!(distinct.len(), 46);
    // Raw ids 1..=46 become 2..=47; every instance is named.
    assert_eq!(distinct.first(), Some(&2));
    assert_eq!(distinct.last(), Some(&47));
    assert_eq!(
        scene.labels.keys().copied().collect::<BTreeSet<_>>(),
        distinct
    );
    let count = |label: &str| scene.labels.values().filter(|l| *l == label).count();
    assert_eq!(count("floor"), 1);
    assert_eq!(count("chair"), 4);
    assert!(count("wall") >= 4, "{:?}", scene.labels);
    assert_eq!(load_scene(&path, None).unwrap(), scene);
}
