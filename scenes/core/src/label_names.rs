//! Names of room kinds and object labels in other languages, for generated instructions and
//! for planners that read them.

/// The Arabic words (definite: `السرير`, "the bed") for the room kinds and object labels
/// waymark's apartments and ScanNet use, for generated instructions; `None` for other words.
pub fn arabic_name(word: &str) -> Option<&'static str> {
    Some(match word {
        "living room" => "غرفة المعيشة",
        "kitchen" => "المطبخ",
        "bedroom" => "غرفة النوم",
        "bathroom" => "الحمّام",
        "dining room" => "غرفة الطعام",
        "office" => "المكتب",
        "hallway" => "الممر",
        "bed" => "السرير",
        "sofa" => "الأريكة",
        "table" => "الطاولة",
        "chair" => "الكرسي",
        "fridge" | "refrigerator" => "الثلاجة",
        "sink" => "المغسلة",
        "toilet" => "المرحاض",
        "tv" => "التلفاز",
        "shelves" | "bookshelf" => "الرفوف",
        "plant" => "النبتة",
        "lamp" => "المصباح",
        "wardrobe" => "خزانة الملابس",
        "bathtub" => "حوض الاستحمام",
        "cabinet" => "الخزانة",
        "door" => "الباب",
        "window" => "النافذة",
        "desk" => "المكتب",
        "picture" => "اللوحة",
        "curtain" => "الستارة",
        "counter" => "المنضدة",
        "otherfurniture" => "قطعة الأثاث",
        _ => return None,
    })
}
