//! An ALFRED episode from above: the outline of the floor plan's reachable cells, the expert's
//! walk and the agent's, each replayed on a fresh household (ALFRED's x and z are the floor).

use crate::env::{Attempt, action_of};
use crate::episodes::AlfredEpisodes;
use crate::traj::ApiAction;
use crate::world::{GRID_M, Pose};
use glam::DVec2;
use std::collections::HashSet;
use waymark_task::{Environment, StepOutcome, TaskError, TopDown};

/// The picture of the episode at `position` with the agent's recorded `attempts`.
pub(crate) fn top_down(
    episodes: &AlfredEpisodes,
    position: usize,
    attempts: &[Attempt],
) -> Result<TopDown, TaskError> {
    let (traj, _) = episodes.episode(position)?;
    let expert = traj.data.plan.low_actions.iter().map(|a| &a.api_action);
    let agent = attempts.iter().map(|a| &a.api_action);
    let reachable: HashSet<(i32, i32)> = episodes
        .environment(position)?
        .world()
        .reachable_cells()
        .into_iter()
        .collect();
    Ok(TopDown {
        map: outline(&reachable),
        reference: walk(episodes, position, expert)?,
        agent: walk(episodes, position, agent)?,
        success_radius_m: None,
    })
}

/// Where the agent stands after each of `actions`, replayed from the episode's start until
/// the episode ends (an action that is not ALFRED's ends the replay); repeats dropped.
fn walk<'a>(
    episodes: &AlfredEpisodes,
    position: usize,
    actions: impl Iterator<Item = &'a ApiAction>,
) -> Result<Vec<DVec2>, TaskError> {
    let mut env = episodes.environment(position)?;
    let mut path = vec![floor(env.world().pose())];
    for api in actions {
        let Some(action) = action_of(api) else {
            break;
        };
        let outcome = env.step(&action);
        path.push(floor(env.world().pose()));
        if !matches!(outcome, Ok(StepOutcome::Running)) {
            break;
        }
    }
    path.dedup();
    Ok(path)
}

/// The agent's place on the floor: ALFRED's x and z, in metres.
fn floor(pose: Pose) -> DVec2 {
    let p = pose.position();
    DVec2::new(p.x, p.z)
}

/// The border of the reachable cells: each side of a reachable cell whose neighbour is not
/// reachable (cells are `GRID_M` squares centred on their grid points).
fn outline(reachable: &HashSet<(i32, i32)>) -> Vec<[DVec2; 2]> {
    let half = GRID_M / 2.0;
    let mut cells: Vec<&(i32, i32)> = reachable.iter().collect();
    cells.sort();
    let mut segments = Vec::new();
    for &&(i, j) in &cells {
        let c = DVec2::new(f64::from(i) * GRID_M, f64::from(j) * GRID_M);
        let corners = |a: (f64, f64), b: (f64, f64)| {
            [
                c + DVec2::new(a.0 * half, a.1 * half),
                c + DVec2::new(b.0 * half, b.1 * half),
            ]
        };
        for ((di, dj), side) in [
            ((1, 0), ((1.0, -1.0), (1.0, 1.0))),
            ((-1, 0), ((-1.0, -1.0), (-1.0, 1.0))),
            ((0, 1), ((-1.0, 1.0), (1.0, 1.0))),
            ((0, -1), ((-1.0, -1.0), (1.0, -1.0))),
        ] {
            if !reachable.contains(&(i + di, j + dj)) {
                segments.push(corners(side.0, side.1));
            }
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_cell_is_outlined_by_four_sides_and_two_by_six() {
        let one: HashSet<(i32, i32)> = [(0, 0)].into();
        assert_eq!(outline(&one).len(), 4);
        let two: HashSet<(i32, i32)> = [(0, 0), (1, 0)].into();
        let sides = outline(&two);
        assert_eq!(sides.len(), 6);
        // The shared side is not drawn.
        let shared = DVec2::new(GRID_M / 2.0, 0.0);
        assert!(sides.iter().all(|s| (s[0] + s[1]) / 2.0 != shared));
    }
}
