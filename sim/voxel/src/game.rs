//! One episode of the voxel world: the blocks, the agent, the creatures, the time of day,
//! and one step of either action space.
//!
//! A *world step* is one Crafter step: the agent's action, its life statistics, every
//! creature within Crafter's update distance (L1 < 18), and every tenth step the creature
//! balance. In Crafter's action space each action is one world step. In the MineRL space an
//! action is one 20 Hz tick of movement, camera and block breaking, and the world steps once
//! every [`TICKS_PER_WORLD_STEP`] ticks (creatures would otherwise move four times faster
//! than a walking player); thirst, fatigue and hunger stay off there (a Minecraft player has
//! neither thirst nor fatigue, and a STEVE-1 episode of 150 s never starves), and the day
//! lasts Minecraft's 24,000 ticks instead of Crafter's 300 steps.
//!
//! Every random draw comes from the episode's one ChaCha8 stream, in a fixed order, so a
//! seed and an action sequence give the same episode on any machine and thread count.

use crate::block::Block;
use crate::creatures::{
    self, Creature, Kind, can_stand, distance, random_dir, step_target, toward,
};
use crate::herd::Creatures;
use crate::items::{FURNACE_STONE, Item, TABLE_WOOD, recipe};
use crate::player::{CRAFTER_CAP, MINERL_CAP, Player};
use crate::terrain::Spawn;
use crate::world::{CHUNK, World};
use glam::{IVec2, IVec3, Vec3};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use waymark_core::{CrafterAction, MineRlInput, VoxelActionSpace};

/// MineRL ticks per world step.
pub const TICKS_PER_WORLD_STEP: u32 = 5;
/// Chunks are generated this far (blocks) around the agent: the renderer's view distance.
pub const GENERATE_RADIUS: i32 = crate::render::VIEW_DISTANCE_M as i32;
/// Creatures within this L1 distance of the agent move (Crafter: twice its 9-cell view).
const UPDATE_DISTANCE: i32 = 18;

/// How an episode's world is made.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GameConfig {
    /// The world seed.
    pub seed: u64,
    /// The world's side in chunks (8: 128 × 128 blocks).
    pub size_chunks: u32,
    /// The action space.
    pub action_space: VoxelActionSpace,
}

/// One episode in progress.
#[derive(Clone, Debug)]
pub struct Game {
    /// The blocks.
    pub world: World,
    /// The agent.
    pub player: Player,
    /// The creatures, in the order they appeared.
    pub creatures: Creatures,
    space: VoxelActionSpace,
    rng: ChaCha8Rng,
    /// Actions taken.
    pub steps: u32,
    /// World steps taken.
    pub world_steps: u32,
    /// Daylight, 0–1.
    pub daylight: f32,
    /// Blocks broken this episode, by block code.
    pub broken: [u32; Block::ALL.len()],
    /// The creature balance's counts per chunk and kind, kept to reuse their memory.
    balance_counts: Vec<[usize; 3]>,
}

impl Game {
    /// A new episode, the agent on the spawn column. In Crafter's action space the whole
    /// world is generated now, with its creatures, as Crafter generates its whole map at reset
    /// (and its creature balance then covers every chunk from the first step, as Crafter's
    /// does); in the MineRL space only the chunks around the spawn, the rest as the agent
    /// comes near them, as Minecraft does.
    pub fn new(config: GameConfig) -> Self {
        let mut world = World::new(config.seed, config.size_chunks);
        let world_side = world.size_blocks();
        let (sx, sy) = world.spawn_column();
        let spawns = match config.action_space {
            VoxelActionSpace::Crafter => {
                world.ensure_around(IVec3::new(world_side / 2, world_side / 2, 0), world_side)
            }
            VoxelActionSpace::Minerl => world.ensure_around(IVec3::new(sx, sy, 0), GENERATE_RADIUS),
        };
        let z = world.top_solid_z(sx, sy) + 1;
        let feet = Vec3::new(sx as f32 + 0.5, sy as f32 + 0.5, z as f32);
        let mut game = Self {
            world,
            player: Player::new(feet),
            creatures: Creatures::new(world_side),
            space: config.action_space,
            rng: ChaCha8Rng::seed_from_u64(config.seed ^ 0x5EED_C4AF_7E00),
            steps: 0,
            world_steps: 0,
            daylight: 0.0,
            broken: [0; Block::ALL.len()],
            balance_counts: Vec::new(),
        };
        if game.space == VoxelActionSpace::Crafter {
            game.player.pitch_deg = CRAFTER_PITCH_DEG;
        }
        game.add_spawns(spawns);
        game.update_daylight();
        game
    }

