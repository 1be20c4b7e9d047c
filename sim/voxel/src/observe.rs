//! What the agent perceives: the observation, the things around it, its surroundings in
//! words, the first-person render, and (for privileged planners) the blocks around it.

use crate::block::Block;
use crate::creatures::Kind;
use crate::game::Game;
use crate::minerl::{HOTBAR, block_in_view};
use crate::render::{Body, Camera, Frame, Lighting, RenderError, render};
use glam::{IVec3, Vec3};
use std::collections::BTreeMap;
use waymark_core::{
    BlockInView, LocalBlocks, NearbyThing, Vitals, VoxelActionSpace, VoxelObservation,
    VoxelPrivileged,
};

/// How far [`nearby`] looks, blocks.
pub const NEARBY_RADIUS: i32 = 12;
/// The half-size of the privileged block box: ±16 horizontally, ±8 vertically.
pub const LOCAL_HALF: [i32; 3] = [16, 16, 8];

/// Blocks worth naming in [`nearby`], in the order texts list kinds at equal distance.
const NOTABLE: [Block; 12] = [
    Block::Log,
    Block::Water,
    Block::Stone,
    Block::CoalOre,
    Block::IronOre,
    Block::DiamondOre,
    Block::Table,
    Block::Furnace,
    Block::Sand,
    Block::TallGrass,
    Block::Flower,
    Block::Lava,
];

/// The creatures' box colours in renders.
fn body_rgb(kind: Kind) -> [u8; 3] {
    match kind {
        Kind::Cow => [92, 64, 40],
        Kind::Zombie => [60, 120, 70],
        Kind::Skeleton => [200, 200, 196],
        Kind::Arrow => [120, 90, 60],
        Kind::Plant => [70, 170, 50],
    }
}

/// The creatures as boxes for the renderer.
pub fn bodies(game: &Game) -> Vec<Body> {
    game.creatures
        .iter()
        .map(|c| {
            let base = c.cell.as_vec3();
            let (inset, height) = match c.kind {
                Kind::Cow => (0.1, 1.3),
                Kind::Zombie | Kind::Skeleton => (0.2, 1.8),
                Kind::Arrow => (0.4, 0.2),
                Kind::Plant => (0.3, if c.ripe() { 0.8 } else { 0.4 }),
            };
            let lift = if c.kind == Kind::Arrow { 0.8 } else { 0.0 };
            Body {
                min_m: base + Vec3::new(inset, inset, lift),
                max_m: base + Vec3::new(1.0 - inset, 1.0 - inset, lift + height),
                rgb: body_rgb(c.kind),
            }
        })
        .collect()
}

/// The agent's first-person camera with horizontal field of view `hfov_deg`.
pub fn camera(game: &Game, hfov_deg: f32) -> Camera {
    Camera {
        eye_m: game.player.eye_m(),
        yaw_deg: game.player.yaw_deg,
        pitch_deg: game.player.pitch_deg,
        hfov_deg,
    }
}

/// Whether the agent's eyes are under water.
pub fn underwater(game: &Game) -> bool {
    game.world.block(game.player.eye_m().floor().as_ivec3()) == Block::Water
}

/// Renders the agent's view into `frame`.
pub fn render_view(game: &Game, hfov_deg: f32, frame: &mut Frame) {
    let lighting = Lighting {
        daylight: game.daylight,
        underwater: underwater(game),
    };
    render(
        &game.world,
        &bodies(game),
        &camera(game, hfov_deg),
        lighting,
        frame,
    );
}

/// The view as PNGs (RGB, 16-bit depth in millimetres).
pub fn render_pngs(
    game: &Game,
    width: u32,
    height: u32,
    hfov_deg: f32,
) -> Result<(Vec<u8>, Vec<u8>), RenderError> {
    let mut frame = Frame::new(width, height);
    render_view(game, hfov_deg, &mut frame);
    Ok((frame.rgb_png()?, frame.depth_png_mm()?))
}

/// Whether the block at `cell` shows a face to the air (or water).
fn exposed(game: &Game, cell: IVec3) -> bool {
    [
        IVec3::X,
        -IVec3::X,
        IVec3::Y,
        -IVec3::Y,
        IVec3::Z,
        -IVec3::Z,
    ]
    .iter()
    .any(|&d| !game.world.block(cell + d).is_solid())
}

