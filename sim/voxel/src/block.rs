//! Block types and their properties.

/// One block. The discriminant is the block's code (as [`waymark_core::LocalBlocks`] and
/// the chunk arrays store it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[repr(u8)]
pub enum Block {
    /// Empty space.
    #[default]
    Air = 0,
    /// Grass-covered soil.
    Grass,
    /// Soil.
    Dirt,
    /// Stone.
    Stone,
    /// Sand.
    Sand,
    /// Water (not solid: the agent swims).
    Water,
    /// A tree trunk (Crafter's `tree`).
    Log,
    /// Tree leaves.
    Leaves,
    /// Tall grass (not solid; breaking it may give seeds).
    TallGrass,
    /// A flower (not solid).
    Flower,
    /// Coal ore.
    CoalOre,
    /// Iron ore.
    IronOre,
    /// Diamond ore.
    DiamondOre,
    /// Lava (not solid; deadly).
    Lava,
    /// The unbreakable floor and the world's walls.
    Bedrock,
    /// A crafting table.
    Table,
    /// A furnace.
    Furnace,
}

impl Block {
    /// Every block, by code.
    pub const ALL: [Self; 17] = [
        Self::Air,
        Self::Grass,
        Self::Dirt,
        Self::Stone,
        Self::Sand,
        Self::Water,
        Self::Log,
        Self::Leaves,
        Self::TallGrass,
        Self::Flower,
        Self::CoalOre,
        Self::IronOre,
        Self::DiamondOre,
        Self::Lava,
        Self::Bedrock,
        Self::Table,
        Self::Furnace,
    ];

    /// The block with code `code` (unknown codes read as air).
    #[inline]
    pub fn from_code(code: u8) -> Self {
        Self::ALL
            .get(usize::from(code))
            .copied()
            .unwrap_or(Self::Air)
    }

    /// Its code.
    #[inline]
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Its name, as observations and texts give it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Air => "air",
            Self::Grass => "grass",
            Self::Dirt => "dirt",
            Self::Stone => "stone",
            Self::Sand => "sand",
            Self::Water => "water",
            Self::Log => "log",
            Self::Leaves => "leaves",
            Self::TallGrass => "tall_grass",
            Self::Flower => "flower",
            Self::CoalOre => "coal_ore",
            Self::IronOre => "iron_ore",
            Self::DiamondOre => "diamond_ore",
            Self::Lava => "lava",
            Self::Bedrock => "bedrock",
            Self::Table => "table",
            Self::Furnace => "furnace",
        }
    }

    /// The block named `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.name() == name)
    }

    /// Whether bodies collide with it (air, water, lava, tall grass and flowers let them
    /// through).
    #[inline]
    pub fn is_solid(self) -> bool {
        !matches!(
            self,
            Self::Air | Self::Water | Self::Lava | Self::TallGrass | Self::Flower
        )
    }

    /// Whether the agent's hand or view ray stops at it (everything but air and fluids).
    #[inline]
    pub fn is_targetable(self) -> bool {
        !matches!(self, Self::Air | Self::Water | Self::Lava)
    }

    /// Whether it is a fluid.
    #[inline]
    pub fn is_fluid(self) -> bool {
        matches!(self, Self::Water | Self::Lava)
    }

    /// Whether a placed block may replace it (Crafter's `where` for tables and stone:
    /// grass, sand, path; here any non-solid cell but lava, which only stone fills).
    pub fn is_replaceable(self) -> bool {
        matches!(
            self,
            Self::Air | Self::TallGrass | Self::Flower | Self::Water
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_round_trip() {
        for (i, b) in Block::ALL.into_iter().enumerate() {
            assert_eq!(usize::from(b.code()), i);
            assert_eq!(Block::from_code(b.code()), b);
            assert_eq!(Block::from_name(b.name()), Some(b));
        }
        assert_eq!(Block::from_code(200), Block::Air);
    }
}