    /// The action space.
    pub fn action_space(&self) -> VoxelActionSpace {
        self.space
    }

    /// Whether the agent died.
    pub fn dead(&self) -> bool {
        self.player.health <= 0
    }

    /// The cap on item counts in this action space.
    pub(crate) fn cap(&self) -> u32 {
        match self.space {
            VoxelActionSpace::Crafter => CRAFTER_CAP,
            VoxelActionSpace::Minerl => MINERL_CAP,
        }
    }

    pub(crate) fn uniform(&mut self) -> f64 {
        self.rng.random::<f64>()
    }

    fn add_spawns(&mut self, spawns: Vec<(Spawn, IVec3)>) {
        for (spawn, cell) in spawns {
            let kind = match spawn {
                Spawn::Cow => Kind::Cow,
                Spawn::Zombie => Kind::Zombie,
                Spawn::Skeleton => Kind::Skeleton,
            };
            if !self.occupied(cell) {
                self.creatures.push(Creature::new(kind, cell));
            }
        }
    }

    /// Generates the chunks the agent now comes near (and their creatures); nothing once the
    /// whole world is generated.
    fn generate_near_player(&mut self) {
        if self.world.fully_generated() {
            return;
        }
        let spawns = self
            .world
            .ensure_around(self.player.cell(), GENERATE_RADIUS);
        if !spawns.is_empty() {
            self.add_spawns(spawns);
        }
    }

    /// Whether the agent or a creature occupies `cell`.
    pub fn occupied(&self, cell: IVec3) -> bool {
        self.player.cell() == cell || self.creature_at(cell).is_some()
    }

    /// The index of the creature at `cell`.
    pub fn creature_at(&self, cell: IVec3) -> Option<usize> {
        self.creatures.at(cell)
    }

    /// Crafter's day: `1 − |cos(π · (t / 300 mod 1 + 0.3))|³`, with Minecraft's day length
    /// in the MineRL space.
    fn update_daylight(&mut self) {
        let day = match self.space {
            VoxelActionSpace::Crafter => 300.0,
            VoxelActionSpace::Minerl => 24_000.0 / f64::from(TICKS_PER_WORLD_STEP),
        };
        let progress = (f64::from(self.world_steps) / day) % 1.0 + 0.3;
        self.daylight = (1.0 - (std::f64::consts::PI * progress).cos().abs().powi(3)) as f32;
    }

    /// One of Crafter's actions.
    pub fn step_crafter(&mut self, action: CrafterAction) {
        self.steps += 1;
        self.world_steps += 1;
        self.update_daylight();
        self.player_update_crafter(action);
        self.player_vitals(true);
        self.update_creatures();
        if self.world_steps.is_multiple_of(10) {
            self.balance();
        }
        self.generate_near_player();
    }

    /// One MineRL tick.
    pub fn step_minerl(&mut self, input: &MineRlInput) {
        self.steps += 1;
        crate::minerl::tick(self, input);
        if self.steps.is_multiple_of(TICKS_PER_WORLD_STEP) {
            self.world_steps += 1;
            self.update_daylight();
            self.player_vitals(false);
            self.update_creatures();
            if self.world_steps.is_multiple_of(10) {
                self.balance();
            }
        }
        self.generate_near_player();
    }

    /// The end of the agent's update: life statistics (Crafter space only), health, clamping,
    /// waking when hurt.
    fn player_vitals(&mut self, life_stats: bool) {
        if life_stats {
            self.player.update_life_stats();
            self.player.degen_or_regen_health();
        }
        self.player.clamp_vitals();
        let cap = self.cap();
        for item in Item::ALL {
            let n = self.player.inventory.count(item);
            if n > cap {
                let _ = self.player.inventory.take(item, n - cap);
            }
        }
        self.player.wake_up_when_hurt();
    }

