//! Property tests: the reader never panics on mutated or truncated PLY bytes.

use super::{PlyEncoding, write_ply_bytes};
use crate::mesh_io::{ply_scene_from_bytes, scene_to_ply};
use crate::scene::{Scene, SceneMesh, UpAxis};
use glam::Vec3;
use proptest::prelude::*;
use proptest::sample::Index;
use std::path::Path;

/// A small labelled mesh with normals, written in `encoding`, plus a hand-written file with
/// lists of unusual types.
fn sources() -> Vec<Vec<u8>> {
    let mut mesh = SceneMesh::default();
    for k in 0..6 {
        mesh.positions_m
            .push(Vec3::new(k as f32, (k * k) as f32 * 0.5, -0.25 * k as f32));
        mesh.colors.push([k as u8 * 40, 255 - k as u8, 7]);
    }
    mesh.normals = Some(vec![Vec3::Z; 6]);
    mesh.instance_of_vertex = Some(vec![0, 1, 1, 2, 2, 2]);
    mesh.triangles = vec![[0, 1, 2], [2, 3, 4], [3, 4, 5]];
    let scene = Scene {
        name: "p".into(),
        mesh,
        labels: [(1, "chair".to_owned()), (2, "table top".to_owned())].into(),
    };
    let path = Path::new("p.ply");
    let mut out: Vec<Vec<u8>> = [
        PlyEncoding::Ascii,
        PlyEncoding::BinaryLittleEndian,
        PlyEncoding::BinaryBigEndian,
    ]
    .into_iter()
    .map(|e| write_ply_bytes(path, &scene_to_ply(path, &scene, UpAxis::Z, e).unwrap()).unwrap())
    .collect();
    out.push(
        b"ply\nformat ascii 1.0\nelement vertex 3\nproperty double x\nproperty double y\n\
          property double z\nproperty float r\nproperty float g\nproperty float b\n\
          element extra 2\nproperty list ushort char c\nelement face 1\n\
          property list uint uint vertex_index\nend_header\n\
          0 0 0 0.5 0.5 1\n1 0 0 0 0 0\n0 1 0 1 1 1\n2 -1 1\n0\n4 0 1 2 1\n"
            .to_vec(),
    );
    out
}

/// Where the header ends (edits there change structure rather than values).
fn header_len(bytes: &[u8]) -> usize {
    bytes
        .windows(11)
        .position(|w| w == b"end_header\n")
        .map_or(bytes.len(), |p| p + 11)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn mutated_or_truncated_ply_never_panics(
        source in 0usize..4,
        header_edits in prop::collection::vec((any::<Index>(), any::<u8>()), 0..3),
        body_edits in prop::collection::vec((any::<Index>(), any::<u8>()), 0..6),
        digit_edits in prop::collection::vec((any::<Index>(), b'0'..=b'9'), 0..3),
        cut in prop::option::of(any::<Index>()),
    ) {
        let mut bytes = sources().swap_remove(source);
        let head = header_len(&bytes);
        for (at, byte) in header_edits.iter().chain(&digit_edits) {
            bytes[at.index(head)] = *byte;
        }
        let body = bytes.len() - head;
        if body > 0 {
            for (at, byte) in &body_edits {
                bytes[head + at.index(body)] = *byte;
            }
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        // Ok or Err are both fine; a panic fails the test.
        let _ = super::parse_ply_bytes(Path::new("m.ply"), &bytes);
        let _ = ply_scene_from_bytes(Path::new("m.ply"), &bytes, Some(UpAxis::Y));
    }

    #[test]
    fn arbitrary_bytes_after_a_header_never_panic(
        source in 0usize..4,
        tail in prop::collection::vec(any::<u8>(), 0..200),
    ) {
        let mut bytes = sources().swap_remove(source);
        bytes.truncate(header_len(&bytes));
        bytes.extend_from_slice(&tail);
        let _ = ply_scene_from_bytes(Path::new("m.ply"), &bytes, None);
    }
}
