//! The `scripted` planner: skills chosen by a fixed priority list from the privileged
//! observation.
//!
//! Crafter (either action space): survive first (fight a zombie within 2 blocks, drink at
//! drink ≤ 4, eat a cow at food ≤ 4, sleep at energy ≤ 2 by night or ≤ 1, walled in by four
//! stones mined beforehand when the energy falls to 4), then progress
//! along the tech tree: wood, a table, wood pickaxe and sword, stone, one placed stone, stone
//! pickaxe and sword, a furnace by the table, coal and iron, iron pickaxe and sword, diamond,
//! a sapling planted and eaten when ripe; exploring whenever the block needed is not in the
//! box (or its skill just failed).
//!
//! STEVE-1: one skill per prompt family (taken from the episode id's `<family>-` prefix, else
//! from the prompt's words), repeated: wood, dirt, seeds, leaves and flowers are mined, `dig`
//! digs down, `sky` looks up, `explore` walks straight, `swim` stays at a water surface,
//! `underwater` sinks, `inventory` opens the inventory once.

use crate::skills::{FURNACE_STONE, Skill, SkillExecutor, SkillOutcome, TABLE_WOOD};
use serde_json::json;
use std::collections::BTreeMap;
use waymark_core::{
    Action, CrafterAction, EpisodeContext, MineRlInput, Observation, Steve1Family,
    VoxelActionSpace, VoxelObservation,
};
use waymark_planner::{
    EpisodeReport, Planner, PlannerError, PlannerInfo, PlannerRegistry, StepLogEntry,
};

/// The scripted planner's registry name.
pub const SCRIPTED_PLANNER_NAME: &str = "scripted";

/// Actions one skill may take before the scripted planner chooses again.
const SKILL_CAP: u32 = 300;
/// Steps a failed skill is set aside for.
const COOLDOWN: u32 = 25;
/// Stone kept for a shelter: one per side of the pit `sleep` makes.
const SHELTER_STONE: u32 = 4;

/// The scripted planner's declaration: voxel observations, privileged (the block box).
pub fn scripted_info() -> PlannerInfo {
    PlannerInfo::new(
        SCRIPTED_PLANNER_NAME,
        "voxel world: skills (go to, mine, place, craft, drink, eat, sleep, fight, explore; STEVE-1: look up, dig down, swim, dive, open the inventory) chosen by a fixed priority list from the blocks around the agent (privileged)",
        &[VoxelObservation::KIND],
        true,
    )
}

/// Registers `scripted` in `registry`.
pub fn register(registry: &mut PlannerRegistry) {
    registry.register(
        scripted_info(),
        Box::new(|| Ok(Box::new(ScriptedPlanner::new()))),
    );
}

/// The STEVE-1 family of an episode: the id's `<family>-` prefix, else the prompt's words.
pub fn detect_family(episode_id: &str, instruction: &str) -> Option<Steve1Family> {
    if let Some((prefix, _)) = episode_id.rsplit_once('-')
        && let Some(family) = Steve1Family::from_name(prefix)
    {
        return Some(family);
    }
    let text = instruction.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    // Order matters: the dirt prompt says "dig", the seeds prompt says "grass".
    let rules: [(&[&str], Steve1Family); 11] = [
        (
            &["underwater", "under water", "dive"],
            Steve1Family::Underwater,
        ),
        (&["swim"], Steve1Family::Swim),
        (&["inventory"], Steve1Family::Inventory),
        (&["sky", "look up"], Steve1Family::Sky),
        (&["dig as far", "dig down"], Steve1Family::Dig),
        (&["dirt"], Steve1Family::Dirt),
        (&["leaves", "leaf"], Steve1Family::Leaves),
        (&["flower"], Steve1Family::Flower),
        (&["seed", "tall grass"], Steve1Family::Seeds),
        (&["wood", "tree", "log"], Steve1Family::Wood),
        (&["explore"], Steve1Family::Explore),
    ];
    rules.iter().find(|(words, _)| has(words)).map(|&(_, f)| f)
}

