//! PLY ↔ scene tests: round trips in every encoding and hand-written inputs.

use super::*;
use crate::ply::PlyEncoding;

const ENCODINGS: [PlyEncoding; 3] = [
    PlyEncoding::Ascii,
    PlyEncoding::BinaryLittleEndian,
    PlyEncoding::BinaryBigEndian,
];

fn labelled_mesh() -> Scene {
    Scene {
        name: "room".into(),
        mesh: SceneMesh {
            positions_m: vec![
                Vec3::new(0.0, 0.0, 0.0),
                Vec3::new(1.25, 0.0, 0.1),
                Vec3::new(1.0, 2.0, 0.3),
                Vec3::new(-0.5, 1.0, 2.75),
            ],
            colors: vec![[255, 0, 0], [0, 255, 0], [0, 0, 255], [12, 34, 56]],
            normals: Some(vec![Vec3::Z, Vec3::X, Vec3::Y, Vec3::new(0.6, 0.0, 0.8)]),
            triangles: vec![[0, 1, 2], [0, 2, 3]],
            instance_of_vertex: Some(vec![NO_INSTANCE, 3, 3, 7]),
        },
        labels: [(3, "office chair".to_owned()), (7, "lamp".to_owned())].into(),
    }
}

fn parse_text(text: &str, up: Option<UpAxis>) -> Result<Scene, SceneError> {
    ply_scene_from_bytes(Path::new("dir/hand.ply"), text.as_bytes(), up)
}

fn err(text: &str) -> String {
    parse_text(text, Some(UpAxis::Z)).unwrap_err().to_string()
}

#[test]
fn labelled_mesh_round_trips_in_every_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let scene = labelled_mesh();
    for encoding in ENCODINGS {
        let path = dir.path().join("room.ply");
        write_ply_scene(&path, &scene, UpAxis::Z, encoding).unwrap();
        let back = read_ply_scene(&path, None).unwrap();
        assert_eq!(back, scene, "{encoding:?}");
    }
}

#[test]
fn point_cloud_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let mut scene = labelled_mesh();
    scene.mesh.triangles.clear();
    scene.mesh.normals = None;
    for encoding in ENCODINGS {
        let path = dir.path().join("room.ply");
        write_ply_scene(&path, &scene, UpAxis::Z, encoding).unwrap();
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        assert!(!text.contains("element face"), "{text}");
        let back = read_ply_scene(&path, None).unwrap();
        assert!(back.mesh.is_point_cloud());
        assert_eq!(back, scene, "{encoding:?}");
    }
}

#[test]
fn y_up_round_trip_keeps_world_positions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("room.ply");
    let scene = labelled_mesh();
    write_ply_scene(&path, &scene, UpAxis::Y, PlyEncoding::Ascii).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("comment waymark up y\n"), "{text}");
    // World (−0.5, 1, 2.75) is stored y-up as (−0.5, 2.75, −1).
    assert!(text.contains("\n-0.5 2.75 -1 "), "{text}");
    let back = read_ply_scene(&path, None).unwrap();
    assert_eq!(back, scene);
    // The caller's axis wins over the file's comment.
    let forced = read_ply_scene(&path, Some(UpAxis::Z)).unwrap();
    assert_eq!(forced.mesh.positions_m[3], Vec3::new(-0.5, 2.75, -1.0));
}

#[test]
fn header_comments_label_instances() {
    let scene = labelled_mesh();
    let ply = scene_to_ply(Path::new("x.ply"), &scene, UpAxis::Z, PlyEncoding::Ascii).unwrap();
    assert_eq!(
        ply.header.comments,
        [
            "waymark up z",
            "waymark label 3 office chair",
            "waymark label 7 lamp"
        ]
    );
}

#[test]
fn missing_up_axis_asks_for_the_flag() {
    let text = "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\n\
                property float z\nend_header\n0 0 0\n";
    let message = parse_text(text, None).unwrap_err().to_string();
    assert!(
        message.contains("dir/hand.ply")
            && message.contains("--up z")
            && message.contains("--up y"),
        "{message}"
    );
    let scene = parse_text(text, Some(UpAxis::Y)).unwrap();
    assert_eq!(scene.mesh.colors, vec![DEFAULT_GREY]);
    assert_eq!(scene.name, "hand");
}

const XYZ: &str = "property float x\nproperty float y\nproperty float z\n";

