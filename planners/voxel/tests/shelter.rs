//! Crafter's `sleep` skill with the block box walls the agent into a pit before it sleeps:
//! no creature can stand on any of the four cells beside it, so a zombie cannot reach it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use waymark_core::{Action, VoxelActionSpace};
use waymark_voxel::creatures::can_stand;
use waymark_voxel::{Game, GameConfig, Item};
use waymark_voxel_skills::skills::{Skill, SkillExecutor, SkillOutcome};

#[test]
fn sleep_walls_the_agent_in_first() {
    for seed in 0..6 {
        let mut game = Game::new(GameConfig {
            seed,
            size_chunks: 8,
            action_space: VoxelActionSpace::Crafter,
        });
        game.player.inventory.add(Item::Stone, 4, 9);
        game.player.energy = 2;
        let mut executor = SkillExecutor::new(seed, 300);
        let obs = waymark_voxel::observe::observation(&game, "shelter", true);
        executor.start(Skill::Sleep, &obs);
        let mut placed = 0;
        let mut asleep_at = None;
        for step in 0..300 {
            let obs = waymark_voxel::observe::observation(&game, "shelter", true);
            let SkillOutcome::Act(Action::Crafter { action }) = executor.step(&obs) else {
                panic!("seed {seed}: the skill ended before sleeping");
            };
            if action == waymark_core::CrafterAction::Sleep {
                asleep_at = Some(step);
                break;
            }
            placed += u32::from(action == waymark_core::CrafterAction::PlaceStone);
            game.step_crafter(action);
        }
        let asleep_at = asleep_at.unwrap_or_else(|| panic!("seed {seed}: never slept"));
        let feet = game.player.cell();
        for side in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
            let cell = feet + glam::IVec3::new(side.0, side.1, 0);
            assert!(
                !can_stand(&game.world, cell),
                "seed {seed}: a creature could stand beside the sleeper at {cell}"
            );
        }
        assert!(placed <= 4, "seed {seed}: {placed} stones placed");
        assert_eq!(
            game.player.inventory.count(Item::Stone),
            4 - placed,
            "seed {seed}"
        );
        println!("seed {seed}: asleep after {asleep_at} actions, {placed} stones placed");
    }
}