/// The skill that serves a STEVE-1 family.
fn family_skill(family: Steve1Family) -> Skill {
    let mine = |b: &str| Skill::Mine { block: b.into() };
    match family {
        Steve1Family::Dig => Skill::DigDown,
        Steve1Family::Dirt => mine("dirt"),
        Steve1Family::Sky => Skill::LookUp,
        Steve1Family::Leaves => mine("leaves"),
        Steve1Family::Wood => mine("log"),
        Steve1Family::Seeds => mine("tall_grass"),
        Steve1Family::Flower => mine("flower"),
        Steve1Family::Explore => Skill::Explore,
        Steve1Family::Swim => Skill::Swim,
        Steve1Family::Underwater => Skill::Dive,
        Steve1Family::Inventory => Skill::OpenInventory,
    }
}

/// The scripted skill agent.
#[derive(Debug)]
pub struct ScriptedPlanner {
    executor: SkillExecutor,
    family: Option<Steve1Family>,
    cooldown: BTreeMap<String, u32>,
    planted_at: Option<u32>,
    step_log: Vec<StepLogEntry>,
    counters: BTreeMap<String, u64>,
}

impl Default for ScriptedPlanner {
    fn default() -> Self {
        Self::new()
    }
}

impl ScriptedPlanner {
    /// A planner before its first episode.
    pub fn new() -> Self {
        Self {
            executor: SkillExecutor::new(0, SKILL_CAP),
            family: None,
            cooldown: BTreeMap::new(),
            planted_at: None,
            step_log: Vec::new(),
            counters: BTreeMap::new(),
        }
    }

    fn count(&mut self, name: &str) {
        *self.counters.entry(name.to_string()).or_insert(0) += 1;
    }

    fn cooling(&self, skill: &Skill, step: u32) -> bool {
        self.cooldown
            .get(&skill.to_string())
            .is_some_and(|&until| step < until)
    }

    /// The next skill.
    fn choose(&self, obs: &VoxelObservation) -> Skill {
        let skill = match self.family {
            Some(family) => family_skill(family),
            None => self.crafter_skill(obs),
        };
        if self.cooling(&skill, obs.step) {
            Skill::Explore
        } else {
            skill
        }
    }

    /// A survival skill that should interrupt whatever runs.
    fn urgent(&self, obs: &VoxelObservation) -> Option<Skill> {
        let me = obs.cell();
        let creatures = obs
            .privileged
            .as_ref()
            .map(|p| p.creatures.as_slice())
            .unwrap_or(&[]);
        let zombie_close = creatures.iter().any(|(n, c)| {
            let d = (*c - me).abs();
            n == "zombie" && d.x + d.y <= 2 && d.z <= 1
        });
        let fight = Skill::Fight {
            creature: "zombie".into(),
        };
        if zombie_close && !self.cooling(&fight, obs.step) {
            return Some(fight);
        }
        // STEVE-1's prompts: only zombies interrupt (no vitals fall in the MineRL space).
        if self.family.is_some() {
            return None;
        }
        let v = obs.vitals;
        let present = |name: &str| present(obs, name);
        if v.drink <= 4 && present("water") && !self.cooling(&Skill::Drink, obs.step) {
            return Some(Skill::Drink);
        }
        let has_cow = creatures.iter().any(|(n, _)| n == "cow");
        if v.food <= 4 && has_cow && !self.cooling(&Skill::EatCow, obs.step) {
            return Some(Skill::EatCow);
        }
        let night = obs.daylight < 0.35;
        if v.energy <= 1 || v.energy <= 2 && night {
            return Some(Skill::Sleep);
        }
        None
    }

