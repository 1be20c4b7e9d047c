//! Semantic class lists of the ScanNet family, for naming instances of labelled scans.

/// The ScanNet-20 benchmark classes in benchmark order. In the 1-based convention used by
/// preprocessed ScanNet point clouds (and by `scene0451_01.npy`), class `k` is
/// `SCANNET20[k - 1]` and 0 is "unlabelled".
pub const SCANNET20: [&str; 20] = [
    "wall",
    "floor",
    "cabinet",
    "bed",
    "chair",
    "sofa",
    "table",
    "door",
    "window",
    "bookshelf",
    "picture",
    "counter",
    "desk",
    "curtain",
    "refrigerator",
    "shower curtain",
    "toilet",
    "sink",
    "bathtub",
    "otherfurniture",
];

/// The NYU40 classes indexed by id (0 = unannotated), as in ScanNet's `*_vh_clean_2.labels.ply`
/// `label` property. The ScanNet-20 classes keep their NYU40 ids here (wall 1, chair 5, desk 14,
/// refrigerator 24, …).
pub const NYU40: [&str; 41] = [
    "unannotated",
    "wall",
    "floor",
    "cabinet",
    "bed",
    "chair",
    "sofa",
    "table",
    "door",
    "window",
    "bookshelf",
    "picture",
    "counter",
    "blinds",
    "desk",
    "shelves",
    "curtain",
    "dresser",
    "pillow",
    "mirror",
    "floor mat",
    "clothes",
    "ceiling",
    "books",
    "refrigerator",
    "television",
    "paper",
    "towel",
    "shower curtain",
    "box",
    "whiteboard",
    "person",
    "night stand",
    "toilet",
    "sink",
    "lamp",
    "bathtub",
    "bag",
    "otherstructure",
    "otherfurniture",
    "otherprop",
];

/// The name of a 1-based ScanNet-20 class: 0 → `unlabelled`, 1..=20 → the class, else
/// `class_<n>`.
pub fn scannet20_name(class: i64) -> String {
    match class {
        0 => "unlabelled".to_owned(),
        1..=20 => SCANNET20[(class - 1) as usize].to_owned(),
        other => format!("class_{other}"),
    }
}

/// The name of an NYU40 class id: 0..=40 → the class (0 is `unannotated`), else `class_<n>`.
pub fn nyu40_name(class: i64) -> String {
    usize::try_from(class)
        .ok()
        .and_then(|i| NYU40.get(i))
        .map_or_else(|| format!("class_{class}"), |&name| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scannet20_ids_agree_with_nyu40() {
        for (k, name) in SCANNET20.iter().enumerate() {
            let class = k as i64 + 1;
            assert_eq!(&scannet20_name(class), name);
            assert!(NYU40.contains(name), "{name}");
        }
        assert_eq!(nyu40_name(5), "chair");
        assert_eq!(nyu40_name(24), "refrigerator");
        assert_eq!(nyu40_name(39), "otherfurniture");
        assert_eq!(nyu40_name(41), "class_41");
        assert_eq!(nyu40_name(-2), "class_-2");
        assert_eq!(scannet20_name(0), "unlabelled");
        assert_eq!(scannet20_name(21), "class_21");
    }
}
