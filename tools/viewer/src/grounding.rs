//! Grounding replays (SG3D, navigate-then-ground): the scene from above with every
//! candidate's id, one replay step per task step, the step's gold object boxed in green and
//! the planner's answer boxed in red when it is another object; for navigate-then-ground also
//! the path walked up to the answer (yellow) and where the agent stood (white).

use crate::panel::{HouseholdMap, HouseholdMapBox, png_image, show_replay_image};
use crate::state::Episodes;
use anyhow::{Result, bail};
use bevy::prelude::*;
use glam::{Vec2 as GVec2, Vec3 as GVec3};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use waymark_core::GroundingObject;
use waymark_eval::RunManifest;
use waymark_render::image_io::rgb_png_bytes;
use waymark_render::{Frame, TopDownCamera};
use waymark_sg3d::{GroundingTask, LoadedScene, Sg3dEpisodes};
use waymark_sg3d_nav::outcome::StepResult;
use waymark_sg3d_nav::{NavEpisodes, NavTrajectory};

/// The map's longer side, pixels.
const MAP_PX: u32 = 720;

/// A run's grounding episodes, opened from the options `run.json` recorded.
pub enum GroundingSource {
    /// SG3D: answers only.
    Plain(Sg3dEpisodes),
    /// Navigate-then-ground: walks and answers.
    Walking(NavEpisodes),
}

impl std::fmt::Debug for GroundingSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Plain(_) => "GroundingSource::Plain",
            Self::Walking(_) => "GroundingSource::Walking",
        })
    }
}

impl GroundingSource {
    /// Opens the task file and scenes `manifest`'s options name (`episodes` replaced by
    /// `episodes_flag` when given).
    pub fn open(manifest: &RunManifest, episodes_flag: Option<&Path>) -> Result<Self> {
        let mut args = manifest.task_args();
        if let Some(p) = episodes_flag {
            args.set("episodes", p.to_string_lossy());
        }
        Ok(match manifest.task.as_str() {
            "sg3d-nav" => Self::Walking(NavEpisodes::open(&args)?),
            "sg3d" => Self::Plain(Sg3dEpisodes::open(&args)?),
            other => bail!("{other} is not a grounding task"),
        })
    }

    /// The task at `position` and its scene.
    fn task_and_scene(&self, position: usize) -> Result<(&GroundingTask, Arc<LoadedScene>)> {
        Ok(match self {
            Self::Plain(e) => (e.task(position)?, e.scene(position)?),
            Self::Walking(e) => (e.task(position)?, e.loaded_scene(position)?),
        })
    }

    /// The task's instruction (its description and steps), for the episode list.
    pub fn instruction(&self, position: usize) -> Option<String> {
        let task = match self {
            Self::Plain(e) => e.task(position).ok()?,
            Self::Walking(e) => e.task(position).ok()?,
        };
        Some(task.instruction())
    }
}

/// A recorded grounding trajectory.
#[derive(Clone, Debug, PartialEq)]
pub enum GroundingTrajectory {
    /// SG3D: the answered ids.
    Answers(Vec<u32>),
    /// Navigate-then-ground: the walk and the answers.
    Walk(NavTrajectory),
}

impl GroundingTrajectory {
    /// The answered ids, in step order.
    pub fn answers(&self) -> &[u32] {
        match self {
            Self::Answers(a) => a,
            Self::Walk(w) => &w.answers,
        }
    }
}

/// One step of the replay.
#[derive(Clone, Debug)]
struct StepView {
    text: String,
    gold: Option<GroundingObject>,
    answer: Option<GroundingObject>,
    /// Navigate-then-ground: the path walked up to the answer, world floor points.
    walked: Vec<GVec3>,
}

/// An episode's steps drawn over its scene's map.
pub struct GroundingReplay {
    camera: TopDownCamera,
    /// The map with the candidates' ids.
    base: Frame,
    steps: Vec<StepView>,
}

impl std::fmt::Debug for GroundingReplay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GroundingReplay({} steps)", self.steps.len())
    }
}

/// `id label` of object `id` of `scene`.
fn named(scene: &LoadedScene, id: u32) -> String {
    match scene.objects.get(id) {
        Some(o) => format!("{id} {}", o.label),
        None => format!("{id} (not a candidate)"),
    }
}

