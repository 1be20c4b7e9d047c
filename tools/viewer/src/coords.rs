//! The one place where waymark's world meets Bevy's.
//!
//! waymark is z-up, right-handed, in metres: x east, y north, z up; headings are clockwise from
//! `+y` seen from above. Bevy is y-up and right-handed. The map is a proper rotation (−90° about
//! x): Bevy `(x, y, z)` = waymark `(x, z, −y)`, so north is Bevy's `−z` (its default forward).

use bevy::math::Vec3;

/// A waymark point or direction in Bevy's frame.
pub fn to_bevy(p: Vec3) -> Vec3 {
    Vec3::new(p.x, p.z, -p.y)
}

/// A Bevy point or direction in waymark's frame.
pub fn to_waymark(p: Vec3) -> Vec3 {
    Vec3::new(p.x, -p.z, p.y)
}

/// The horizontal unit direction of a waymark heading (radians clockwise from `+y`), in waymark.
pub fn heading_dir(heading_rad: f32) -> Vec3 {
    Vec3::new(heading_rad.sin(), heading_rad.cos(), 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_keeps_handedness() {
        let p = Vec3::new(1.0, 2.0, 3.0);
        assert_eq!(to_waymark(to_bevy(p)), p);
        assert_eq!(to_bevy(Vec3::Z), Vec3::Y, "up is up");
        assert_eq!(to_bevy(Vec3::Y), -Vec3::Z, "north is Bevy's forward");
        let (x, y, z) = (to_bevy(Vec3::X), to_bevy(Vec3::Y), to_bevy(Vec3::Z));
        assert_eq!(x.cross(y), z, "a rotation, not a mirror");
        assert!((heading_dir(std::f32::consts::FRAC_PI_2) - Vec3::X).length() < 1e-6);
    }
}
