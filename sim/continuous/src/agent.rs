//! The agent's body: a rapier3d capsule moved by a kinematic character controller that
//! collides with the scene and slides along walls.
//!
//! The capsule spans from one step above the floor to the agent's height, so geometry lower
//! than a step never blocks it: that is how it climbs small steps, and why the floor's own
//! triangles (most of a scan) are never in contact, which keeps moves cheap. The floor height
//! under the agent comes from the walkable area, not from ground contacts.

use crate::error::NavError;
use crate::walkable::WalkableConfig;
use glam::Vec3;
use rapier3d::control::{CharacterLength, KinematicCharacterController};
use rapier3d::math::{Pose, Vector};
use rapier3d::prelude::*;
use std::sync::Arc;
use waymark_scenes::scene::Scene;

fn to_rapier(v: Vec3) -> Vector {
    Vector::new(v.x, v.y, v.z)
}

fn from_rapier(v: Vector) -> Vec3 {
    Vec3::new(v.x, v.y, v.z)
}

/// A scene's static collision geometry (one triangle-mesh collider), built once and shared
/// read-only by every agent in it.
pub struct CollisionWorld {
    bodies: RigidBodySet,
    colliders: ColliderSet,
    broad_phase: BroadPhaseBvh,
    narrow_phase: NarrowPhase,
}

impl std::fmt::Debug for CollisionWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CollisionWorld")
            .field("colliders", &self.colliders.len())
            .finish()
    }
}

impl CollisionWorld {
    /// Builds the collision geometry of `scene`.
    pub fn new(scene: &Scene) -> Result<Self, NavError> {
        let vertices: Vec<Vector> = scene
            .mesh
            .positions_m
            .iter()
            .map(|&p| to_rapier(p))
            .collect();
        let collider = ColliderBuilder::trimesh(vertices, scene.mesh.triangles.clone())
            .map_err(|e| NavError::Scene {
                scene: scene.name.clone(),
                message: format!("cannot build a collision mesh: {e:?}"),
            })?
            .build();
        let mut world = Self {
            bodies: RigidBodySet::new(),
            colliders: ColliderSet::new(),
            broad_phase: BroadPhaseBvh::new(),
            narrow_phase: NarrowPhase::new(),
        };
        world.colliders.insert(collider);
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
        Ok(world)
    }
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
    fn walls_stop_the_agent_and_it_slides_along_them() {
        let world = Arc::new(CollisionWorld::new(&two_rooms()).unwrap());
        let config = WalkableConfig::default();
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
