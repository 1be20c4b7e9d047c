//! [`Creatures`]: an episode's creatures in the order they appeared, with a count of them per
//! block column, so that asking whether a cell holds one (every move, spawn and attack asks)
//! is one lookup in the many empty columns instead of a pass over every creature.

use crate::creatures::Creature;
use glam::IVec3;

/// The creatures of one episode, in the order they appeared (the order they act in).
///
/// Reads go through the slice ([`std::ops::Deref`]); changes through the methods below, which
/// keep the per-column counts true. A creature's `cell` changes only through
/// [`Creatures::move_to`].
#[derive(Clone)]
pub struct Creatures {
    list: Vec<Creature>,
    /// The world's side in blocks.
    side: i32,
    /// Per column `x + side × y` inside the world: how many creatures (alive or not) stand in
    /// it. Cells outside the world's columns are always searched.
    per_column: Vec<u16>,
}

impl Creatures {
    /// None yet, in a world `side_blocks` wide.
    pub fn new(side_blocks: i32) -> Self {
        let side = side_blocks.max(0);
        Self {
            list: Vec::new(),
            side,
            per_column: vec![0; (side * side) as usize],
        }
    }

    fn column(&self, cell: IVec3) -> Option<usize> {
        column_of(self.side, cell)
    }

    /// One more creature in `cell`'s column.
    fn enter(&mut self, cell: IVec3) {
        if let Some(column) = self.column(cell) {
            self.per_column[column] = self.per_column[column].saturating_add(1);
        }
    }

    /// One creature fewer in `cell`'s column.
    fn leave(&mut self, cell: IVec3) {
        if let Some(column) = self.column(cell) {
            self.per_column[column] = self.per_column[column].saturating_sub(1);
        }
    }

    /// Adds `creature` last.
    pub fn push(&mut self, creature: Creature) {
        self.enter(creature.cell);
        self.list.push(creature);
    }

    /// Removes and returns creature `i`, shifting the later ones down.
    ///
    /// # Panics
    /// When `i` is out of range.
    pub fn remove(&mut self, i: usize) -> Creature {
        let creature = self.list.remove(i);
        self.leave(creature.cell);
        creature
    }

    /// Removes the dead (health 0 or less), keeping the order of the others.
    pub fn retain_alive(&mut self) {
        let Self {
            list,
            side,
            per_column,
        } = self;
        list.retain(|c| {
            let alive = c.health > 0;
            if let Some(column) = column_of(*side, c.cell).filter(|_| !alive) {
                per_column[column] = per_column[column].saturating_sub(1);
            }
            alive
        });
    }

    /// Removes every creature.
    pub fn clear(&mut self) {
        self.list.clear();
        self.per_column.fill(0);
    }

    /// Moves creature `i` to `cell`.
    ///
    /// # Panics
    /// When `i` is out of range.
    pub fn move_to(&mut self, i: usize, cell: IVec3) {
        self.leave(self.list[i].cell);
        self.enter(cell);
        self.list[i].cell = cell;
    }

    /// Creature `i`, to change anything but its cell (use [`Creatures::move_to`] for that).
    ///
    /// # Panics
    /// When `i` is out of range.
    pub fn get_mut(&mut self, i: usize) -> &mut Creature {
        &mut self.list[i]
    }

    /// The first living creature at `cell`, in order.
    pub fn at(&self, cell: IVec3) -> Option<usize> {
        if let Some(column) = self.column(cell) {
            debug_assert_eq!(
                usize::from(self.per_column[column]),
                self.list
                    .iter()
                    .filter(|c| c.cell.x == cell.x && c.cell.y == cell.y)
                    .count(),
                "the count of column ({}, {}) is stale: a cell changed without move_to",
                cell.x,
                cell.y
            );
            if self.per_column[column] == 0 {
                return None;
            }
        }
        self.list
            .iter()
            .position(|c| c.cell == cell && c.health > 0)
    }
}

/// The column of `cell` in a world `side` blocks wide (`x + side × y`), when inside it.
fn column_of(side: i32, cell: IVec3) -> Option<usize> {
    let inside = (0..side).contains(&cell.x) && (0..side).contains(&cell.y);
    inside.then(|| (cell.x + side * cell.y) as usize)
}

impl std::ops::Deref for Creatures {
    type Target = [Creature];

    fn deref(&self) -> &[Creature] {
        &self.list
    }
}

/// The creatures alone: the per-column counts follow from them.
impl std::fmt::Debug for Creatures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(&self.list).finish()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic
    use super::*;
    use crate::creatures::Kind;
    use rand::{Rng, SeedableRng};

    /// The first living creature at `cell`, by a pass over all of them.
    fn searched(creatures: &Creatures, cell: IVec3) -> Option<usize> {
        creatures
            .iter()
            .position(|c| c.cell == cell && c.health > 0)
    }

    #[test]
    fn lookups_agree_with_a_search_through_every_change() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        let mut creatures = Creatures::new(8);
        let cell = |rng: &mut rand_chacha::ChaCha8Rng| {
            IVec3::new(rng.random_range(-1..9), rng.random_range(-1..9), 3)
        };
        for change in 0..5_000 {
            match rng.random_range(0..6) {
                0 | 1 => creatures.push(Creature::new(Kind::Cow, cell(&mut rng))),
                2 if !creatures.is_empty() => {
                    let i = rng.random_range(0..creatures.len());
                    let to = cell(&mut rng);
                    creatures.move_to(i, to);
                }
                3 if !creatures.is_empty() => {
                    let i = rng.random_range(0..creatures.len());
                    creatures.get_mut(i).health = 0;
                }
                4 if !creatures.is_empty() => {
                    let _ = creatures.remove(rng.random_range(0..creatures.len()));
                }
                5 => creatures.retain_alive(),
                _ => {}
            }
            for _ in 0..4 {
                let probe = cell(&mut rng);
                assert_eq!(creatures.at(probe), searched(&creatures, probe), "{change}");
            }
        }
        creatures.clear();
        assert!(creatures.is_empty());
        assert_eq!(creatures.at(IVec3::new(1, 1, 3)), None);
    }
}