    /// The cell Crafter's `do` and `place` act on: the creature or block faced at the
    /// feet, else a block faced at head height, else the water or grass in front below.
    pub fn crafter_target(&self) -> IVec3 {
        let front = self.player.cell() + self.player.facing.extend(0);
        let feet = self.world.block(front);
        if self.creature_at(front).is_some() || feet.is_targetable() || feet.is_fluid() {
            return front;
        }
        let head = front + IVec3::Z;
        if self.world.block(head).is_targetable() {
            return head;
        }
        let ground = front - IVec3::Z;
        if matches!(self.world.block(ground), Block::Water | Block::Grass) {
            return ground;
        }
        front
    }

    fn player_update_crafter(&mut self, action: CrafterAction) {
        let mut action = action;
        if self.player.sleeping {
            if self.player.energy < 9 {
                action = CrafterAction::Sleep;
            } else {
                self.player.sleeping = false;
                self.player.achieve("wake_up");
            }
        }
        match action {
            CrafterAction::Noop => {}
            CrafterAction::MoveLeft => self.crafter_move(IVec2::new(-1, 0)),
            CrafterAction::MoveRight => self.crafter_move(IVec2::new(1, 0)),
            CrafterAction::MoveUp => self.crafter_move(IVec2::new(0, 1)),
            CrafterAction::MoveDown => self.crafter_move(IVec2::new(0, -1)),
            CrafterAction::Do => {
                let target = self.crafter_target();
                match self.creature_at(target) {
                    Some(i) => self.hit_creature(i),
                    None => self.collect(target),
                }
            }
            CrafterAction::Sleep => {
                if self.player.energy < 9 {
                    self.player.sleeping = true;
                }
            }
            CrafterAction::PlaceStone => self.place(Item::Stone),
            CrafterAction::PlaceTable => self.place(Item::Table),
            CrafterAction::PlaceFurnace => self.place(Item::Furnace),
            CrafterAction::PlacePlant => self.place(Item::Sapling),
            CrafterAction::MakeWoodPickaxe => {
                self.make(Item::WoodPickaxe);
            }
            CrafterAction::MakeStonePickaxe => {
                self.make(Item::StonePickaxe);
            }
            CrafterAction::MakeIronPickaxe => {
                self.make(Item::IronPickaxe);
            }
            CrafterAction::MakeWoodSword => {
                self.make(Item::WoodSword);
            }
            CrafterAction::MakeStoneSword => {
                self.make(Item::StoneSword);
            }
            CrafterAction::MakeIronSword => {
                self.make(Item::IronSword);
            }
        }
    }

    /// Crafter's `_move`: face `dir` and walk one block if free; lava kills.
    fn crafter_move(&mut self, dir: IVec2) {
        self.player.facing = dir;
        self.player.yaw_deg = yaw_of(dir);
        let from = self.player.cell();
        if let Some(to) = step_target(&self.world, from, dir, true)
            && self.creature_at(to).is_none()
        {
            self.player.position_m = to.as_vec3() + Vec3::new(0.5, 0.5, 0.0);
        }
        if self.world.block(self.player.cell()) == Block::Lava {
            self.player.health = 0;
        }
    }

    /// Crafter's `_do_object`: hit a creature with the best sword, eat a ripe plant.
    pub(crate) fn hit_creature(&mut self, i: usize) {
        let damage = self.player.damage();
        let creature = self.creatures.get_mut(i);
        match creature.kind {
            Kind::Plant => {
                if creature.ripe() {
                    creature.grown = 0;
                    self.player.food += 4;
                    self.player.achieve("eat_plant");
                }
            }
            Kind::Zombie | Kind::Skeleton | Kind::Cow => {
                creature.health -= damage;
                if creature.health <= 0 {
                    match creature.kind {
                        Kind::Zombie => self.player.achieve("defeat_zombie"),
                        Kind::Skeleton => self.player.achieve("defeat_skeleton"),
                        _ => {
                            self.player.food += 6;
                            self.player.achieve("eat_cow");
                            self.player.hunger = 0.0;
                        }
                    }
                }
            }
            Kind::Arrow => {}
        }
    }

