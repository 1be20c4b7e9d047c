//! Rendered images.

/// One rendered view: colour, depth and instance ids, row-major from the top-left pixel.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// sRGB colour per pixel (black where nothing was hit).
    pub rgb: Vec<[u8; 3]>,
    /// Depth in metres along the optical axis (panoramas: along the ray); 0 where nothing was hit.
    pub depth_m: Vec<f32>,
    /// Instance id per pixel (0: none).
    pub instance: Vec<u32>,
}

impl Frame {
    /// An empty frame of the given size.
    pub fn new(width: u32, height: u32) -> Self {
        let n = width as usize * height as usize;
        Self {
            width,
            height,
            rgb: vec![[0; 3]; n],
            depth_m: vec![0.0; n],
            instance: vec![0; n],
        }
    }

    /// The index of pixel `(x, y)`.
    pub fn index(&self, x: u32, y: u32) -> usize {
        y as usize * self.width as usize + x as usize
    }
}
