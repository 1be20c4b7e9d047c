//! Skills and their executor: a skill (go to a block, mine it, place, craft, drink, eat a
//! cow, sleep, fight, explore; for STEVE-1's prompts look up, dig down, swim, dive, open the
//! inventory) becomes one action per call, in either action space.
//!
//! With the privileged block box ([`waymark_core::VoxelPrivileged`]) a skill plans on the
//! [`Grid`]: a breadth-first path to the nearest cell from which the target can be acted on,
//! walked move by move (Crafter) or steered towards each cell's centre (MineRL: yaw, forward,
//! jump up a block), then the interaction (Crafter's `do`, `place_*`, `make_*`; MineRL's
//! camera aimed at the target, attack, use, craft, hotbar). Without it a skill heads for the
//! observation's `nearby` offsets by greedy moves and checks its work through `in_view` and
//! the inventory.
//!
//! The executor reports when a skill is done, or failed (no target known, stuck, a missing
//! tool or material, too many actions).

use crate::grid::{self, DIRECTIONS, Facing, Grid, crafter_block_goal, facing_of, minerl_reach};
use glam::{IVec2, IVec3, Vec3};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use waymark_core::{
    Action, CrafterAction, MineRlInput, Vitals, VoxelActionSpace, VoxelObservation,
};

/// Wood a table costs (the world's `TABLE_WOOD`).
pub const TABLE_WOOD: u32 = 2;
/// Stone a furnace costs (the world's `FURNACE_STONE`).
pub const FURNACE_STONE: u32 = 4;
/// The MineRL hotbar, slots 1–9 (the world's `minerl::HOTBAR`).
pub const HOTBAR: [&str; 9] = [
    "dirt", "stone", "wood", "sand", "table", "furnace", "sapling", "seeds", "flower",
];
/// The eye above the feet, metres.
const EYE_M: f32 = 1.62;
/// Cells a shelter's pit is looked for in, nearest first.
const SHELTER_CELLS: u32 = 400;

/// Blocks a skill may name (`go_to`, `mine`).
pub const BLOCK_ARGS: [&str; 14] = [
    "log",
    "stone",
    "coal_ore",
    "iron_ore",
    "diamond_ore",
    "water",
    "sand",
    "grass",
    "dirt",
    "tall_grass",
    "flower",
    "leaves",
    "table",
    "furnace",
];
/// Creatures `go_to` may name.
pub const CREATURE_ARGS: [&str; 4] = ["cow", "zombie", "skeleton", "plant"];
/// What `place` places.
pub const PLACE_ARGS: [&str; 4] = ["table", "furnace", "stone", "plant"];
/// What `craft` makes (`table` and `furnace` as items to place: MineRL only).
pub const CRAFT_ARGS: [&str; 8] = [
    "wood_pickaxe",
    "stone_pickaxe",
    "iron_pickaxe",
    "wood_sword",
    "stone_sword",
    "iron_sword",
    "table",
    "furnace",
];
/// What `fight` fights.
pub const FIGHT_ARGS: [&str; 2] = ["zombie", "skeleton"];

/// One skill.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Skill {
    /// Walk next to the nearest block (or creature) of this name.
    GoTo {
        /// A block or creature name.
        block: String,
    },
    /// Walk next to the nearest exposed block of this name and break it.
    Mine {
        /// A block name.
        block: String,
    },
    /// Place `table`, `furnace`, `stone` or `plant` (a sapling) on a free cell in front.
    Place {
        /// What to place.
        item: String,
    },
    /// Make a tool next to a table (and a furnace), or (MineRL) a table or furnace item.
    Craft {
        /// What to make.
        item: String,
    },
    /// Drink water until full.
    Drink,
    /// Hit the nearest cow until eaten.
    EatCow,
    /// Sleep until woken (Crafter, with the block box: walled into a pit of four stones first).
    Sleep,
    /// Hit the nearest creature of this name until defeated.
    Fight {
        /// `zombie` or `skeleton`.
        creature: String,
    },
    /// Walk on in one heading, turning when blocked.
    Explore,
    /// Look straight up at open sky (MineRL), and keep looking.
    LookUp,
    /// Dig straight down (MineRL), and keep digging.
    DigDown,
    /// Go into water and stay at the surface (MineRL).
    Swim,
    /// Go into water and stay under (MineRL).
    Dive,
    /// Open the inventory screen once and keep it open (MineRL).
    OpenInventory,
}

/// Why a name and argument are not a skill.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SkillError {
    /// No skill has this name.
    #[error("unknown skill `{0}`")]
    UnknownSkill(String),
    /// The skill needs an argument.
    #[error("skill `{skill}` needs one of: {expected}")]
    MissingArgument {
        /// The skill.
        skill: String,
        /// Its vocabulary.
        expected: String,
    },
    /// The argument is not in the skill's vocabulary.
    #[error("skill `{skill}` cannot take `{arg}`; expected one of: {expected}")]
    BadArgument {
        /// The skill.
        skill: String,
        /// The argument given.
        arg: String,
        /// Its vocabulary.
        expected: String,
    },
}

/// `text` lower-cased, spaces and hyphens as underscores, common synonyms mapped to the
/// world's names.
pub fn normalize(text: &str) -> String {
    let t = text
        .trim()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
        .replace([' ', '-'], "_");
    let mapped = match t.as_str() {
        "wood" | "tree" | "trees" | "logs" | "oak_log" | "trunk" => "log",
        "coal" => "coal_ore",
        "iron" => "iron_ore",
        "diamond" | "diamonds" => "diamond_ore",
        "sapling" | "saplings" => "plant",
        "crafting_table" | "workbench" => "table",
        "wooden_pickaxe" => "wood_pickaxe",
        "wooden_sword" => "wood_sword",
        "tallgrass" | "bush" | "bushes" => "tall_grass",
        "flowers" => "flower",
        "leaf" => "leaves",
        "cows" => "cow",
        "zombies" => "zombie",
        "skeletons" => "skeleton",
        "grass_block" => "grass",
        "go_to" | "goto" | "go" | "walk_to" | "move_to" => "go_to",
        "eat" | "eat_cow" | "eatcow" => "eat_cow",
        "lookup" | "look_up" | "look_at_sky" => "look_up",
        "dig" | "dig_down" | "digdown" => "dig_down",
        "inventory" | "open_inventory" => "open_inventory",
        "attack" | "fight" => "fight",
        "make" | "craft" => "craft",
        "collect" | "mine" | "break" | "chop" | "gather" => "mine",
        other => other,
    };
    mapped.to_string()
}

impl Skill {
    /// Every skill name, with its argument vocabulary (empty: no argument).
    pub fn vocabulary() -> Vec<(&'static str, Vec<&'static str>)> {
        let goto: Vec<&str> = BLOCK_ARGS
            .iter()
            .chain(CREATURE_ARGS.iter())
            .copied()
            .collect();
        vec![
            ("go_to", goto),
            ("mine", BLOCK_ARGS.to_vec()),
            ("place", PLACE_ARGS.to_vec()),
            ("craft", CRAFT_ARGS.to_vec()),
            ("drink", vec![]),
            ("eat_cow", vec![]),
            ("sleep", vec![]),
            ("fight", FIGHT_ARGS.to_vec()),
            ("explore", vec![]),
            ("look_up", vec![]),
            ("dig_down", vec![]),
            ("swim", vec![]),
            ("dive", vec![]),
            ("open_inventory", vec![]),
        ]
    }

