//! Crafter's rules in the voxel world, one by one, on a flat arena built by hand: mining with
//! the tool each block needs, placing, crafting near a table and a furnace, every one of the
//! 22 achievements' triggers, the life statistics, MineRL's ticks (breaking, walking, crafting,
//! placing, planting, drinking), and determinism.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use glam::{IVec2, IVec3, Vec3};
use waymark_core::{CrafterAction as A, MineRlInput, VoxelActionSpace};
use waymark_voxel::creatures::{Creature, Kind};
use waymark_voxel::items::{FURNACE_STONE, TABLE_WOOD};
use waymark_voxel::{ACHIEVEMENTS, Block, Game, GameConfig, Item};

/// A game whose agent stands at (20, 20, 30) on a flat grass arena (±6 blocks, air above),
/// facing north, with no creatures.
fn arena(space: VoxelActionSpace) -> Game {
    let mut game = Game::new(GameConfig {
        seed: 5,
        size_chunks: 4,
        action_space: space,
    });
    let _ = game.world.ensure_around(IVec3::new(20, 20, 30), 16);
    for x in 14..=26 {
        for y in 14..=26 {
            for z in 25..=29 {
                game.world.set_block(IVec3::new(x, y, z), Block::Stone);
            }
            game.world.set_block(IVec3::new(x, y, 29), Block::Grass);
            for z in 30..=40 {
                game.world.set_block(IVec3::new(x, y, z), Block::Air);
            }
        }
    }
    game.creatures.clear();
    game.player.position_m = Vec3::new(20.5, 20.5, 30.0);
    game.player.facing = IVec2::new(0, 1);
    game.player.yaw_deg = 0.0;
    game
}

/// The cell in front of the agent at its feet.
fn front(game: &Game) -> IVec3 {
    game.player.cell() + game.player.facing.extend(0)
}

fn has(game: &Game, achievement: &str) -> bool {
    game.player.has(achievement)
}

#[test]
fn wood_is_collected_by_hand_and_the_log_is_gone() {
    let mut g = arena(VoxelActionSpace::Crafter);
    let f = front(&g);
    g.world.set_block(f, Block::Log);
    g.step_crafter(A::Do);
    assert_eq!(g.player.inventory.count(Item::Wood), 1);
    assert_eq!(g.world.block(f), Block::Air);
    assert!(has(&g, "collect_wood"));
}

#[test]
fn stone_coal_iron_diamond_need_their_pickaxes() {
    // Each block with the tools just short of its requirement, then with it.
    for (block, short, tool, item, name) in [
        (
            Block::Stone,
            &[][..],
            Item::WoodPickaxe,
            Item::Stone,
            "collect_stone",
        ),
        (
            Block::CoalOre,
            &[][..],
            Item::WoodPickaxe,
            Item::Coal,
            "collect_coal",
        ),
        (
            Block::IronOre,
            &[Item::WoodPickaxe][..],
            Item::StonePickaxe,
            Item::Iron,
            "collect_iron",
        ),
        (
            Block::DiamondOre,
            &[Item::WoodPickaxe, Item::StonePickaxe][..],
            Item::IronPickaxe,
            Item::Diamond,
            "collect_diamond",
        ),
    ] {
        let mut g = arena(VoxelActionSpace::Crafter);
        let f = front(&g);
        for &t in short {
            g.player.inventory.add(t, 1, 9);
        }
        g.world.set_block(f, block);
        g.step_crafter(A::Do);
        assert_eq!(g.world.block(f), block, "{block:?} without {tool:?} stays");
        assert_eq!(g.player.inventory.count(item), 0);
        assert!(!has(&g, name));
        g.player.inventory.add(tool, 1, 9);
        g.step_crafter(A::Do);
        assert_eq!(
            g.world.block(f),
            Block::Air,
            "{block:?} with {tool:?} is mined"
        );
        assert_eq!(g.player.inventory.count(item), 1);
        assert!(has(&g, name));
    }
}