    /// Crafter's `_do_material` on the block at `cell`: drink water; collect wood, stone,
    /// coal, iron and diamond with the pickaxe each needs (the block becomes air: Crafter's
    /// path, or grass where a tree stood); a sapling from grass one time in ten.
    fn collect(&mut self, cell: IVec3) {
        let block = self.world.block(cell);
        if block == Block::Water {
            self.player.thirst = 0.0;
        }
        let (require, receive, leaves, probability): (Option<Item>, Item, Option<Block>, f64) =
            match block {
                Block::Log => (None, Item::Wood, Some(Block::Air), 1.0),
                Block::Stone => (Some(Item::WoodPickaxe), Item::Stone, Some(Block::Air), 1.0),
                Block::CoalOre => (Some(Item::WoodPickaxe), Item::Coal, Some(Block::Air), 1.0),
                Block::IronOre => (Some(Item::StonePickaxe), Item::Iron, Some(Block::Air), 1.0),
                Block::DiamondOre => (
                    Some(Item::IronPickaxe),
                    Item::Diamond,
                    Some(Block::Air),
                    1.0,
                ),
                Block::Water => {
                    // Crafter's `receive: {drink: 1}`: drink is a vital, not an item.
                    self.player.drink += 1;
                    self.player.achieve("collect_drink");
                    return;
                }
                Block::Grass | Block::TallGrass | Block::Flower => (None, Item::Sapling, None, 0.1),
                _ => return,
            };
        if require.is_some_and(|tool| self.player.inventory.count(tool) < 1) {
            return;
        }
        if let Some(leaves) = leaves {
            self.world.set_block(cell, leaves);
            self.broken[block as usize] += 1;
        }
        if self.uniform() <= probability {
            let cap = self.cap();
            self.player.inventory.add(receive, 1, cap);
            self.player.achieve(&format!("collect_{}", receive.name()));
        }
    }

    /// Crafter's `_place` of `item` at the faced cell.
    fn place(&mut self, item: Item) {
        let front = self.player.cell() + self.player.facing.extend(0);
        if self.creature_at(front).is_some() {
            return;
        }
        let at = self.world.block(front);
        let below = self.world.block(front - IVec3::Z);
        let free = at.is_replaceable() && !at.is_fluid();
        let (cell, cost) = match item {
            Item::Stone => {
                let cell = if at.is_fluid() || at == Block::Lava {
                    front
                } else if free && below.is_fluid() {
                    front - IVec3::Z
                } else if free && below.is_solid() {
                    front
                } else {
                    return;
                };
                (cell, 1)
            }
            Item::Table | Item::Furnace => {
                if !(free
                    && below.is_solid()
                    && matches!(
                        below,
                        Block::Grass | Block::Sand | Block::Stone | Block::Dirt
                    ))
                {
                    return;
                }
                (
                    front,
                    if item == Item::Table {
                        TABLE_WOOD
                    } else {
                        FURNACE_STONE
                    },
                )
            }
            Item::Sapling => {
                if !(free && below == Block::Grass) {
                    return;
                }
                (front, 1)
            }
            _ => return,
        };
        let uses = match item {
            Item::Table => Item::Wood,
            Item::Furnace => Item::Stone,
            other => other,
        };
        if !self.player.inventory.take(uses, cost) {
            return;
        }
        match item {
            Item::Sapling => {
                self.creatures.push(Creature::new(Kind::Plant, cell));
                self.player.achieve("place_plant");
            }
            Item::Stone => {
                self.world.set_block(cell, Block::Stone);
                self.player.achieve("place_stone");
            }
            Item::Table => {
                self.world.set_block(cell, Block::Table);
                self.player.achieve("place_table");
            }
            _ => {
                self.world.set_block(cell, Block::Furnace);
                self.player.achieve("place_furnace");
            }
        }
    }

    /// Whether a block of kind `block` is within Crafter's crafting distance (the 3 × 3
    /// columns around the agent, from the block below its feet to its head).
    pub fn nearby(&self, block: Block) -> bool {
        let c = self.player.cell();
        (-1..=1).any(|dz| {
            (-1..=1)
                .any(|dy| (-1..=1).any(|dx| self.world.block(c + IVec3::new(dx, dy, dz)) == block))
        })
    }

