//! A walkable model of the privileged block box ([`LocalBlocks`]): where a body two blocks
//! tall can stand, where one move takes it (the world's own rule: the same level, one up
//! with head room, or one down), the cell Crafter's `do` acts on, and a breadth-first search
//! from the feet cell to the nearest cell that satisfies a goal.
//!
//! Block semantics follow the world's `Block`: everything but air, water, lava, tall grass
//! and flowers is solid; water and lava are fluids; everything but air and fluids stops the
//! hand. Cells outside the box are unknown: solid, and nowhere to stand.

use glam::{IVec2, IVec3};
use std::collections::VecDeque;
use waymark_core::LocalBlocks;

/// The four horizontal directions, in Crafter's order (west, east, south, north): the fixed
/// neighbour order that makes every search deterministic.
pub const DIRECTIONS: [IVec2; 4] = [
    IVec2::new(-1, 0),
    IVec2::new(1, 0),
    IVec2::new(0, -1),
    IVec2::new(0, 1),
];

/// Whether bodies collide with the block named `name`.
pub fn is_solid(name: &str) -> bool {
    !matches!(name, "air" | "water" | "lava" | "tall_grass" | "flower")
}

/// Whether the block named `name` is a fluid.
pub fn is_fluid(name: &str) -> bool {
    matches!(name, "water" | "lava")
}

/// Whether the hand (and the view ray) stops at the block named `name`.
pub fn is_targetable(name: &str) -> bool {
    !matches!(name, "air" | "water" | "lava")
}

/// Whether a placed block may replace the block named `name`.
pub fn is_replaceable(name: &str) -> bool {
    matches!(name, "air" | "tall_grass" | "flower" | "water")
}

/// The grid direction of a yaw (degrees clockwise from north).
pub fn facing_of(yaw_deg: f32) -> IVec2 {
    match ((yaw_deg.rem_euclid(360.0) + 45.0) / 90.0) as i32 % 4 {
        0 => IVec2::new(0, 1),
        1 => IVec2::new(1, 0),
        2 => IVec2::new(0, -1),
        _ => IVec2::new(-1, 0),
    }
}

#[derive(Clone, Copy, Debug, Default)]
struct Kind {
    solid: bool,
    fluid: bool,
    targetable: bool,
}

/// A path found by [`Grid::search`]: the cells to walk through (the start excluded, the
/// goal cell last) and what the goal test returned there.
#[derive(Clone, Debug, PartialEq)]
pub struct Route<T> {
    /// Cells to enter, in order; empty when the start already satisfies the goal.
    pub cells: Vec<IVec3>,
    /// The goal test's answer at the last cell.
    pub found: T,
}

/// The walkable model over one observation's block box.
#[derive(Debug)]
pub struct Grid<'a> {
    blocks: &'a LocalBlocks,
    kinds: Vec<Kind>,
    occupied: Vec<IVec3>,
}

impl<'a> Grid<'a> {
    /// The model of `blocks`, with creatures at the cells of `occupied` (they block moves).
    pub fn new(blocks: &'a LocalBlocks, occupied: Vec<IVec3>) -> Self {
        let kinds = blocks
            .names
            .iter()
            .map(|n| Kind {
                solid: is_solid(n),
                fluid: is_fluid(n),
                targetable: is_targetable(n),
            })
            .collect();
        Self {
            blocks,
            kinds,
            occupied,
        }
    }

    /// The blocks it models.
    pub fn blocks(&self) -> &LocalBlocks {
        self.blocks
    }

    fn kind(&self, cell: IVec3) -> Option<Kind> {
        self.blocks
            .code(cell)
            .and_then(|c| self.kinds.get(usize::from(c)).copied())
    }

    /// The name of the block at `cell` (`None` outside the box).
    pub fn name(&self, cell: IVec3) -> Option<&str> {
        self.blocks.name(cell)
    }

    /// Whether the block at `cell` is named `name`.
    pub fn is(&self, cell: IVec3, name: &str) -> bool {
        self.name(cell) == Some(name)
    }

    /// Whether `cell` is solid (unknown cells are).
    pub fn solid(&self, cell: IVec3) -> bool {
        self.kind(cell).is_none_or(|k| k.solid)
    }

    /// Whether `cell` holds a fluid.
    pub fn fluid(&self, cell: IVec3) -> bool {
        self.kind(cell).is_some_and(|k| k.fluid)
    }

