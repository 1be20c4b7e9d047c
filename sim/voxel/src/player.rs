//! The agent: its body, vitals (Crafter's life statistics), inventory and achievements.

use crate::items::{ACHIEVEMENTS, Inventory, Item};
use glam::{IVec2, IVec3, Vec3};

/// Crafter's cap on every count.
pub const CRAFTER_CAP: u32 = 9;
/// The MineRL space's cap: a Minecraft inventory's 36 slots of 64.
pub const MINERL_CAP: u32 = 36 * 64;
/// Eye height above the feet, metres (Minecraft's 1.62).
pub const EYE_HEIGHT_M: f32 = 1.62;

/// The agent.
#[derive(Clone, Debug, PartialEq)]
pub struct Player {
    /// Feet position (the centre of the body's base), metres.
    pub position_m: Vec3,
    /// Velocity, metres per tick (MineRL space).
    pub velocity: Vec3,
    /// Yaw, degrees clockwise from north.
    pub yaw_deg: f32,
    /// Pitch, degrees up.
    pub pitch_deg: f32,
    /// The direction faced on the grid (Crafter space).
    pub facing: IVec2,
    /// Items.
    pub inventory: Inventory,
    /// Health, food, drink, energy (0–9).
    pub health: i32,
    /// Food.
    pub food: i32,
    /// Drink.
    pub drink: i32,
    /// Energy.
    pub energy: i32,
    pub(crate) hunger: f32,
    pub(crate) thirst: f32,
    pub(crate) fatigue: f32,
    pub(crate) recover: f32,
    pub(crate) last_health: i32,
    /// Whether it sleeps.
    pub sleeping: bool,
    /// Times each of [`ACHIEVEMENTS`] was earned.
    pub achievement_counts: [u32; ACHIEVEMENTS.len()],
    /// Achievement indices in the order first earned.
    pub unlocked: Vec<u8>,
    /// The selected hotbar slot (0–8, MineRL space).
    pub hotbar: u8,
    /// Whether the inventory screen is open (MineRL space).
    pub inventory_open: bool,
    /// Whether it stands on something (MineRL space).
    pub on_ground: bool,
    /// The block being broken and the ticks spent on it (MineRL space).
    pub breaking: Option<(IVec3, u32)>,
    /// Ticks until the next hit lands (MineRL space).
    pub attack_cooldown: u32,
    /// Where the episode started.
    pub spawn_m: Vec3,
}

impl Player {
    /// A rested, fed player standing at `feet_m`, facing south as Crafter's player does.
    pub fn new(feet_m: Vec3) -> Self {
        Self {
            position_m: feet_m,
            velocity: Vec3::ZERO,
            yaw_deg: 180.0,
            pitch_deg: 0.0,
            facing: IVec2::new(0, -1),
            inventory: Inventory::default(),
            health: 9,
            food: 9,
            drink: 9,
            energy: 9,
            hunger: 0.0,
            thirst: 0.0,
            fatigue: 0.0,
            recover: 0.0,
            last_health: 9,
            sleeping: false,
            achievement_counts: [0; ACHIEVEMENTS.len()],
            unlocked: Vec::new(),
            hotbar: 0,
            inventory_open: false,
            on_ground: true,
            breaking: None,
            attack_cooldown: 0,
            spawn_m: feet_m,
        }
    }

    /// The feet cell.
    #[inline]
    pub fn cell(&self) -> IVec3 {
        self.position_m.floor().as_ivec3()
    }

    /// The eye position.
    pub fn eye_m(&self) -> Vec3 {
        self.position_m + Vec3::Z * EYE_HEIGHT_M
    }

    /// The unit view direction.
    pub fn view_dir(&self) -> Vec3 {
        let (yaw, pitch) = (self.yaw_deg.to_radians(), self.pitch_deg.to_radians());
        Vec3::new(
            yaw.sin() * pitch.cos(),
            yaw.cos() * pitch.cos(),
            pitch.sin(),
        )
    }

    /// Records one achievement by name (unknown names are ignored).
    pub fn achieve(&mut self, name: &str) {
        if let Some(i) = crate::items::achievement_index(name) {
            if self.achievement_counts[i] == 0 {
                self.unlocked.push(i as u8);
            }
            self.achievement_counts[i] += 1;
        }
    }

    /// Whether achievement `name` was earned.
    pub fn has(&self, name: &str) -> bool {
        crate::items::achievement_index(name).is_some_and(|i| self.achievement_counts[i] > 0)
    }

    /// The damage its best sword deals (Crafter: 1, wood 2, stone 3, iron 5).
    pub fn damage(&self) -> i32 {
        let inv = &self.inventory;
        [
            1,
            if inv.count(Item::WoodSword) > 0 { 2 } else { 0 },
            if inv.count(Item::StoneSword) > 0 {
                3
            } else {
                0
            },
            if inv.count(Item::IronSword) > 0 { 5 } else { 0 },
        ]
        .into_iter()
        .max()
        .unwrap_or(1)
    }

    /// Crafter's `_update_life_stats`: hunger, thirst and fatigue tick; food, drink and
    /// energy fall (or energy rises while asleep) when they pass their thresholds.
    pub(crate) fn update_life_stats(&mut self) {
        self.hunger += if self.sleeping { 0.5 } else { 1.0 };
        if self.hunger > 25.0 {
            self.hunger = 0.0;
            self.food -= 1;
        }
        self.thirst += if self.sleeping { 0.5 } else { 1.0 };
        if self.thirst > 20.0 {
            self.thirst = 0.0;
            self.drink -= 1;
        }
        if self.sleeping {
            self.fatigue = (self.fatigue - 1.0).min(0.0);
        } else {
            self.fatigue += 1.0;
        }
        if self.fatigue < -10.0 {
            self.fatigue = 0.0;
            self.energy += 1;
        }
        if self.fatigue > 30.0 {
            self.fatigue = 0.0;
            self.energy -= 1;
        }
    }

    /// Crafter's `_degen_or_regen_health`: health recovers while fed, watered and rested,
    /// and degrades otherwise.
    pub(crate) fn degen_or_regen_health(&mut self) {
        let necessities = self.food > 0 && self.drink > 0 && (self.energy > 0 || self.sleeping);
        if necessities {
            self.recover += if self.sleeping { 2.0 } else { 1.0 };
        } else {
            self.recover -= if self.sleeping { 0.5 } else { 1.0 };
        }
        if self.recover > 25.0 {
            self.recover = 0.0;
            self.health += 1;
        }
        if self.recover < -15.0 {
            self.recover = 0.0;
            self.health -= 1;
        }
    }

    /// Clamps the vitals to 0–9 (Crafter keeps them in its inventory, clamped each step).
    pub(crate) fn clamp_vitals(&mut self) {
        for v in [
            &mut self.health,
            &mut self.food,
            &mut self.drink,
            &mut self.energy,
        ] {
            *v = (*v).clamp(0, 9);
        }
    }

    /// Crafter's `_wake_up_when_hurt`.
    pub(crate) fn wake_up_when_hurt(&mut self) {
        if self.health < self.last_health {
            self.sleeping = false;
        }
        self.last_health = self.health;
    }
}