#[test]
fn quads_and_pentagons_are_fan_triangulated() {
    let text = format!(
        "ply\nformat ascii 1.0\nelement vertex 5\n{XYZ}element face 2\n\
         property list uchar uint vertex_index\nend_header\n\
         0 0 0\n1 0 0\n1 1 0\n0 1 0\n0 2 0\n4 0 1 2 3\n5 0 1 2 3 4\n"
    );
    let scene = parse_text(&text, Some(UpAxis::Z)).unwrap();
    assert_eq!(
        scene.mesh.triangles,
        vec![[0, 1, 2], [0, 2, 3], [0, 1, 2], [0, 2, 3], [0, 3, 4]]
    );
}

#[test]
fn float_colours_scale_and_alpha_is_ignored() {
    let text = format!(
        "ply\nformat ascii 1.0\ncomment waymark up z\nelement vertex 2\n{XYZ}property float r\n\
         property double g\nproperty float b\nproperty float alpha\nend_header\n\
         0 0 0 1 0.5 0 0.1\n1 1 1 2 -1 0.2 1\n"
    );
    let scene = parse_text(&text, None).unwrap();
    assert_eq!(scene.mesh.colors, vec![[255, 128, 0], [255, 0, 51]]);
    let diffuse = format!(
        "ply\nformat ascii 1.0\nelement vertex 1\n{XYZ}property uchar diffuse_red\n\
         property uchar diffuse_green\nproperty uchar diffuse_blue\nend_header\n0 0 0 1 2 3\n"
    );
    assert_eq!(
        parse_text(&diffuse, Some(UpAxis::Z)).unwrap().mesh.colors,
        vec![[1, 2, 3]]
    );
}