#[test]
fn drinking_water_in_front_below_raises_drink() {
    let mut g = arena(VoxelActionSpace::Crafter);
    let below = front(&g) - IVec3::Z;
    g.world.set_block(below, Block::Water);
    g.player.drink = 5;
    g.step_crafter(A::Do);
    assert_eq!(g.player.drink, 6);
    assert_eq!(g.world.block(below), Block::Water, "water stays");
    assert!(has(&g, "collect_drink"));
}

#[test]
fn grass_gives_a_sapling_one_time_in_ten_and_stays() {
    let mut g = arena(VoxelActionSpace::Crafter);
    let mut tries = 0;
    while g.player.inventory.count(Item::Sapling) == 0 {
        g.step_crafter(A::Do);
        tries += 1;
        assert!(tries < 200, "no sapling in 200 tries");
    }
    assert_eq!(g.world.block(front(&g) - IVec3::Z), Block::Grass);
    assert!(has(&g, "collect_sapling"));
}

#[test]
fn a_table_costs_crafters_wood_and_tools_need_it_nearby() {
    let mut g = arena(VoxelActionSpace::Crafter);
    g.player.inventory.add(Item::Wood, TABLE_WOOD - 1, 9);
    g.step_crafter(A::PlaceTable);
    assert!(!has(&g, "place_table"), "too little wood");
    g.player.inventory.add(Item::Wood, 1, 9);
    // Tools away from a table: nothing.
    g.step_crafter(A::MakeWoodPickaxe);
    assert!(!has(&g, "make_wood_pickaxe"));
    g.step_crafter(A::PlaceTable);
    assert!(has(&g, "place_table"));
    assert_eq!(g.world.block(front(&g)), Block::Table);
    assert_eq!(g.player.inventory.count(Item::Wood), 0);
    g.player.inventory.add(Item::Wood, 3, 9);
    g.player.inventory.add(Item::Stone, 2, 9);
    for (action, name) in [
        (A::MakeWoodPickaxe, "make_wood_pickaxe"),
        (A::MakeWoodSword, "make_wood_sword"),
        (A::MakeStonePickaxe, "make_stone_pickaxe"),
    ] {
        g.step_crafter(action);
        assert!(has(&g, name), "{name}");
    }
    assert_eq!(g.player.inventory.count(Item::Wood), 0);
    assert_eq!(g.player.inventory.count(Item::Stone), 1);
    // No wood left: the stone sword cannot be made.
    g.step_crafter(A::MakeStoneSword);
    assert!(!has(&g, "make_stone_sword"));
    g.player.inventory.add(Item::Wood, 1, 9);
    g.step_crafter(A::MakeStoneSword);
    assert!(has(&g, "make_stone_sword"));
}

#[test]
fn iron_tools_need_a_furnace_too() {
    let mut g = arena(VoxelActionSpace::Crafter);
    let me = g.player.cell();
    g.world.set_block(me + IVec3::new(1, 0, 0), Block::Table);
    g.player.inventory.add(Item::Wood, 2, 9);
    g.player.inventory.add(Item::Coal, 2, 9);
    g.player.inventory.add(Item::Iron, 2, 9);
    g.step_crafter(A::MakeIronPickaxe);
    assert!(!has(&g, "make_iron_pickaxe"), "no furnace yet");
    g.player.inventory.add(Item::Stone, FURNACE_STONE, 9);
    g.step_crafter(A::PlaceFurnace);
    assert!(has(&g, "place_furnace"));
    assert_eq!(g.player.inventory.count(Item::Stone), 0);
    g.step_crafter(A::MakeIronPickaxe);
    g.step_crafter(A::MakeIronSword);
    assert!(has(&g, "make_iron_pickaxe") && has(&g, "make_iron_sword"));
    assert_eq!(g.player.inventory.count(Item::Iron), 0);
}

