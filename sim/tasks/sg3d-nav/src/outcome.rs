//! A navigate-then-ground trajectory and what it achieved: the scorer and the batch both
//! replay the walked path in the scene, so a submission scores exactly as its run did.

use crate::metrics::task_metrics;
use crate::scene::GroundingScene;
use crate::view::{Pose, ViewConfig, in_view};
use glam::{DVec2, Vec3};
use serde::{Deserialize, Serialize};
use waymark_continuous::{GeodesicField, WalkableGrid};
use waymark_core::Metrics;
use waymark_sensors::CAMERA_HEIGHT_M;
use waymark_sg3d::GroundingTask;
use waymark_task::TopDown;

/// One pose of the walked path.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PathPoint {
    /// The base position on the floor (world, metres, z up).
    pub position: [f32; 3],
    /// Heading in radians, clockwise from `+y`.
    pub heading: f32,
    /// Camera elevation in radians.
    pub elevation: f32,
}

impl PathPoint {
    /// The camera pose.
    pub fn pose(&self) -> Pose {
        Pose {
            position_m: Vec3::from_array(self.position),
            heading_rad: self.heading,
            elevation_rad: self.elevation,
        }
    }
}

/// An episode's trajectory (its `episodes.jsonl` record and its submission entry).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NavTrajectory {
    /// The answered object ids, in step order (fewer than the steps when the agent stopped).
    pub answers: Vec<u32>,
    /// For each answer, the index in `path` of the pose it was given from.
    pub grounded_at: Vec<usize>,
    /// The pose at the start and after every navigation action.
    pub path: Vec<PathPoint>,
    /// Whether each answered step was right (the gold object, in view), as the run judged
    /// it, for the breakdowns; the scorer judges again and ignores it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub correct: Vec<bool>,
}

/// What one answered step achieved.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepResult {
    /// The answered object.
    pub answer: u32,
    /// Whether the answered object was in view when answered.
    pub answer_in_view: bool,
    /// Whether the gold object was in view when the step was answered (navigation success).
    pub gold_in_view: bool,
    /// Navigation actions since the previous answer (or the start).
    pub moves: usize,
    /// The length walked in that time, metres.
    pub walked_m: f32,
    /// The geodesic distance from where the step began to the nearest place its object may
    /// be grounded from ([`shortest_m`]); `None` when there is none.
    pub shortest_m: Option<f32>,
}

/// The walkable point from which the agent should ground `target` when it stands at `from`:
/// the centre of the walkable cell of its island nearest the target's box centre
/// (horizontally), within the grounding distance plus half the box's diagonal.
pub fn viewpoint(
    grid: &WalkableGrid,
    target_min_m: Vec3,
    target_max_m: Vec3,
    ground_within_m: f32,
    from: Vec3,
) -> Option<Vec3> {
    let island = grid.island(grid.cell_at(from.truncate())?);
    let centre = (target_min_m + target_max_m) / 2.0;
    let reach = ground_within_m + (target_max_m - target_min_m).truncate().length() / 2.0;
    grid.snap(centre, reach, Some(island)).map(|(_, p)| p)
}

/// The shortest walk from `from` to a place where the object in box `min_m`–`max_m` may be
/// grounded: a walkable cell of the agent's island whose camera lies within
/// `ground_within_m` of the box and that can walk straight to the object's [`viewpoint`]
/// (so no wall stands between; occlusion by furniture is not tested, as the region stands in
/// for ObjectNav's view points). `None` when there is no such cell.
pub fn shortest_m(
    grid: &WalkableGrid,
    min_m: Vec3,
    max_m: Vec3,
    ground_within_m: f32,
    from: Vec3,
) -> Option<f32> {
    let view = viewpoint(grid, min_m, max_m, ground_within_m, from)?.truncate();
    let field = GeodesicField::new(grid, from, grid.config().cell_m).ok()?;
    let cell_m = grid.config().cell_m;
    let (lo, hi) = (
        min_m.truncate() - ground_within_m,
        max_m.truncate() + ground_within_m,
    );
    // The cells in reach, nearest first; the first that walks straight to the viewpoint wins
    // (few straight-line tests: they are the costly part).
    let mut in_reach: Vec<(f32, usize)> = Vec::new();
    let mut y = lo.y;
    while y <= hi.y {
        let mut x = lo.x;
        while x <= hi.x {
            let here = glam::Vec2::new(x, y);
            x += cell_m;
            let Some(c) = grid.cell_at(here) else {
                continue;
            };
            if !grid.is_walkable(c) || grid.island(c) != field.island() {
                continue;
            }
            let eye = grid.centre(c) + Vec3::Z * CAMERA_HEIGHT_M;
            if eye.distance(eye.clamp(min_m, max_m)) > ground_within_m {
                continue;
            }
            if let Some(d) = field.cell_distance(c) {
                in_reach.push((d, c));
            }
        }
        y += cell_m;
    }
    in_reach.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    in_reach
        .into_iter()
        .find(|&(_, c)| grid.segment_walkable(grid.centre(c).truncate(), view))
        .map(|(d, _)| d)
}

