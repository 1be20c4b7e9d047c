//! Lazily loaded, shared navigation graphs: each scan is read and its shortest paths computed
//! once, then shared by every episode and worker.

use crate::error::SimError;
use crate::navgraph::NavGraph;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use waymark_core::ScanId;

type Slot = Arc<Mutex<Option<Arc<NavGraph>>>>;

/// Navigation graphs of the scans in one connectivity folder, loaded on first use.
#[derive(Debug)]
pub struct GraphStore {
    dir: PathBuf,
    slots: Mutex<HashMap<ScanId, Slot>>,
}

impl GraphStore {
    /// A store reading `<dir>/<scan>_connectivity.json` files.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            slots: Mutex::new(HashMap::new()),
        }
    }

    /// The connectivity folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The graph of `scan`, loading it on first use. Concurrent callers for the same scan wait
    /// for one load; different scans load in parallel.
    pub fn graph(&self, scan: &ScanId) -> Result<Arc<NavGraph>, SimError> {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            slots.entry(scan.clone()).or_default().clone()
        };
        let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(graph) = slot.as_ref() {
            return Ok(graph.clone());
        }
        let spec = crate::scoring::read_connectivity(&self.dir, scan)?;
        let graph = Arc::new(NavGraph::from_spec(&spec));
        tracing::debug!(%scan, viewpoints = graph.len(), "loaded navigation graph");
        *slot = Some(graph.clone());
        Ok(graph)
    }
}
