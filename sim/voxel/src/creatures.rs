//! Creatures (Crafter's objects: cows, zombies, skeletons, arrows, plants) on the block
//! grid, their behaviour and the per-chunk balance that spawns and despawns them.
//!
//! Each behaves as Crafter's: a cow wanders; a zombie closes in within 8 blocks and hits for
//! 2 (7 on a sleeper) with a 5-step cooldown; a skeleton keeps its distance and shoots arrows
//! along its axis; an arrow flies straight, hurting what it meets (breaking tables and
//! furnaces); a plant ripens after 300 steps and is eaten by creatures next to it. Distances
//! are Crafter's L1 distances, here over x, y and z. A creature moves one block along x or
//! y onto a cell where it can stand (a step up or down of one block at most, never into
//! water or lava).

use crate::block::Block;
use crate::world::World;
use glam::{IVec2, IVec3};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The kinds of creature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A cow (food).
    Cow,
    /// A zombie (grassland, more at night).
    Zombie,
    /// A skeleton (tunnels).
    Skeleton,
    /// A skeleton's arrow.
    Arrow,
    /// A planted sapling.
    Plant,
}

impl Kind {
    /// Its name in observations.
    pub fn name(self) -> &'static str {
        match self {
            Self::Cow => "cow",
            Self::Zombie => "zombie",
            Self::Skeleton => "skeleton",
            Self::Arrow => "arrow",
            Self::Plant => "plant",
        }
    }
}

/// One creature.
#[derive(Clone, Debug, PartialEq)]
pub struct Creature {
    /// Its kind.
    pub kind: Kind,
    /// Its feet cell.
    pub cell: IVec3,
    /// Health; removed at 0.
    pub health: i32,
    /// Zombies: steps until the next hit; skeletons: until the next arrow.
    pub cooldown: i32,
    /// Arrows: their direction; others: unused.
    pub facing: IVec2,
    /// Plants: steps grown.
    pub grown: u32,
}

impl Creature {
    /// A new creature of `kind` at `cell`, with Crafter's starting health.
    pub fn new(kind: Kind, cell: IVec3) -> Self {
        let health = match kind {
            Kind::Cow | Kind::Skeleton => 3,
            Kind::Zombie => 5,
            Kind::Arrow | Kind::Plant => 1,
        };
        Self {
            kind,
            cell,
            health,
            cooldown: 0,
            facing: IVec2::ZERO,
            grown: 0,
        }
    }

    /// Whether a plant is ripe (Crafter: grown for more than 300 steps).
    pub fn ripe(&self) -> bool {
        self.kind == Kind::Plant && self.grown > 300
    }
}

/// Crafter's L1 distance between cells.
pub fn distance(a: IVec3, b: IVec3) -> i32 {
    let d = (a - b).abs();
    d.x + d.y + d.z
}

/// Crafter's `toward`: one unit step along the longer (or, when `long_axis` is false, the
/// shorter) horizontal axis of the offset to `target`.
pub fn toward(from: IVec3, target: IVec3, long_axis: bool) -> IVec2 {
    let offset = (target - from).truncate();
    let d = offset.abs();
    let along_x = if long_axis { d.x > d.y } else { d.x <= d.y };
    if along_x {
        IVec2::new(offset.x.signum(), 0)
    } else {
        IVec2::new(0, offset.y.signum())
    }
}

/// Crafter's four directions, in its order.
pub const DIRECTIONS: [IVec2; 4] = [
    IVec2::new(-1, 0),
    IVec2::new(1, 0),
    IVec2::new(0, -1),
    IVec2::new(0, 1),
];

/// Whether a body two blocks tall can have its feet at `cell`: feet and head cells free of
/// solid blocks and fluids, something solid below.
pub fn can_stand(world: &World, cell: IVec3) -> bool {
    let feet = world.block(cell);
    let head = world.block(cell + IVec3::Z);
    !feet.is_solid()
        && !feet.is_fluid()
        && !head.is_solid()
        && world.block(cell - IVec3::Z).is_solid()
}

/// Where a body at `from` ends up walking one block along `dir`: the same level, one up (if
/// the head has room) or down, as the terrain allows; `None` when blocked.
pub fn step_target(world: &World, from: IVec3, dir: IVec2, allow_lava: bool) -> Option<IVec3> {
    let ahead = from + dir.extend(0);
    let ok = |c: IVec3| {
        can_stand(world, c)
            || allow_lava && world.block(c) == Block::Lava && !world.block(c + IVec3::Z).is_solid()
    };
    if ok(ahead) {
        return Some(ahead);
    }
    let up = ahead + IVec3::Z;
    if ok(up) && !world.block(from + 2 * IVec3::Z).is_solid() {
        return Some(up);
    }
    let down = ahead - IVec3::Z;
    if !world.block(ahead).is_solid() && !world.block(ahead).is_fluid() && ok(down) {
        return Some(down);
    }
    None
}

/// A uniformly random direction, drawn as Crafter's `random_dir`.
pub fn random_dir(rng: &mut ChaCha8Rng) -> IVec2 {
    DIRECTIONS[rng.random_range(0..4)]
}
