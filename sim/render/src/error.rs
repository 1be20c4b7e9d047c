//! Errors of the renderer's file outputs.

use std::path::PathBuf;

/// A failure to write an image or array.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The file could not be created or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The PNG encoder failed.
    #[error("{path}: cannot encode PNG: {message}")]
    Png {
        /// The file.
        path: PathBuf,
        /// What the encoder said.
        message: String,
    },
    /// A camera that cannot render (zero size, a field of view outside (0°, 180°)).
    #[error("invalid camera: {0}")]
    Camera(String),
}
