//! NavGPT's observations on waymark's own scenes, from the environment's sensor readings: the
//! objects within 3 m in each 45° sector (the sensors layer's instance renders), the
//! navigable viewpoints from the observation, and captions from a vision model on the
//! rendered views when one is configured. NavGPT never loads a scene itself.
//!
//! With a vision model, each direction's caption follows NavGPT's own pipeline: its three
//! views (looking up 30°, level, down 30°) go to the model with NavGPT's per-direction
//! summarizing prompt, and the viewpoint summary comes from NavGPT's summarizing prompt over
//! the eight captions. Without one, each caption lists what the sensors see in that direction
//! (within 10 m) and the summary lists what is seen all around; these template captions are
//! marked by starting with `A view with` / `view with`.

use crate::sectors::{NavigableViewpoint, SeenObject, ViewpointText};
use crate::source::{ObservationSource, SourceError};
use base64::Engine;
use std::collections::HashMap;
use std::sync::Arc;
use waymark_core::memo::Memo;
use waymark_core::sensors::{ObjectsWithin, SensorReadings, ViewRequest};
use waymark_core::{DiscreteNavObservation, SensorRequest};
use waymark_llm::{BlockingLlmClient, ChatRequest, ContentPart, Message};

/// Distance within which objects are listed (NavGPT's "Objects in 3m").
const OBJECT_RADIUS_M: f32 = 3.0;
/// Distance within which template captions list what is seen.
const CAPTION_RADIUS_M: f32 = 10.0;
/// The elevations of NavGPT's three views per direction: up, down, level (its order).
const CAPTION_ELEVATIONS_DEG: [f32; 3] = [30.0, -30.0, 0.0];

/// The environment's sensor readings as a NavGPT observation source.
pub struct SensorSource {
    captioner: Option<BlockingLlmClient>,
    viewpoints: Memo<(String, String), ViewpointText>,
}

impl std::fmt::Debug for SensorSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SensorSource")
            .field(
                "captioner",
                &self.captioner.as_ref().map(|c| &c.config().model),
            )
            .finish()
    }
}

impl SensorSource {
    /// Captions from `captioner` (a vision model) when given, else from the objects seen.
    pub fn new(captioner: Option<BlockingLlmClient>) -> Self {
        Self {
            captioner,
            viewpoints: Memo::new(),
        }
    }

    fn describe(
        &self,
        scan: &str,
        obs: &DiscreteNavObservation,
    ) -> Result<ViewpointText, SourceError> {
        let fail = |message: String| SourceError::Describe {
            scan: scan.to_string(),
            viewpoint: obs.viewpoint.to_string(),
            message,
        };
        let readings = obs
            .sensors
            .as_ref()
            .ok_or_else(|| fail("the observation carries no sensor readings".into()))?;
        let within = |radius_m: f32| {
            readings
                .objects
                .iter()
                .find(|o| o.radius_m == radius_m)
                .ok_or_else(|| fail(format!("no objects within {radius_m} m in the readings")))
        };
        let near = sector_objects(within(OBJECT_RADIUS_M)?);
        // Absolute headings, as NavGPT's navigable files give them.
        let candidates = obs
            .navigable
            .iter()
            .map(|c| NavigableViewpoint {
                viewpoint: c.viewpoint.to_string(),
                heading_rad: waymark_core::angles::wrap_to_tau(obs.heading_rad + c.rel_heading_rad),
                elevation_rad: obs.elevation_rad + c.rel_elevation_rad,
                distance_m: c.dist_m,
            })
            .collect();
        let (captions, summary) = match &self.captioner {
            Some(client) => {
                let captions = (0..8)
                    .map(|k| caption_with_model(client, readings, k))
                    .collect::<Result<Vec<String>, String>>()
                    .map_err(&fail)?;
                let summary = summarize_with_model(client, &captions).map_err(&fail)?;
                let captions: [String; 8] = captions
                    .try_into()
                    .map_err(|_| fail("eight captions expected".into()))?;
                (captions, summary)
            }
            None => template_captions(&sector_objects(within(CAPTION_RADIUS_M)?)),
        };
        Ok(ViewpointText {
            captions,
            objects: near,
            summary,
            candidates,
        })
    }
}

/// The objects of each absolute sector, labels made unique as NavGPT's files do (`chair`,
/// `chair_1`), headings in NavGPT's range `[-22.5, 337.5)`.
fn sector_objects(objects: &ObjectsWithin) -> [Vec<SeenObject>; 8] {
    std::array::from_fn(|k| {
        let mut seen: HashMap<String, usize> = HashMap::new();
        objects
            .sectors
            .get(k)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|o| {
                let n = seen.entry(o.label.clone()).or_insert(0);
                let label = if *n == 0 {
                    o.label.clone()
                } else {
                    format!("{}_{n}", o.label)
                };
                *n += 1;
                let heading = f64::from(o.heading_deg);
                SeenObject {
                    label,
                    heading_deg: if heading >= 337.5 {
                        heading - 360.0
                    } else {
                        heading
                    },
                    distance_m: f64::from(o.distance_m),
                }
            })
            .collect()
    })
}