    /// Crafter's `_make`: a tool from its recipe, next to a table (and a furnace).
    pub(crate) fn make(&mut self, item: Item) -> bool {
        let Some(recipe) = recipe(item) else {
            return false;
        };
        if !self.nearby(Block::Table) || recipe.furnace && !self.nearby(Block::Furnace) {
            return false;
        }
        if !self.player.inventory.has_all(recipe.uses) {
            return false;
        }
        for &(used, n) in recipe.uses {
            let _ = self.player.inventory.take(used, n);
        }
        let cap = self.cap();
        self.player.inventory.add(item, 1, cap);
        self.player.achieve(&format!("make_{}", item.name()));
        true
    }

    /// Moves creature `i` one block along `dir` when it can; returns whether it moved.
    fn move_creature(&mut self, i: usize, dir: IVec2) -> bool {
        if dir == IVec2::ZERO {
            return false;
        }
        let from = self.creatures[i].cell;
        let Some(to) = step_target(&self.world, from, dir, false) else {
            return false;
        };
        if self.occupied(to) {
            return false;
        }
        self.creatures.move_to(i, to);
        true
    }

    /// Updates every creature within [`UPDATE_DISTANCE`] of the agent, in order, and
    /// removes the dead.
    fn update_creatures(&mut self) {
        let me = self.player.cell();
        let mut i = 0;
        let mut updated = false;
        // Most creatures are far and alive: a tight scan finds the next one that is not.
        while let Some(skip) = self.creatures[i..]
            .iter()
            .position(|c| c.health <= 0 || near(c.cell, me))
        {
            i += skip;
            if self.creatures[i].health <= 0 {
                self.creatures.remove(i);
                continue;
            }
            updated = true;
            match self.creatures[i].kind {
                Kind::Cow => self.update_cow(i),
                Kind::Zombie => self.update_zombie(i),
                Kind::Skeleton => self.update_skeleton(i),
                Kind::Arrow => self.update_arrow(i),
                Kind::Plant => self.update_plant(i),
            }
            i += 1;
        }
        // Only an update hurts a creature during the scan (the dead it met are gone).
        if updated {
            self.creatures.retain_alive();
        }
    }

    fn update_cow(&mut self, i: usize) {
        if self.uniform() < 0.5 {
            let dir = random_dir(&mut self.rng);
            self.move_creature(i, dir);
        }
    }

    fn update_zombie(&mut self, i: usize) {
        let me = self.player.cell();
        let dist = distance(self.creatures[i].cell, me);
        if dist <= 8 && self.uniform() < 0.9 {
            let long = self.uniform() < 0.8;
            let dir = toward(self.creatures[i].cell, me, long);
            self.move_creature(i, dir);
        } else {
            let dir = random_dir(&mut self.rng);
            self.move_creature(i, dir);
        }
        let dist = distance(self.creatures[i].cell, me);
        if dist <= 1 {
            let zombie = self.creatures.get_mut(i);
            if zombie.cooldown > 0 {
                zombie.cooldown -= 1;
            } else {
                zombie.cooldown = 5;
                self.player.health -= if self.player.sleeping { 7 } else { 2 };
            }
        }
    }

    fn update_skeleton(&mut self, i: usize) {
        let me = self.player.cell();
        let sk = self.creatures.get_mut(i);
        sk.cooldown = (sk.cooldown - 1).max(0);
        let cell = sk.cell;
        let dist = distance(cell, me);
        if dist <= 3 {
            let long = self.uniform() < 0.6;
            if self.move_creature(i, -toward(cell, me, long)) {
                return;
            }
        }
        if dist <= 5 && self.uniform() < 0.5 {
            self.shoot(i, toward(cell, me, true));
        } else if dist <= 8 && self.uniform() < 0.3 {
            let long = self.uniform() < 0.6;
            self.move_creature(i, toward(cell, me, long));
        } else if self.uniform() < 0.2 {
            let dir = random_dir(&mut self.rng);
            self.move_creature(i, dir);
        }
    }