    /// The skill `name` with argument `arg` (names and arguments normalized by
    /// [`normalize`]).
    pub fn parse(name: &str, arg: Option<&str>) -> Result<Self, SkillError> {
        let name = normalize(name);
        let arg = arg.map(normalize).filter(|a| !a.is_empty());
        let Some((_, vocab)) = Self::vocabulary().into_iter().find(|(n, _)| *n == name) else {
            return Err(SkillError::UnknownSkill(name));
        };
        let needs = |vocab: &[&str]| -> Result<String, SkillError> {
            let expected = vocab.join(", ");
            let Some(arg) = arg.clone() else {
                return Err(SkillError::MissingArgument {
                    skill: name.clone(),
                    expected,
                });
            };
            if vocab.contains(&arg.as_str()) {
                Ok(arg)
            } else {
                Err(SkillError::BadArgument {
                    skill: name.clone(),
                    arg,
                    expected,
                })
            }
        };
        Ok(match name.as_str() {
            "go_to" => Self::GoTo {
                block: needs(&vocab)?,
            },
            "mine" => Self::Mine {
                block: needs(&vocab)?,
            },
            "place" => Self::Place {
                item: needs(&vocab)?,
            },
            "craft" => Self::Craft {
                item: needs(&vocab)?,
            },
            "fight" => Self::Fight {
                creature: needs(&vocab)?,
            },
            "drink" => Self::Drink,
            "eat_cow" => Self::EatCow,
            "sleep" => Self::Sleep,
            "explore" => Self::Explore,
            "look_up" => Self::LookUp,
            "dig_down" => Self::DigDown,
            "swim" => Self::Swim,
            "dive" => Self::Dive,
            _ => Self::OpenInventory,
        })
    }

    /// Its name (`mine`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::GoTo { .. } => "go_to",
            Self::Mine { .. } => "mine",
            Self::Place { .. } => "place",
            Self::Craft { .. } => "craft",
            Self::Drink => "drink",
            Self::EatCow => "eat_cow",
            Self::Sleep => "sleep",
            Self::Fight { .. } => "fight",
            Self::Explore => "explore",
            Self::LookUp => "look_up",
            Self::DigDown => "dig_down",
            Self::Swim => "swim",
            Self::Dive => "dive",
            Self::OpenInventory => "open_inventory",
        }
    }

    fn arg(&self) -> Option<&str> {
        match self {
            Self::GoTo { block } | Self::Mine { block } => Some(block),
            Self::Place { item } | Self::Craft { item } => Some(item),
            Self::Fight { creature } => Some(creature),
            _ => None,
        }
    }
}

impl fmt::Display for Skill {
    /// `mine log`, `drink`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.arg() {
            Some(arg) => write!(f, "{} {arg}", self.name()),
            None => f.write_str(self.name()),
        }
    }
}

/// What one executor call gives.
#[derive(Clone, Debug, PartialEq)]
pub enum SkillOutcome {
    /// The skill goes on with this action.
    Act(Action),
    /// The skill has done its work (no action this call).
    Done,
    /// The skill cannot go on (no action this call), and why.
    Failed(String),
}

/// Turns the current skill into one action per call.
#[derive(Debug)]
pub struct SkillExecutor {
    run: Option<Run>,
    explorer: Explorer,
    max_actions: u32,
}

impl SkillExecutor {
    /// An executor ending each skill after `max_actions` actions at most; exploration
    /// headings come from `seed`.
    pub fn new(seed: u64, max_actions: u32) -> Self {
        Self {
            run: None,
            explorer: Explorer::new(seed),
            max_actions,
        }
    }

    /// The skill in progress.
    pub fn current(&self) -> Option<&Skill> {
        self.run.as_ref().map(|r| &r.skill)
    }

    /// Starts `skill` (dropping the one in progress) from observation `obs`.
    pub fn start(&mut self, skill: Skill, obs: &VoxelObservation) {
        self.run = Some(Run::new(skill, obs));
    }

    /// Ends the skill in progress.
    pub fn clear(&mut self) {
        self.run = None;
    }

    /// The next action of the current skill, or its end (no skill: `Done`).
    pub fn step(&mut self, obs: &VoxelObservation) -> SkillOutcome {
        let Some(run) = self.run.as_mut() else {
            return SkillOutcome::Done;
        };
        if run.actions >= self.max_actions {
            self.run = None;
            return SkillOutcome::Failed(format!("gave up after {} actions", self.max_actions));
        }
        let outcome = run.tick(obs, &mut self.explorer);
        match &outcome {
            SkillOutcome::Act(action) => {
                run.actions += 1;
                run.last_pos = Some(obs.position_m);
                run.last_action_moved = moves(action);
            }
            _ => self.run = None,
        }
        outcome
    }
}

fn moves(action: &Action) -> bool {
    match action {
        Action::Crafter { action } => matches!(
            action,
            CrafterAction::MoveLeft
                | CrafterAction::MoveRight
                | CrafterAction::MoveUp
                | CrafterAction::MoveDown
        ),
        Action::Minerl { input } => input.forward || input.back || input.left || input.right,
        _ => false,
    }
}

/// Exploration's heading, kept across skills, turned by a seeded stream.
#[derive(Debug)]
struct Explorer {
    heading: IVec2,
    rng: ChaCha8Rng,
}

impl Explorer {
    fn new(seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0E_C5_91_0E);
        let heading = DIRECTIONS[rng.random_range(0..4)];
        Self { heading, rng }
    }

    /// A new heading other than the current one (never straight back unless forced).
    fn turn(&mut self) {
        let back = -self.heading;
        let options: Vec<IVec2> = DIRECTIONS
            .into_iter()
            .filter(|&d| d != self.heading && d != back)
            .collect();
        let pick = self.rng.random_range(0..options.len().max(1));
        self.heading = options.get(pick).copied().unwrap_or(back);
    }
}

/// A planned walk: cells left to enter, where to stand, what to face there.
#[derive(Clone, Debug)]
struct Plan {
    path: VecDeque<IVec3>,
    stand: IVec3,
    face: Option<Facing>,
}

enum Walk {
    Arrived,
    Act(Action),
    Replan,
}

/// One skill in progress.
#[derive(Debug)]
struct Run {
    skill: Skill,
    actions: u32,
    plan: Option<Plan>,
    since_plan: u32,
    replans: u32,
    still: u32,
    last_pos: Option<Vec3>,
    last_action_moved: bool,
    start_inventory: BTreeMap<String, u32>,
    start_vitals: Vitals,
    interacting: u32,
    flag: bool,
    greedy_turn: u32,
    creatures_at_start: BTreeMap<String, usize>,
    /// Sleep: the shelter's cell, chosen at the first action.
    shelter: Option<IVec3>,
    /// Sleep: no shelter can be made; sleep where the agent stands.
    shelter_failed: bool,
}

fn crafter(action: CrafterAction) -> Action {
    Action::Crafter { action }
}

fn minerl(input: MineRlInput) -> Action {
    Action::Minerl { input }
}

fn noop(space: VoxelActionSpace) -> Action {
    match space {
        VoxelActionSpace::Crafter => crafter(CrafterAction::Noop),
        VoxelActionSpace::Minerl => minerl(MineRlInput::default()),
    }
}

fn crafter_move(dir: IVec2) -> Action {
    crafter(match (dir.x, dir.y) {
        (-1, _) => CrafterAction::MoveLeft,
        (1, _) => CrafterAction::MoveRight,
        (_, 1) => CrafterAction::MoveUp,
        _ => CrafterAction::MoveDown,
    })
}

fn wrap180(deg: f32) -> f32 {
    (deg + 180.0).rem_euclid(360.0) - 180.0
}

