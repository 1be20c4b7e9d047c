//! The error type of every reader and writer in this crate.

use std::path::PathBuf;

/// A failure to read or write a scene or task file. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum SceneError {
    /// The file could not be opened, read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file at fault.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A JSON file could not be read, parsed or written (the error names the file and the
    /// JSON path).
    #[error(transparent)]
    File(#[from] waymark_io::IoError),
    /// A record parsed but its content is inconsistent.
    #[error("{path}: record {record}: {message}")]
    Record {
        /// The file at fault.
        path: PathBuf,
        /// The record at fault (an index, an id or both).
        record: String,
        /// What is wrong.
        message: String,
    },
    /// One element of a PLY file (a vertex, a face, …) or one row of an array is malformed.
    #[error("{path}: element `{element}` [{index}]: {message}")]
    Element {
        /// The file at fault.
        path: PathBuf,
        /// The element's name, for example `vertex` or `face`.
        element: String,
        /// The element's index within its kind (0-based).
        index: u64,
        /// What is wrong.
        message: String,
    },
}

impl SceneError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn record(
        path: impl Into<PathBuf>,
        record: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::Record {
            path: path.into(),
            record: record.into(),
            message: message.into(),
        }
    }

    pub(crate) fn element(
        path: impl Into<PathBuf>,
        element: impl Into<String>,
        index: u64,
        message: impl Into<String>,
    ) -> Self {
        Self::Element {
            path: path.into(),
            element: element.into(),
            index,
            message: message.into(),
        }
    }
}
