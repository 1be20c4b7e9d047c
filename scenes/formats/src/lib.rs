//! Readers and writers for the files waymark consumes and produces.
//!
//! Every reader returns a [`SceneError`] that names the file and the record, element or JSON
//! path at fault; nothing here panics on malformed input.

pub mod apartment;
pub mod class_names;
pub mod connectivity;
pub mod error;
pub mod load;
pub mod mesh_io;
pub mod npy_cloud;
pub mod ply;
pub mod primitives;
pub mod r2r;
pub mod scannet;
pub mod scene;
pub mod scene_graph;
pub mod vlnce;

pub use connectivity::{NavGraphSpec, connectivity_path, read_connectivity, write_connectivity};
pub use error::SceneError;
pub use load::load_scene;
pub use mesh_io::{ply_scene_from_bytes, read_ply_scene, write_ply_scene};
pub use npy_cloud::read_npy_cloud;
pub use ply::{PlyEncoding, parse_ply_bytes};
pub use r2r::{R2rRecord, read_r2r_episodes, write_r2r_records};
pub use scannet::{is_scannet_layout, read_scannet_scene};
pub use scene::{NO_INSTANCE, Scene, SceneMesh, UpAxis};