/// The camera change that looks from the eye at `point`, each axis clamped (pitch ±45°,
/// yaw ±60° a tick), and whether the view gets there this tick.
fn aim(obs: &VoxelObservation, point: Vec3) -> ([f32; 2], bool) {
    let v = point - (obs.position_m + Vec3::Z * EYE_M);
    let yaw = v.x.atan2(v.y).to_degrees();
    let pitch = v.z.atan2(v.truncate().length()).to_degrees();
    let dyaw = wrap180(yaw - obs.yaw_deg);
    let dpitch = pitch - obs.pitch_deg;
    let there = dyaw.abs() <= 60.0 && dpitch.abs() <= 45.0;
    ([dpitch.clamp(-45.0, 45.0), dyaw.clamp(-60.0, 60.0)], there)
}

/// MineRL input walking towards `point` (horizontally): yaw towards it, forward when
/// roughly facing it, pitch back to level.
fn walk_towards(obs: &VoxelObservation, point: Vec3, jump: bool) -> MineRlInput {
    let v = point - obs.position_m;
    let yaw = v.x.atan2(v.y).to_degrees();
    let dyaw = wrap180(yaw - obs.yaw_deg);
    MineRlInput {
        forward: dyaw.abs() < 40.0,
        jump: jump || obs.in_water,
        camera: [(-obs.pitch_deg).clamp(-30.0, 30.0), dyaw.clamp(-60.0, 60.0)],
        ..Default::default()
    }
}

fn centre(cell: IVec3) -> Vec3 {
    cell.as_vec3() + Vec3::new(0.5, 0.5, 0.0)
}

fn block_centre(cell: IVec3) -> Vec3 {
    cell.as_vec3() + Vec3::splat(0.5)
}

fn horizontal(a: Vec3, b: Vec3) -> f32 {
    (a - b).truncate().length()
}

/// The item a broken block gives, where one is counted.
fn drop_of(block: &str, space: VoxelActionSpace) -> Option<&'static str> {
    Some(match block {
        "log" => "wood",
        "stone" => "stone",
        "coal_ore" => "coal",
        "iron_ore" => "iron",
        "diamond_ore" => "diamond",
        "grass" if space == VoxelActionSpace::Crafter => "sapling",
        "tall_grass" | "flower" if space == VoxelActionSpace::Crafter => "sapling",
        "grass" | "dirt" => "dirt",
        "sand" => "sand",
        "flower" => "flower",
        "table" => "table",
        _ => return None,
    })
}

/// The pickaxe a block needs to give anything (Crafter's rules, also the world's MineRL
/// drops), with the pickaxes that qualify.
fn tool_for(block: &str) -> Option<&'static [&'static str]> {
    match block {
        "stone" | "coal_ore" | "furnace" => {
            Some(&["wood_pickaxe", "stone_pickaxe", "iron_pickaxe"])
        }
        "iron_ore" => Some(&["stone_pickaxe", "iron_pickaxe"]),
        "diamond_ore" => Some(&["iron_pickaxe"]),
        _ => None,
    }
}

/// What a recipe uses, and whether it needs a furnace (Crafter's recipes).
fn recipe(item: &str) -> Option<(&'static [(&'static str, u32)], bool)> {
    Some(match item {
        "wood_pickaxe" | "wood_sword" => (&[("wood", 1)], false),
        "stone_pickaxe" | "stone_sword" => (&[("wood", 1), ("stone", 1)], false),
        "iron_pickaxe" | "iron_sword" => (&[("wood", 1), ("coal", 1), ("iron", 1)], true),
        _ => return None,
    })
}

fn make_action(item: &str) -> Option<CrafterAction> {
    Some(match item {
        "wood_pickaxe" => CrafterAction::MakeWoodPickaxe,
        "stone_pickaxe" => CrafterAction::MakeStonePickaxe,
        "iron_pickaxe" => CrafterAction::MakeIronPickaxe,
        "wood_sword" => CrafterAction::MakeWoodSword,
        "stone_sword" => CrafterAction::MakeStoneSword,
        "iron_sword" => CrafterAction::MakeIronSword,
        _ => return None,
    })
}

/// The grid of a privileged observation, creatures as obstacles.
fn grid_of(obs: &VoxelObservation) -> Option<Grid<'_>> {
    obs.privileged.as_ref().map(|p| {
        Grid::new(
            &p.blocks,
            p.creatures
                .iter()
                .filter(|(n, _)| n != "arrow")
                .map(|&(_, c)| c)
                .collect(),
        )
    })
}

/// Creature cells of `name` in a privileged observation.
fn creature_cells<'o>(
    obs: &'o VoxelObservation,
    name: &'o str,
) -> impl Iterator<Item = IVec3> + 'o {
    obs.privileged
        .iter()
        .flat_map(|p| p.creatures.iter())
        .filter(move |(n, _)| n == name)
        .map(|&(_, c)| c)
}

/// The nearest listed thing named `name`, as an absolute cell.
fn nearby_cell(obs: &VoxelObservation, name: &str) -> Option<IVec3> {
    obs.nearby
        .iter()
        .find(|t| t.name == name)
        .map(|t| obs.cell() + t.offset)
}

/// The goal "water in front, head room above it" (deep water: two blocks, when `deep`).
fn water_goal<'g>(
    grid: &'g Grid<'_>,
    deep: bool,
) -> impl FnMut(IVec3, Option<IVec2>) -> Option<Option<Facing>> + 'g {
    move |c, _| {
        DIRECTIONS.into_iter().find_map(|dir| {
            let front = c + dir.extend(0);
            let water = grid.is(front, "water") && (!deep || grid.is(front - IVec3::Z, "water"));
            (water && !grid.solid(front + IVec3::Z)).then_some(Some(Facing { dir, target: front }))
        })
    }
}

impl Run {
    fn new(skill: Skill, obs: &VoxelObservation) -> Self {
        Self {
            skill,
            actions: 0,
            plan: None,
            since_plan: 0,
            replans: 0,
            still: 0,
            last_pos: None,
            last_action_moved: false,
            start_inventory: obs.inventory.clone(),
            start_vitals: obs.vitals,
            interacting: 0,
            flag: false,
            greedy_turn: 0,
            shelter: None,
            shelter_failed: false,
            creatures_at_start: obs.privileged.iter().flat_map(|p| p.creatures.iter()).fold(
                BTreeMap::new(),
                |mut m, (n, _)| {
                    *m.entry(n.clone()).or_insert(0) += 1;
                    m
                },
            ),
        }
    }

    /// Crafter's sleep: first, with the block box and the stone it takes, into a shelter (see
    /// [`Run::shelter`]); then asleep until woken.
    fn sleep(&mut self, obs: &VoxelObservation) -> SkillOutcome {
        if obs.sleeping {
            self.flag = true;
        }
        if self.flag && !obs.sleeping || self.actions > 0 && !obs.sleeping && obs.vitals.energy >= 9
        {
            return SkillOutcome::Done;
        }
        if !self.flag
            && let Some(action) = self.shelter(obs)
        {
            return SkillOutcome::Act(action);
        }
        SkillOutcome::Act(crafter(CrafterAction::Sleep))
    }

