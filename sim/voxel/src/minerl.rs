//! One MineRL tick (20 Hz): camera, walking with Minecraft's speeds, gravity, jumping and
//! swimming against the blocks (an axis-aligned 0.6 × 0.6 × 1.8 m body), breaking the block
//! in view over the ticks its hardness and the held pickaxe ask, hitting creatures, using
//! (placing the selected block, planting, drinking, eating a ripe plant), the inventory
//! screen, hotbar selection and crafting.
//!
//! Drops follow Minecraft where Crafter has nothing to say: grass and dirt give dirt, tall
//! grass gives seeds one time in eight, leaves give a sapling one time in twenty, stone and
//! ores give nothing without the pickaxe Crafter asks for. `craft` makes Crafter's tools by
//! its recipes (a table within reach), and also `table` (Crafter's wood) and `furnace` (its
//! stone) as items to place.

use crate::block::Block;
use crate::game::Game;
use crate::items::{FURNACE_STONE, Item, TABLE_WOOD};
use crate::render::cast_ray;
use glam::{IVec3, Vec3};
use waymark_core::MineRlInput;

/// How far the hand reaches, metres (Minecraft's survival reach).
pub const REACH_M: f32 = 4.5;
const HALF_WIDTH: f32 = 0.3;
const BODY_HEIGHT: f32 = 1.8;
const WALK: f32 = 4.317 / 20.0;
const SPRINT: f32 = 5.612 / 20.0;
const SNEAK: f32 = 1.31 / 20.0;
const GRAVITY: f32 = 0.08;
const DRAG: f32 = 0.98;
const JUMP: f32 = 0.42;
/// Ticks between hits on creatures (Minecraft's attack cooldown of a hand, about 0.5 s).
const HIT_COOLDOWN: u32 = 10;

/// The hotbar: the items slots 1–9 select, in order.
pub const HOTBAR: [Item; 9] = [
    Item::Dirt,
    Item::Stone,
    Item::Wood,
    Item::Sand,
    Item::Table,
    Item::Furnace,
    Item::Sapling,
    Item::Seeds,
    Item::Flower,
];

/// Ticks to break `block` by hand, and the pickaxe that speeds it up (and that stone and
/// ores need to drop anything): Minecraft's hardness × 1.5 s (× 5 without the right tool).
fn break_ticks(block: Block, game: &Game) -> Option<u32> {
    let inv = &game.player.inventory;
    let pick = if inv.count(Item::IronPickaxe) > 0 {
        6.0
    } else if inv.count(Item::StonePickaxe) > 0 {
        4.0
    } else if inv.count(Item::WoodPickaxe) > 0 {
        2.0
    } else {
        1.0
    };
    let seconds = match block {
        Block::Air | Block::Water | Block::Lava | Block::Bedrock => return None,
        Block::TallGrass | Block::Flower => 0.0,
        Block::Leaves => 0.3,
        Block::Grass => 0.9,
        Block::Dirt | Block::Sand => 0.75,
        Block::Log | Block::Table => 3.0,
        Block::Stone | Block::Furnace => 7.5 / pick,
        Block::CoalOre | Block::IronOre | Block::DiamondOre => 15.0 / pick,
    };
    Some(((seconds * 20.0) as u32).max(1))
}

/// One tick of `input`.
pub(crate) fn tick(game: &mut Game, input: &MineRlInput) {
    if input.inventory {
        game.player.inventory_open = !game.player.inventory_open;
    }
    if let Some(slot) = input.hotbar.filter(|s| (1..=9).contains(s)) {
        game.player.hotbar = slot - 1;
    }
    if let Some(name) = &input.craft {
        craft(game, name);
    }
    let p = &mut game.player;
    if p.inventory_open {
        // The inventory screen takes the keys and the mouse, as Minecraft's does.
        physics(game, &MineRlInput::default());
        return;
    }
    let [pitch, yaw] = input.camera;
    if pitch.is_finite() && yaw.is_finite() {
        p.pitch_deg = (p.pitch_deg + pitch).clamp(-90.0, 90.0);
        p.yaw_deg = (p.yaw_deg + yaw).rem_euclid(360.0);
    }
    physics(game, input);
    game.player.attack_cooldown = game.player.attack_cooldown.saturating_sub(1);
    if input.attack {
        attack(game);
    } else {
        game.player.breaking = None;
    }
    if input.use_item {
        use_item(game);
    }
}

/// The first block the view ray meets within reach (fluids let it through).
pub fn block_in_view(game: &Game) -> Option<crate::render::RayHit> {
    cast_ray(
        &game.world,
        game.player.eye_m(),
        game.player.view_dir(),
        REACH_M,
        Block::is_targetable,
    )
}

/// The creature the view ray meets within reach, before any block: its index.
fn creature_in_view(game: &Game) -> Option<usize> {
    let eye = game.player.eye_m();
    let dir = game.player.view_dir();
    let block_dist = block_in_view(game).map_or(REACH_M, |h| h.distance_m);
    let mut best: Option<(f32, usize)> = None;
    for (i, c) in game.creatures.iter().enumerate() {
        let min = c.cell.as_vec3() + Vec3::new(0.1, 0.1, 0.0);
        let max = min + Vec3::new(0.8, 0.8, 1.6);
        if let Some(t) = ray_box(eye, dir, min, max)
            && t <= block_dist
            && best.is_none_or(|(b, _)| t < b)
        {
            best = Some((t, i));
        }
    }
    best.map(|(_, i)| i)
}