impl GroundingReplay {
    /// The replay of `trajectory` for the task at `position` of `source`.
    pub fn new(
        source: &GroundingSource,
        position: usize,
        trajectory: &GroundingTrajectory,
    ) -> Result<Self> {
        let (task, scene) = source.task_and_scene(position)?;
        let results: Option<Vec<StepResult>> = match (source, trajectory) {
            (GroundingSource::Walking(e), GroundingTrajectory::Walk(walk)) => {
                Some(e.step_results(position, walk)?)
            }
            (GroundingSource::Plain(_), GroundingTrajectory::Answers(_)) => None,
            _ => bail!("the trajectory is not of the run's task"),
        };
        // The map the sensors give planners, drawn once per episode; steps draw over copies.
        let (base, camera) =
            scene
                .sensors
                .birds_eye_frame(&scene.scene.name, MAP_PX, &scene.id_labels())?;
        let answers = trajectory.answers();
        let mut steps = Vec::new();
        let mut begin = 0usize;
        for (k, step) in task.steps.iter().enumerate() {
            let answer = answers.get(k).copied();
            let mut text = format!(
                "step {}/{}: {}\n",
                k + 1,
                task.steps.len(),
                step.text.trim()
            );
            let _ = writeln!(text, "gold: {}", named(&scene, step.target_id));
            let result = results.as_ref().and_then(|r| r.get(k));
            match answer {
                None => text.push_str("answer: none (the episode ended)"),
                Some(id) => {
                    let in_view = result.is_none_or(|r| r.answer_in_view);
                    let verdict = match (id == step.target_id, in_view) {
                        (true, true) => "right",
                        (true, false) => "wrong: not in view",
                        (false, _) => "wrong",
                    };
                    let _ = write!(text, "answer: {}: {verdict}", named(&scene, id));
                }
            }
            let mut walked = Vec::new();
            if let (Some(r), GroundingTrajectory::Walk(walk)) = (result, trajectory) {
                let at = walk.grounded_at.get(k).copied().unwrap_or(begin);
                walked = walk.path[begin.min(at)..=at.min(walk.path.len().saturating_sub(1))]
                    .iter()
                    .map(|p| GVec3::from_array(p.position))
                    .collect();
                let _ = write!(
                    text,
                    "\nwalk: {} moves, {:.1} m (shortest {}), gold in view: {}",
                    r.moves,
                    r.walked_m,
                    r.shortest_m
                        .map_or_else(|| "none".to_string(), |m| format!("{m:.1} m")),
                    if r.gold_in_view { "yes" } else { "no" }
                );
                begin = at;
            }
            steps.push(StepView {
                text,
                gold: scene.objects.get(step.target_id).cloned(),
                answer: answer.and_then(|id| scene.objects.get(id)).cloned(),
                walked,
            });
        }
        Ok(Self {
            camera,
            base,
            steps,
        })
    }

    /// The replay's last step.
    pub fn last_step(&self) -> usize {
        self.steps.len().saturating_sub(1)
    }

    /// The panel's text at step `step`.
    pub fn text(&self, step: usize) -> String {
        self.steps
            .get(step)
            .map_or_else(String::new, |s| s.text.clone())
    }

    /// The map at step `step`.
    pub fn frame(&self, step: usize) -> Frame {
        let mut frame = self.base.clone();
        let Some(view) = self.steps.get(step) else {
            return frame;
        };
        let px = |p: GVec3| self.camera.pixel_of(p);
        for pair in view.walked.windows(2) {
            line(&mut frame, px(pair[0]), px(pair[1]), [250, 220, 40]);
        }
        if let Some(last) = view.walked.last() {
            let c = px(*last);
            rect(&mut frame, c - 3.0, c + 3.0, [255, 255, 255]);
        }
        if let Some(gold) = &view.gold {
            box_outline(&mut frame, &self.camera, gold, [40, 220, 60]);
        }
        if let Some(answer) = view
            .answer
            .as_ref()
            .filter(|a| Some(a.id) != view.gold.as_ref().map(|g| g.id))
        {
            box_outline(&mut frame, &self.camera, answer, [230, 40, 40]);
        }
        frame
    }
}

/// A 2-pixel outline of `object`'s box seen from above.
fn box_outline(frame: &mut Frame, camera: &TopDownCamera, object: &GroundingObject, rgb: [u8; 3]) {
    let a = camera.pixel_of(object.min_m);
    let b = camera.pixel_of(object.max_m);
    let (lo, hi) = (a.min(b) - 2.0, a.max(b) + 2.0);
    for inset in [0.0, 1.0] {
        let (l, h) = (lo + inset, hi - inset);
        line(frame, l, GVec2::new(h.x, l.y), rgb);
        line(frame, GVec2::new(h.x, l.y), h, rgb);
        line(frame, h, GVec2::new(l.x, h.y), rgb);
        line(frame, GVec2::new(l.x, h.y), l, rgb);
    }
}

/// A filled rectangle between pixel corners `lo` and `hi`.
fn rect(frame: &mut Frame, lo: GVec2, hi: GVec2, rgb: [u8; 3]) {
    for y in lo.y.max(0.0) as u32..=hi.y.max(0.0) as u32 {
        for x in lo.x.max(0.0) as u32..=hi.x.max(0.0) as u32 {
            if x < frame.width && y < frame.height {
                let i = frame.index(x, y);
                frame.rgb[i] = rgb;
            }
        }
    }
}