/// The nearest exposed block of each notable kind and the nearest creature of each kind
/// within [`NEARBY_RADIUS`], nearest first (ties in [`NOTABLE`] order).
pub fn nearby(game: &Game) -> Vec<NearbyThing> {
    let me = game.player.cell();
    let mut best: [Option<(i32, IVec3)>; NOTABLE.len()] = [None; NOTABLE.len()];
    let r = NEARBY_RADIUS;
    for dz in -6..=8 {
        for dy in -r..=r {
            for dx in -r..=r {
                let offset = IVec3::new(dx, dy, dz);
                let d2 = offset.length_squared();
                if d2 > r * r {
                    continue;
                }
                let block = game.world.block(me + offset);
                let Some(k) = NOTABLE.iter().position(|&b| b == block) else {
                    continue;
                };
                if best[k].is_some_and(|(b, _)| b <= d2) || !exposed(game, me + offset) {
                    continue;
                }
                best[k] = Some((d2, offset));
            }
        }
    }
    let mut things: Vec<(i32, usize, NearbyThing)> = best
        .iter()
        .enumerate()
        .filter_map(|(k, b)| {
            b.map(|(d2, offset)| {
                (
                    d2,
                    k,
                    NearbyThing {
                        name: NOTABLE[k].name().into(),
                        offset,
                        distance_m: (d2 as f32).sqrt(),
                    },
                )
            })
        })
        .collect();
    let mut seen_kinds = Vec::new();
    let mut creatures: Vec<_> = game
        .creatures
        .iter()
        .filter(|c| c.health > 0)
        .map(|c| (c.cell - me, c.kind))
        .filter(|(o, _)| o.length_squared() <= r * r)
        .collect();
    creatures.sort_by_key(|(o, _)| o.length_squared());
    for (offset, kind) in creatures {
        if seen_kinds.contains(&kind) {
            continue;
        }
        seen_kinds.push(kind);
        let d2 = offset.length_squared();
        things.push((
            d2,
            NOTABLE.len() + kind as usize,
            NearbyThing {
                name: kind.name().into(),
                offset,
                distance_m: (d2 as f32).sqrt(),
            },
        ));
    }
    things.sort_by_key(|(d2, k, _)| (*d2, *k));
    things.into_iter().map(|(_, _, t)| t).collect()
}

/// A compass word for a horizontal offset.
fn direction_words(offset: IVec3) -> String {
    let mut parts = Vec::new();
    if offset.y > 0 {
        parts.push(format!("{} north", offset.y));
    } else if offset.y < 0 {
        parts.push(format!("{} south", -offset.y));
    }
    if offset.x > 0 {
        parts.push(format!("{} east", offset.x));
    } else if offset.x < 0 {
        parts.push(format!("{} west", -offset.x));
    }
    if offset.z > 0 {
        parts.push(format!("{} up", offset.z));
    } else if offset.z < 0 {
        parts.push(format!("{} down", -offset.z));
    }
    if parts.is_empty() {
        "here".into()
    } else {
        parts.join(", ")
    }
}

/// The compass name of a yaw.
fn facing_word(yaw_deg: f32) -> &'static str {
    const NAMES: [&str; 8] = [
        "north",
        "north-east",
        "east",
        "south-east",
        "south",
        "south-west",
        "west",
        "north-west",
    ];
    NAMES[(((yaw_deg.rem_euclid(360.0) + 22.5) / 45.0) as usize) % 8]
}

/// The surroundings in words, for language-model planners.
pub fn describe(game: &Game, in_view: Option<&BlockInView>, nearby: &[NearbyThing]) -> String {
    let p = &game.player;
    let ground = game.world.block(p.cell() - IVec3::Z);
    let time = if game.daylight > 0.5 { "day" } else { "night" };
    let mut text = format!(
        "It is {time}. You stand on {} facing {}. Health {}/9, food {}/9, drink {}/9, energy {}/9{}.",
        ground.name(),
        facing_word(p.yaw_deg),
        p.health,
        p.food,
        p.drink,
        p.energy,
        if p.sleeping { ", asleep" } else { "" },
    );
    let held: Vec<String> = p
        .inventory
        .held()
        .map(|(i, n)| format!("{} {n}", i.name()))
        .collect();
    text.push_str(&format!(
        "\nInventory: {}.",
        if held.is_empty() {
            "nothing".to_string()
        } else {
            held.join(", ")
        }
    ));
    match in_view {
        Some(v) => text.push_str(&format!(
            "\nIn front of you: {} at {:.1} m.",
            v.block, v.distance_m
        )),
        None => text.push_str("\nIn front of you: nothing within reach."),
    }
    if nearby.is_empty() {
        text.push_str("\nNearby: nothing notable within 12 blocks.");
    } else {
        let items: Vec<String> = nearby
            .iter()
            .map(|t| {
                format!(
                    "{} ({})",
                    t.name.replace('_', " "),
                    direction_words(t.offset)
                )
            })
            .collect();
        text.push_str(&format!("\nNearby: {}.", items.join("; ")));
    }
    text
}