    /// The next action making or entering a shelter for the night: a pit, a cell whose four
    /// sides no creature can stand on, made by placing stone on the sides one could and
    /// entered over a wall. A zombie hits only from a neighbouring cell; from a wall's top it
    /// is two away. The pit is the cell near the agent (the first few hundred a search
    /// reaches) needing the fewest stones, chosen at the skill's first action. `None` once
    /// inside, or when no shelter can be made (too little stone, a side taken by a creature,
    /// no way in): then the agent sleeps where it stands.
    fn shelter(&mut self, obs: &VoxelObservation) -> Option<Action> {
        if self.shelter_failed {
            return None;
        }
        let grid = grid_of(obs)?;
        let open_sides = |pit: IVec3| -> Vec<IVec3> {
            DIRECTIONS
                .into_iter()
                .map(|d| pit + d.extend(0))
                .filter(|&side| grid.can_stand(side))
                .collect()
        };
        let takes_stone =
            |side: IVec3| grid.name(side).is_some_and(grid::is_replaceable) && !grid.occupied(side);
        let pit = match self.shelter {
            Some(pit) => pit,
            None => {
                let stone = obs.count("stone") as usize;
                let mut best: Option<(usize, IVec3)> = None;
                let mut tried = 0;
                let start = grid.start_cell(obs.cell());
                let _ = grid.search(start, None, |cell, _| {
                    tried += 1;
                    let open = open_sides(cell);
                    // A way in once walled: a side whose top one can stand on.
                    let way_in = DIRECTIONS.into_iter().any(|d| {
                        let side = cell + d.extend(0);
                        let top = side + IVec3::Z;
                        (grid.solid(side) || grid.can_stand(side))
                            && !grid.solid(top)
                            && !grid.fluid(top)
                            && !grid.solid(top + IVec3::Z)
                    });
                    if open.len() <= stone
                        && way_in
                        && open.iter().all(|&side| takes_stone(side))
                        && best.is_none_or(|(fewest, _)| open.len() < fewest)
                    {
                        best = Some((open.len(), cell));
                    }
                    (tried >= SHELTER_CELLS || best.is_some_and(|(n, _)| n == 0)).then_some(())
                });
                let Some((_, pit)) = best else {
                    self.shelter_failed = true;
                    return None;
                };
                *self.shelter.insert(pit)
            }
        };
        let open = open_sides(pit);
        let outcome = if open.is_empty() {
            if obs.cell() == pit {
                return None;
            }
            self.approach(obs, &grid, 40, |cell, _| (cell == pit).then_some(None))
                .map(|walk| walk.err())
        } else {
            if obs.count("stone") < open.len() as u32 || !open.iter().all(|&w| takes_stone(w)) {
                self.shelter_failed = true;
                return None;
            }
            let goal = |cell: IVec3, arrival: Option<IVec2>| -> Option<Option<Facing>> {
                DIRECTIONS.into_iter().find_map(|dir| {
                    let front = cell + dir.extend(0);
                    let facing_ok = arrival == Some(dir) || grid.step_target(cell, dir).is_none();
                    (facing_ok && open.contains(&front))
                        .then_some(Some(Facing { dir, target: front }))
                })
            };
            self.approach(obs, &grid, 40, goal).map(|walk| match walk {
                // Facing an open side: a stone there, then a new plan for the next.
                Ok(_) => {
                    self.plan = None;
                    Some(crafter(CrafterAction::PlaceStone))
                }
                Err(action) => Some(action),
            })
        };
        outcome.unwrap_or_else(|_| {
            self.shelter_failed = true;
            None
        })
    }

    fn gained(&self, obs: &VoxelObservation, item: &str) -> bool {
        obs.count(item) > self.start_inventory.get(item).copied().unwrap_or(0)
    }

    fn spent(&self, obs: &VoxelObservation, item: &str) -> bool {
        obs.count(item) < self.start_inventory.get(item).copied().unwrap_or(0)
    }

    fn tick(&mut self, obs: &VoxelObservation, explorer: &mut Explorer) -> SkillOutcome {
        // Movement bookkeeping: consecutive moves that left the body where it was.
        let moved = self
            .last_pos
            .is_none_or(|p| horizontal(p, obs.position_m) > 0.02);
        if self.last_action_moved && !moved {
            self.still += 1;
        } else if moved {
            self.still = 0;
        }
        // Entering a new cell is progress: the re-planning budget starts again.
        if self
            .last_pos
            .is_some_and(|p| p.floor() != obs.position_m.floor())
        {
            self.replans = 0;
        }
        let space = obs.action_space;
        let skill = self.skill.clone();
        match skill {
            Skill::GoTo { block } => self.go_to(obs, &block),
            Skill::Mine { block } => self.mine(obs, &block),
            Skill::Place { item } => self.place(obs, &item),
            Skill::Craft { item } => self.craft(obs, &item),
            Skill::Drink => self.drink(obs),
            Skill::EatCow => self.hit(obs, "cow"),
            Skill::Fight { creature } => self.hit(obs, &creature),
            Skill::Sleep => match space {
                VoxelActionSpace::Crafter => self.sleep(obs),
                VoxelActionSpace::Minerl => {
                    SkillOutcome::Failed("sleeping is not part of the MineRL controls here".into())
                }
            },
            Skill::Explore => self.explore(obs, explorer),
            Skill::LookUp => self.look_up(obs),
            Skill::DigDown => self.dig_down(obs),
            Skill::Swim => self.water(obs, false, explorer),
            Skill::Dive => self.water(obs, true, explorer),
            Skill::OpenInventory => match space {
                VoxelActionSpace::Crafter => {
                    SkillOutcome::Failed("Crafter has no inventory screen".into())
                }
                VoxelActionSpace::Minerl => {
                    if !obs.inventory_open && (!self.flag || self.actions % 4 == 3) {
                        self.flag = true;
                        SkillOutcome::Act(minerl(MineRlInput {
                            inventory: true,
                            ..Default::default()
                        }))
                    } else {
                        SkillOutcome::Act(noop(space))
                    }
                }
            },
        }
    }

    // ---- planning and walking ----

    /// Plans (or re-plans) with `goal` when there is no plan, when it is stale or stuck.
    /// `Err` when no reachable cell satisfies the goal.
    fn ensure_plan(
        &mut self,
        obs: &VoxelObservation,
        grid: &Grid<'_>,
        every: u32,
        goal: impl FnMut(IVec3, Option<IVec2>) -> Option<Option<Facing>>,
    ) -> Result<(), String> {
        let walking = self.plan.as_ref().is_some_and(|p| !p.path.is_empty());
        let stuck_after = match obs.action_space {
            VoxelActionSpace::Crafter => 4,
            VoxelActionSpace::Minerl => 10,
        };
        let stale =
            self.plan.is_none() || walking && self.since_plan >= every || self.still >= stuck_after;
        if !stale {
            self.since_plan += 1;
            return Ok(());
        }
        if self.plan.is_some() {
            self.replans += 1;
        }
        self.still = 0;
        if self.replans > 12 {
            return Err("stuck: no progress after repeated re-planning".into());
        }
        let start = grid.start_cell(obs.cell());
        let facing =
            (obs.action_space == VoxelActionSpace::Crafter).then(|| facing_of(obs.yaw_deg));
        let route = grid
            .search(start, facing, goal)
            .ok_or_else(|| "no reachable target in the block box".to_string())?;
        let stand = route.cells.last().copied().unwrap_or(start);
        self.plan = Some(Plan {
            path: route.cells.into(),
            stand,
            face: route.found,
        });
        self.since_plan = 0;
        Ok(())
    }

