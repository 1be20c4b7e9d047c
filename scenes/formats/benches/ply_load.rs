//! Time to load a PLY scan into a `Scene`: the real `office_chairs.ply` (binary little endian,
//! 87,951 vertices, 122,881 faces) when `WAYMARK_REAL_DATA` points at the data folder, else a
//! generated mesh of the same size parsed from memory. The budget is 50 ms.

#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use glam::Vec3;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use waymark_scenes::mesh_io::{scene_from_ply, scene_to_ply};
use waymark_scenes::ply::write_ply_bytes;
use waymark_scenes::{
    PlyEncoding, Scene, SceneMesh, UpAxis, parse_ply_bytes, ply_scene_from_bytes, read_ply_scene,
};

/// A grid mesh with about as many vertices and triangles as `office_chairs.ply`.
fn generated_bytes() -> Vec<u8> {
    let side = 297; // 297² ≈ 88k vertices, 2·296² ≈ 175k triangles
    let mut mesh = SceneMesh::default();
    for j in 0..side {
        for i in 0..side {
            mesh.positions_m.push(Vec3::new(
                i as f32 * 0.01,
                j as f32 * 0.01,
                (i * j % 7) as f32 * 0.001,
            ));
            mesh.colors.push([(i % 256) as u8, (j % 256) as u8, 128]);
        }
    }
    mesh.normals = Some(vec![Vec3::Z; mesh.positions_m.len()]);
    for j in 0..side - 1 {
        for i in 0..side - 1 {
            let v = (j * side + i) as u32;
            let s = side as u32;
            mesh.triangles.push([v, v + 1, v + s + 1]);
            if mesh.triangles.len() < 122_881 {
                mesh.triangles.push([v, v + s + 1, v + s]);
            }
        }
    }
    let scene = Scene {
        name: "grid".into(),
        mesh,
        labels: Default::default(),
    };
    let path = Path::new("generated.ply");
    let ply = scene_to_ply(path, &scene, UpAxis::Z, PlyEncoding::BinaryLittleEndian).unwrap();
    write_ply_bytes(path, &ply).unwrap()
}

fn bench_ply_load(c: &mut Criterion) {
    let mut group = c.benchmark_group("ply_load");
    group.sample_size(20);
    match std::env::var_os("WAYMARK_REAL_DATA") {
        Some(root) => {
            let path = PathBuf::from(root).join("scans/office_chairs.ply");
            let size = std::fs::metadata(&path)
                .expect("WAYMARK_REAL_DATA is set but office_chairs.ply is missing")
                .len();
            group.throughput(Throughput::Bytes(size));
            group.bench_function("office_chairs_read_and_parse", |b| {
                b.iter(|| black_box(read_ply_scene(black_box(&path), Some(UpAxis::Z)).unwrap()))
            });
            let bytes = std::fs::read(&path).unwrap();
            group.bench_function("office_chairs_columns_only", |b| {
                b.iter(|| black_box(parse_ply_bytes(&path, black_box(&bytes)).unwrap()))
            });
            let ply = parse_ply_bytes(&path, &bytes).unwrap();
            group.bench_function("office_chairs_columns_to_scene", |b| {
                b.iter(|| {
                    black_box(scene_from_ply(&path, black_box(&ply), Some(UpAxis::Z)).unwrap())
                })
            });
            group.bench_function("office_chairs_parse_in_memory", |b| {
                b.iter(|| {
                    black_box(
                        ply_scene_from_bytes(&path, black_box(&bytes), Some(UpAxis::Z)).unwrap(),
                    )
                })
            });
        }
        None => {
            eprintln!(
                "WAYMARK_REAL_DATA is unset: benchmarking a generated mesh instead of office_chairs.ply"
            );
            let bytes = generated_bytes();
            group.throughput(Throughput::Bytes(bytes.len() as u64));
            group.bench_function("generated_parse_in_memory", |b| {
                b.iter(|| {
                    black_box(
                        ply_scene_from_bytes(Path::new("generated.ply"), black_box(&bytes), None)
                            .unwrap(),
                    )
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_ply_load);
criterion_main!(benches);
