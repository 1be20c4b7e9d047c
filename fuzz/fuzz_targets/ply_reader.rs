//! Arbitrary bytes as a PLY file: the reader and the scene conversion must return `Ok` or `Err`,
//! never panic, hang or allocate beyond what the input can back.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use waymark_scenes::{UpAxis, parse_ply_bytes, ply_scene_from_bytes};

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.ply");
    if parse_ply_bytes(path, data).is_ok() {
        // Only valid PLY reaches the conversion; both axes exercise the rotation.
        let _ = ply_scene_from_bytes(path, data, Some(UpAxis::Y));
        let _ = ply_scene_from_bytes(path, data, None);
    }
});
