//! NavGPT's observations on waymark's own scenes, from the sensors: the objects within 3 m in
//! each 45° sector come from the instance renderer ([`visible_objects`]); the navigable
//! viewpoints from the scan's navigation graph; captions from a vision model on the rendered
//! views when one is configured.
//!
//! With a vision model, each direction's caption follows NavGPT's own pipeline: its three
//! views (looking up 30°, level, down 30°) go to the model with NavGPT's per-direction
//! summarizing prompt, and the viewpoint summary comes from NavGPT's summarizing prompt over
//! the eight captions. Without one, each caption lists what the renderer sees in that
//! direction (within 10 m) and the summary lists what is seen all around; these template
//! captions are marked by starting with `A view with` / `view with`.

use crate::memo::Memo;
use crate::sectors::{NavigableViewpoint, SeenObject, ViewpointText};
use crate::source::{ObservationSource, SourceError};
use glam::Vec3;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use waymark_core::ScanId;
use waymark_llm::{BlockingLlmClient, ChatRequest, ContentPart, Message};
use waymark_render::image_io::rgb_png_bytes;
use waymark_render::visible::{VisibilityOptions, VisibleObject, visible_objects};
use waymark_render::{PinholeCamera, RenderScene, Renderer};
use waymark_scenes::{load_scene, read_connectivity};
use waymark_sim::NavGraph;

/// Distance within which objects are listed (NavGPT's "Objects in 3m").
const OBJECT_RADIUS_M: f32 = 3.0;
/// Distance within which template captions list what is seen.
const CAPTION_RADIUS_M: f32 = 10.0;

/// A scene's render data and graph.
struct LoadedScan {
    render: RenderScene,
    graph: NavGraph,
}

/// Waymark scenes as a NavGPT observation source.
pub struct SceneSource {
    scene_dir: PathBuf,
    connectivity_dir: PathBuf,
    captioner: Option<BlockingLlmClient>,
    scans: Memo<String, LoadedScan>,
    viewpoints: Memo<(String, String), ViewpointText>,
}

impl std::fmt::Debug for SceneSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SceneSource")
            .field("scene_dir", &self.scene_dir)
            .field("connectivity_dir", &self.connectivity_dir)
            .field(
                "captioner",
                &self.captioner.as_ref().map(|c| &c.config().model),
            )
            .finish()
    }
}

impl SceneSource {
    /// Scenes `<scene_dir>/<scan>.ply` with graphs `<connectivity_dir>/<scan>_connectivity.json`;
    /// captions from `captioner` (a vision model) when given.
    pub fn new(
        scene_dir: impl Into<PathBuf>,
        connectivity_dir: impl Into<PathBuf>,
        captioner: Option<BlockingLlmClient>,
    ) -> Self {
        Self {
            scene_dir: scene_dir.into(),
            connectivity_dir: connectivity_dir.into(),
            captioner,
            scans: Memo::new(),
            viewpoints: Memo::new(),
        }
    }

    fn scan(&self, scan: &str) -> Result<Arc<LoadedScan>, SourceError> {
        self.scans.get_or_make(&scan.to_string(), || {
            let path = self.scene_dir.join(format!("{scan}.ply"));
            let format = |message: String| SourceError::Format {
                path: path.clone(),
                message,
            };
            let scene = load_scene(&path, None).map_err(|e| format(e.to_string()))?;
            let spec = read_connectivity(&self.connectivity_dir, &ScanId::new(scan))
                .map_err(|e| format(e.to_string()))?;
            Ok(LoadedScan {
                render: RenderScene::new(&scene),
                graph: NavGraph::from_spec(&spec),
            })
        })
    }

