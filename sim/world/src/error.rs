//! Errors of the simulation runtime.

use waymark_core::{InstrId, ScanId, ViewpointId};

/// A failure in the simulation runtime. Each variant names the scan, episode or viewpoint.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// A scene file could not be read.
    #[error(transparent)]
    Scene(#[from] waymark_scenes::SceneError),
    /// A viewpoint id is not part of the scan's navigation graph.
    #[error("scan {scan}: unknown viewpoint {viewpoint}")]
    UnknownViewpoint {
        /// The scan.
        scan: ScanId,
        /// The unknown viewpoint.
        viewpoint: ViewpointId,
    },
    /// A move between two viewpoints that share no edge.
    #[error("{instr_id}: scan {scan} has no edge between {from} and {to}")]
    NotAdjacent {
        /// The instruction whose trajectory or path holds the move.
        instr_id: InstrId,
        /// The scan.
        scan: ScanId,
        /// The viewpoint moved from.
        from: ViewpointId,
        /// The viewpoint moved to.
        to: ViewpointId,
    },
    /// A trajectory that does not begin where the episode starts.
    #[error("{instr_id}: trajectory starts at {found}, but the episode starts at {expected}")]
    WrongStart {
        /// The instruction.
        instr_id: InstrId,
        /// The episode's start viewpoint.
        expected: ViewpointId,
        /// The trajectory's first viewpoint.
        found: ViewpointId,
    },
    /// An episode or trajectory with no viewpoints at all.
    #[error("{instr_id}: empty {what}")]
    Empty {
        /// The instruction.
        instr_id: InstrId,
        /// What is empty (`trajectory`, `reference path`).
        what: &'static str,
    },
    /// An action the environment cannot take.
    #[error("{instr_id}: invalid action: {message}")]
    InvalidAction {
        /// The instruction.
        instr_id: InstrId,
        /// What is wrong.
        message: String,
    },
}