    /// Whether the hand stops at `cell` (unknown cells: no).
    pub fn targetable(&self, cell: IVec3) -> bool {
        self.kind(cell).is_some_and(|k| k.targetable)
    }

    /// Whether a creature stands at `cell`.
    pub fn occupied(&self, cell: IVec3) -> bool {
        self.occupied.contains(&cell)
    }

    /// Whether a body two blocks tall can have its feet at `cell`: feet and head not solid,
    /// feet not fluid, something solid below (all inside the box).
    pub fn can_stand(&self, cell: IVec3) -> bool {
        let (Some(feet), Some(head), Some(below)) = (
            self.kind(cell),
            self.kind(cell + IVec3::Z),
            self.kind(cell - IVec3::Z),
        ) else {
            return false;
        };
        !feet.solid && !feet.fluid && !head.solid && below.solid
    }

    /// Where one move along `dir` from `from` ends (the world's rule: ahead, one up with
    /// head room, or one down), `None` when blocked by blocks or a creature.
    pub fn step_target(&self, from: IVec3, dir: IVec2) -> Option<IVec3> {
        let ahead = from + dir.extend(0);
        let to = if self.can_stand(ahead) {
            ahead
        } else if self.can_stand(ahead + IVec3::Z) && !self.solid(from + 2 * IVec3::Z) {
            ahead + IVec3::Z
        } else if !self.solid(ahead) && !self.fluid(ahead) && self.can_stand(ahead - IVec3::Z) {
            ahead - IVec3::Z
        } else {
            return None;
        };
        (!self.occupied(to)).then_some(to)
    }

    /// The cell Crafter's `do` acts on standing at `cell` facing `dir` (creatures aside):
    /// the block in front at the feet, else at the head, else the water or grass in front
    /// below, else the free cell in front.
    pub fn crafter_target(&self, cell: IVec3, dir: IVec2) -> IVec3 {
        let front = cell + dir.extend(0);
        if self.targetable(front) || self.fluid(front) {
            return front;
        }
        let head = front + IVec3::Z;
        if self.targetable(head) {
            return head;
        }
        let ground = front - IVec3::Z;
        if self.is(ground, "water") || self.is(ground, "grass") {
            return ground;
        }
        front
    }

    /// Whether a table or furnace may go at `cell` (free, not fluid, no creature, on grass,
    /// sand, stone or dirt).
    pub fn can_place_station(&self, cell: IVec3) -> bool {
        self.name(cell)
            .is_some_and(|n| is_replaceable(n) && !is_fluid(n))
            && !self.occupied(cell)
            && self
                .name(cell - IVec3::Z)
                .is_some_and(|n| matches!(n, "grass" | "sand" | "stone" | "dirt"))
    }

    /// Whether a block named `name` is within crafting distance of feet cell `cell` (the
    /// 3 × 3 columns around, from below the feet to the head).
    pub fn near(&self, cell: IVec3, name: &str) -> bool {
        (-1..=1).any(|dz| {
            (-1..=1).any(|dy| (-1..=1).any(|dx| self.is(cell + IVec3::new(dx, dy, dz), name)))
        })
    }

    /// The cell the search starts from: the feet cell, or the one below when the body is in
    /// the air above a standable cell (a jump).
    pub fn start_cell(&self, feet: IVec3) -> IVec3 {
        if !self.can_stand(feet) && self.can_stand(feet - IVec3::Z) {
            feet - IVec3::Z
        } else {
            feet
        }
    }

    fn index(&self, cell: IVec3) -> Option<usize> {
        let d = cell - self.blocks.origin;
        let [sx, sy, sz] = self.blocks.size.map(|s| s as i32);
        if d.x < 0 || d.y < 0 || d.z < 0 || d.x >= sx || d.y >= sy || d.z >= sz {
            return None;
        }
        Some((d.x + sx * (d.y + sy * d.z)) as usize)
    }

