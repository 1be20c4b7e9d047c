//! Where NavGPT's observation text comes from: [`ObservationSource`].

use crate::sectors::ViewpointText;
use std::path::PathBuf;
use std::sync::Arc;
use waymark_core::{DiscreteNavObservation, SensorRequest};

/// Gives NavGPT what it knows of the viewpoint an observation stands at: captions and objects
/// per 45° sector, a summary and the navigable viewpoints. Implemented by NavGPT's precomputed
/// R2R files ([`crate::data::NavgptData`]) and by the environment's sensor readings on
/// waymark's own scenes ([`crate::sensor_source::SensorSource`]).
pub trait ObservationSource: Send + Sync {
    /// The text of the viewpoint `obs` stands at, in `scan`.
    fn viewpoint(
        &self,
        scan: &str,
        obs: &DiscreteNavObservation,
    ) -> Result<Arc<ViewpointText>, SourceError>;

    /// Whether `viewpoint` exists anywhere in `scan` (NavGPT's test of a valid id), used to
    /// tell an invented id from a real but non-adjacent one; `None` when the source cannot
    /// tell (the planner then asks whether the episode has shown that id).
    fn knows(&self, scan: &str, viewpoint: &str) -> Option<bool>;

    /// The navigable viewpoints of any `viewpoint` of `scan`, in the source's order (NavGPT's
    /// navigable file), so that NavGPT's move to a viewpoint it is not next to can be made as
    /// NavGPT makes it; `None` when the source knows only where the agent stands.
    fn navigable_of(&self, scan: &str, viewpoint: &str) -> Option<Vec<String>> {
        let _ = (scan, viewpoint);
        None
    }

    /// The sensor readings this source needs in every observation (none by default).
    fn sensors(&self) -> SensorRequest {
        SensorRequest::default()
    }
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
