//! Items, the inventory, Crafter's achievements and its recipes.

use crate::block::Block;

/// An item the agent can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Item {
    /// A sapling (Crafter: from grass, 10%; Minecraft: from leaves).
    Sapling,
    /// Wood (Crafter's name for logs).
    Wood,
    /// Stone.
    Stone,
    /// Coal.
    Coal,
    /// Iron.
    Iron,
    /// Diamond.
    Diamond,
    /// Wood pickaxe.
    WoodPickaxe,
    /// Stone pickaxe.
    StonePickaxe,
    /// Iron pickaxe.
    IronPickaxe,
    /// Wood sword.
    WoodSword,
    /// Stone sword.
    StoneSword,
    /// Iron sword.
    IronSword,
    /// Dirt (Minecraft: from grass and dirt).
    Dirt,
    /// Sand.
    Sand,
    /// Wheat seeds (Minecraft: from tall grass, 12.5%).
    Seeds,
    /// A flower.
    Flower,
    /// A crafting table, to place (MineRL).
    Table,
    /// A furnace, to place (MineRL).
    Furnace,
}

impl Item {
    /// Every item, by code.
    pub const ALL: [Self; 18] = [
        Self::Sapling,
        Self::Wood,
        Self::Stone,
        Self::Coal,
        Self::Iron,
        Self::Diamond,
        Self::WoodPickaxe,
        Self::StonePickaxe,
        Self::IronPickaxe,
        Self::WoodSword,
        Self::StoneSword,
        Self::IronSword,
        Self::Dirt,
        Self::Sand,
        Self::Seeds,
        Self::Flower,
        Self::Table,
        Self::Furnace,
    ];

    /// Its name (Crafter's where Crafter has the item).
    pub fn name(self) -> &'static str {
        match self {
            Self::Sapling => "sapling",
            Self::Wood => "wood",
            Self::Stone => "stone",
            Self::Coal => "coal",
            Self::Iron => "iron",
            Self::Diamond => "diamond",
            Self::WoodPickaxe => "wood_pickaxe",
            Self::StonePickaxe => "stone_pickaxe",
            Self::IronPickaxe => "iron_pickaxe",
            Self::WoodSword => "wood_sword",
            Self::StoneSword => "stone_sword",
            Self::IronSword => "iron_sword",
            Self::Dirt => "dirt",
            Self::Sand => "sand",
            Self::Seeds => "seeds",
            Self::Flower => "flower",
            Self::Table => "table",
            Self::Furnace => "furnace",
        }
    }

    /// The item named `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.name() == name)
    }

    /// The block it places, if it is one.
    pub fn block(self) -> Option<Block> {
        match self {
            Self::Stone => Some(Block::Stone),
            Self::Dirt => Some(Block::Dirt),
            Self::Sand => Some(Block::Sand),
            Self::Wood => Some(Block::Log),
            Self::Table => Some(Block::Table),
            Self::Furnace => Some(Block::Furnace),
            _ => None,
        }
    }
}

/// Counts per item.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Inventory {
    counts: [u32; Item::ALL.len()],
}

impl Inventory {
    /// How many of `item`.
    #[inline]
    pub fn count(&self, item: Item) -> u32 {
        self.counts[item as usize]
    }

    /// Adds `n` of `item`, holding at most `cap`.
    pub fn add(&mut self, item: Item, n: u32, cap: u32) {
        let c = &mut self.counts[item as usize];
        *c = (*c + n).min(cap);
    }

    /// Takes `n` of `item` if there are that many.
    pub fn take(&mut self, item: Item, n: u32) -> bool {
        let c = &mut self.counts[item as usize];
        if *c < n {
            return false;
        }
        *c -= n;
        true
    }

    /// Whether it holds every `(item, n)` of `uses`.
    pub fn has_all(&self, uses: &[(Item, u32)]) -> bool {
        uses.iter().all(|&(item, n)| self.count(item) >= n)
    }

    /// Non-zero counts, in item order.
    pub fn held(&self) -> impl Iterator<Item = (Item, u32)> + '_ {
        Item::ALL
            .into_iter()
            .map(|i| (i, self.count(i)))
            .filter(|&(_, n)| n > 0)
    }
}

/// Crafter's 22 achievements, in its order.
pub const ACHIEVEMENTS: [&str; 22] = [
    "collect_coal",
    "collect_diamond",
    "collect_drink",
    "collect_iron",
    "collect_sapling",
    "collect_stone",
    "collect_wood",
    "defeat_skeleton",
    "defeat_zombie",
    "eat_cow",
    "eat_plant",
    "make_iron_pickaxe",
    "make_iron_sword",
    "make_stone_pickaxe",
    "make_stone_sword",
    "make_wood_pickaxe",
    "make_wood_sword",
    "place_furnace",
    "place_plant",
    "place_stone",
    "place_table",
    "wake_up",
];

/// The index of achievement `name` in [`ACHIEVEMENTS`].
pub fn achievement_index(name: &str) -> Option<usize> {
    ACHIEVEMENTS.iter().position(|&a| a == name)
}

/// One of Crafter's `make` recipes.
#[derive(Clone, Copy, Debug)]
pub struct Recipe {
    /// What it makes (one).
    pub item: Item,
    /// What it uses.
    pub uses: &'static [(Item, u32)],
    /// Whether a furnace must be near too (a table always must).
    pub furnace: bool,
}

/// Crafter's `make` recipes (its `data.yaml`): every tool needs a table within one block
/// (the 3×3 cells around, Crafter's `nearby(pos, 1)`), iron ones a furnace too.
pub const RECIPES: [Recipe; 6] = [
    Recipe {
        item: Item::WoodPickaxe,
        uses: &[(Item::Wood, 1)],
        furnace: false,
    },
    Recipe {
        item: Item::StonePickaxe,
        uses: &[(Item::Wood, 1), (Item::Stone, 1)],
        furnace: false,
    },
    Recipe {
        item: Item::IronPickaxe,
        uses: &[(Item::Wood, 1), (Item::Coal, 1), (Item::Iron, 1)],
        furnace: true,
    },
    Recipe {
        item: Item::WoodSword,
        uses: &[(Item::Wood, 1)],
        furnace: false,
    },
    Recipe {
        item: Item::StoneSword,
        uses: &[(Item::Wood, 1), (Item::Stone, 1)],
        furnace: false,
    },
    Recipe {
        item: Item::IronSword,
        uses: &[(Item::Wood, 1), (Item::Coal, 1), (Item::Iron, 1)],
        furnace: true,
    },
];

/// The recipe making `item`.
pub fn recipe(item: Item) -> Option<&'static Recipe> {
    RECIPES.iter().find(|r| r.item == item)
}

/// Wood a table costs (Crafter's `place: table: uses`).
pub const TABLE_WOOD: u32 = 2;
/// Stone a furnace costs (Crafter's `place: furnace: uses`); it needs a table nearby.
pub const FURNACE_STONE: u32 = 4;