#[test]
fn stone_fills_water_and_plants_grow_to_be_eaten() {
    let mut g = arena(VoxelActionSpace::Crafter);
    let f = front(&g);
    g.world.set_block(f - IVec3::Z, Block::Water);
    g.player.inventory.add(Item::Stone, 1, 9);
    g.step_crafter(A::PlaceStone);
    assert!(has(&g, "place_stone"));
    assert_eq!(g.world.block(f - IVec3::Z), Block::Stone);
    // A sapling on grass in front.
    g.player.facing = IVec2::new(1, 0);
    g.player.inventory.add(Item::Sapling, 1, 9);
    g.step_crafter(A::PlacePlant);
    assert!(has(&g, "place_plant"));
    let plant = g
        .creatures
        .iter()
        .position(|c| c.kind == Kind::Plant)
        .unwrap();
    g.step_crafter(A::Do);
    assert!(!has(&g, "eat_plant"), "unripe");
    g.creatures.get_mut(plant).grown = 301;
    g.player.food = 3;
    g.step_crafter(A::Do);
    assert!(has(&g, "eat_plant"));
    assert_eq!(g.player.food, 7);
}

#[test]
fn cows_zombies_and_skeletons_fall_to_enough_hits() {
    for (kind, hits, name) in [
        (Kind::Cow, 3, "eat_cow"),
        (Kind::Zombie, 5, "defeat_zombie"),
        (Kind::Skeleton, 3, "defeat_skeleton"),
    ] {
        let mut g = arena(VoxelActionSpace::Crafter);
        let f = front(&g);
        // Walls keep the creature in front of the agent.
        let me = g.player.cell();
        for d in [
            IVec3::new(-1, 1, 0),
            IVec3::new(1, 1, 0),
            IVec3::new(0, 2, 0),
        ] {
            for z in 0..3 {
                g.world.set_block(me + d + IVec3::Z * z, Block::Stone);
            }
        }
        g.creatures.push(Creature::new(kind, f));
        g.player.health = 9;
        for _ in 0..hits - 1 {
            g.step_crafter(A::Do);
            assert!(!has(&g, name));
        }
        g.step_crafter(A::Do);
        assert!(has(&g, name), "{name}");
        if kind == Kind::Cow {
            assert_eq!(g.player.food, 9);
        }
    }
    // A wood sword deals 2: a cow falls in two hits.
    let mut g = arena(VoxelActionSpace::Crafter);
    let f = front(&g);
    g.creatures.push(Creature::new(Kind::Cow, f));
    g.player.inventory.add(Item::WoodSword, 1, 9);
    assert_eq!(g.player.damage(), 2);
}

#[test]
fn sleeping_restores_energy_and_waking_up_is_an_achievement() {
    let mut g = arena(VoxelActionSpace::Crafter);
    g.player.energy = 7;
    g.step_crafter(A::Sleep);
    assert!(g.player.sleeping);
    let mut steps = 0;
    while !has(&g, "wake_up") {
        g.step_crafter(A::Noop);
        steps += 1;
        assert!(steps < 200, "never woke up");
    }
    assert_eq!(g.player.energy, 9);
    assert!(!g.player.sleeping);
}

#[test]
fn life_statistics_fall_as_crafters_do() {
    let mut g = arena(VoxelActionSpace::Crafter);
    // Drink falls after 21 steps (thirst > 20), food after 26, energy after 31.
    for step in 1..=31 {
        g.step_crafter(A::Noop);
        let (food, drink, energy) = (g.player.food, g.player.drink, g.player.energy);
        assert_eq!(drink, if step >= 21 { 8 } else { 9 }, "drink at {step}");
        assert_eq!(food, if step >= 26 { 8 } else { 9 }, "food at {step}");
        assert_eq!(energy, if step >= 31 { 8 } else { 9 }, "energy at {step}");
    }
}

#[test]
fn every_achievement_has_a_test_above() {
    let source = include_str!("rules.rs");
    for name in ACHIEVEMENTS {
        assert!(source.contains(&format!("\"{name}\"")), "{name} untested");
    }
}