/// A one-pixel line from `a` to `b`, sampled every half pixel (a few overlays per frame: no
/// drawing crate needed).
fn line(frame: &mut Frame, a: GVec2, b: GVec2, rgb: [u8; 3]) {
    let n = ((b - a).length() * 2.0).ceil().clamp(1.0, 10_000.0) as u32;
    for k in 0..=n {
        let p = a.lerp(b, k as f32 / n as f32);
        if p.x >= 0.0 && p.y >= 0.0 && (p.x as u32) < frame.width && (p.y as u32) < frame.height {
            let i = frame.index(p.x as u32, p.y as u32);
            frame.rgb[i] = rgb;
        }
    }
}

/// What the map was last drawn for: the open row and the step.
type Drawn = (Option<usize>, usize);

/// Draws the open grounding episode's map at the replay's step when the episode or the step
/// changes.
pub fn update_grounding_map(
    episodes: Res<Episodes>,
    mut images: ResMut<Assets<Image>>,
    boxes: Query<&ComputedNode, With<HouseholdMapBox>>,
    mut maps: Query<&mut ImageNode, With<HouseholdMap>>,
    mut drawn: Local<Option<Drawn>>,
) {
    if boxes.single().is_err() {
        return;
    }
    let Some(replay) = &episodes.grounding else {
        return;
    };
    let key = (episodes.list.open, episodes.step);
    if *drawn == Some(key) {
        return;
    }
    *drawn = Some(key);
    let frame = replay.frame(episodes.step);
    if let Some(image) = rgb_png_bytes(&frame).ok().and_then(|png| png_image(&png)) {
        show_replay_image(image, &mut images, &mut maps);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::collections::BTreeMap;

    fn manifest(task: &str) -> RunManifest {
        let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets");
        let mut options = BTreeMap::new();
        options.insert(
            "episodes".to_string(),
            assets
                .join("demo/apartment_a_sg3d.json")
                .to_string_lossy()
                .to_string(),
        );
        options.insert(
            "scenes".to_string(),
            assets.join("apartments").to_string_lossy().to_string(),
        );
        let mut manifest: RunManifest = serde_json::from_value(serde_json::json!({
            "task": task, "planner": "p", "privileged": false, "episodes_file": "apartment_a_sg3d.json",
            "instructions_in_file": 10, "seed": 0, "max_steps": 4, "limit": null, "shard": "0/1"
        }))
        .unwrap();
        manifest.options = options;
        manifest
    }

    #[test]
    fn each_step_boxes_the_gold_object_and_a_wrong_answer() {
        let source = GroundingSource::open(&manifest("sg3d"), None).unwrap();
        let (task, _) = source.task_and_scene(0).unwrap();
        let gold = task.targets();
        let mut answers = gold.clone();
        answers[1] = gold[0];
        let replay =
            GroundingReplay::new(&source, 0, &GroundingTrajectory::Answers(answers)).unwrap();
        assert_eq!(replay.last_step(), gold.len() - 1);
        assert!(replay.text(0).contains(": right"), "{}", replay.text(0));
        assert!(replay.text(1).contains(": wrong"), "{}", replay.text(1));
        let count = |f: &Frame, rgb: [u8; 3]| f.rgb.iter().filter(|p| **p == rgb).count();
        let right = replay.frame(0);
        assert!(count(&right, [40, 220, 60]) > 0);
        assert_eq!(count(&right, [230, 40, 40]), 0);
        let wrong = replay.frame(1);
        assert!(count(&wrong, [230, 40, 40]) > 0 && count(&wrong, [40, 220, 60]) > 0);
    }

    #[test]
    fn a_walk_is_drawn_up_to_each_answer() {
        let source = GroundingSource::open(&manifest("sg3d-nav"), None).unwrap();
        let (task, scene) = source.task_and_scene(0).unwrap();
        let gold = scene.objects.get(task.steps[0].target_id).unwrap().clone();
        let point = |x: f32| waymark_sg3d_nav::PathPoint {
            position: [gold.centre_m.x + x, gold.centre_m.y, 0.0],
            heading: 0.0,
            elevation: 0.0,
        };
        let walk = NavTrajectory {
            answers: vec![gold.id],
            grounded_at: vec![2],
            path: vec![point(-1.0), point(-0.5), point(0.0)],
            correct: Vec::new(),
        };
        let replay = GroundingReplay::new(&source, 0, &GroundingTrajectory::Walk(walk)).unwrap();
        assert!(
            replay.text(0).contains("walk: 2 moves, 1.0 m"),
            "{}",
            replay.text(0)
        );
        assert!(
            replay.text(1).contains("answer: none"),
            "{}",
            replay.text(1)
        );
        let yellow = replay
            .frame(0)
            .rgb
            .iter()
            .filter(|p| **p == [250, 220, 40])
            .count();
        assert!(yellow > 5, "{yellow}");
    }
}
