//! The agent's body: a rapier3d capsule moved by a kinematic character controller that
//! collides with the scene's obstacles and slides along them.
//!
//! The collision geometry is the walkable area's obstacle cells (geometry within the agent's
//! body over the nearest floor), merged into boxes. A scan's raw triangles would serve too, but
//! parry's capsule–triangle contacts against a scan's thousands of small, noisy triangles cost
//! about 2 ms per blocked move; the boxes give the same walls at the grid's resolution for a
//! small fraction of that. The capsule spans from one step above the floor to the agent's
//! height, so nothing lower than a step blocks it: that is how it climbs small steps. The floor
//! height under the agent comes from the walkable area.

use crate::walkable::{WalkableConfig, WalkableGrid};
use glam::{Vec2, Vec3};
use rapier3d::control::{CharacterLength, KinematicCharacterController};
use rapier3d::math::{Pose, Vector};
use rapier3d::prelude::*;
use std::sync::Arc;

fn to_rapier(v: Vec3) -> Vector {
    Vector::new(v.x, v.y, v.z)
}

fn from_rapier(v: Vector) -> Vec3 {
    Vec3::new(v.x, v.y, v.z)
}

/// A scene's static collision geometry (one box collider per merged run of obstacle cells),
/// built once and shared read-only by every agent in it.
pub struct CollisionWorld {
    bodies: RigidBodySet,
    colliders: ColliderSet,
    broad_phase: BroadPhaseBvh,
    narrow_phase: NarrowPhase,
}

impl std::fmt::Debug for CollisionWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CollisionWorld")
            .field("boxes", &self.colliders.len())
            .finish()
    }
}

impl CollisionWorld {
    /// Builds the collision geometry of the obstacles in `grid`.
    pub fn new(grid: &WalkableGrid) -> Self {
        let mut world = Self {
            bodies: RigidBodySet::new(),
            colliders: ColliderSet::new(),
            broad_phase: BroadPhaseBvh::new(),
            narrow_phase: NarrowPhase::new(),
        };
        // Obstacle columns reach from below the lowest floor to above the highest agent head.
        let (floor_lo, floor_hi) = grid.floor_range_m().unwrap_or((0.0, 0.0));
        let (z_lo, z_hi) = (
            floor_lo - 0.5,
            floor_hi + grid.config().agent_height_m + 0.5,
        );
        for (min, max) in obstacle_rectangles(grid) {
            let half = ((max - min) / 2.0).extend((z_hi - z_lo) / 2.0);
            let centre = ((min + max) / 2.0).extend((z_lo + z_hi) / 2.0);
            world.colliders.insert(
                ColliderBuilder::cuboid(half.x, half.y, half.z)
                    .translation(to_rapier(centre))
                    .build(),
            );
        }
        // One step with no moving bodies builds the broad phase's tree for scene queries.
        PhysicsPipeline::new().step(
            Vector::ZERO,
            &IntegrationParameters::default(),
            &mut IslandManager::new(),
            &mut world.broad_phase,
            &mut world.narrow_phase,
            &mut world.bodies,
            &mut world.colliders,
            &mut ImpulseJointSet::new(),
            &mut MultibodyJointSet::new(),
            &mut SoftBodySet::new(),
            &mut CCDSolver::new(),
            &(),
            &(),
        );
        world
    }

    /// The number of box colliders.
    pub fn box_count(&self) -> usize {
        self.colliders.len()
    }
}

/// The grid's obstacle cells covered by rectangles `(min, max)`, greedily: from each blocked
/// cell not yet covered (in row order), the longest run of blocked cells along the row, grown
/// up the rows while the whole run stays blocked. Rectangles may overlap (their union is what
/// collides), which lets them grow larger and fewer than a partition.
fn obstacle_rectangles(grid: &WalkableGrid) -> Vec<(Vec2, Vec2)> {
    let (nx, ny) = grid.dims();
    let blocked = |x: usize, y: usize| grid.is_blocked(y * nx + x);
    let mut covered = vec![false; nx * ny];
    let mut rectangles = Vec::new();
    for y0 in 0..ny {
        for x0 in 0..nx {
            if covered[y0 * nx + x0] || !blocked(x0, y0) {
                continue;
            }
            let mut x1 = x0;
            while x1 + 1 < nx && blocked(x1 + 1, y0) {
                x1 += 1;
            }
            let mut y1 = y0;
            while y1 + 1 < ny && (x0..=x1).all(|x| blocked(x, y1 + 1)) {
                y1 += 1;
            }
            for y in y0..=y1 {
                covered[y * nx + x0..=y * nx + x1].fill(true);
            }
            rectangles.push((
                grid.cell_bounds(y0 * nx + x0).0,
                grid.cell_bounds(y1 * nx + x1).1,
            ));
        }
    }
    rectangles
}