    /// Crafter's priority list.
    fn crafter_skill(&self, obs: &VoxelObservation) -> Skill {
        if let Some(s) = self.urgent(obs) {
            return s;
        }
        let has = |item: &str| obs.count(item) > 0;
        let done = |a: &str| obs.achievements.iter().any(|x| x == a);
        let present = |name: &str| present(obs, name);
        let wood = obs.count("wood");
        let stone = obs.count("stone");
        // Stone for the night's shelter (`sleep` walls itself in) while the energy runs low.
        if obs.vitals.energy <= 4
            && stone < SHELTER_STONE
            && has("wood_pickaxe")
            && present("stone")
        {
            return Skill::Mine {
                block: "stone".into(),
            };
        }
        let mine = |b: &str| {
            if present(b) {
                Skill::Mine { block: b.into() }
            } else {
                Skill::Explore
            }
        };
        let craft = |item: &str| Skill::Craft { item: item.into() };
        let place = |item: &str| Skill::Place { item: item.into() };
        // A table within reach of the box, or a new one.
        let table_then = |then: Skill, wood_needed: u32| -> Skill {
            if present("table") {
                then
            } else if wood >= TABLE_WOOD + wood_needed {
                place("table")
            } else {
                mine("log")
            }
        };
        if !done("place_table") {
            return if wood < TABLE_WOOD + 3 {
                mine("log")
            } else {
                place("table")
            };
        }
        if !has("wood_pickaxe") {
            return if wood < 1 {
                mine("log")
            } else {
                table_then(craft("wood_pickaxe"), 1)
            };
        }
        if !has("wood_sword") {
            return if wood < 1 {
                mine("log")
            } else {
                table_then(craft("wood_sword"), 1)
            };
        }
        if !has("stone_pickaxe") || !has("stone_sword") {
            if stone < 2 || wood < 2 {
                return if stone < 2 {
                    mine("stone")
                } else {
                    mine("log")
                };
            }
            let item = if has("stone_pickaxe") {
                "stone_sword"
            } else {
                "stone_pickaxe"
            };
            return table_then(craft(item), 1);
        }
        if !done("place_stone") {
            return if stone < 1 {
                mine("stone")
            } else {
                place("stone")
            };
        }
        if !done("place_furnace") {
            if stone < FURNACE_STONE {
                return mine("stone");
            }
            return if present("table") {
                place("furnace")
            } else {
                table_then(place("furnace"), 0)
            };
        }
        if !done("collect_drink") && present("water") {
            return Skill::Drink;
        }
        if !done("collect_sapling") && !has("sapling") && present("grass") {
            return Skill::Mine {
                block: "grass".into(),
            };
        }
        if has("sapling") && !done("place_plant") {
            return place("plant");
        }
        if let Some(at) = self.planted_at {
            let plant_known = obs
                .privileged
                .as_ref()
                .is_some_and(|p| p.creatures.iter().any(|(n, _)| n == "plant"));
            if !done("eat_plant") && obs.step > at + 320 && plant_known {
                return Skill::Fight {
                    creature: "plant".into(),
                };
            }
        }
        let iron_tools = !has("iron_pickaxe") || !has("iron_sword");
        if iron_tools {
            if obs.count("coal") < 1 {
                return mine("coal_ore");
            }
            if obs.count("iron") < 1 {
                return mine("iron_ore");
            }
            if wood < 1 {
                return mine("log");
            }
            let item = if has("iron_pickaxe") {
                "iron_sword"
            } else {
                "iron_pickaxe"
            };
            if !present("furnace") {
                return if stone < FURNACE_STONE {
                    mine("stone")
                } else {
                    table_then(place("furnace"), 0)
                };
            }
            return table_then(craft(item), 1);
        }
        if !done("collect_diamond") {
            return mine("diamond_ore");
        }
        if !done("eat_cow")
            && obs
                .privileged
                .as_ref()
                .is_some_and(|p| p.creatures.iter().any(|(n, _)| n == "cow"))
        {
            return Skill::EatCow;
        }
        if !done("defeat_zombie")
            && obs
                .privileged
                .as_ref()
                .is_some_and(|p| p.creatures.iter().any(|(n, _)| n == "zombie"))
        {
            return Skill::Fight {
                creature: "zombie".into(),
            };
        }
        if wood < 5 {
            return mine("log");
        }
        Skill::Explore
    }
}

/// Whether a block (or creature) named `name` is in the privileged box.
fn present(obs: &VoxelObservation, name: &str) -> bool {
    let Some(p) = &obs.privileged else {
        return obs.nearby.iter().any(|t| t.name == name);
    };
    if p.creatures.iter().any(|(n, _)| n == name) {
        return true;
    }
    let Some(code) = p.blocks.names.iter().position(|n| n == name) else {
        return false;
    };
    p.blocks.codes.iter().any(|&c| usize::from(c) == code)
}

fn noop(space: VoxelActionSpace) -> Action {
    match space {
        VoxelActionSpace::Crafter => Action::Crafter {
            action: CrafterAction::Noop,
        },
        VoxelActionSpace::Minerl => Action::Minerl {
            input: MineRlInput::default(),
        },
    }
}

