//! What each object type can do, from ALFRED's `gen/constants.py` (its receptacle, openable
//! and sliceable lists) and from the actions its expert takes (what it switches on).

/// Types that hold other objects (ALFRED's `RECEPTACLES`, basins included).
const RECEPTACLES: &[&str] = &[
    "ArmChair",
    "BathtubBasin",
    "Bed",
    "Bowl",
    "Box",
    "Cabinet",
    "Cart",
    "CoffeeMachine",
    "CoffeeTable",
    "CounterTop",
    "Cup",
    "Desk",
    "DiningTable",
    "Drawer",
    "Dresser",
    "Fridge",
    "GarbageCan",
    "HandTowelHolder",
    "LaundryHamper",
    "Microwave",
    "Mug",
    "Ottoman",
    "PaintingHanger",
    "Pan",
    "Plate",
    "Pot",
    "Safe",
    "Shelf",
    "SideTable",
    "SinkBasin",
    "Sofa",
    "StoveBurner",
    "TVStand",
    "Toilet",
    "ToiletPaperHanger",
    "TowelHolder",
];

/// Types that open and close (ALFRED's `OPENABLE_CLASS_LIST`, plus laptops, which its expert
/// closes before picking one up).
const OPENABLE: &[&str] = &[
    "Fridge",
    "Cabinet",
    "Microwave",
    "Drawer",
    "Safe",
    "Box",
    "Laptop",
];

/// Types that switch on and off: lamps (the look-at tasks), and the appliances the expert
/// switches (microwaves heat, faucets rinse).
const TOGGLEABLE: &[&str] = &[
    "DeskLamp",
    "FloorLamp",
    "Microwave",
    "Faucet",
    "StoveKnob",
    "CoffeeMachine",
    "Toaster",
    "Television",
    "Laptop",
    "LightSwitch",
];

/// Types a knife slices (ALFRED's `Sliceable`), with how many pieces they fall into.
const SLICEABLE: &[(&str, usize)] = &[
    ("Apple", 8),
    ("Bread", 10),
    ("Egg", 1),
    ("Lettuce", 8),
    ("Potato", 8),
    ("Tomato", 8),
];

/// Whether `object_type` holds other objects.
pub fn is_receptacle(object_type: &str) -> bool {
    RECEPTACLES.contains(&object_type)
}

/// Whether `object_type` opens.
pub fn is_openable(object_type: &str) -> bool {
    OPENABLE.contains(&object_type)
}

/// Whether `object_type` switches on and off.
pub fn is_toggleable(object_type: &str) -> bool {
    TOGGLEABLE.contains(&object_type)
}

/// How many slices `object_type` falls into, when it is sliceable.
pub fn slices(object_type: &str) -> Option<usize> {
    SLICEABLE
        .iter()
        .find(|(t, _)| *t == object_type)
        .map(|&(_, n)| n)
}

/// Whether an object of `object_type` in hand slices things (ALFRED: `Knife` in its type).
pub fn is_knife(object_type: &str) -> bool {
    object_type.contains("Knife")
}