#[test]
fn unknown_elements_between_vertices_and_faces_are_skipped() {
    for format in ["ascii", "binary_little_endian"] {
        let mut bytes = format!(
            "ply\nformat {format} 1.0\nelement vertex 3\n{XYZ}element edge 1\n\
             property int vertex1\nproperty int vertex2\nproperty list uchar uchar crease\n\
             element face 1\nproperty list uchar int vertex_indices\nend_header\n"
        )
        .into_bytes();
        if format == "ascii" {
            bytes.extend_from_slice(b"0 0 0\n1 0 0\n0 1 0\n0 1 2 7 7\n3 0 1 2\n");
        } else {
            for v in [0f32, 0., 0., 1., 0., 0., 0., 1., 0.] {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
            for v in [0i32, 1] {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
            bytes.extend_from_slice(&[2, 7, 7, 3]);
            for v in [0i32, 1, 2] {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
        }
        let scene = ply_scene_from_bytes(Path::new("e.ply"), &bytes, Some(UpAxis::Z)).unwrap();
        assert_eq!(scene.mesh.triangles, vec![[0, 1, 2]], "{format}");
        assert_eq!(scene.mesh.positions_m[1], Vec3::X, "{format}");
    }
}

#[test]
fn an_empty_face_element_makes_a_point_cloud() {
    let text = format!(
        "ply\nformat ascii 1.0\nelement vertex 1\n{XYZ}element face 0\n\
         property list uchar int vertex_indices\nend_header\n1 2 3\n"
    );
    let scene = parse_text(&text, Some(UpAxis::Z)).unwrap();
    assert!(scene.mesh.is_point_cloud());
    assert_eq!(scene.mesh.positions_m, vec![Vec3::new(1.0, 2.0, 3.0)]);
}

#[test]
fn bad_faces_name_the_face() {
    let faces = |body: &str| {
        format!(
            "ply\nformat ascii 1.0\nelement vertex 3\n{XYZ}element face 2\n\
             property list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n{body}\n"
        )
    };
    let text = err(&faces("3 0 1 99999"));
    assert!(
        text.contains("dir/hand.ply") && text.contains("element `face` [1]"),
        "{text}"
    );
    assert!(text.contains("refers to vertex 99999 of 3"), "{text}");
    let text = err(&faces("3 0 -1 2"));
    assert!(
        text.contains("element `face` [1]") && text.contains("vertex -1 of 3"),
        "{text}"
    );
    let text = err(&faces("2 0 1"));
    assert!(
        text.contains("element `face` [1]") && text.contains("has 2 vertices"),
        "{text}"
    );
    let float_index = format!(
        "ply\nformat ascii 1.0\nelement vertex 3\n{XYZ}element face 1\n\
         property list uchar float vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1.5 2\n"
    );
    let text = err(&float_index);
    assert!(
        text.contains("element `face` [0]") && text.contains("not an integer"),
        "{text}"
    );
    let no_list = format!(
        "ply\nformat ascii 1.0\nelement vertex 1\n{XYZ}element face 1\nproperty int a\nend_header\n0 0 0\n1\n"
    );
    assert!(err(&no_list).contains("vertex_indices"));
}

#[test]
fn non_finite_coordinates_name_the_vertex() {
    for bad in ["nan", "inf", "-inf", "1e39"] {
        let text =
            format!("ply\nformat ascii 1.0\nelement vertex 2\n{XYZ}end_header\n0 0 0\n1 {bad} 0\n");
        let message = err(&text);
        assert!(
            message.contains("dir/hand.ply") && message.contains("element `vertex` [1]"),
            "{message}"
        );
        assert!(message.contains("not finite"), "{message}");
    }
}

#[test]
fn missing_coordinates_and_vertices_are_errors() {
    let text = "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nend_header\n0\n";
    let message = err(text);
    assert!(
        message.contains("element `vertex`") && message.contains("`y`"),
        "{message}"
    );
    let message = err("ply\nformat ascii 1.0\nelement face 0\nend_header\n");
    assert!(message.contains("no `vertex` element"), "{message}");
    let message = parse_text(
        "ply\nformat ascii 1.0\ncomment waymark up x\nend_header\n",
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(
        message.contains("header comment 0") && message.contains("`z` or `y`"),
        "{message}"
    );
}

#[test]
fn instance_properties_are_stored_as_given() {
    for name in ["instance", "instance_id", "objectId", "object_id"] {
        let text = format!(
            "ply\nformat ascii 1.0\ncomment waymark label 4 sofa\nelement vertex 3\n{XYZ}\
             property int {name}\nend_header\n0 0 0 4\n1 0 0 -1\n0 1 0 0\n"
        );
        let scene = parse_text(&text, Some(UpAxis::Z)).unwrap();
        assert_eq!(
            scene.mesh.instance_of_vertex,
            Some(vec![4, NO_INSTANCE, 0]),
            "{name}"
        );
        assert_eq!(scene.labels, [(4, "sofa".to_owned())].into());
    }
}

#[test]
fn semantic_labels_alone_make_one_instance_per_class() {
    let text = format!(
        "ply\nformat ascii 1.0\nelement vertex 4\n{XYZ}property ushort label\nend_header\n\
         0 0 0 5\n1 0 0 5\n0 1 0 0\n0 0 1 77\n"
    );
    let scene = parse_text(&text, Some(UpAxis::Z)).unwrap();
    assert_eq!(scene.mesh.instance_of_vertex, Some(vec![6, 6, 1, 78]));
    assert_eq!(scene.labels[&6], "chair");
    assert_eq!(scene.labels[&1], "unannotated");
    assert_eq!(scene.labels[&78], "class_77");
}

#[test]
fn instances_with_semantic_labels_take_the_majority_class() {
    let text = format!(
        "ply\nformat ascii 1.0\ncomment waymark label 2 my desk\nelement vertex 5\n{XYZ}\
         property int instance\nproperty int label\nend_header\n\
         0 0 0 1 5\n1 0 0 1 5\n0 1 0 1 7\n0 0 1 2 14\n0 0 2 0 1\n"
    );
    let scene = parse_text(&text, Some(UpAxis::Z)).unwrap();
    assert_eq!(scene.mesh.instance_of_vertex, Some(vec![1, 1, 1, 2, 0]));
    // Instance 1 is mostly chairs; the comment names instance 2 over its class (desk).
    assert_eq!(
        scene.labels,
        [(1, "chair".to_owned()), (2, "my desk".to_owned())].into()
    );
}

#[test]
fn writer_rejects_inconsistent_scenes() {
    let mut scene = labelled_mesh();
    scene.mesh.triangles.push([0, 1, 4]);
    let text = scene_to_ply(Path::new("o.ply"), &scene, UpAxis::Z, PlyEncoding::Ascii)
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("o.ply")
            && text.contains("element `face` [2]")
            && text.contains("vertex 4 of 4"),
        "{text}"
    );
    let mut scene = labelled_mesh();
    scene.mesh.colors.pop();
    assert!(scene_to_ply(Path::new("o.ply"), &scene, UpAxis::Z, PlyEncoding::Ascii).is_err());
    let mut scene = labelled_mesh();
    scene.labels.insert(9, "two\nlines".into());
    let text = scene_to_ply(Path::new("o.ply"), &scene, UpAxis::Z, PlyEncoding::Ascii)
        .unwrap_err()
        .to_string();
    assert!(text.contains("label of instance 9"), "{text}");
}
