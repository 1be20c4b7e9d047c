//! One entry point for every scene file kind waymark reads.

use crate::error::SceneError;
use crate::mesh_io::read_ply_scene;
use crate::npy_cloud::read_npy_cloud;
use crate::scannet::{is_scannet_layout, read_scannet_scene};
use crate::scene::{Scene, UpAxis};
use std::path::Path;

/// The kinds [`load_scene`] accepts, for error messages and help texts.
pub const SUPPORTED_KINDS: &str = "a `.ply` mesh or point cloud, a ScanNet \
     `<scene>_vh_clean_2.ply` with its segs and aggregation files, or a labelled `.npy` point \
     cloud (N×8 float32: x y z r g b class instance)";

/// Loads a scene by kind: a ScanNet layout, then by extension `.ply` or `.npy`.
///
/// `up` applies to plain PLY files (see [`read_ply_scene`]); ScanNet scans and `.npy` clouds are
/// z-up by definition, so `Some(UpAxis::Y)` for them is an error rather than silently ignored.
pub fn load_scene(path: &Path, up: Option<UpAxis>) -> Result<Scene, SceneError> {
    let fixed_z = |kind: &str| match up {
        Some(UpAxis::Y) => Err(SceneError::record(
            path,
            "file",
            format!("{kind} files are z-up; `--up y` does not apply"),
        )),
        _ => Ok(()),
    };
    if is_scannet_layout(path) {
        fixed_z("ScanNet")?;
        return read_scannet_scene(path);
    }
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("ply") => read_ply_scene(path, up),
        Some("npy") => {
            fixed_z("labelled .npy point cloud")?;
            read_npy_cloud(path)
        }
        _ => Err(SceneError::record(
            path,
            "file",
            format!("unsupported scene file; expected {SUPPORTED_KINDS}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mesh_io::write_ply_scene;
    use crate::ply::PlyEncoding;
    use crate::scene::SceneMesh;
    use glam::Vec3;

    #[test]
    fn dispatches_by_extension_and_rejects_other_kinds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Room.PLY");
        let scene = Scene {
            name: "Room".into(),
            mesh: SceneMesh {
                positions_m: vec![Vec3::ZERO, Vec3::X],
                colors: vec![[1, 2, 3]; 2],
                ..Default::default()
            },
            labels: Default::default(),
        };
        write_ply_scene(&path, &scene, UpAxis::Z, PlyEncoding::Ascii).unwrap();
        assert_eq!(load_scene(&path, None).unwrap(), scene);

        let text = load_scene(&dir.path().join("room.obj"), None)
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("room.obj") && text.contains(".npy") && text.contains(".ply"),
            "{text}"
        );

        let text = load_scene(&dir.path().join("cloud.npy"), Some(UpAxis::Y))
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("cloud.npy") && text.contains("z-up"),
            "{text}"
        );

        let text = load_scene(&dir.path().join("missing.ply"), None)
            .unwrap_err()
            .to_string();
        assert!(text.contains("missing.ply"), "{text}");
    }
}
