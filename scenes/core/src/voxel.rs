//! The voxel world (Minecraft-like tasks: STEVE-1's early-game prompts, Crafter's
//! achievements in 3D): its two action spaces and its observation.
//!
//! Frames and units follow the rest of waymark: z up, x east, y north, one block = one metre;
//! yaw in degrees clockwise from north (+y), pitch in degrees up from horizontal.

use crate::SensorReadings;
use glam::{IVec3, Vec3};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Crafter's 17 discrete actions (Hafner 2021), in Crafter's order. In 3D, the four moves
/// face north/south/west/east and walk one block (stepping up one block or falling as the
/// terrain asks); `do`, `place_*` act on the block faced at the feet (or the head, or the
/// ground in front), as Crafter's facing cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrafterAction {
    /// Do nothing.
    Noop,
    /// Face and walk west (Crafter's left).
    MoveLeft,
    /// Face and walk east (Crafter's right).
    MoveRight,
    /// Face and walk north (Crafter's up).
    MoveUp,
    /// Face and walk south (Crafter's down).
    MoveDown,
    /// Collect the faced block, attack the faced creature, drink water, eat a ripe plant.
    Do,
    /// Sleep until energy is full (woken by damage).
    Sleep,
    /// Place stone (1 stone).
    PlaceStone,
    /// Place a crafting table (1 wood in Crafter's data; see the crate docs).
    PlaceTable,
    /// Place a furnace next to a table.
    PlaceFurnace,
    /// Plant a sapling on grass.
    PlacePlant,
    /// Make a wood pickaxe next to a table.
    MakeWoodPickaxe,
    /// Make a stone pickaxe next to a table.
    MakeStonePickaxe,
    /// Make an iron pickaxe next to a table and a furnace.
    MakeIronPickaxe,
    /// Make a wood sword next to a table.
    MakeWoodSword,
    /// Make a stone sword next to a table.
    MakeStoneSword,
    /// Make an iron sword next to a table and a furnace.
    MakeIronSword,
}

impl CrafterAction {
    /// All 17, in Crafter's order (its action indices).
    pub const ALL: [Self; 17] = [
        Self::Noop,
        Self::MoveLeft,
        Self::MoveRight,
        Self::MoveUp,
        Self::MoveDown,
        Self::Do,
        Self::Sleep,
        Self::PlaceStone,
        Self::PlaceTable,
        Self::PlaceFurnace,
        Self::PlacePlant,
        Self::MakeWoodPickaxe,
        Self::MakeStonePickaxe,
        Self::MakeIronPickaxe,
        Self::MakeWoodSword,
        Self::MakeStoneSword,
        Self::MakeIronSword,
    ];

    /// Crafter's name (`move_left`, `make_wood_pickaxe`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Noop => "noop",
            Self::MoveLeft => "move_left",
            Self::MoveRight => "move_right",
            Self::MoveUp => "move_up",
            Self::MoveDown => "move_down",
            Self::Do => "do",
            Self::Sleep => "sleep",
            Self::PlaceStone => "place_stone",
            Self::PlaceTable => "place_table",
            Self::PlaceFurnace => "place_furnace",
            Self::PlacePlant => "place_plant",
            Self::MakeWoodPickaxe => "make_wood_pickaxe",
            Self::MakeStonePickaxe => "make_stone_pickaxe",
            Self::MakeIronPickaxe => "make_iron_pickaxe",
            Self::MakeWoodSword => "make_wood_sword",
            Self::MakeStoneSword => "make_stone_sword",
            Self::MakeIronSword => "make_iron_sword",
        }
    }

    /// The action named `name` (Crafter's names).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// One MineRL-style tick of input (the keys and mouse of a human player, as MineRL's
/// `MineRLBasaltFindCave` / VPT action space has them, plus MineRL Obtain's `craft`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MineRlInput {
    /// Walk forward.
    #[serde(skip_serializing_if = "is_false")]
    pub forward: bool,
    /// Walk backward.
    #[serde(skip_serializing_if = "is_false")]
    pub back: bool,
    /// Strafe left.
    #[serde(skip_serializing_if = "is_false")]
    pub left: bool,
    /// Strafe right.
    #[serde(skip_serializing_if = "is_false")]
    pub right: bool,
    /// Jump (swim up in water).
    #[serde(skip_serializing_if = "is_false")]
    pub jump: bool,
    /// Sneak (slower; sink in water).
    #[serde(skip_serializing_if = "is_false")]
    pub sneak: bool,
    /// Sprint.
    #[serde(skip_serializing_if = "is_false")]
    pub sprint: bool,
    /// Attack: break the block in view over the ticks its hardness asks, hit a creature.
    #[serde(skip_serializing_if = "is_false")]
    pub attack: bool,
    /// Use: place the selected block against the block in view, eat, sleep in the dark.
    #[serde(rename = "use", skip_serializing_if = "is_false")]
    pub use_item: bool,
    /// Toggle the inventory screen.
    #[serde(skip_serializing_if = "is_false")]
    pub inventory: bool,
    /// Camera change in degrees: `[pitch (up positive), yaw (clockwise positive)]`.
    #[serde(skip_serializing_if = "is_still")]
    pub camera: [f32; 2],
    /// Select hotbar slot 1–9.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hotbar: Option<u8>,
    /// Craft one of this item, by Crafter's item names and recipes (`table`, `furnace`,
    /// `wood_pickaxe`, `stone_sword`, …), when the inventory and the blocks nearby allow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub craft: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_still(camera: &[f32; 2]) -> bool {
    *camera == [0.0, 0.0]
}

