//! Where NavGPT's observation text comes from: [`ObservationSource`].

use crate::sectors::ViewpointText;
use std::path::PathBuf;
use std::sync::Arc;

/// Gives NavGPT what it knows of a viewpoint: captions and objects per 45° sector, a summary
/// and the navigable viewpoints. Implemented by NavGPT's precomputed R2R files
/// ([`crate::data::NavgptData`]) and by waymark's own scenes ([`crate::scene_source::SceneSource`]).
pub trait ObservationSource: Send + Sync {
    /// The text of `viewpoint` in `scan`.
    fn viewpoint(&self, scan: &str, viewpoint: &str) -> Result<Arc<ViewpointText>, SourceError>;

    /// Whether `viewpoint` exists anywhere in `scan` (NavGPT's test of a valid id); used to
    /// tell an invented id from a real but non-adjacent one.
    fn knows(&self, scan: &str, viewpoint: &str) -> bool;
}

/// A missing or malformed observation.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file is not what NavGPT's format says.
    #[error("{path}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the record.
        message: String,
    },
    /// The source has nothing for this viewpoint.
    #[error("no observation for viewpoint {viewpoint} of scan {scan} in {origin}")]
    Missing {
        /// The scan.
        scan: String,
        /// The viewpoint.
        viewpoint: String,
        /// Where it was looked for.
        origin: String,
    },
    /// Rendering or captioning the view failed.
    #[error("cannot describe viewpoint {viewpoint} of scan {scan}: {message}")]
    Describe {
        /// The scan.
        scan: String,
        /// The viewpoint.
        viewpoint: String,
        /// Why.
        message: String,
    },
}
