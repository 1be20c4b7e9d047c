//! `X,Y,Z` command-line values.

use glam::Vec3;
use std::str::FromStr;

/// A point given as `X,Y,Z` (metres).
#[derive(Clone, Copy, Debug)]
pub struct Vec3Arg(pub Vec3);

impl FromStr for Vec3Arg {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        let values: Vec<f32> = parts
            .iter()
            .map(|p| p.parse::<f32>())
            .collect::<Result<_, _>>()
            .map_err(|_| format!("`{text}` is not X,Y,Z"))?;
        match values[..] {
            [x, y, z] if values.iter().all(|v| v.is_finite()) => Ok(Self(Vec3::new(x, y, z))),
            _ => Err(format!("`{text}` is not X,Y,Z (three finite numbers)")),
        }
    }
}