#[test]
fn minerl_breaks_a_log_over_ticks_and_collects_wood() {
    let mut g = arena(VoxelActionSpace::Minerl);
    // A log straight ahead at eye height, 2 blocks north.
    let log = g.player.cell() + IVec3::new(0, 2, 1);
    g.world.set_block(log, Block::Log);
    let attack = MineRlInput {
        attack: true,
        ..Default::default()
    };
    let mut ticks = 0;
    while g.world.block(log) == Block::Log {
        g.step_minerl(&attack);
        ticks += 1;
        assert!(ticks < 200);
    }
    assert_eq!(ticks, 60, "3 s by hand");
    assert_eq!(g.player.inventory.count(Item::Wood), 1);
    assert!(has(&g, "collect_wood"));
}

#[test]
fn minerl_walks_jumps_and_falls() {
    let mut g = arena(VoxelActionSpace::Minerl);
    let start = g.player.position_m;
    let forward = MineRlInput {
        forward: true,
        ..Default::default()
    };
    for _ in 0..10 {
        g.step_minerl(&forward);
    }
    let walked = g.player.position_m.y - start.y;
    assert!(
        (walked - 10.0 * 4.317 / 20.0).abs() < 1e-3,
        "walked {walked}"
    );
    // A one-block step ahead: blocked without jumping, climbed with it.
    let me = g.player.cell();
    g.world.set_block(me + IVec3::new(0, 1, 0), Block::Stone);
    for _ in 0..10 {
        g.step_minerl(&forward);
    }
    assert_eq!(g.player.cell().z, 30, "blocked");
    let jump = MineRlInput {
        forward: true,
        jump: true,
        ..Default::default()
    };
    for _ in 0..15 {
        g.step_minerl(&jump);
    }
    assert_eq!(
        g.player.position_m.z.round() as i32,
        31,
        "climbed onto the step"
    );
}

/// Looks 60° down (the ground one block ahead is then in view) with one MineRL tick.
fn look_down(g: &mut Game) {
    g.step_minerl(&MineRlInput {
        camera: [-60.0, 0.0],
        ..Default::default()
    });
    assert_eq!(g.player.pitch_deg, -60.0);
}

#[test]
fn minerl_crafts_places_a_table_and_makes_a_tool_beside_it() {
    let mut g = arena(VoxelActionSpace::Minerl);
    look_down(&mut g);
    let ahead = g.player.cell() + IVec3::new(0, 1, 0);
    // One wood short of a table: nothing is crafted and nothing is taken.
    g.player.inventory.add(Item::Wood, TABLE_WOOD - 1, 9);
    g.step_minerl(&MineRlInput {
        craft: Some("table".into()),
        ..Default::default()
    });
    assert_eq!(g.player.inventory.count(Item::Table), 0);
    assert_eq!(g.player.inventory.count(Item::Wood), TABLE_WOOD - 1);
    g.player.inventory.add(Item::Wood, 2, 9);
    g.step_minerl(&MineRlInput {
        craft: Some("table".into()),
        ..Default::default()
    });
    assert_eq!(g.player.inventory.count(Item::Table), 1);
    assert_eq!(g.player.inventory.count(Item::Wood), 1);
    // No table nearby yet: the pickaxe is not made.
    g.step_minerl(&MineRlInput {
        craft: Some("wood_pickaxe".into()),
        ..Default::default()
    });
    assert_eq!(g.player.inventory.count(Item::WoodPickaxe), 0);
    // Slot 5 holds the table; use places it on the grass in view, one block ahead.
    g.step_minerl(&MineRlInput {
        hotbar: Some(5),
        use_item: true,
        ..Default::default()
    });
    assert_eq!(g.world.block(ahead), Block::Table);
    assert_eq!(g.player.inventory.count(Item::Table), 0);
    assert!(has(&g, "place_table"));
    g.step_minerl(&MineRlInput {
        craft: Some("wood_pickaxe".into()),
        ..Default::default()
    });
    assert_eq!(g.player.inventory.count(Item::WoodPickaxe), 1);
    assert_eq!(g.player.inventory.count(Item::Wood), 0);
    assert!(has(&g, "make_wood_pickaxe"));
    // A furnace needs Crafter's stone; iron tools need the furnace placed too.
    g.player.inventory.add(Item::Stone, FURNACE_STONE, 9);
    g.step_minerl(&MineRlInput {
        craft: Some("furnace".into()),
        ..Default::default()
    });
    assert_eq!(g.player.inventory.count(Item::Furnace), 1);
    assert_eq!(g.player.inventory.count(Item::Stone), 0);
    for item in [Item::Wood, Item::Coal, Item::Iron] {
        g.player.inventory.add(item, 1, 9);
    }
    g.step_minerl(&MineRlInput {
        craft: Some("iron_pickaxe".into()),
        ..Default::default()
    });
    assert_eq!(g.player.inventory.count(Item::IronPickaxe), 0);
}

