//! A deterministic CPU renderer: no GPU, no display.
//!
//! A [`RenderScene`] is prepared once from a loaded scene (triangles sorted into spatial chunks
//! for frustum culling, flat-shaded colours, per-triangle instance ids); a [`Renderer`] then
//! draws pinhole views into a [`Frame`] holding RGB, depth in metres (distance along the optical
//! axis, 0 where nothing was hit) and instance ids. Point clouds render as square splats.
//! Equirectangular panoramas, MatterSim's 36 discretized views and the objects an agent sees
//! per 45° sector build on the same renderer, and so do bird's-eye maps ([`top_down`]) with
//! instance ids written on them ([`labels`]).

pub mod camera;
pub mod error;
pub mod frame;
pub mod image_io;
pub mod labels;
pub mod panorama;
pub mod prepare;
pub mod raster;
pub mod top_down;
pub mod visible;

pub use camera::PinholeCamera;
pub use error::RenderError;
pub use frame::Frame;
pub use prepare::RenderScene;
pub use raster::Renderer;
pub use top_down::{TopDownCamera, render_top_down};