    fn shoot(&mut self, i: usize, dir: IVec2) {
        if self.creatures[i].cooldown > 0 || dir == IVec2::ZERO {
            return;
        }
        let at = self.creatures[i].cell + dir.extend(0);
        let block = self.world.block(at);
        if !block.is_solid() && !self.occupied(at) {
            let mut arrow = Creature::new(Kind::Arrow, at);
            arrow.facing = dir;
            self.creatures.push(arrow);
            self.creatures.get_mut(i).cooldown = 4;
        }
    }

    fn update_arrow(&mut self, i: usize) {
        let arrow = self.creatures[i].clone();
        let target = arrow.cell + arrow.facing.extend(0);
        if self.player.cell() == target {
            self.player.health -= 2;
            self.creatures.get_mut(i).health = 0;
        } else if let Some(j) = self.creature_at(target) {
            self.creatures.get_mut(j).health -= 2;
            self.creatures.get_mut(i).health = 0;
        } else {
            let block = self.world.block(target);
            if block.is_solid() {
                if matches!(block, Block::Table | Block::Furnace) {
                    self.world.set_block(target, Block::Air);
                }
                self.creatures.get_mut(i).health = 0;
            } else {
                self.creatures.move_to(i, target);
            }
        }
    }

    fn update_plant(&mut self, i: usize) {
        let cell = self.creatures[i].cell;
        self.creatures.get_mut(i).grown += 1;
        let eaten = creatures::DIRECTIONS.iter().any(|d| {
            self.creature_at(cell + d.extend(0)).is_some_and(|j| {
                matches!(
                    self.creatures[j].kind,
                    Kind::Zombie | Kind::Skeleton | Kind::Cow
                )
            })
        });
        if eaten {
            self.creatures.get_mut(i).health -= 1;
        }
    }

    /// Crafter's `_balance_chunk` over every generated chunk: zombies on grass (more at
    /// night), skeletons in tunnels, cows on grass, spawned away from the agent and
    /// despawned when too many.
    fn balance(&mut self) {
        // The agent does not move during the balance.
        let me = self.player.cell();
        let light = f64::from(self.daylight);
        // Crafter compares the counts with `int(target)`: the targets truncated once here.
        let zombies_max = (3.5 - 3.0 * light).trunc();
        let cows_max = (1.5 + light).trunc();
        // Creatures per chunk and kind (0 zombie, 1 skeleton, 2 cow), kept current as the
        // balance adds and removes them.
        let side = self.world.size_blocks() >> 4;
        let mut counts = std::mem::take(&mut self.balance_counts);
        counts.clear();
        counts.resize((side * side) as usize, [0; 3]);
        for c in self.creatures.iter() {
            if let Some(k) = balance_kind_index(c.kind) {
                counts[chunk_slot(c.cell, side)][k] += 1;
            }
        }
        // Every generated chunk, in slot order.
        for (slot, count) in counts.iter_mut().enumerate() {
            let Some(stats) = self.world.chunk_stats(slot) else {
                continue;
            };
            let (cx, cy) = (slot as i32 % side, slot as i32 / side);
            let grass = f64::from(stats.grass);
            let tunnels = f64::from(stats.tunnels);
            let plans = [
                BalancePlan {
                    kind: Kind::Zombie,
                    spawn_dist: 6,
                    despawn_dist: 0,
                    spawn_prob: 0.3,
                    despawn_prob: 0.4,
                    target_min: if grass < 50.0 { 0.0 } else { zombies_max },
                    target_max: zombies_max,
                },
                BalancePlan {
                    kind: Kind::Skeleton,
                    spawn_dist: 7,
                    despawn_dist: 7,
                    spawn_prob: 0.1,
                    despawn_prob: 0.1,
                    target_min: if tunnels < 6.0 { 0.0 } else { 1.0 },
                    target_max: 2.0,
                },
                BalancePlan {
                    kind: Kind::Cow,
                    spawn_dist: 5,
                    despawn_dist: 5,
                    spawn_prob: 0.01,
                    despawn_prob: 0.1,
                    target_min: if grass < 30.0 { 0.0 } else { 1.0 },
                    target_max: cows_max,
                },
            ];
            for (k, plan) in plans.iter().enumerate() {
                let change = self.balance_kind((cx, cy), me, count[k], plan);
                count[k] = count[k].saturating_add_signed(change);
            }
        }
        self.balance_counts = counts;
    }

