//! NavGPT's precomputed R2R observations (the paper's exact setting): per scan,
//! `navigable/<scan>_navigable.json`, `objects_list/<scan>.json`,
//! `observations_list_summarized/<scan>.json` and `observations_summarized/<scan>_summarized.json`.

use crate::sectors::{NavigableViewpoint, OrderedMap, SeenObject, ViewpointText};
use crate::source::{ObservationSource, SourceError};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use waymark_core::memo::Memo;

/// One scan's viewpoints.
type ScanText = HashMap<String, Arc<ViewpointText>>;

/// NavGPT's observation files under one folder, loaded a scan at a time on first use and
/// shared by every episode.
#[derive(Debug)]
pub struct NavgptData {
    dir: PathBuf,
    scans: Memo<String, ScanText>,
}

#[derive(Deserialize)]
struct RawCandidate {
    heading: f64,
    elevation: f64,
    distance: f64,
}

#[derive(Deserialize)]
struct RawObject {
    heading: f64,
    distance: f64,
}

impl NavgptData {
    /// The files under `dir` (nothing is read yet). Fails when `dir` lacks any of the four
    /// sub-folders.
    pub fn new(dir: impl Into<PathBuf>) -> Result<Self, SourceError> {
        let dir = dir.into();
        for sub in [
            "navigable",
            "objects_list",
            "observations_list_summarized",
            "observations_summarized",
        ] {
            let path = dir.join(sub);
            if !path.is_dir() {
                return Err(SourceError::Format {
                    path,
                    message: "missing: a NavGPT observation folder holds navigable/, objects_list/, observations_list_summarized/ and observations_summarized/".into(),
                });
            }
        }
        Ok(Self {
            dir,
            scans: Memo::new(),
        })
    }

    fn scan(&self, scan: &str) -> Result<Arc<ScanText>, SourceError> {
        self.scans
            .get_or_make(&scan.to_string(), || self.load(scan))
    }

    fn load(&self, scan: &str) -> Result<ScanText, SourceError> {
        let navigable_path = self.dir.join(format!("navigable/{scan}_navigable.json"));
        let objects_path = self.dir.join(format!("objects_list/{scan}.json"));
        let captions_path = self
            .dir
            .join(format!("observations_list_summarized/{scan}.json"));
        let summaries_path = self
            .dir
            .join(format!("observations_summarized/{scan}_summarized.json"));
        let navigable: OrderedMap<OrderedMap<RawCandidate>> = read(&navigable_path)?;
        let mut objects: HashMap<String, Vec<OrderedMap<RawObject>>> = read(&objects_path)?;
        let mut captions: HashMap<String, Vec<String>> = read(&captions_path)?;
        let mut summaries: HashMap<String, String> = read(&summaries_path)?;
        let mut out = HashMap::with_capacity(navigable.0.len());
        for (viewpoint, candidates) in navigable.0 {
            let missing = |path: &Path| SourceError::Format {
                path: path.to_path_buf(),
                message: format!("no entry for viewpoint {viewpoint}"),
            };
            let sectors = |path: &Path, n: usize| SourceError::Format {
                path: path.to_path_buf(),
                message: format!("viewpoint {viewpoint} has {n} sectors, not 8"),
            };
            let vp_objects = objects
                .remove(&viewpoint)
                .ok_or_else(|| missing(&objects_path))?;
            let vp_captions = captions
                .remove(&viewpoint)
                .ok_or_else(|| missing(&captions_path))?;
            let summary = summaries
                .remove(&viewpoint)
                .ok_or_else(|| missing(&summaries_path))?;
            let n_objects = vp_objects.len();
            let objects: [Vec<SeenObject>; 8] = vp_objects
                .into_iter()
                .map(|sector| {
                    sector
                        .0
                        .into_iter()
                        .map(|(label, o)| SeenObject {
                            label,
                            heading_deg: o.heading,
                            distance_m: o.distance,
                        })
                        .collect()
                })
                .collect::<Vec<_>>()
                .try_into()
                .map_err(|_| sectors(&objects_path, n_objects))?;
            let n_captions = vp_captions.len();
            let captions: [String; 8] = vp_captions
                .try_into()
                .map_err(|_| sectors(&captions_path, n_captions))?;
            let candidates = candidates
                .0
                .into_iter()
                .map(|(id, c)| NavigableViewpoint {
                    viewpoint: id,
                    heading_rad: c.heading,
                    elevation_rad: c.elevation,
                    distance_m: c.distance,
                })
                .collect();
            out.insert(
                viewpoint,
                Arc::new(ViewpointText {
                    captions,
                    objects,
                    summary,
                    candidates,
                }),
            );
        }
        Ok(out)
    }
}

fn read<T: DeserializeOwned>(path: &Path) -> Result<T, SourceError> {
    let bytes = std::fs::read(path).map_err(|source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|e| SourceError::Format {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

impl ObservationSource for NavgptData {
    fn viewpoint(
        &self,
        scan: &str,
        obs: &waymark_core::DiscreteNavObservation,
    ) -> Result<Arc<ViewpointText>, SourceError> {
        let viewpoint = obs.viewpoint.as_str();
        self.scan(scan)?
            .get(viewpoint)
            .cloned()
            .ok_or_else(|| SourceError::Missing {
                scan: scan.to_string(),
                viewpoint: viewpoint.to_string(),
                origin: self.dir.display().to_string(),
            })
    }

    fn knows(&self, scan: &str, viewpoint: &str) -> Option<bool> {
        Some(
            self.scan(scan)
                .is_ok_and(|text| text.contains_key(viewpoint)),
        )
    }

    fn navigable_of(&self, scan: &str, viewpoint: &str) -> Option<Vec<String>> {
        let text = self.scan(scan).ok()?;
        let at = text.get(viewpoint)?;
        Some(at.candidates.iter().map(|c| c.viewpoint.clone()).collect())
    }
}