impl Planner for ScriptedPlanner {
    fn reset(&mut self, context: &EpisodeContext) -> Result<(), PlannerError> {
        if context.observation_kind != VoxelObservation::KIND {
            return Err(PlannerError::UnsupportedObservation {
                planner: SCRIPTED_PLANNER_NAME.into(),
                kind: context.observation_kind.clone(),
            });
        }
        self.executor = SkillExecutor::new(context.seed, SKILL_CAP);
        self.family = match context.task.as_str() {
            "crafter" => None,
            _ => detect_family(&context.episode_id, &context.instruction),
        };
        self.cooldown.clear();
        self.planted_at = None;
        self.step_log.clear();
        self.counters.clear();
        Ok(())
    }

    fn act(&mut self, observation: &Observation) -> Result<Action, PlannerError> {
        let Observation::Voxel(obs) = observation else {
            return Err(PlannerError::UnsupportedObservation {
                planner: SCRIPTED_PLANNER_NAME.into(),
                kind: observation.kind().into(),
            });
        };
        if let Some(urgent) = self.urgent(obs) {
            let busy_surviving = matches!(
                self.executor.current(),
                Some(Skill::Fight { .. } | Skill::Drink | Skill::EatCow | Skill::Sleep)
            );
            if !busy_surviving && self.executor.current() != Some(&urgent) {
                self.executor.start(urgent.clone(), obs);
                self.log(obs.step, &urgent, "start", None);
            }
        }
        for _ in 0..4 {
            if self.executor.current().is_none() {
                let skill = self.choose(obs);
                self.executor.start(skill.clone(), obs);
                self.log(obs.step, &skill, "start", None);
            }
            let skill = self.executor.current().cloned();
            match self.executor.step(obs) {
                SkillOutcome::Act(action) => {
                    let planting = matches!(
                        &action,
                        Action::Crafter {
                            action: CrafterAction::PlacePlant
                        }
                    );
                    if planting && matches!(&skill, Some(Skill::Place { item }) if item == "plant")
                    {
                        self.planted_at = Some(obs.step);
                    }
                    return Ok(action);
                }
                SkillOutcome::Done => {
                    if let Some(skill) = skill {
                        self.count("skills.done");
                        self.log(obs.step, &skill, "done", None);
                    }
                }
                SkillOutcome::Failed(why) => {
                    if let Some(skill) = skill {
                        self.count("skills.failed");
                        // STEVE-1's skills hold until their cap: start them again at once.
                        let held = self.family.is_some() && why.starts_with("gave up");
                        if !held {
                            self.cooldown.insert(skill.to_string(), obs.step + COOLDOWN);
                        }
                        self.log(obs.step, &skill, "failed", Some(why));
                    }
                }
            }
        }
        Ok(noop(obs.action_space))
    }

    fn finish_episode(&mut self) -> EpisodeReport {
        EpisodeReport {
            step_log: std::mem::take(&mut self.step_log),
            counters: std::mem::take(&mut self.counters),
            cost_usd: None,
        }
    }
}

impl ScriptedPlanner {
    fn log(&mut self, step: u32, skill: &Skill, outcome: &str, cause: Option<String>) {
        if outcome == "start" {
            self.count("skills.started");
        }
        self.step_log.push(StepLogEntry {
            step,
            thought: None,
            action: Some(skill.to_string()),
            outcome: outcome.into(),
            cause,
            extra: StepLogEntry::fields(json!({})),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_come_from_the_id_or_the_prompt() {
        assert_eq!(detect_family("wood-3", ""), Some(Steve1Family::Wood));
        assert_eq!(
            detect_family("underwater-0", "go swimming"),
            Some(Steve1Family::Underwater)
        );
        assert_eq!(
            detect_family(
                "x",
                "get dirt, dig hole, dig dirt, gather a ton of dirt, collect dirt"
            ),
            Some(Steve1Family::Dirt)
        );
        assert_eq!(
            detect_family("x", "dig as far as possible"),
            Some(Steve1Family::Dig)
        );
        assert_eq!(
            detect_family("x", "break tall grass, break grass, collect seeds"),
            Some(Steve1Family::Seeds)
        );
        assert_eq!(
            detect_family("x", "go underwater"),
            Some(Steve1Family::Underwater)
        );
        assert_eq!(
            detect_family("x", "chop down the tree"),
            Some(Steve1Family::Wood)
        );
        assert_eq!(detect_family("seed-1", "Survive"), None);
    }
}