/// Which action space an episode uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoxelActionSpace {
    /// Crafter's 17 discrete actions ([`CrafterAction`]).
    Crafter,
    /// MineRL's keys and camera ([`MineRlInput`]).
    Minerl,
}

/// The agent's four Crafter vitals, 0–9.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vitals {
    /// Health; the episode ends at 0.
    pub health: u8,
    /// Food (eat cows and ripe plants).
    pub food: u8,
    /// Drink (drink water).
    pub drink: u8,
    /// Energy (sleep).
    pub energy: u8,
}

/// The block the camera's centre ray meets within reach.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BlockInView {
    /// The block's name (`log`, `stone`, `water`).
    pub block: String,
    /// Its cell (x east, y north, z up).
    pub cell: IVec3,
    /// Distance from the eye to where the ray enters it, metres.
    pub distance_m: f32,
}

/// The nearest thing of one kind around the agent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NearbyThing {
    /// A block's name (`log`, `water`, `coal_ore`) or a creature's (`cow`, `zombie`).
    pub name: String,
    /// Its cell relative to the agent's feet cell (x east, y north, z up).
    pub offset: IVec3,
    /// Straight-line distance from the feet cell, metres.
    pub distance_m: f32,
}

/// Blocks in a box around the agent, for privileged (scripted) planners.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocalBlocks {
    /// The box's lowest corner cell.
    pub origin: IVec3,
    /// Its size in cells: `[x, y, z]`.
    pub size: [u32; 3],
    /// One block code per cell, x fastest, then y, then z (codes: [`LocalBlocks::names`]).
    pub codes: Vec<u8>,
    /// The block name of each code.
    pub names: Vec<String>,
}

impl LocalBlocks {
    /// The code at world cell `cell`, when inside the box.
    pub fn code(&self, cell: IVec3) -> Option<u8> {
        let d = cell - self.origin;
        let [sx, sy, sz] = self.size.map(|s| s as i32);
        if d.x < 0 || d.y < 0 || d.z < 0 || d.x >= sx || d.y >= sy || d.z >= sz {
            return None;
        }
        self.codes
            .get((d.x + sx * (d.y + sy * d.z)) as usize)
            .copied()
    }

    /// The block name at world cell `cell`, when inside the box.
    pub fn name(&self, cell: IVec3) -> Option<&str> {
        self.code(cell)
            .and_then(|c| self.names.get(usize::from(c)))
            .map(String::as_str)
    }
}

/// What a privileged voxel planner may see beyond the agent's own senses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VoxelPrivileged {
    /// The blocks around the agent.
    pub blocks: LocalBlocks,
    /// Every creature within the box: name and cell.
    pub creatures: Vec<(String, IVec3)>,
}

/// The state of a voxel-world episode.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VoxelObservation {
    /// The world (`seed-7`).
    pub world: String,
    /// The action space the episode takes.
    pub action_space: VoxelActionSpace,
    /// Steps taken so far.
    pub step: u32,
    /// The agent's feet position (world, metres = blocks, z up).
    pub position_m: Vec3,
    /// Yaw in degrees `[0, 360)`, clockwise from north (+y).
    pub yaw_deg: f32,
    /// Camera pitch in degrees, up positive.
    pub pitch_deg: f32,
    /// Health, food, drink, energy.
    pub vitals: Vitals,
    /// Items held, by name, non-zero counts only.
    pub inventory: BTreeMap<String, u32>,
    /// The selected hotbar slot's item, if any (MineRL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<String>,
    /// Achievements unlocked so far this episode (Crafter's names), in the order unlocked.
    pub achievements: Vec<String>,
    /// The block the view's centre meets within reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_view: Option<BlockInView>,
    /// The nearest visible thing of each kind within 12 blocks, nearest first.
    pub nearby: Vec<NearbyThing>,
    /// Daylight, 0 (night) to 1.
    pub daylight: f32,
    /// Whether the agent sleeps.
    pub sleeping: bool,
    /// Whether the agent's feet are in water.
    pub in_water: bool,
    /// Whether the agent's eyes are under water.
    pub underwater: bool,
    /// Whether the inventory screen is open (MineRL).
    pub inventory_open: bool,
    /// The surroundings in words, for language-model planners.
    pub text: String,
    /// Sensor readings (first-person RGB and depth views), when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensors: Option<SensorReadings>,
    /// Privileged: the blocks and creatures around, for scripted planners that declare they
    /// need it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privileged: Option<VoxelPrivileged>,
}