/// The block the agent targets: Crafter space, the faced cell; MineRL space, the view ray's.
pub fn in_view(game: &Game) -> Option<BlockInView> {
    let (cell, distance_m) = match game.action_space() {
        VoxelActionSpace::Crafter => {
            let cell = game.crafter_target();
            let d = (cell.as_vec3() + Vec3::splat(0.5) - game.player.eye_m()).length();
            (cell, d)
        }
        VoxelActionSpace::Minerl => {
            let hit = block_in_view(game)?;
            (hit.cell, hit.distance_m)
        }
    };
    let block = game.world.block(cell);
    (block != Block::Air).then(|| BlockInView {
        block: block.name().into(),
        cell,
        distance_m,
    })
}

/// The blocks and creatures in the privileged box around the agent.
pub fn privileged(game: &Game) -> VoxelPrivileged {
    let [hx, hy, hz] = LOCAL_HALF;
    let origin = game.player.cell() - IVec3::new(hx, hy, hz);
    let size = [2 * hx + 1, 2 * hy + 1, 2 * hz + 1];
    let mut codes = Vec::with_capacity((size[0] * size[1] * size[2]) as usize);
    for z in 0..size[2] {
        for y in 0..size[1] {
            for x in 0..size[0] {
                codes.push(game.world.block(origin + IVec3::new(x, y, z)).code());
            }
        }
    }
    let max = origin + IVec3::from_array(size);
    let creatures = game
        .creatures
        .iter()
        .filter(|c| c.health > 0 && c.cell.cmpge(origin).all() && c.cell.cmplt(max).all())
        .map(|c| (c.kind.name().to_string(), c.cell))
        .collect();
    VoxelPrivileged {
        blocks: LocalBlocks {
            origin,
            size: size.map(|s| s as u32),
            codes,
            names: Block::ALL.iter().map(|b| b.name().to_string()).collect(),
        },
        creatures,
    }
}

/// The observation of `game` in world `world_name`; privileged parts only when asked.
pub fn observation(game: &Game, world_name: &str, with_privileged: bool) -> VoxelObservation {
    let p = &game.player;
    let in_view = in_view(game);
    let nearby = nearby(game);
    let text = describe(game, in_view.as_ref(), &nearby);
    let inventory: BTreeMap<String, u32> = p
        .inventory
        .held()
        .map(|(i, n)| (i.name().to_string(), n))
        .collect();
    VoxelObservation {
        world: world_name.to_string(),
        action_space: game.action_space(),
        step: game.steps,
        position_m: p.position_m,
        yaw_deg: p.yaw_deg,
        pitch_deg: p.pitch_deg,
        vitals: Vitals {
            health: p.health.clamp(0, 9) as u8,
            food: p.food.clamp(0, 9) as u8,
            drink: p.drink.clamp(0, 9) as u8,
            energy: p.energy.clamp(0, 9) as u8,
        },
        inventory,
        selected: (game.action_space() == VoxelActionSpace::Minerl)
            .then(|| HOTBAR[usize::from(p.hotbar.min(8))].name().to_string()),
        achievements: p
            .unlocked
            .iter()
            .map(|&i| crate::items::ACHIEVEMENTS[usize::from(i)].to_string())
            .collect(),
        in_view,
        nearby,
        daylight: game.daylight,
        sleeping: p.sleeping,
        in_water: game.world.block(p.cell()) == Block::Water,
        underwater: underwater(game),
        inventory_open: p.inventory_open,
        text,
        sensors: None,
        privileged: with_privileged.then(|| privileged(game)),
    }
}
