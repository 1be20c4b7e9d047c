//! A Minecraft-like voxel world in pure Rust: deterministic, headless and fast.
//!
//! - [`World`]: chunked blocks generated from a seed ([`terrain`]: Crafter's
//!   generator lifted into 3D).
//! - [`Game`]: one episode: the agent ([`player`]), creatures ([`creatures`], kept in a
//!   [`Creatures`] that finds the one in a cell at once), the time of
//!   day, Crafter's 17 actions and rules ([`game`], [`items`]) and MineRL's keys and camera
//!   ([`minerl`]).
//! - [`observe`]: the observation, the surroundings in words, the privileged block box.
//! - [`render`]: first-person RGB and depth by voxel ray casting on the CPU.
//! - [`record`]: episodes as animated GIFs.

pub mod block;
pub mod creatures;
pub mod game;
pub mod herd;
pub mod items;
pub mod minerl;
pub mod observe;
pub mod player;
pub mod record;
pub mod render;
mod simplex;
pub mod terrain;
pub mod world;

pub use block::Block;
pub use game::{Game, GameConfig};
pub use herd::Creatures;
pub use items::{ACHIEVEMENTS, Item};
pub use world::{CHUNK, HEIGHT, World};