    /// Breadth-first search from `start` over moves ([`Grid::step_target`], neighbours in
    /// [`DIRECTIONS`] order) to the nearest cell where `goal(cell, arrival)` answers
    /// something; `arrival` is the direction of the last move into the cell (at the start:
    /// `facing`). A cell is tried once for each direction it can be entered by, since a goal
    /// may hold only when facing one way (Crafter turns only towards a blocked side, so facing
    /// a free cell means having walked in that way). `None` when no reachable cell in the box
    /// satisfies it.
    pub fn search<T>(
        &self,
        start: IVec3,
        facing: Option<IVec2>,
        mut goal: impl FnMut(IVec3, Option<IVec2>) -> Option<T>,
    ) -> Option<Route<T>> {
        if let Some(found) = goal(start, facing) {
            return Some(Route {
                cells: Vec::new(),
                found,
            });
        }
        let start_index = self.index(start)?;
        // States are (cell, arrival direction): `state = cell × 4 + direction`; each holds the
        // state it was entered from, the start's cell standing for itself.
        let start_state = start_index * 4;
        let mut parent = vec![u32::MAX; self.blocks.codes.len() * 4];
        for d in 0..4 {
            parent[start_state + d] = start_state as u32;
        }
        let mut queue = VecDeque::from([(start, start_state)]);
        while let Some((cell, state)) = queue.pop_front() {
            for (d, dir) in DIRECTIONS.into_iter().enumerate() {
                let Some(next) = self.step_target(cell, dir) else {
                    continue;
                };
                let Some(i) = self.index(next) else {
                    continue;
                };
                let next_state = i * 4 + d;
                if parent[next_state] != u32::MAX {
                    continue;
                }
                parent[next_state] = state as u32;
                if let Some(found) = goal(next, Some(dir)) {
                    return Some(Route {
                        cells: self.unwind(&parent, next_state, start_state),
                        found,
                    });
                }
                queue.push_back((next, next_state));
            }
        }
        None
    }

    /// The cells from the start (left out) to `end_state`'s cell, following `parent`.
    fn unwind(&self, parent: &[u32], end_state: usize, start_state: usize) -> Vec<IVec3> {
        let [sx, sy, _] = self.blocks.size.map(|s| s as usize);
        let cell_of = |state: usize| {
            let i = state / 4;
            self.blocks.origin
                + IVec3::new(
                    (i % sx) as i32,
                    ((i / sx) % sy) as i32,
                    (i / (sx * sy)) as i32,
                )
        };
        let mut cells = vec![cell_of(end_state)];
        let mut state = end_state;
        while let Some(&p) = parent.get(state) {
            let p = p as usize;
            if p == start_state || p == state {
                break;
            }
            cells.push(cell_of(p));
            state = p;
        }
        cells.reverse();
        cells
    }
}

/// A target cell adjacent to a standing cell, as the goal tests report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facing {
    /// The direction to face.
    pub dir: IVec2,
    /// The cell acted on.
    pub target: IVec3,
}

/// The goal "Crafter's `do` from here, facing some direction, hits a block accepted by
/// `wanted`", where the facing can be had: it is the arrival direction, or a move that way
/// is blocked (so the move only turns).
pub fn crafter_block_goal<'g>(
    grid: &'g Grid<'_>,
    wanted: impl Fn(&str) -> bool + 'g,
) -> impl FnMut(IVec3, Option<IVec2>) -> Option<Facing> + 'g {
    move |cell, arrival| {
        DIRECTIONS.into_iter().find_map(|dir| {
            let target = grid.crafter_target(cell, dir);
            let facing_ok = arrival == Some(dir) || grid.step_target(cell, dir).is_none();
            (facing_ok && grid.name(target).is_some_and(&wanted)).then_some(Facing { dir, target })
        })
    }
}

