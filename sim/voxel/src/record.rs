//! Episodes as animated GIFs: rendered frames, upscaled by an integer factor, looping forever.

use crate::render::Frame;
use std::io::Write;

/// NeuQuant's speed (1 best .. 30 fastest) for frames with more than 256 colours.
const QUANT_SPEED: i32 = 10;

/// Writes frames as an animated GIF. The same frames always give the same bytes.
pub struct GifRecorder<W: Write> {
    encoder: gif::Encoder<W>,
    width: u32,
    height: u32,
    scale: u32,
    delay_cs: u16,
    /// The upscaled frame's palette indices.
    scaled: Vec<u8>,
}

/// A GIF that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The frame size or scale is zero, or an upscaled side exceeds GIF's 65535 pixels.
    #[error("cannot record {width}×{height} frames at scale {scale} as GIF")]
    Size {
        /// The frames' width.
        width: u32,
        /// The frames' height.
        height: u32,
        /// The upscale factor.
        scale: u32,
    },
    /// A frame's size differs from the recording's.
    #[error("frame is {got_width}×{got_height}, the recording is {width}×{height}")]
    FrameSize {
        /// The recording's width.
        width: u32,
        /// The recording's height.
        height: u32,
        /// The frame's width.
        got_width: u32,
        /// The frame's height.
        got_height: u32,
    },
    /// The GIF encoder or the output failed.
    #[error("writing the GIF failed: {0}")]
    Gif(#[from] gif::EncodingError),
    /// Finishing the output failed.
    #[error("finishing the GIF failed: {0}")]
    Io(#[from] std::io::Error),
}

impl<W: Write> GifRecorder<W> {
    /// Starts a GIF of `width × height` frames, each pixel drawn as a `scale × scale` square,
    /// shown `delay_cs` hundredths of a second each.
    pub fn new(
        out: W,
        width: u32,
        height: u32,
        scale: u32,
        delay_cs: u16,
    ) -> Result<Self, RecordError> {
        let size_error = RecordError::Size {
            width,
            height,
            scale,
        };
        let side = |n: u32| {
            n.checked_mul(scale)
                .and_then(|s| u16::try_from(s).ok())
                .filter(|&s| s > 0)
        };
        let (Some(w), Some(h)) = (side(width), side(height)) else {
            return Err(size_error);
        };
        let mut encoder = gif::Encoder::new(out, w, h, &[])?;
        encoder.set_repeat(gif::Repeat::Infinite)?;
        Ok(Self {
            encoder,
            width,
            height,
            scale,
            delay_cs,
            scaled: Vec::with_capacity(usize::from(w) * usize::from(h)),
        })
    }

    /// Appends a frame (of the recording's size).
    pub fn push(&mut self, frame: &Frame) -> Result<(), RecordError> {
        let (w, h) = (self.width as usize, self.height as usize);
        if (frame.width, frame.height) != (self.width, self.height) || frame.rgb.len() != w * h * 3
        {
            return Err(RecordError::FrameSize {
                width: self.width,
                height: self.height,
                got_width: frame.width,
                got_height: frame.height,
            });
        }
        // Quantise at the frame's size (`new` checked that the sides fit in u16), then
        // upscale the palette indices.
        let small = gif::Frame::from_rgb_speed(w as u16, h as u16, &frame.rgb, QUANT_SPEED);
        let scale = self.scale as usize;
        self.scaled.clear();
        for row in small.buffer.chunks_exact(w) {
            let start = self.scaled.len();
            self.scaled
                .extend(row.iter().flat_map(|&i| std::iter::repeat_n(i, scale)));
            for _ in 1..scale {
                self.scaled.extend_from_within(start..start + w * scale);
            }
        }
        let out = gif::Frame {
            width: (w * scale) as u16,
            height: (h * scale) as u16,
            delay: self.delay_cs,
            buffer: std::borrow::Cow::Borrowed(&self.scaled),
            ..small
        };
        self.encoder.write_frame(&out)?;
        Ok(())
    }

    /// Ends the GIF and returns the output.
    pub fn finish(self) -> Result<W, RecordError> {
        Ok(self.encoder.into_inner()?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Frame `k` of a test clip: a gradient, shifted by `k`.
    fn frame(k: u32, width: u32, height: u32) -> Frame {
        let mut frame = Frame::new(width, height);
        for (i, px) in frame.rgb.chunks_exact_mut(3).enumerate() {
            let (x, y) = (i as u32 % width, i as u32 / width);
            px.copy_from_slice(&[(x * 4 + k * 40) as u8, (y * 4) as u8, (k * 90) as u8]);
        }
        frame
    }

    fn record(frames: &[Frame]) -> Vec<u8> {
        let mut gif = GifRecorder::new(Vec::new(), 64, 48, 4, 10).unwrap();
        for f in frames {
            gif.push(f).unwrap();
        }
        gif.finish().unwrap()
    }

    #[test]
    fn three_frames_make_the_same_valid_gif_twice() {
        // More than 256 colours: the quantiser's path.
        let frames: Vec<Frame> = (0..3).map(|k| frame(k, 64, 48)).collect();
        let bytes = record(&frames);
        assert!(bytes.starts_with(b"GIF89a"));
        assert_eq!(bytes, record(&frames));

        let mut options = gif::DecodeOptions::new();
        options.set_color_output(gif::ColorOutput::RGBA);
        let mut decoder = options.read_info(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!((decoder.width(), decoder.height()), (256, 192));
        let mut count = 0;
        while let Some(decoded) = decoder.read_next_frame().unwrap() {
            assert_eq!(decoded.delay, 10);
            // Each source pixel is a 4 × 4 square: pixel (5, 3) covers (20..24, 12..16).
            let at = |x: usize, y: usize| &decoded.buffer[4 * (y * 256 + x)..][..3];
            assert_eq!(at(20, 12), at(23, 15));
            count += 1;
        }
        assert_eq!(count, 3);
    }

    #[test]
    fn wrong_sizes_are_errors() {
        let mut gif = GifRecorder::new(Vec::new(), 64, 48, 4, 10).unwrap();
        assert!(matches!(
            gif.push(&frame(0, 32, 48)),
            Err(RecordError::FrameSize { got_width: 32, .. })
        ));
        gif.push(&frame(0, 64, 48)).unwrap();
        assert!(matches!(
            GifRecorder::new(Vec::new(), 64, 48, 0, 10),
            Err(RecordError::Size { .. })
        ));
        assert!(GifRecorder::new(Vec::new(), 20_000, 48, 4, 10).is_err());
    }
}