#[test]
fn minerl_places_the_selected_block_only_when_held_and_never_inside_the_body() {
    let mut g = arena(VoxelActionSpace::Minerl);
    look_down(&mut g);
    let on_ground = g.player.cell() + IVec3::new(0, 1, 0);
    let place = |slot: u8| MineRlInput {
        hotbar: Some(slot),
        use_item: true,
        ..Default::default()
    };
    // Slot 2 is stone, none held: nothing happens.
    g.step_minerl(&place(2));
    assert_eq!(g.world.block(on_ground), Block::Air);
    g.player.inventory.add(Item::Stone, 1, 9);
    g.step_minerl(&place(2));
    assert_eq!(g.world.block(on_ground), Block::Stone);
    assert_eq!(g.player.inventory.count(Item::Stone), 0);
    assert!(has(&g, "place_stone"));
    // Looking straight down, the target is the agent's own cell: refused.
    g.player.inventory.add(Item::Dirt, 1, 9);
    g.step_minerl(&MineRlInput {
        camera: [-30.0, 0.0],
        ..Default::default()
    });
    g.step_minerl(&place(1));
    assert_eq!(g.world.block(g.player.cell()), Block::Air);
    assert_eq!(g.player.inventory.count(Item::Dirt), 1);
    // A sapling needs grass below the target: planted on the grass, it becomes a plant.
    g.step_minerl(&MineRlInput {
        camera: [30.0, 90.0],
        ..Default::default()
    });
    g.player.inventory.add(Item::Sapling, 1, 9);
    g.step_minerl(&place(7));
    assert_eq!(g.player.inventory.count(Item::Sapling), 0);
    assert!(has(&g, "place_plant"));
    assert_eq!(g.creatures.len(), 1);
}

#[test]
fn minerl_drinks_the_water_in_view() {
    let mut g = arena(VoxelActionSpace::Minerl);
    look_down(&mut g);
    let water = g.player.cell() + IVec3::new(0, 1, -1);
    g.world.set_block(water, Block::Water);
    g.player.drink = 4;
    g.step_minerl(&MineRlInput {
        use_item: true,
        ..Default::default()
    });
    assert_eq!(g.player.drink, 5);
    assert_eq!(g.world.block(water), Block::Water, "water stays");
    assert!(has(&g, "collect_drink"));
}

#[test]
fn same_seed_and_actions_give_identical_games() {
    let run = || {
        let mut g = Game::new(GameConfig {
            seed: 9,
            size_chunks: 4,
            action_space: VoxelActionSpace::Crafter,
        });
        let mut trace = Vec::new();
        for i in 0..400u32 {
            g.step_crafter(A::ALL[(i * 7 % 17) as usize]);
            let obs = waymark_voxel::observe::observation(&g, "seed-9", true);
            trace.push(serde_json::to_string(&obs).unwrap());
        }
        let mut frame = waymark_voxel::render::Frame::new(32, 32);
        waymark_voxel::observe::render_view(&g, 90.0, &mut frame);
        (trace, frame.rgb)
    };
    assert_eq!(run(), run());
}
