//! Readers and writers for the files waymark consumes and produces.
//!
//! Every reader returns a [`SceneError`] that names the file and the record or JSON path at
//! fault; nothing here panics on malformed input.

pub mod connectivity;
pub mod demo_houses;
pub mod error;
pub mod json;
pub mod r2r;

pub use connectivity::{NavGraphSpec, connectivity_path, read_connectivity, write_connectivity};
pub use error::SceneError;
pub use r2r::{R2rRecord, read_r2r_episodes, write_r2r_records};
