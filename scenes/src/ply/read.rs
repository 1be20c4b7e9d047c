//! The PLY body: binary (either byte order) and ASCII, into columns.

use super::ascii::read_ascii;
use super::binary::read_binary;
use super::header::parse_header;
use super::{Ply, PlyEncoding, PropertyData, PropertyKind};
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

/// A column under construction.
pub(super) enum Column {
    Scalar(Vec<f64>),
    List {
        offsets: Vec<usize>,
        values: Vec<f64>,
    },
}

impl Column {
    pub(super) fn new(kind: PropertyKind, rows: usize, list_items: usize) -> Self {
        match kind {
            PropertyKind::Scalar(_) => Self::Scalar(Vec::with_capacity(rows)),
            PropertyKind::List { .. } => {
                let mut offsets = Vec::with_capacity(rows + 1);
                offsets.push(0);
                Self::List {
                    offsets,
                    values: Vec::with_capacity(list_items),
                }
            }
        }
    }

    pub(super) fn finish(self) -> PropertyData {
        match self {
            Self::Scalar(values) => PropertyData::Scalar(values),
            Self::List { offsets, values } => PropertyData::List { offsets, values },
        }
    }
}