/// The slab test: where a ray enters a box, if it does ahead of the origin.
fn ray_box(origin: Vec3, dir: Vec3, min: Vec3, max: Vec3) -> Option<f32> {
    let inv = dir.recip();
    let t0 = (min - origin) * inv;
    let t1 = (max - origin) * inv;
    let near = t0.min(t1).max_element();
    let far = t0.max(t1).min_element();
    (far >= near.max(0.0)).then_some(near.max(0.0))
}

fn attack(game: &mut Game) {
    if let Some(i) = creature_in_view(game) {
        game.player.breaking = None;
        if game.player.attack_cooldown == 0 {
            game.player.attack_cooldown = HIT_COOLDOWN;
            game.hit_creature(i);
        }
        return;
    }
    let Some(hit) = block_in_view(game) else {
        game.player.breaking = None;
        return;
    };
    let block = game.world.block(hit.cell);
    let Some(needed) = break_ticks(block, game) else {
        return;
    };
    let spent = match game.player.breaking {
        Some((cell, ticks)) if cell == hit.cell => ticks + 1,
        _ => 1,
    };
    if spent < needed {
        game.player.breaking = Some((hit.cell, spent));
        return;
    }
    game.player.breaking = None;
    game.world.set_block(hit.cell, Block::Air);
    game.broken[block as usize] += 1;
    let inv = &game.player.inventory;
    let drop = match block {
        Block::Grass | Block::Dirt => Some(Item::Dirt),
        Block::Sand => Some(Item::Sand),
        Block::Log => Some(Item::Wood),
        Block::Flower => Some(Item::Flower),
        Block::Table => Some(Item::Table),
        Block::TallGrass => (game.uniform() < 0.125).then_some(Item::Seeds),
        Block::Leaves => (game.uniform() < 0.05).then_some(Item::Sapling),
        Block::Stone
            if inv.count(Item::WoodPickaxe)
                + inv.count(Item::StonePickaxe)
                + inv.count(Item::IronPickaxe)
                > 0 =>
        {
            Some(Item::Stone)
        }
        Block::Furnace
            if inv.count(Item::WoodPickaxe)
                + inv.count(Item::StonePickaxe)
                + inv.count(Item::IronPickaxe)
                > 0 =>
        {
            Some(Item::Furnace)
        }
        Block::CoalOre
            if inv.count(Item::WoodPickaxe)
                + inv.count(Item::StonePickaxe)
                + inv.count(Item::IronPickaxe)
                > 0 =>
        {
            Some(Item::Coal)
        }
        Block::IronOre if inv.count(Item::StonePickaxe) + inv.count(Item::IronPickaxe) > 0 => {
            Some(Item::Iron)
        }
        Block::DiamondOre if inv.count(Item::IronPickaxe) > 0 => Some(Item::Diamond),
        _ => None,
    };
    if let Some(item) = drop {
        let cap = game.cap();
        game.player.inventory.add(item, 1, cap);
        if matches!(
            item,
            Item::Wood | Item::Stone | Item::Coal | Item::Iron | Item::Diamond | Item::Sapling
        ) {
            game.player.achieve(&format!("collect_{}", item.name()));
        }
    }
}

fn use_item(game: &mut Game) {
    if let Some(i) = creature_in_view(game) {
        if game.creatures[i].kind == crate::creatures::Kind::Plant {
            game.hit_creature(i);
        }
        return;
    }
    let eye = game.player.eye_m();
    let dir = game.player.view_dir();
    let water = cast_ray(&game.world, eye, dir, REACH_M, |b| {
        b != Block::Air && b != Block::Lava
    });
    if let Some(hit) = water.filter(|h| game.world.block(h.cell) == Block::Water) {
        let _ = hit;
        game.player.drink += 1;
        game.player.thirst = 0.0;
        game.player.achieve("collect_drink");
        return;
    }
    let Some(hit) = block_in_view(game) else {
        return;
    };
    let item = HOTBAR[usize::from(game.player.hotbar.min(8))];
    let target = hit.cell + hit.normal;
    if hit.normal == IVec3::ZERO
        || !game.world.block(target).is_replaceable()
        || game.occupied(target)
    {
        return;
    }
    if body_overlaps(game.player.position_m, target) {
        return;
    }
    if item == Item::Sapling {
        if game.world.block(target - IVec3::Z) == Block::Grass
            && game.player.inventory.take(Item::Sapling, 1)
        {
            game.creatures.push(crate::creatures::Creature::new(
                crate::creatures::Kind::Plant,
                target,
            ));
            game.player.achieve("place_plant");
        }
        return;
    }
    let Some(block) = item.block() else {
        return;
    };
    if !game.player.inventory.take(item, 1) {
        return;
    }
    game.world.set_block(target, block);
    match item {
        Item::Stone => game.player.achieve("place_stone"),
        Item::Table => game.player.achieve("place_table"),
        Item::Furnace => game.player.achieve("place_furnace"),
        _ => {}
    }
}