    /// One step along the plan.
    fn walk(&mut self, obs: &VoxelObservation) -> Walk {
        let Some(plan) = self.plan.as_mut() else {
            return Walk::Replan;
        };
        match obs.action_space {
            VoxelActionSpace::Crafter => {
                let cell = obs.cell();
                if let Some(i) = plan.path.iter().position(|&c| c == cell) {
                    plan.path.drain(..=i);
                }
                match plan.path.front() {
                    None if cell == plan.stand => match plan.face {
                        Some(face) if facing_of(obs.yaw_deg) != face.dir => {
                            Walk::Act(crafter_move(face.dir))
                        }
                        _ => Walk::Arrived,
                    },
                    None => Walk::Replan,
                    Some(&next) => {
                        let d = (next - cell).truncate();
                        if d.abs().element_sum() != 1 {
                            Walk::Replan
                        } else {
                            Walk::Act(crafter_move(d))
                        }
                    }
                }
            }
            VoxelActionSpace::Minerl => {
                let pos = obs.position_m;
                let cell = obs.cell();
                let on_path = plan
                    .path
                    .iter()
                    .position(|&c| c == cell || c == cell - IVec3::Z);
                if let Some(i) = on_path.filter(|&i| i > 0) {
                    plan.path.drain(..i);
                }
                while let Some(&next) = plan.path.front() {
                    if horizontal(pos, centre(next)) < 0.3 && pos.z > next.z as f32 - 0.3 {
                        plan.path.pop_front();
                    } else {
                        break;
                    }
                }
                let target = plan.path.front().copied().unwrap_or(plan.stand);
                let dist = horizontal(pos, centre(target));
                if plan.path.is_empty() && dist < 0.3 {
                    return Walk::Arrived;
                }
                if dist > 2.5 {
                    return Walk::Replan;
                }
                let floor = (pos.z + 0.01).floor() as i32;
                let jump = target.z > floor || self.still >= 2;
                let mut input = walk_towards(obs, centre(target), jump);
                if plan.path.is_empty() && dist < 0.8 {
                    input.sneak = true;
                }
                Walk::Act(minerl(input))
            }
        }
    }

    /// Plans with `goal` and walks; `Ok(Some(face))` once standing where the goal holds.
    fn approach(
        &mut self,
        obs: &VoxelObservation,
        grid: &Grid<'_>,
        every: u32,
        mut goal: impl FnMut(IVec3, Option<IVec2>) -> Option<Option<Facing>>,
    ) -> Result<Result<Option<Facing>, Action>, String> {
        for _ in 0..3 {
            self.ensure_plan(obs, grid, every, &mut goal)?;
            match self.walk(obs) {
                Walk::Arrived => {
                    return Ok(Ok(self.plan.as_ref().and_then(|p| p.face)));
                }
                Walk::Act(action) => return Ok(Err(action)),
                Walk::Replan => {
                    self.plan = None;
                    self.replans += 1;
                }
            }
        }
        Err("the path keeps breaking".into())
    }

    /// Greedy moves towards `target` without the block box; `Some(face)` once next to it
    /// (Crafter: facing it from a 4-neighbour; MineRL: within reach).
    fn greedy(&mut self, obs: &VoxelObservation, target: IVec3) -> Result<Option<Facing>, Action> {
        let cell = obs.cell();
        let o = target - cell;
        match obs.action_space {
            VoxelActionSpace::Crafter => {
                if o.x.abs() + o.y.abs() == 1 && (-1..=1).contains(&o.z) {
                    let dir = o.truncate();
                    if facing_of(obs.yaw_deg) == dir {
                        return Ok(Some(Facing { dir, target }));
                    }
                    return Err(crafter_move(dir));
                }
                if self.still > 0 {
                    self.greedy_turn += 1;
                    self.still = 0;
                }
                let along_x = IVec2::new(o.x.signum(), 0);
                let along_y = IVec2::new(0, o.y.signum());
                let (first, second) = if o.x.abs() >= o.y.abs() {
                    (along_x, along_y)
                } else {
                    (along_y, along_x)
                };
                let mut options: Vec<IVec2> = [first, second]
                    .into_iter()
                    .filter(|d| *d != IVec2::ZERO)
                    .collect();
                options.extend(DIRECTIONS);
                let dir = options[(self.greedy_turn as usize) % options.len()];
                Err(crafter_move(dir))
            }
            VoxelActionSpace::Minerl => {
                let eye = obs.position_m + Vec3::Z * EYE_M;
                if eye.distance(block_centre(target)) <= 3.2 && o.truncate() != IVec2::ZERO {
                    return Ok(Some(Facing {
                        dir: IVec2::new(o.x.signum(), o.y.signum()),
                        target,
                    }));
                }
                Err(minerl(walk_towards(obs, centre(target), self.still >= 2)))
            }
        }
    }

    // ---- skills ----

    fn go_to(&mut self, obs: &VoxelObservation, name: &str) -> SkillOutcome {
        let creature = CREATURE_ARGS.contains(&name);
        if let Some(grid) = grid_of(obs) {
            let space = obs.action_space;
            let cells: Vec<IVec3> = creature_cells(obs, name).collect();
            let result = if creature {
                self.approach(obs, &grid, 3, |c, _| {
                    DIRECTIONS
                        .into_iter()
                        .find(|d| cells.contains(&(c + d.extend(0))))
                        .map(|dir| {
                            Some(Facing {
                                dir,
                                target: c + dir.extend(0),
                            })
                        })
                })
            } else {
                let wanted = |n: &str| n == name;
                match space {
                    VoxelActionSpace::Crafter => {
                        let mut g = crafter_block_goal(&grid, wanted);
                        self.approach(obs, &grid, 40, |c, a| g(c, a).map(Some))
                    }
                    VoxelActionSpace::Minerl => self.approach(obs, &grid, 40, |c, _| {
                        DIRECTIONS.into_iter().find_map(|dir| {
                            minerl_reach(&grid, c, dir, &wanted)
                                .map(|target| Some(Facing { dir, target }))
                        })
                    }),
                }
            };
            return match result {
                Ok(Ok(_)) => SkillOutcome::Done,
                Ok(Err(action)) => SkillOutcome::Act(action),
                Err(e) => SkillOutcome::Failed(format!("{name}: {e}")),
            };
        }
        let Some(target) = nearby_cell(obs, name) else {
            return SkillOutcome::Failed(format!("no {name} nearby"));
        };
        match self.greedy(obs, target) {
            Ok(_) => SkillOutcome::Done,
            Err(action) => self.greedy_act(action),
        }
    }

    fn greedy_act(&mut self, action: Action) -> SkillOutcome {
        if self.still > 30 {
            SkillOutcome::Failed("stuck".into())
        } else {
            SkillOutcome::Act(action)
        }
    }

    /// The target of a block skill: planned on the grid, or the nearest listed.
    fn block_target(
        &mut self,
        obs: &VoxelObservation,
        wanted: &dyn Fn(&str) -> bool,
        names: &[&str],
    ) -> Result<Result<Facing, Action>, String> {
        if let Some(grid) = grid_of(obs) {
            // A target that changed under us is re-planned.
            if let Some(face) = self.plan.as_ref().and_then(|p| p.face)
                && !grid.name(face.target).is_some_and(wanted)
            {
                self.plan = None;
            }
            let result = match obs.action_space {
                VoxelActionSpace::Crafter => {
                    let mut g = crafter_block_goal(&grid, wanted);
                    self.approach(obs, &grid, 40, |c, a| g(c, a).map(Some))?
                }
                VoxelActionSpace::Minerl => self.approach(obs, &grid, 40, |c, _| {
                    DIRECTIONS.into_iter().find_map(|dir| {
                        minerl_reach(&grid, c, dir, wanted)
                            .map(|target| Some(Facing { dir, target }))
                    })
                })?,
            };
            return match result {
                Ok(Some(face)) => Ok(Ok(face)),
                Ok(None) => Err("no target".into()),
                Err(action) => Ok(Err(action)),
            };
        }
        let target = names
            .iter()
            .filter_map(|n| obs.nearby.iter().find(|t| t.name == *n))
            .min_by(|a, b| a.distance_m.total_cmp(&b.distance_m))
            .map(|t| obs.cell() + t.offset)
            .ok_or_else(|| format!("no {} nearby", names.join(" or ")))?;
        match self.greedy(obs, target) {
            Ok(Some(face)) => Ok(Ok(face)),
            Ok(None) => Err("no target".into()),
            Err(action) => {
                if self.still > 30 {
                    Err("stuck".into())
                } else {
                    Ok(Err(action))
                }
            }
        }
    }

