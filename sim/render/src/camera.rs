//! Pinhole cameras with MatterSim's heading and elevation convention.

use crate::error::RenderError;
use glam::Vec3;

/// A pinhole camera. Heading is clockwise from `+y` (seen from above), elevation up from the
/// horizon, both in radians; pixels are square, so the vertical field of view follows from the
/// horizontal one and the aspect ratio.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PinholeCamera {
    /// The optical centre in the world frame (metres, z up).
    pub position_m: Vec3,
    /// Heading in radians.
    pub heading_rad: f32,
    /// Elevation in radians.
    pub elevation_rad: f32,
    /// Horizontal field of view in degrees.
    pub hfov_deg: f32,
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
}

/// The camera's axes in the world frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CameraBasis {
    /// Image right.
    pub right: Vec3,
    /// Image up.
    pub up: Vec3,
    /// The optical axis.
    pub forward: Vec3,
}

impl PinholeCamera {
    /// Checks that the camera can render.
    pub fn validate(&self) -> Result<(), RenderError> {
        if self.width == 0 || self.height == 0 || self.width > 16_384 || self.height > 16_384 {
            return Err(RenderError::Camera(format!(
                "image size {}×{} must be between 1 and 16384 pixels a side",
                self.width, self.height
            )));
        }
        if !(self.hfov_deg > 0.0 && self.hfov_deg < 180.0) {
            return Err(RenderError::Camera(format!(
                "horizontal field of view {}° must lie in (0°, 180°)",
                self.hfov_deg
            )));
        }
        if !self.position_m.is_finite()
            || !self.heading_rad.is_finite()
            || !self.elevation_rad.is_finite()
        {
            return Err(RenderError::Camera("pose must be finite".into()));
        }
        Ok(())
    }

    /// The camera's right, up and forward axes in the world frame.
    pub fn basis(&self) -> CameraBasis {
        let (sh, ch) = self.heading_rad.sin_cos();
        let (se, ce) = self.elevation_rad.sin_cos();
        let forward = Vec3::new(sh * ce, ch * ce, se);
        let right = Vec3::new(ch, -sh, 0.0);
        CameraBasis {
            right,
            up: right.cross(forward),
            forward,
        }
    }

    /// Focal length in pixels.
    pub fn focal_px(&self) -> f32 {
        self.width as f32 / 2.0 / (self.hfov_deg.to_radians() / 2.0).tan()
    }

    /// Vertical field of view in degrees.
    pub fn vfov_deg(&self) -> f32 {
        (2.0 * (self.height as f32 / 2.0 / self.focal_px()).atan()).to_degrees()
    }

    /// Horizontal field of view (degrees) giving `vfov_deg` at this camera's aspect ratio.
    pub fn hfov_for_vfov(vfov_deg: f32, width: u32, height: u32) -> f32 {
        let half = (vfov_deg.to_radians() / 2.0).tan() * width as f32 / height as f32;
        (2.0 * half.atan()).to_degrees()
    }

    /// The world-frame direction (unit) through the centre of pixel `(x, y)`.
    pub fn ray_dir(&self, x: f32, y: f32) -> Vec3 {
        let b = self.basis();
        let f = self.focal_px();
        let dx = (x + 0.5 - self.width as f32 / 2.0) / f;
        let dy = (self.height as f32 / 2.0 - (y + 0.5)) / f;
        (b.forward + b.right * dx + b.up * dy).normalize()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f32::consts::FRAC_PI_2;

    fn cam(heading: f32, elevation: f32) -> PinholeCamera {
        PinholeCamera {
            position_m: Vec3::ZERO,
            heading_rad: heading,
            elevation_rad: elevation,
            hfov_deg: 90.0,
            width: 100,
            height: 50,
        }
    }

    #[test]
    fn basis_follows_mattersim() {
        let b = cam(0.0, 0.0).basis();
        assert!((b.forward - Vec3::Y).length() < 1e-6);
        assert!((b.right - Vec3::X).length() < 1e-6);
        assert!((b.up - Vec3::Z).length() < 1e-6);
        let b = cam(FRAC_PI_2, 0.0).basis();
        assert!(
            (b.forward - Vec3::X).length() < 1e-6,
            "heading 90° looks along +x"
        );
        let b = cam(0.0, 0.5).basis();
        assert!(b.forward.z > 0.0 && (b.up.dot(b.forward)).abs() < 1e-6);
    }

    #[test]
    fn field_of_view() {
        let c = cam(0.0, 0.0);
        assert!((c.focal_px() - 50.0).abs() < 1e-4);
        assert!((c.vfov_deg() - 53.130_1).abs() < 1e-3);
        let h = PinholeCamera::hfov_for_vfov(60.0, 640, 480);
        assert!((h - 75.18).abs() < 0.01, "{h}");
        assert!(cam(0.0, 0.0).validate().is_ok());
        assert!(
            PinholeCamera {
                hfov_deg: 180.0,
                ..cam(0.0, 0.0)
            }
            .validate()
            .is_err()
        );
        assert!(
            PinholeCamera {
                width: 0,
                ..cam(0.0, 0.0)
            }
            .validate()
            .is_err()
        );
    }
}