/// Replays `trajectory` of `task` in `scene`: each answered step's result. Errors say what
/// is inconsistent (an index past the path, answers and poses of different counts, more
/// answers than steps).
pub fn replay(
    scene: &GroundingScene,
    view: &ViewConfig,
    task: &GroundingTask,
    trajectory: &NavTrajectory,
) -> Result<Vec<StepResult>, String> {
    let NavTrajectory {
        answers,
        grounded_at,
        path,
        ..
    } = trajectory;
    if answers.len() != grounded_at.len() {
        return Err(format!(
            "{} answers but {} grounding poses",
            answers.len(),
            grounded_at.len()
        ));
    }
    if answers.len() > task.steps.len() {
        return Err(format!(
            "{} answers for {} steps",
            answers.len(),
            task.steps.len()
        ));
    }
    if path.is_empty() && !answers.is_empty() {
        return Err("answers without a path".into());
    }
    let grid = &scene.nav.grid;
    let mut results = Vec::with_capacity(answers.len());
    let mut begin = 0usize;
    for (k, (&answer, &at)) in answers.iter().zip(grounded_at).enumerate() {
        if at < begin || at >= path.len() {
            return Err(format!(
                "step {}: grounded at pose {at}, outside poses {begin}..{}",
                k + 1,
                path.len()
            ));
        }
        let seen = in_view(scene, view, &path[at].pose())?;
        let gold = task.steps[k].target_id;
        let walked_m = path[begin..=at]
            .windows(2)
            .map(|w| Vec3::from_array(w[0].position).distance(Vec3::from_array(w[1].position)))
            .sum();
        let from = Vec3::from_array(path[begin].position);
        let shortest_m = scene
            .objects()
            .get(gold)
            .and_then(|o| shortest_m(grid, o.min_m, o.max_m, view.ground_within_m, from));
        results.push(StepResult {
            answer,
            answer_in_view: seen.iter().any(|v| v.id == answer),
            gold_in_view: seen.iter().any(|v| v.id == gold),
            moves: at - begin,
            walked_m,
            shortest_m,
        });
        begin = at;
    }
    Ok(results)
}

/// The metrics of `trajectory` of `task`, replayed in `scene`, and whether each answered
/// step was right.
pub fn score(
    scene: &GroundingScene,
    view: &ViewConfig,
    task: &GroundingTask,
    trajectory: &NavTrajectory,
) -> Result<(Metrics, Vec<bool>), String> {
    let results = replay(scene, view, task, trajectory)?;
    let moves = trajectory.path.len().saturating_sub(1);
    let correct = results
        .iter()
        .zip(&task.steps)
        .map(|(r, s)| r.answer == s.target_id && r.answer_in_view)
        .collect();
    Ok((task_metrics(&results, &task.targets(), moves), correct))
}

/// The task from above: the agent's walk, and as reference each step's shortest walk from
/// where the agent began it to its object's viewpoint.
pub fn top_down(
    scene: &GroundingScene,
    config: &crate::NavConfig,
    task: &GroundingTask,
    trajectory: &NavTrajectory,
) -> TopDown {
    let grid = &scene.nav.grid;
    let flat = |p: Vec3| p.truncate().as_dvec2();
    let mut agent: Vec<DVec2> = trajectory
        .path
        .iter()
        .map(|p| flat(Vec3::from_array(p.position)))
        .collect();
    agent.dedup();
    let mut reference = Vec::new();
    let mut begin = 0usize;
    for (step, &at) in task.steps.iter().zip(&trajectory.grounded_at) {
        let Some(from) = trajectory
            .path
            .get(begin)
            .map(|p| Vec3::from_array(p.position))
        else {
            break;
        };
        let walk = scene.objects().get(step.target_id).and_then(|o| {
            let goal = viewpoint(grid, o.min_m, o.max_m, config.view.ground_within_m, from)?;
            GeodesicField::new(grid, goal, grid.config().cell_m)
                .ok()?
                .path_snapped(grid, from, 0.5)
        });
        reference.extend(walk.unwrap_or_default().into_iter().map(flat));
        begin = at;
    }
    reference.dedup();
    TopDown {
        map: Vec::new(),
        reference,
        agent,
        success_radius_m: None,
    }
}