/// "A view with a, b and c." per sector, and "view with …" over all of them.
fn template_captions(sectors: &[Vec<SeenObject>; 8]) -> ([String; 8], String) {
    fn list(labels: &[&str]) -> String {
        match labels {
            [] => "nothing in particular".into(),
            [one] => format!("a {one}"),
            [init @ .., last] => format!(
                "{} and a {last}",
                init.iter()
                    .map(|l| format!("a {l}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
    let base = |o: &SeenObject| -> String {
        o.label
            .rsplit_once('_')
            .filter(|(_, n)| n.chars().all(|c| c.is_ascii_digit()))
            .map_or(o.label.clone(), |(b, _)| b.to_string())
    };
    let mut all: Vec<String> = Vec::new();
    let captions = sectors.each_ref().map(|objects| {
        let mut labels: Vec<String> = Vec::new();
        for o in objects {
            let l = base(o);
            if !labels.contains(&l) {
                labels.push(l.clone());
            }
            if !all.contains(&l) {
                all.push(l);
            }
        }
        let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
        format!("A view with {}.", list(&refs))
    });
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    (captions, format!("view with {}", list(&refs)))
}

/// NavGPT's per-direction caption: three views (up, down, level) summarized in one sentence.
fn caption_with_model(
    client: &BlockingLlmClient,
    readings: &SensorReadings,
    sector: usize,
) -> Result<String, String> {
    let heading_deg = sector as f32 * 45.0;
    let mut parts = vec![ContentPart::Text(
        "Here is a single scene view from top, down and middle:".into(),
    )];
    for elevation_deg in CAPTION_ELEVATIONS_DEG {
        let view = readings
            .views
            .iter()
            .find(|v| v.heading_deg == heading_deg && v.elevation_deg == elevation_deg)
            .ok_or_else(|| {
                format!("no rendered view at heading {heading_deg}°, elevation {elevation_deg}°")
            })?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(&view.png_base64)
            .map_err(|e| format!("view at heading {heading_deg}°: {e}"))?;
        parts.push(ContentPart::PngImage(png));
    }
    parts.push(ContentPart::Text(
        "Summarize the scene in one sentence:".into(),
    ));
    let answer = client
        .chat(&ChatRequest::new(vec![Message::user_parts(parts)]).with_temperature(0.0))
        .map_err(|e| format!("captioning sector {sector}: {e}"))?;
    Ok(answer.content.trim().to_string())
}

/// NavGPT's viewpoint summary prompt over the eight captions.
fn summarize_with_model(client: &BlockingLlmClient, captions: &[String]) -> Result<String, String> {
    let prompt = format!(
        "Given the description of a viewpoint. Summarize the scene from the viewpoint in one concise sentence.\n\nDescription:\n{}\n\nSummarization: The scene from the viewpoint is a",
        captions.join("\n")
    );
    let answer = client
        .chat(&ChatRequest::new(vec![Message::user(prompt)]).with_temperature(0.0))
        .map_err(|e| format!("summarizing: {e}"))?;
    Ok(answer.content.trim().to_string())
}

impl ObservationSource for SensorSource {
    fn viewpoint(
        &self,
        scan: &str,
        obs: &DiscreteNavObservation,
    ) -> Result<Arc<ViewpointText>, SourceError> {
        self.viewpoints
            .get_or_make(&(scan.to_string(), obs.viewpoint.to_string()), || {
                self.describe(scan, obs)
            })
    }

    fn knows(&self, _scan: &str, _viewpoint: &str) -> Option<bool> {
        None
    }

    /// Objects within 3 m; with a vision model NavGPT's three views per direction (320×240,
    /// 60° wide, as NavGPT's preprocessing renders them), else objects within 10 m for the
    /// template captions.
    fn sensors(&self) -> SensorRequest {
        match self.captioner {
            Some(_) => SensorRequest {
                objects_within_m: vec![OBJECT_RADIUS_M],
                views: Some(ViewRequest {
                    width: 320,
                    height: 240,
                    hfov_deg: 60.0,
                    elevations_deg: CAPTION_ELEVATIONS_DEG.to_vec(),
                }),
                ..Default::default()
            },
            None => SensorRequest {
                objects_within_m: vec![OBJECT_RADIUS_M, CAPTION_RADIUS_M],
                views: None,
                ..Default::default()
            },
        }
    }
}