impl VoxelObservation {
    /// The kind name of these observations.
    pub const KIND: &'static str = "voxel";

    /// The feet cell.
    pub fn cell(&self) -> IVec3 {
        self.position_m.floor().as_ivec3()
    }

    /// How many of `item` the agent holds.
    pub fn count(&self, item: &str) -> u32 {
        self.inventory.get(item).copied().unwrap_or(0)
    }
}

/// A STEVE-1 prompt family (Lifshitz et al. 2023: the keys of its prompt table), with its
/// prompt and the measure that scores it; shared by the task and the planners.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Steve1Family {
    /// "dig as far as possible".
    Dig,
    /// Dirt.
    Dirt,
    /// Look at the sky.
    Sky,
    /// Break leaves.
    Leaves,
    /// Wood.
    Wood,
    /// Seeds.
    Seeds,
    /// A flower.
    Flower,
    /// Explore.
    Explore,
    /// Swim.
    Swim,
    /// Underwater.
    Underwater,
    /// Open the inventory.
    Inventory,
}

impl Steve1Family {
    /// All eleven, in STEVE-1's order.
    pub const ALL: [Self; 11] = [
        Self::Dig,
        Self::Dirt,
        Self::Sky,
        Self::Leaves,
        Self::Wood,
        Self::Seeds,
        Self::Flower,
        Self::Explore,
        Self::Swim,
        Self::Underwater,
        Self::Inventory,
    ];

    /// Its key in STEVE-1's prompt table.
    pub fn name(self) -> &'static str {
        match self {
            Self::Dig => "dig",
            Self::Dirt => "dirt",
            Self::Sky => "sky",
            Self::Leaves => "leaves",
            Self::Wood => "wood",
            Self::Seeds => "seeds",
            Self::Flower => "flower",
            Self::Explore => "explore",
            Self::Swim => "swim",
            Self::Underwater => "underwater",
            Self::Inventory => "inventory",
        }
    }

    /// The family named `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Every name, comma separated (for error messages).
    pub fn names() -> String {
        Self::ALL.map(Self::name).join(", ")
    }

    /// The prompt, verbatim from STEVE-1's paper prompts.
    pub fn prompt(self) -> &'static str {
        match self {
            Self::Dig => "dig as far as possible",
            Self::Dirt => "get dirt, dig hole, dig dirt, gather a ton of dirt, collect dirt",
            Self::Sky => "look at the sky",
            Self::Leaves => "break leaves",
            Self::Wood => "chop down the tree, gather wood, pick up wood, chop it down, break tree",
            Self::Seeds => {
                "break tall grass, break grass, collect seeds, punch the ground, run around in circles getting seeds from bushes"
            }
            Self::Flower => "break a flower",
            Self::Explore => "go explore",
            Self::Swim => "go swimming",
            Self::Underwater => "go underwater",
            Self::Inventory => "open inventory",
        }
    }

    /// The metric that scores it.
    pub fn measure(self) -> &'static str {
        match self {
            Self::Dig => "dig_depth_m",
            Self::Dirt => "dirt",
            Self::Sky => "sky_frac",
            Self::Leaves => "leaves",
            Self::Wood => "logs",
            Self::Seeds => "seeds",
            Self::Flower => "flowers",
            Self::Explore => "travel_dist_m",
            Self::Swim => "swim_frac",
            Self::Underwater => "underwater_frac",
            Self::Inventory => "inventory_frac",
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn crafter_actions_round_trip_by_name_and_json() {
        for (i, a) in CrafterAction::ALL.into_iter().enumerate() {
            assert_eq!(CrafterAction::from_name(a.name()), Some(a));
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(json, format!("\"{}\"", a.name()), "action {i}");
        }
        assert_eq!(CrafterAction::ALL.len(), 17);
    }

    #[test]
    fn minerl_input_reads_sparse_json() {
        let input: MineRlInput =
            serde_json::from_str(r#"{"forward": true, "use": true, "camera": [0, 15]}"#).unwrap();
        assert!(input.forward && input.use_item && !input.attack);
        assert_eq!(input.camera, [0.0, 15.0]);
        assert_eq!(
            serde_json::to_string(&MineRlInput::default()).unwrap(),
            "{}"
        );
        let back: MineRlInput =
            serde_json::from_str(&serde_json::to_string(&input).unwrap()).unwrap();
        assert_eq!(back, input);
    }

    #[test]
    fn local_blocks_index_x_fastest() {
        let blocks = LocalBlocks {
            origin: IVec3::new(10, 20, 30),
            size: [2, 2, 2],
            codes: vec![0, 1, 0, 0, 0, 0, 0, 2],
            names: vec!["air".into(), "log".into(), "stone".into()],
        };
        assert_eq!(blocks.name(IVec3::new(11, 20, 30)), Some("log"));
        assert_eq!(blocks.name(IVec3::new(11, 21, 31)), Some("stone"));
        assert_eq!(blocks.name(IVec3::new(12, 20, 30)), None);
    }
}
