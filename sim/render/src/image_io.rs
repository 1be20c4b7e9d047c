//! Writing frames as files people open: PNG images and `.npy` arrays.

use crate::error::RenderError;
use crate::frame::Frame;
use npyz::WriterBuilder;
use std::io::BufWriter;
use std::path::Path;

fn create(path: &Path) -> Result<BufWriter<std::fs::File>, RenderError> {
    std::fs::File::create(path)
        .map(BufWriter::new)
        .map_err(|source| RenderError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// Encodes an image as PNG into `out`; `what` names it in errors.
fn encode_png(
    out: impl std::io::Write,
    what: &Path,
    width: u32,
    height: u32,
    color: png::ColorType,
    depth: png::BitDepth,
    data: &[u8],
) -> Result<(), RenderError> {
    let png_error = |e: png::EncodingError| RenderError::Png {
        path: what.to_path_buf(),
        message: e.to_string(),
    };
    let mut encoder = png::Encoder::new(out, width, height);
    encoder.set_color(color);
    encoder.set_depth(depth);
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(data).map_err(png_error)?;
    writer.finish().map_err(png_error)
}

fn write_png(
    path: &Path,
    width: u32,
    height: u32,
    color: png::ColorType,
    depth: png::BitDepth,
    data: &[u8],
) -> Result<(), RenderError> {
    encode_png(create(path)?, path, width, height, color, depth, data)
}

/// The colour image as 8-bit RGB PNG bytes (for a vision model's request).
pub fn rgb_png_bytes(frame: &Frame) -> Result<Vec<u8>, RenderError> {
    let data: Vec<u8> = frame.rgb.iter().flatten().copied().collect();
    let mut out = Vec::new();
    encode_png(
        &mut out,
        Path::new("<memory>"),
        frame.width,
        frame.height,
        png::ColorType::Rgb,
        png::BitDepth::Eight,
        &data,
    )?;
    Ok(out)
}

/// Writes the colour image as an 8-bit RGB PNG.
pub fn write_rgb_png(path: &Path, frame: &Frame) -> Result<(), RenderError> {
    let data: Vec<u8> = frame.rgb.iter().flatten().copied().collect();
    write_png(
        path,
        frame.width,
        frame.height,
        png::ColorType::Rgb,
        png::BitDepth::Eight,
        &data,
    )
}

/// Writes depth as a 16-bit grey PNG in millimetres, as MatterSim does (0: no surface;
/// depths beyond 65.535 m saturate).
pub fn write_depth_png_mm(path: &Path, frame: &Frame) -> Result<(), RenderError> {
    let data: Vec<u8> = frame
        .depth_m
        .iter()
        .flat_map(|&d| ((d * 1000.0).round().clamp(0.0, 65535.0) as u16).to_be_bytes())
        .collect();
    write_png(
        path,
        frame.width,
        frame.height,
        png::ColorType::Grayscale,
        png::BitDepth::Sixteen,
        &data,
    )
}

/// A distinct, stable colour for an instance id (black for 0).
pub fn instance_color(id: u32) -> [u8; 3] {
    if id == 0 {
        return [0, 0, 0];
    }
    // A multiplicative hash spreads neighbouring ids across the colour cube.
    let h = id.wrapping_mul(2_654_435_761);
    [
        (h >> 24) as u8 | 0x30,
        (h >> 16) as u8 | 0x30,
        (h >> 8) as u8 | 0x30,
    ]
}

/// Writes instance ids colour-coded as an RGB PNG (see [`instance_color`]).
pub fn write_instance_png(path: &Path, frame: &Frame) -> Result<(), RenderError> {
    let data: Vec<u8> = frame
        .instance
        .iter()
        .flat_map(|&i| instance_color(i))
        .collect();
    write_png(
        path,
        frame.width,
        frame.height,
        png::ColorType::Rgb,
        png::BitDepth::Eight,
        &data,
    )
}

fn write_npy<T: npyz::AutoSerialize + Copy>(
    path: &Path,
    frame: &Frame,
    values: &[T],
) -> Result<(), RenderError> {
    let io_error = |source| RenderError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut writer = npyz::WriteOptions::<T>::new()
        .default_dtype()
        .shape(&[u64::from(frame.height), u64::from(frame.width)])
        .writer(create(path)?)
        .begin_nd()
        .map_err(io_error)?;
    writer.extend(values.iter().copied()).map_err(io_error)?;
    writer.finish().map_err(io_error)
}

/// Writes depth in metres as a `height × width` float32 `.npy` array.
pub fn write_depth_npy(path: &Path, frame: &Frame) -> Result<(), RenderError> {
    write_npy(path, frame, &frame.depth_m)
}

/// Writes instance ids as a `height × width` uint32 `.npy` array.
pub fn write_instance_npy(path: &Path, frame: &Frame) -> Result<(), RenderError> {
    write_npy(path, frame, &frame.instance)
}

/// Writes `<stem>_rgb.png`, `<stem>_depth.png` (16-bit mm), `<stem>_instance.png`,
/// `<stem>_depth.npy` and `<stem>_instance.npy` into `dir`; returns the paths.
pub fn write_frame_files(
    dir: &Path,
    stem: &str,
    frame: &Frame,
) -> Result<Vec<std::path::PathBuf>, RenderError> {
    let paths = [
        format!("{stem}_rgb.png"),
        format!("{stem}_depth.png"),
        format!("{stem}_instance.png"),
        format!("{stem}_depth.npy"),
        format!("{stem}_instance.npy"),
    ]
    .map(|name| dir.join(name));
    write_rgb_png(&paths[0], frame)?;
    write_depth_png_mm(&paths[1], frame)?;
    write_instance_png(&paths[2], frame)?;
    write_depth_npy(&paths[3], frame)?;
    write_instance_npy(&paths[4], frame)?;
    Ok(paths.to_vec())
}
