//! The PLY body: binary (either byte order) and ASCII, into columns.

use super::ascii::read_ascii;
use super::binary::read_binary;
use super::header::parse_header;
use super::{Ply, PlyEncoding};
use crate::error::SceneError;
use std::path::Path;

/// Parses a whole PLY file held in memory. `path` only names the file in errors.
///
/// Never panics, and preallocates no more than the bytes present can hold, whatever the header
/// claims.
pub fn parse_ply_bytes(path: &Path, bytes: &[u8]) -> Result<Ply, SceneError> {
    let (header, body_start) = parse_header(path, bytes)?;
    let body = bytes.get(body_start..).unwrap_or_default();
    let (elements, end) = match header.encoding {
        PlyEncoding::Ascii => {
            let first_line = 1 + bytes[..body_start.min(bytes.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            read_ascii(path, &header.elements, body, first_line)?
        }
        PlyEncoding::BinaryLittleEndian => read_binary::<false>(path, &header.elements, body)?,
        PlyEncoding::BinaryBigEndian => read_binary::<true>(path, &header.elements, body)?,
    };
    let trailing = body.get(end..).unwrap_or_default();
    if !trailing.iter().all(u8::is_ascii_whitespace) {
        let message = format!(
            "{} bytes of data after the last declared element (only whitespace may follow)",
            trailing.len()
        );
        return Err(match header.elements.last() {
            Some(last) => SceneError::element(path, &last.name, last.count, message),
            None => SceneError::record(path, "body", message),
        });
    }
    Ok(Ply { header, elements })
}