/// The cells a MineRL agent standing at `cell` can hit facing `dir`, with a clear view: the
/// block in front at the feet (head row clear or wanted too), at the head, the ground in
/// front (front clear), two up in front (head row and above the head clear), and above the
/// head (first direction only).
pub fn minerl_reach(
    grid: &Grid<'_>,
    cell: IVec3,
    dir: IVec2,
    wanted: &dyn Fn(&str) -> bool,
) -> Option<IVec3> {
    let front = cell + dir.extend(0);
    let z = IVec3::Z;
    let ok = |c: IVec3| grid.name(c).is_some_and(wanted);
    let clear = |c: IVec3| !grid.targetable(c);
    let candidates = [
        (front, clear(front + z) || ok(front + z)),
        (front + z, true),
        (front - z, clear(front) && clear(front + z)),
        (front + 2 * z, clear(front + z) && clear(cell + 2 * z)),
        (cell + 2 * z, dir == DIRECTIONS[0]),
    ];
    candidates
        .into_iter()
        .find(|&(c, visible)| visible && ok(c))
        .map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A box of `size` filled with air, stone below z = 1, with `set` blocks changed.
    fn blocks(size: [u32; 3], set: &[(IVec3, &str)]) -> LocalBlocks {
        let names: Vec<String> = ["air", "stone", "water", "log", "grass"]
            .map(String::from)
            .into();
        let code = |n: &str| names.iter().position(|m| m == n).unwrap() as u8;
        let mut codes = Vec::new();
        for z in 0..size[2] {
            for _y in 0..size[1] {
                for _x in 0..size[0] {
                    codes.push(if z < 1 { code("stone") } else { code("air") });
                }
            }
        }
        let mut b = LocalBlocks {
            origin: IVec3::ZERO,
            size,
            codes,
            names: names.clone(),
        };
        for &(cell, name) in set {
            let i = (cell.x + size[0] as i32 * (cell.y + size[1] as i32 * cell.z)) as usize;
            b.codes[i] = code(name);
        }
        b
    }

    #[test]
    fn straight_path_has_its_length_and_ends_next_to_the_log() {
        let b = blocks(
            [8, 3, 5],
            &[(IVec3::new(6, 1, 1), "log"), (IVec3::new(6, 1, 2), "log")],
        );
        let grid = Grid::new(&b, Vec::new());
        let start = IVec3::new(1, 1, 1);
        assert!(grid.can_stand(start));
        let route = grid
            .search(start, None, crafter_block_goal(&grid, |n| n == "log"))
            .unwrap();
        assert_eq!(route.cells.len(), 4);
        assert_eq!(*route.cells.last().unwrap(), IVec3::new(5, 1, 1));
        assert_eq!(route.found.dir, IVec2::new(1, 0));
        assert_eq!(route.found.target, IVec3::new(6, 1, 1));
    }

    #[test]
    fn steps_up_one_block_with_head_room_but_not_two() {
        // A one-block step at x = 3, a two-block wall at x = 3 on row y = 0.
        let b = blocks(
            [6, 2, 6],
            &[
                (IVec3::new(3, 1, 1), "stone"),
                (IVec3::new(4, 1, 1), "stone"),
                (IVec3::new(3, 0, 1), "stone"),
                (IVec3::new(3, 0, 2), "stone"),
            ],
        );
        let grid = Grid::new(&b, Vec::new());
        assert_eq!(
            grid.step_target(IVec3::new(2, 1, 1), IVec2::X),
            Some(IVec3::new(3, 1, 2))
        );
        assert_eq!(grid.step_target(IVec3::new(2, 0, 1), IVec2::X), None);
        let goal = IVec3::new(5, 0, 1);
        let route = grid
            .search(IVec3::new(0, 0, 1), None, |c, _| (c == goal).then_some(()))
            .unwrap();
        // Up the step on row 1, over, and down to row 0: 0,0 → 0,1 … 5,1 → 5,0.
        assert!(route.cells.contains(&IVec3::new(3, 1, 2)));
        assert_eq!(*route.cells.last().unwrap(), goal);
        assert_eq!(route.cells.len(), 7);
    }

    #[test]
    fn water_blocks_the_way() {
        // A channel of water across the box at x = 2 (the water fills the feet level).
        let mut set = Vec::new();
        for y in 0..3 {
            set.push((IVec3::new(2, y, 1), "water"));
            set.push((IVec3::new(2, y, 0), "water"));
        }
        let b = blocks([5, 3, 4], &set);
        let grid = Grid::new(&b, Vec::new());
        let goal = IVec3::new(4, 1, 1);
        assert!(
            grid.search(IVec3::new(0, 1, 1), None, |c, _| (c == goal).then_some(()))
                .is_none()
        );
        // But the water is reachable to drink: facing it is a blocked move.
        let route = grid
            .search(
                IVec3::new(0, 1, 1),
                None,
                crafter_block_goal(&grid, |n| n == "water"),
            )
            .unwrap();
        assert_eq!(route.cells, vec![IVec3::new(1, 1, 1)]);
    }

    #[test]
    fn creatures_block_moves_and_facing_follows_yaw() {
        let b = blocks([4, 1, 3], &[]);
        let grid = Grid::new(&b, vec![IVec3::new(2, 0, 1)]);
        assert_eq!(grid.step_target(IVec3::new(1, 0, 1), IVec2::X), None);
        assert_eq!(facing_of(0.0), IVec2::Y);
        assert_eq!(facing_of(90.0), IVec2::X);
        assert_eq!(facing_of(180.0), -IVec2::Y);
        assert_eq!(facing_of(269.0), -IVec2::X);
    }
}