    fn mine(&mut self, obs: &VoxelObservation, block: &str) -> SkillOutcome {
        let space = obs.action_space;
        if let Some(tools) = tool_for(block)
            && !tools.iter().any(|t| obs.count(t) > 0)
        {
            return SkillOutcome::Failed(format!("{block} needs a {}", tools[0]));
        }
        let names: Vec<&str> = match block {
            "dirt" | "grass" if space == VoxelActionSpace::Minerl => vec!["grass", "dirt"],
            other => vec![other],
        };
        // Done once the drop arrived (blocks that give something every time).
        if let Some(item) = drop_of(block, space)
            && self.gained(obs, item)
        {
            return SkillOutcome::Done;
        }
        let wanted = |n: &str| names.contains(&n);
        let face = match self.block_target(obs, &wanted, &names) {
            Ok(Ok(face)) => face,
            Ok(Err(action)) => {
                if self.interacting > 0 && obs.privileged.is_some() {
                    // The block we were breaking is gone: done.
                    return SkillOutcome::Done;
                }
                return SkillOutcome::Act(action);
            }
            Err(e) => {
                if self.interacting > 0 {
                    return SkillOutcome::Done;
                }
                return SkillOutcome::Failed(format!("mine {block}: {e}"));
            }
        };
        // Without the box: done when the view no longer shows the block after hitting it.
        if obs.privileged.is_none() && self.interacting > 0 {
            let gone = match space {
                VoxelActionSpace::Crafter => {
                    !obs.in_view.as_ref().is_some_and(|v| wanted(&v.block))
                }
                VoxelActionSpace::Minerl => {
                    !obs.in_view.as_ref().is_some_and(|v| v.cell == face.target)
                }
            };
            if gone && self.interacting > 2 {
                return SkillOutcome::Done;
            }
        }
        self.interacting += 1;
        let limit = match (space, block) {
            (VoxelActionSpace::Crafter, "grass" | "tall_grass" | "flower") => 150,
            (VoxelActionSpace::Crafter, _) => 6,
            (VoxelActionSpace::Minerl, _) => 400,
        };
        if self.interacting > limit {
            return SkillOutcome::Failed(format!("{block} does not break"));
        }
        match space {
            VoxelActionSpace::Crafter => SkillOutcome::Act(crafter(CrafterAction::Do)),
            VoxelActionSpace::Minerl => {
                let on_target = obs.in_view.as_ref().is_some_and(|v| v.cell == face.target);
                let (camera, there) = if on_target {
                    ([0.0, 0.0], true)
                } else {
                    aim(obs, block_centre(face.target))
                };
                SkillOutcome::Act(minerl(MineRlInput {
                    attack: there,
                    camera,
                    ..Default::default()
                }))
            }
        }
    }

    fn place(&mut self, obs: &VoxelObservation, item: &str) -> SkillOutcome {
        let space = obs.action_space;
        let hold = if item == "plant" { "sapling" } else { item };
        let crafted = space == VoxelActionSpace::Minerl && obs.count(hold) > 0;
        let (uses, cost) = match item {
            "table" if !crafted => ("wood", TABLE_WOOD),
            "furnace" if !crafted => ("stone", FURNACE_STONE),
            _ => (hold, 1),
        };
        let consumed = match space {
            VoxelActionSpace::Crafter => uses,
            VoxelActionSpace::Minerl => hold,
        };
        if self.interacting > 0 && self.spent(obs, consumed) {
            return SkillOutcome::Done;
        }
        if obs.count(uses) < cost {
            return SkillOutcome::Failed(format!("placing {item} needs {cost} {uses}"));
        }
        // MineRL: make the table or furnace item first.
        if space == VoxelActionSpace::Minerl
            && matches!(item, "table" | "furnace")
            && obs.count(item) == 0
        {
            if self.flag {
                return SkillOutcome::Failed(format!(
                    "could not craft a {item} item (a furnace needs a table nearby)"
                ));
            }
            self.flag = true;
            return SkillOutcome::Act(minerl(MineRlInput {
                craft: Some(item.to_string()),
                ..Default::default()
            }));
        }
        if space == VoxelActionSpace::Minerl && obs.selected.as_deref() != Some(hold) {
            let slot = HOTBAR
                .iter()
                .position(|h| *h == hold)
                .map_or(1, |i| i as u8 + 1);
            return SkillOutcome::Act(minerl(MineRlInput {
                hotbar: Some(slot),
                ..Default::default()
            }));
        }
        let face = if let Some(grid) = grid_of(obs) {
            let goal = |c: IVec3, arrival: Option<IVec2>| -> Option<Option<Facing>> {
                DIRECTIONS.into_iter().find_map(|dir| {
                    let front = c + dir.extend(0);
                    let facing_ok = space == VoxelActionSpace::Minerl
                        || arrival == Some(dir)
                        || grid.step_target(c, dir).is_none();
                    let free = grid.name(front).is_some_and(grid::is_replaceable)
                        && !grid.fluid(front)
                        && !grid.occupied(front);
                    let ok = match item {
                        "table" => grid.can_place_station(front),
                        "furnace" => grid.can_place_station(front) && grid.near(c, "table"),
                        "stone" => free && grid.solid(front - IVec3::Z),
                        _ => free && grid.is(front - IVec3::Z, "grass"),
                    };
                    // MineRL places against the ground's top face: the front's head must be clear.
                    let visible =
                        space == VoxelActionSpace::Crafter || !grid.targetable(front + IVec3::Z);
                    (facing_ok && ok && visible).then_some(Some(Facing { dir, target: front }))
                })
            };
            match self.approach(obs, &grid, 40, goal) {
                Ok(Ok(Some(face))) => face,
                Ok(Ok(None)) => return SkillOutcome::Failed("no place".into()),
                Ok(Err(action)) => return SkillOutcome::Act(action),
                Err(e) => return SkillOutcome::Failed(format!("place {item}: {e}")),
            }
        } else {
            // Without the box: try in front, turning after each failed try.
            let dir = facing_of(obs.yaw_deg);
            if self.interacting > 0 && self.interacting.is_multiple_of(2) {
                self.interacting += 1;
                let turn = DIRECTIONS[(self.interacting as usize / 2) % 4];
                return match space {
                    VoxelActionSpace::Crafter => SkillOutcome::Act(crafter_move(turn)),
                    VoxelActionSpace::Minerl => SkillOutcome::Act(minerl(MineRlInput {
                        camera: [0.0, 90.0],
                        ..Default::default()
                    })),
                };
            }
            Facing {
                dir,
                target: obs.cell() + dir.extend(0),
            }
        };
        if self.interacting == 0 {
            self.start_inventory = obs.inventory.clone();
        }
        self.interacting += 1;
        if self.interacting > 12 {
            return SkillOutcome::Failed(format!("{item} could not be placed"));
        }
        match space {
            VoxelActionSpace::Crafter => SkillOutcome::Act(crafter(match item {
                "table" => CrafterAction::PlaceTable,
                "furnace" => CrafterAction::PlaceFurnace,
                "stone" => CrafterAction::PlaceStone,
                _ => CrafterAction::PlacePlant,
            })),
            VoxelActionSpace::Minerl => {
                let ground_top = face.target.as_vec3() + Vec3::new(0.5, 0.5, 0.02);
                let (camera, there) = aim(obs, ground_top);
                let settled = camera[0].abs() < 1.0 && camera[1].abs() < 1.0;
                SkillOutcome::Act(minerl(MineRlInput {
                    use_item: there && settled,
                    camera,
                    ..Default::default()
                }))
            }
        }
    }