/// An agent standing in a [`CollisionWorld`].
#[derive(Debug, Clone)]
pub struct AgentBody {
    world: Arc<CollisionWorld>,
    controller: KinematicCharacterController,
    radius_m: f32,
    half_height_m: f32,
    /// Height of the capsule's bottom above the floor: one step (plus a gap).
    lift_m: f32,
    /// The agent's base, on the floor.
    position_m: Vec3,
}

impl AgentBody {
    /// An agent of the configured radius, height and step standing at `base_m` (on the floor).
    pub fn new(world: Arc<CollisionWorld>, config: &WalkableConfig, base_m: Vec3) -> Self {
        let radius_m = config.agent_radius_m;
        let lift_m = config.max_step_m + 0.01;
        let half_height_m = ((config.agent_height_m - lift_m - 2.0 * radius_m) / 2.0).max(0.01);
        let controller = KinematicCharacterController {
            up: Vector::Z,
            offset: CharacterLength::Absolute(0.01),
            slide: true,
            autostep: None,
            snap_to_ground: None,
            ..KinematicCharacterController::default()
        };
        Self {
            world,
            controller,
            radius_m,
            half_height_m,
            lift_m,
            position_m: base_m,
        }
    }

    /// The base of the agent (on the floor).
    pub fn position(&self) -> Vec3 {
        self.position_m
    }

    /// Puts the agent at `base_m` without moving through the scene.
    pub fn teleport(&mut self, base_m: Vec3) {
        self.position_m = base_m;
    }

    /// Tries to move horizontally by `desired` (metres; its z is ignored). Returns the
    /// translation achieved: it slides along walls and never passes through geometry. The base
    /// keeps its height; the caller sets the floor height (see [`Self::teleport`]).
    pub fn move_by(&mut self, desired: Vec3) -> Vec3 {
        let world = &*self.world;
        let shape = SharedShape::capsule_z(self.half_height_m, self.radius_m);
        let centre = self.position_m + Vec3::Z * (self.lift_m + self.radius_m + self.half_height_m);
        let pose = Pose::from_translation(to_rapier(centre));
        let queries = world.broad_phase.as_query_pipeline(
            world.narrow_phase.query_dispatcher(),
            &world.bodies,
            &world.colliders,
            QueryFilter::default(),
        );
        let movement = self.controller.move_shape(
            1.0 / 60.0,
            &queries,
            &*shape,
            &pose,
            to_rapier(desired.truncate().extend(0.0)),
            |_| {},
        );
        let achieved = from_rapier(movement.translation).truncate().extend(0.0);
        self.position_m += achieved;
        achieved
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::walkable::tests::two_rooms;

    #[test]
    fn obstacle_rectangles_cover_the_blocked_cells_and_nothing_else() {
        let grid = WalkableGrid::build(&two_rooms(), &WalkableConfig::default()).unwrap();
        let rectangles = obstacle_rectangles(&grid);
        let (nx, ny) = grid.dims();
        let mut blocked = 0;
        for c in 0..nx * ny {
            let centre = grid.centre(c).truncate();
            let covering = rectangles
                .iter()
                .filter(|(min, max)| centre.cmpge(*min).all() && centre.cmple(*max).all())
                .count();
            assert_eq!(covering > 0, grid.is_blocked(c), "cell {c}");
            blocked += usize::from(grid.is_blocked(c));
        }
        // The outer walls and the partition are obstacles; far fewer boxes than cells.
        assert!(blocked > 100, "{blocked} blocked cells");
        assert!(
            rectangles.len() * 10 < blocked,
            "{} boxes",
            rectangles.len()
        );
    }

    #[test]
    fn walls_stop_the_agent_and_it_slides_along_them() {
        let config = WalkableConfig::default();
        let grid = WalkableGrid::build(&two_rooms(), &config).unwrap();
        let world = Arc::new(CollisionWorld::new(&grid));
        let mut agent = AgentBody::new(world.clone(), &config, Vec3::new(2.0, 2.5, 0.0));
        // Walk east into the partition wall at x = 2.95 in 0.25 m steps.
        for _ in 0..8 {
            agent.move_by(Vec3::new(0.25, 0.0, 0.0));
        }
        let p = agent.position();
        assert!(
            p.x < 2.95 - config.agent_radius_m + 0.02 && p.x > 2.6,
            "stopped at the wall: {p}"
        );
        assert!(p.z.abs() < 0.05, "stays on the floor: {p}");
        // Diagonal into the wall: the y component survives (sliding).
        let before = agent.position();
        let moved = agent.move_by(Vec3::new(0.25, 0.25, 0.0));
        assert!(moved.x.abs() < 0.02 && moved.y > 0.2, "slides: {moved}");
        assert!(agent.position().y > before.y);
    }
}