    /// Crafter's `_balance_object` for one kind in one chunk holding `present` of them;
    /// returns the change in their number (+1 spawned, −1 despawned, 0).
    fn balance_kind(
        &mut self,
        (cx, cy): (i32, i32),
        me: IVec3,
        present: usize,
        plan: &BalancePlan,
    ) -> isize {
        let &BalancePlan {
            kind,
            spawn_dist,
            despawn_dist,
            spawn_prob,
            despawn_prob,
            target_min,
            target_max,
        } = plan;
        if (present as f64) < target_min && self.uniform() < spawn_prob {
            let cell = match kind {
                Kind::Skeleton => {
                    let cells = self.world.tunnel_cells(cx, cy);
                    if cells.is_empty() {
                        return 0;
                    }
                    let pick = self.rng.random_range(0..cells.len());
                    cells[pick]
                }
                _ => {
                    let x = cx * CHUNK + self.rng.random_range(0..CHUNK);
                    let y = cy * CHUNK + self.rng.random_range(0..CHUNK);
                    let z = self.world.top_solid_z(x, y);
                    if self.world.block(IVec3::new(x, y, z)) != Block::Grass {
                        return 0;
                    }
                    IVec3::new(x, y, z + 1)
                }
            };
            // The cheapest test first (all three are pure): the scan over every creature last.
            if distance(me, cell) >= spawn_dist
                && can_stand(&self.world, cell)
                && !self.occupied(cell)
            {
                self.creatures.push(Creature::new(kind, cell));
                return 1;
            }
        } else if (present as f64) > target_max && self.uniform() < despawn_prob {
            let side = self.world.size_blocks() >> 4;
            let slot = (cx + side * cy) as usize;
            // `present` counts this chunk's creatures of the kind, so the pick is the n-th of
            // them in creature order, found without listing them all.
            if present == 0 {
                return 0;
            }
            let nth = self.rng.random_range(0..present);
            let Some(pick) = (0..self.creatures.len())
                .filter(|&i| {
                    self.creatures[i].kind == kind
                        && chunk_slot(self.creatures[i].cell, side) == slot
                })
                .nth(nth)
            else {
                return 0;
            };
            if distance(me, self.creatures[pick].cell) >= despawn_dist {
                self.creatures.remove(pick);
                return -1;
            }
        }
        0
    }
}

/// Whether `cell` is within [`UPDATE_DISTANCE`] of the agent at `me`: most creatures are
/// farther along x alone, which one comparison tells.
#[inline]
fn near(cell: IVec3, me: IVec3) -> bool {
    (cell.x - me.x).abs() < UPDATE_DISTANCE && distance(cell, me) < UPDATE_DISTANCE
}

/// Crafter's balance of one kind in one chunk: the distances from the agent at which it
/// spawns and despawns, the chances of each per balance, and the target range of its number
/// (whole numbers: Crafter's targets truncated).
struct BalancePlan {
    kind: Kind,
    spawn_dist: i32,
    despawn_dist: i32,
    spawn_prob: f64,
    despawn_prob: f64,
    target_min: f64,
    target_max: f64,
}

/// The balance's index of a kind it counts (0 zombie, 1 skeleton, 2 cow).
fn balance_kind_index(kind: Kind) -> Option<usize> {
    match kind {
        Kind::Zombie => Some(0),
        Kind::Skeleton => Some(1),
        Kind::Cow => Some(2),
        Kind::Arrow | Kind::Plant => None,
    }
}

/// The slot of the chunk holding `cell` in a world `side` chunks wide.
fn chunk_slot(cell: IVec3, side: i32) -> usize {
    ((cell.x >> 4).clamp(0, side - 1) + side * (cell.y >> 4).clamp(0, side - 1)) as usize
}

/// The camera pitch of the Crafter action space's first-person view: looking a little down
/// at the ground in front, as Crafter's top-down view shows it.
pub const CRAFTER_PITCH_DEG: f32 = -20.0;

/// The yaw of a grid direction.
pub fn yaw_of(dir: IVec2) -> f32 {
    match (dir.x, dir.y) {
        (1, _) => 90.0,
        (-1, _) => 270.0,
        (_, -1) => 180.0,
        _ => 0.0,
    }
}