/// `craft`: Crafter's tools by its recipes, or a table or furnace to place.
fn craft(game: &mut Game, name: &str) {
    let Some(item) = Item::from_name(name) else {
        return;
    };
    let cap = game.cap();
    match item {
        Item::Table => {
            if game.player.inventory.take(Item::Wood, TABLE_WOOD) {
                game.player.inventory.add(Item::Table, 1, cap);
            }
        }
        Item::Furnace => {
            if game.nearby(Block::Table) && game.player.inventory.take(Item::Stone, FURNACE_STONE) {
                game.player.inventory.add(Item::Furnace, 1, cap);
            }
        }
        other => {
            let _ = game.make(other);
        }
    }
}

/// Whether the body standing at `feet` overlaps cell `cell`.
fn body_overlaps(feet: Vec3, cell: IVec3) -> bool {
    let min = feet - Vec3::new(HALF_WIDTH, HALF_WIDTH, 0.0);
    let max = feet + Vec3::new(HALF_WIDTH, HALF_WIDTH, BODY_HEIGHT);
    let c = cell.as_vec3();
    min.x < c.x + 1.0
        && max.x > c.x
        && min.y < c.y + 1.0
        && max.y > c.y
        && min.z < c.z + 1.0
        && max.z > c.z
}

/// Whether the body at `feet` overlaps any solid block.
fn collides(game: &Game, feet: Vec3) -> bool {
    let min = (feet - Vec3::new(HALF_WIDTH, HALF_WIDTH, 0.0))
        .floor()
        .as_ivec3();
    let max = (feet + Vec3::new(HALF_WIDTH, HALF_WIDTH, BODY_HEIGHT) - Vec3::splat(1e-4))
        .floor()
        .as_ivec3();
    for z in min.z..=max.z {
        for y in min.y..=max.y {
            for x in min.x..=max.x {
                if game.world.block(IVec3::new(x, y, z)).is_solid() {
                    return true;
                }
            }
        }
    }
    false
}

/// Walking, gravity, jumping and swimming for one tick, resolved axis by axis.
fn physics(game: &mut Game, input: &MineRlInput) {
    let p = &game.player;
    let in_water = game.world.block(p.cell()) == Block::Water
        || game
            .world
            .block((p.position_m + Vec3::Z * 0.9).floor().as_ivec3())
            == Block::Water;
    let speed = if input.sneak {
        SNEAK
    } else if input.sprint {
        SPRINT
    } else {
        WALK
    } * if in_water { 0.5 } else { 1.0 };
    let yaw = p.yaw_deg.to_radians();
    let forward = Vec3::new(yaw.sin(), yaw.cos(), 0.0);
    let right = Vec3::new(yaw.cos(), -yaw.sin(), 0.0);
    let mut wish = Vec3::ZERO;
    if input.forward {
        wish += forward;
    }
    if input.back {
        wish -= forward;
    }
    if input.right {
        wish += right;
    }
    if input.left {
        wish -= right;
    }
    let horizontal = wish.normalize_or_zero() * speed;
    let mut vz = p.velocity.z;
    if in_water {
        vz = if input.jump {
            0.08
        } else if input.sneak {
            -0.08
        } else {
            (vz - 0.02).max(-0.06)
        };
    } else {
        if input.jump && p.on_ground {
            vz = JUMP;
        }
        vz = (vz - GRAVITY) * DRAG;
    }
    let mut pos = p.position_m;
    let mut on_ground = false;
    for (axis, delta) in [(0, horizontal.x), (1, horizontal.y), (2, vz)] {
        if delta == 0.0 {
            continue;
        }
        let mut next = pos;
        next[axis] += delta;
        if collides(game, next) {
            if axis == 2 {
                if delta < 0.0 {
                    on_ground = true;
                    next.z = next.z.floor() + 1.0;
                    if collides(game, next) {
                        next.z = pos.z;
                    }
                } else {
                    next.z = pos.z;
                }
                vz = 0.0;
            } else {
                next = pos;
            }
            if collides(game, next) {
                next = pos;
            }
        }
        pos = next;
    }
    let p = &mut game.player;
    p.position_m = pos;
    p.velocity = Vec3::new(horizontal.x, horizontal.y, vz);
    p.on_ground = on_ground;
    if game.world.block(p.cell()) == Block::Lava {
        p.health = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ray_enters_box_ahead_only() {
        let t = ray_box(
            Vec3::ZERO,
            Vec3::X,
            Vec3::new(2.0, -1.0, -1.0),
            Vec3::new(3.0, 1.0, 1.0),
        );
        assert_eq!(t, Some(2.0));
        assert_eq!(
            ray_box(
                Vec3::ZERO,
                -Vec3::X,
                Vec3::new(2.0, -1.0, -1.0),
                Vec3::new(3.0, 1.0, 1.0)
            ),
            None
        );
    }
}
