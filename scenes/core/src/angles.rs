//! Angle conventions, shared with Matterport3DSimulator (MatterSim).
//!
//! Heading is measured in radians clockwise (seen from above) from the world `+y` axis, so a
//! positive heading change turns the agent right. Elevation is measured in radians up from the
//! horizontal plane. The world is z-up.

use glam::DVec3;
use std::f64::consts::{PI, TAU};

/// Wraps an angle into `[0, 2π)`.
pub fn wrap_to_tau(angle_rad: f64) -> f64 {
    let wrapped = angle_rad.rem_euclid(TAU);
    // rem_euclid can return TAU itself for tiny negative inputs because of rounding.
    if wrapped >= TAU { 0.0 } else { wrapped }
}

/// Wraps an angle into `(-π, π]`.
pub fn wrap_to_pi(angle_rad: f64) -> f64 {
    let wrapped = wrap_to_tau(angle_rad);
    if wrapped > PI { wrapped - TAU } else { wrapped }
}

/// Heading (clockwise from `+y`) and elevation of the direction `delta_world`.
///
/// Returns `(heading_rad, elevation_rad)` with the heading in `[0, 2π)`.
pub fn heading_elevation_of(delta_world: DVec3) -> (f64, f64) {
    let horizontal_m = delta_world.x.hypot(delta_world.y);
    let heading_rad = wrap_to_tau(delta_world.x.atan2(delta_world.y));
    let elevation_rad = delta_world.z.atan2(horizontal_m);
    (heading_rad, elevation_rad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_into_ranges() {
        assert!((wrap_to_tau(-0.5) - (TAU - 0.5)).abs() < 1e-12);
        assert!((wrap_to_tau(TAU + 0.25) - 0.25).abs() < 1e-12);
        assert!((wrap_to_pi(3.0 * PI / 2.0) + PI / 2.0).abs() < 1e-12);
        assert!((wrap_to_pi(PI) - PI).abs() < 1e-12);
        assert!(wrap_to_tau(-1e-20) < TAU);
    }

    #[test]
    fn heading_is_clockwise_from_plus_y() {
        let (h, e) = heading_elevation_of(DVec3::new(0.0, 2.0, 0.0));
        assert!(h.abs() < 1e-12 && e.abs() < 1e-12);
        let (h, _) = heading_elevation_of(DVec3::new(1.0, 0.0, 0.0));
        assert!((h - PI / 2.0).abs() < 1e-12, "east is a right turn");
        let (h, _) = heading_elevation_of(DVec3::new(-1.0, 0.0, 0.0));
        assert!((h - 3.0 * PI / 2.0).abs() < 1e-12);
        let (_, e) = heading_elevation_of(DVec3::new(0.0, 1.0, 1.0));
        assert!((e - PI / 4.0).abs() < 1e-12);
    }
}