    fn describe(&self, scan: &str, viewpoint: &str) -> Result<ViewpointText, SourceError> {
        let loaded = self.scan(scan)?;
        let graph = &loaded.graph;
        let Some(v) = graph.index_of(viewpoint) else {
            return Err(SourceError::Missing {
                scan: scan.to_string(),
                viewpoint: viewpoint.to_string(),
                origin: self.connectivity_dir.display().to_string(),
            });
        };
        let eye = graph.position(v).as_vec3();
        let mut renderer = Renderer::new();
        let near = sector_objects(&mut renderer, &loaded.render, eye, OBJECT_RADIUS_M);
        let candidates = graph
            .edges(v)
            .iter()
            .map(|edge| NavigableViewpoint {
                viewpoint: graph.id(edge.to).to_string(),
                heading_rad: edge.heading_rad,
                elevation_rad: edge.elevation_rad,
                distance_m: edge.dist_m,
            })
            .collect();
        let fail = |message: String| SourceError::Describe {
            scan: scan.to_string(),
            viewpoint: viewpoint.to_string(),
            message,
        };
        let (captions, summary) = match &self.captioner {
            Some(client) => {
                let captions = (0..8)
                    .map(|k| caption_with_model(client, &mut renderer, &loaded.render, eye, k))
                    .collect::<Result<Vec<String>, String>>()
                    .map_err(fail)?;
                let summary = summarize_with_model(client, &captions).map_err(fail)?;
                let captions: [String; 8] = captions
                    .try_into()
                    .map_err(|_| fail("eight captions expected".into()))?;
                (captions, summary)
            }
            None => {
                let far = sector_objects(&mut renderer, &loaded.render, eye, CAPTION_RADIUS_M);
                template_captions(&far)
            }
        };
        Ok(ViewpointText {
            captions,
            objects: near,
            summary,
            candidates,
        })
    }
}

/// The objects seen within `radius_m` in each absolute sector (the camera faces heading 0, so
/// sector k is centred on 45k°), labels made unique as NavGPT's files do (`chair`, `chair_1`).
fn sector_objects(
    renderer: &mut Renderer,
    scene: &RenderScene,
    eye: Vec3,
    radius_m: f32,
) -> [Vec<SeenObject>; 8] {
    let options = VisibilityOptions {
        radius_m,
        ..VisibilityOptions::default()
    };
    let sectors = visible_objects(renderer, scene, eye, 0.0, &options);
    sectors.map(|objects| {
        let mut seen: HashMap<String, usize> = HashMap::new();
        objects
            .iter()
            .map(|o: &VisibleObject| {
                let n = seen.entry(o.label.clone()).or_insert(0);
                let label = if *n == 0 {
                    o.label.clone()
                } else {
                    format!("{}_{n}", o.label)
                };
                *n += 1;
                SeenObject {
                    label,
                    // NavGPT's files give absolute headings in [-22.5, 337.5).
                    heading_deg: f64::from(o.rel_heading_deg).rem_euclid(360.0)
                        - if o.rel_heading_deg.rem_euclid(360.0) >= 337.5 {
                            360.0
                        } else {
                            0.0
                        },
                    distance_m: f64::from(o.dist_m),
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

/// NavGPT's per-direction caption: three views (up, level, down) summarized in one sentence.
fn caption_with_model(
    client: &BlockingLlmClient,
    renderer: &mut Renderer,
    scene: &RenderScene,
    eye: Vec3,
    sector: usize,
) -> Result<String, String> {
    let mut parts = vec![ContentPart::Text(
        "Here is a single scene view from top, down and middle:".into(),
    )];
    for elevation_deg in [30.0f32, -30.0, 0.0] {
        let camera = PinholeCamera {
            position_m: eye,
            heading_rad: (sector as f32 * 45.0).to_radians(),
            elevation_rad: elevation_deg.to_radians(),
            hfov_deg: 60.0,
            width: 320,
            height: 240,
        };
        let frame = renderer.render(scene, &camera);
        parts.push(ContentPart::PngImage(
            rgb_png_bytes(&frame).map_err(|e| e.to_string())?,
        ));
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

impl ObservationSource for SceneSource {
    fn viewpoint(&self, scan: &str, viewpoint: &str) -> Result<Arc<ViewpointText>, SourceError> {
        self.viewpoints
            .get_or_make(&(scan.to_string(), viewpoint.to_string()), || {
                self.describe(scan, viewpoint)
            })
    }

    fn knows(&self, scan: &str, viewpoint: &str) -> bool {
        self.scan(scan)
            .is_ok_and(|s| s.graph.index_of(viewpoint).is_some())
    }
}