    fn craft(&mut self, obs: &VoxelObservation, item: &str) -> SkillOutcome {
        let space = obs.action_space;
        if self.gained(obs, item) {
            return SkillOutcome::Done;
        }
        let (needs_table, needs_furnace) = match item {
            "table" => (false, false),
            "furnace" => (true, false),
            other => match recipe(other) {
                Some((uses, furnace)) => {
                    if let Some((what, n)) = uses.iter().find(|(what, n)| obs.count(what) < *n) {
                        return SkillOutcome::Failed(format!("{item} needs {n} {what}"));
                    }
                    (true, furnace)
                }
                None => return SkillOutcome::Failed(format!("no recipe for {item}")),
            },
        };
        if matches!(item, "table" | "furnace") && space == VoxelActionSpace::Crafter {
            return SkillOutcome::Failed(format!(
                "in Crafter a {item} is placed, not crafted: use place {item}"
            ));
        }
        if needs_table {
            let near = |grid: &Grid<'_>, c: IVec3| {
                grid.near(c, "table") && (!needs_furnace || grid.near(c, "furnace"))
            };
            if let Some(grid) = grid_of(obs) {
                match self.approach(obs, &grid, 40, |c, _| near(&grid, c).then_some(None)) {
                    Ok(Ok(_)) => {}
                    Ok(Err(action)) => return SkillOutcome::Act(action),
                    Err(e) => {
                        let what = if needs_furnace {
                            "a table and a furnace"
                        } else {
                            "a table"
                        };
                        return SkillOutcome::Failed(format!(
                            "craft {item}: needs {what} nearby ({e})"
                        ));
                    }
                }
            } else {
                let close = |name: &str| {
                    obs.nearby.iter().find(|t| t.name == name).map(|t| {
                        t.offset.x.abs() <= 1
                            && t.offset.y.abs() <= 1
                            && (-1..=1).contains(&t.offset.z)
                    })
                };
                match (close("table"), needs_furnace.then(|| close("furnace"))) {
                    (None, _) | (_, Some(None)) => {
                        return SkillOutcome::Failed(format!(
                            "craft {item}: no table (or furnace) nearby"
                        ));
                    }
                    (Some(false), _) => {
                        let Some(target) = nearby_cell(obs, "table") else {
                            return SkillOutcome::Failed("no table nearby".into());
                        };
                        if let Err(action) = self.greedy(obs, target) {
                            return self.greedy_act(action);
                        }
                    }
                    _ => {}
                }
            }
        }
        self.interacting += 1;
        if self.interacting > 3 {
            return SkillOutcome::Failed(format!("could not make {item}"));
        }
        match space {
            VoxelActionSpace::Crafter => match make_action(item) {
                Some(a) => SkillOutcome::Act(crafter(a)),
                None => SkillOutcome::Failed(format!("no recipe for {item}")),
            },
            VoxelActionSpace::Minerl => SkillOutcome::Act(minerl(MineRlInput {
                craft: Some(item.to_string()),
                ..Default::default()
            })),
        }
    }

    fn drink(&mut self, obs: &VoxelObservation) -> SkillOutcome {
        let space = obs.action_space;
        if obs.vitals.drink >= 9 && (self.interacting > 0 || space == VoxelActionSpace::Crafter) {
            return SkillOutcome::Done;
        }
        if space == VoxelActionSpace::Minerl && obs.vitals.drink > self.start_vitals.drink {
            return SkillOutcome::Done;
        }
        let wanted = |n: &str| n == "water";
        let face = match self.block_target(obs, &wanted, &["water"]) {
            Ok(Ok(face)) => face,
            Ok(Err(action)) => return SkillOutcome::Act(action),
            Err(e) => return SkillOutcome::Failed(format!("drink: {e}")),
        };
        self.interacting += 1;
        if self.interacting > 20 {
            return SkillOutcome::Done;
        }
        match space {
            VoxelActionSpace::Crafter => SkillOutcome::Act(crafter(CrafterAction::Do)),
            VoxelActionSpace::Minerl => {
                let (camera, there) = aim(obs, face.target.as_vec3() + Vec3::new(0.5, 0.5, 0.8));
                SkillOutcome::Act(minerl(MineRlInput {
                    use_item: there,
                    camera,
                    ..Default::default()
                }))
            }
        }
    }

    /// Eat a cow or fight a creature: approach, face, hit until it is gone.
    fn hit(&mut self, obs: &VoxelObservation, name: &str) -> SkillOutcome {
        let space = obs.action_space;
        if name == "plant" && obs.vitals.food > self.start_vitals.food {
            return SkillOutcome::Done;
        }
        if name == "cow" && obs.vitals.food > self.start_vitals.food + 1 {
            return SkillOutcome::Done;
        }
        if self.interacting > 0 && obs.privileged.is_some() {
            let before = self.creatures_at_start.get(name).copied().unwrap_or(0);
            if creature_cells(obs, name).count() < before {
                return SkillOutcome::Done;
            }
        }
        let face = if let Some(grid) = grid_of(obs) {
            let cells: Vec<IVec3> = creature_cells(obs, name).collect();
            if cells.is_empty() {
                return if self.interacting > 0 {
                    SkillOutcome::Done
                } else {
                    SkillOutcome::Failed(format!("no {name} in the block box"))
                };
            }
            if let Some(face) = self.plan.as_ref().and_then(|p| p.face)
                && !cells.contains(&face.target)
            {
                self.plan = None;
                if self.interacting > 0 {
                    self.interacting = 0;
                }
            }
            let result = self.approach(obs, &grid, 4, |c, _| {
                DIRECTIONS
                    .into_iter()
                    .find(|d| cells.contains(&(c + d.extend(0))))
                    .map(|dir| {
                        Some(Facing {
                            dir,
                            target: c + dir.extend(0),
                        })
                    })
            });
            match result {
                Ok(Ok(Some(face))) => face,
                Ok(Ok(None)) => return SkillOutcome::Failed("no target".into()),
                Ok(Err(action)) => return SkillOutcome::Act(action),
                Err(e) => return SkillOutcome::Failed(format!("{name}: {e}")),
            }
        } else {
            let Some(target) = nearby_cell(obs, name) else {
                return if self.interacting > 0 {
                    SkillOutcome::Done
                } else {
                    SkillOutcome::Failed(format!("no {name} nearby"))
                };
            };
            match self.greedy(obs, target) {
                Ok(Some(face)) => face,
                Ok(None) => return SkillOutcome::Failed("no target".into()),
                Err(action) => return self.greedy_act(action),
            }
        };
        self.interacting += 1;
        if self.interacting > 60 {
            return SkillOutcome::Failed(format!("the {name} does not go down"));
        }
        match space {
            VoxelActionSpace::Crafter => SkillOutcome::Act(crafter(CrafterAction::Do)),
            VoxelActionSpace::Minerl => {
                let (camera, there) = aim(obs, face.target.as_vec3() + Vec3::new(0.5, 0.5, 0.9));
                SkillOutcome::Act(minerl(MineRlInput {
                    attack: there,
                    camera,
                    ..Default::default()
                }))
            }
        }
    }

    fn explore(&mut self, obs: &VoxelObservation, explorer: &mut Explorer) -> SkillOutcome {
        let space = obs.action_space;
        match (space, grid_of(obs)) {
            (VoxelActionSpace::Crafter, Some(grid)) => {
                if self.plan.is_none() {
                    let start = grid.start_cell(obs.cell());
                    let mut found = None;
                    for _ in 0..4 {
                        let heading = explorer.heading;
                        let route = grid.search(start, None, |c, _| {
                            let d = (c - start).truncate();
                            (d.dot(heading) >= 10).then_some(())
                        });
                        if let Some(route) = route {
                            found = Some(route);
                            break;
                        }
                        explorer.turn();
                    }
                    let Some(route) = found else {
                        self.interacting += 1;
                        explorer.turn();
                        if self.interacting > 8 {
                            return SkillOutcome::Failed("boxed in".into());
                        }
                        return SkillOutcome::Act(crafter_move(explorer.heading));
                    };
                    let stand = route.cells.last().copied().unwrap_or(start);
                    self.plan = Some(Plan {
                        path: route.cells.into(),
                        stand,
                        face: None,
                    });
                }
                if self.still >= 4 {
                    self.still = 0;
                    self.plan = None;
                    explorer.turn();
                    return SkillOutcome::Act(crafter(CrafterAction::Noop));
                }
                match self.walk(obs) {
                    Walk::Arrived | Walk::Replan => SkillOutcome::Done,
                    Walk::Act(action) => SkillOutcome::Act(action),
                }
            }
            (VoxelActionSpace::Crafter, None) => {
                if self.actions >= 20 {
                    return SkillOutcome::Done;
                }
                if self.still > 0 {
                    self.still = 0;
                    explorer.turn();
                }
                SkillOutcome::Act(crafter_move(explorer.heading))
            }
            (VoxelActionSpace::Minerl, _) => {
                if self.actions >= 100 && self.skill == Skill::Explore {
                    return SkillOutcome::Done;
                }
                if self.still >= 25 {
                    self.still = 0;
                    explorer.turn();
                }
                let yaw = match (explorer.heading.x, explorer.heading.y) {
                    (1, _) => 90.0,
                    (-1, _) => 270.0,
                    (_, -1) => 180.0,
                    _ => 0.0,
                };
                let dyaw = wrap180(yaw - obs.yaw_deg);
                let blocked = self.still >= 2 || obs.in_water;
                SkillOutcome::Act(minerl(MineRlInput {
                    forward: dyaw.abs() < 45.0,
                    sprint: !obs.in_water,
                    jump: blocked,
                    camera: [(-obs.pitch_deg).clamp(-30.0, 30.0), dyaw.clamp(-60.0, 60.0)],
                    ..Default::default()
                }))
            }
        }
    }

    fn look_up(&mut self, obs: &VoxelObservation) -> SkillOutcome {
        if obs.action_space == VoxelActionSpace::Crafter {
            return SkillOutcome::Failed("Crafter's camera is fixed".into());
        }
        if let Some(grid) = grid_of(obs) {
            let top = grid.blocks().origin.z + grid.blocks().size[2] as i32;
            let open =
                |c: IVec3| ((c.z + 2)..top).all(|z| !grid.targetable(IVec3::new(c.x, c.y, z)));
            if !open(grid.start_cell(obs.cell())) || self.plan.is_some() {
                match self.approach(obs, &grid, 60, |c, _| open(c).then_some(None)) {
                    Ok(Ok(_)) => self.plan = None,
                    Ok(Err(action)) => return SkillOutcome::Act(action),
                    Err(_) => self.plan = None,
                }
            }
        }
        SkillOutcome::Act(minerl(MineRlInput {
            camera: [(90.0 - obs.pitch_deg).clamp(0.0, 30.0), 0.0],
            ..Default::default()
        }))
    }

    fn dig_down(&mut self, obs: &VoxelObservation) -> SkillOutcome {
        if obs.action_space == VoxelActionSpace::Crafter {
            return SkillOutcome::Failed("Crafter cannot dig down".into());
        }
        if let Some(v) = &obs.in_view
            && obs.pitch_deg < -80.0
            && matches!(v.block.as_str(), "bedrock" | "water" | "lava")
        {
            return SkillOutcome::Failed(format!("{} below", v.block));
        }
        let cell = obs.cell();
        let c = centre(cell);
        let off = horizontal(obs.position_m, c);
        let camera = [(-90.0 - obs.pitch_deg).clamp(-45.0, 0.0), 0.0];
        if off > 0.15 && self.interacting == 0 {
            // Centre on the cell first, or the body stays on the neighbouring block.
            let v = c - obs.position_m;
            let yaw = obs.yaw_deg.to_radians();
            let forward = Vec3::new(yaw.sin(), yaw.cos(), 0.0);
            let right = Vec3::new(yaw.cos(), -yaw.sin(), 0.0);
            let (f, r) = (v.dot(forward), v.dot(right));
            return SkillOutcome::Act(minerl(MineRlInput {
                forward: f > 0.05,
                back: f < -0.05,
                right: r > 0.05,
                left: r < -0.05,
                sneak: true,
                camera,
                ..Default::default()
            }));
        }
        self.interacting = u32::from(obs.pitch_deg <= -80.0);
        SkillOutcome::Act(minerl(MineRlInput {
            attack: obs.pitch_deg <= -80.0,
            camera,
            ..Default::default()
        }))
    }

    fn water(
        &mut self,
        obs: &VoxelObservation,
        dive: bool,
        explorer: &mut Explorer,
    ) -> SkillOutcome {
        if obs.action_space == VoxelActionSpace::Crafter {
            return SkillOutcome::Failed("Crafter's agent cannot enter water".into());
        }
        if obs.in_water || obs.underwater {
            self.flag = true;
            self.interacting += 1;
            let input = if dive {
                MineRlInput {
                    sneak: true,
                    forward: !obs.underwater && self.interacting > 40,
                    camera: [(-30.0 - obs.pitch_deg).clamp(-10.0, 10.0), 0.0],
                    ..Default::default()
                }
            } else {
                MineRlInput {
                    jump: obs.underwater,
                    ..Default::default()
                }
            };
            return SkillOutcome::Act(minerl(input));
        }
        // Find water (deep water first when diving) and walk into it.
        let target = if let Some(grid) = grid_of(obs) {
            let mut result = self.approach(obs, &grid, 60, water_goal(&grid, dive));
            if dive && result.is_err() {
                self.plan = None;
                self.replans = 0;
                result = self.approach(obs, &grid, 60, water_goal(&grid, false));
            }
            match result {
                Ok(Ok(Some(face))) => Some(face.target),
                Ok(Ok(None)) => None,
                Ok(Err(action)) => return SkillOutcome::Act(action),
                Err(_) => None,
            }
        } else {
            match nearby_cell(obs, "water") {
                Some(t) => {
                    if let Err(action) = self.greedy(obs, t) {
                        return SkillOutcome::Act(action);
                    }
                    Some(t)
                }
                None => None,
            }
        };
        match target {
            Some(t) => SkillOutcome::Act(minerl(walk_towards(obs, centre(t), false))),
            None => {
                self.plan = None;
                self.replans = 0;
                match self.explore(obs, explorer) {
                    SkillOutcome::Act(a) => SkillOutcome::Act(a),
                    _ => SkillOutcome::Act(noop(VoxelActionSpace::Minerl)),
                }
            }
        }
    }
}
