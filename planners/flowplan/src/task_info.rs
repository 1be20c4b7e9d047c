//! Stage 1's lookup: what each ALFRED task type involves (the task information) and what it
//! must respect (the constraints), as FlowPlan's paper describes ("for Clean & Place: pick
//! up, then open the faucet to wash the object"). The texts are waymark's.

/// ALFRED's seven task types.
pub const TASK_TYPES: [&str; 7] = [
    "pick_and_place_simple",
    "look_at_obj_in_light",
    "pick_clean_then_place_in_recep",
    "pick_heat_then_place_in_recep",
    "pick_cool_then_place_in_recep",
    "pick_two_obj_and_place",
    "pick_and_place_with_movable_recep",
];

/// The task information and constraints for `task_type` (one of [`TASK_TYPES`]), and the
/// constraint a sliced target adds. Arabic with `arabic`.
pub fn information(task_type: &str, sliced: bool, arabic: bool) -> (String, String) {
    let (info, constraints) = if arabic {
        arabic_texts(task_type)
    } else {
        english_texts(task_type)
    };
    let mut constraints = constraints.to_string();
    if sliced {
        constraints.push(' ');
        constraints.push_str(if arabic {
            "يجب تقطيع الشيء أولًا: التقط سكينًا (Knife)، وقطِّع الشيء، وضع السكين جانبًا، ثم التقط شريحة واحدة (مثل AppleSliced) واستعملها في بقية المهمة."
        } else {
            "The object must be sliced first: pick up a Knife, slice the object, put the knife down, then pick up one slice (e.g. AppleSliced) and use it for the rest of the task."
        });
    }
    (info.to_string(), constraints)
}

fn english_texts(task_type: &str) -> (&'static str, &'static str) {
    match task_type {
        "look_at_obj_in_light" => (
            "Pick up the object, go to the lamp and switch it on while holding the object.",
            "Keep holding the object when the lamp is switched on. Use a DeskLamp or FloorLamp.",
        ),
        "pick_clean_then_place_in_recep" => (
            "Pick up the object, put it in the SinkBasin, switch the Faucet on and off to wash it, pick it up again, then put it in or on the destination.",
            "Wash only in a SinkBasin. Pick the object up again after washing.",
        ),
        "pick_heat_then_place_in_recep" => (
            "Pick up the object, open the Microwave, put the object in, close it, switch it on and off, open it, take the object out, close it, then put the object in or on the destination.",
            "Heat only in a Microwave, with its door closed while it is on.",
        ),
        "pick_cool_then_place_in_recep" => (
            "Pick up the object, open the Fridge, put the object in, close it, open it again, take the object out, close it, then put the object in or on the destination.",
            "Cool only in a Fridge, with its door closed while the object is inside.",
        ),
        "pick_two_obj_and_place" => (
            "Pick up one object and put it in or on the destination, then pick up a second object of the same type and put it there too.",
            "The two objects are different instances of the same type; carry one at a time.",
        ),
        "pick_and_place_with_movable_recep" => (
            "Pick up the object, put it in the movable container, pick up the container with the object in it, then put the container in or on the destination.",
            "The container (Bowl, Plate, Pan, Pot, Cup, Mug, Box …) is carried with the object inside it.",
        ),
        _ => (
            "Pick up the object and put it in or on the destination.",
            "Carry one object at a time.",
        ),
    }
}

fn arabic_texts(task_type: &str) -> (&'static str, &'static str) {
    match task_type {
        "look_at_obj_in_light" => (
            "التقط الشيء، واذهب إلى المصباح وشغِّله وأنت تحمل الشيء.",
            "ابقَ حاملًا الشيء عند تشغيل المصباح. استعمل DeskLamp أو FloorLamp.",
        ),
        "pick_clean_then_place_in_recep" => (
            "التقط الشيء، وضعه في SinkBasin، وشغِّل الصنبور (Faucet) ثم أطفئه لغسله، والتقطه مرة أخرى، ثم ضعه في الوجهة أو عليها.",
            "اغسل في SinkBasin فقط. التقط الشيء مرة أخرى بعد غسله.",
        ),
        "pick_heat_then_place_in_recep" => (
            "التقط الشيء، وافتح الميكروويف (Microwave)، وضع الشيء فيه، وأغلقه، وشغِّله ثم أطفئه، وافتحه، وأخرج الشيء، وأغلقه، ثم ضع الشيء في الوجهة أو عليها.",
            "سخِّن في Microwave فقط، وبابه مغلق وهو يعمل.",
        ),
        "pick_cool_then_place_in_recep" => (
            "التقط الشيء، وافتح الثلاجة (Fridge)، وضع الشيء فيها، وأغلقها، ثم افتحها مرة أخرى، وأخرج الشيء، وأغلقها، ثم ضع الشيء في الوجهة أو عليها.",
            "برِّد في Fridge فقط، وبابها مغلق والشيء بداخلها.",
        ),
        "pick_two_obj_and_place" => (
            "التقط شيئًا وضعه في الوجهة أو عليها، ثم التقط شيئًا ثانيًا من النوع نفسه وضعه هناك أيضًا.",
            "الشيئان نسختان مختلفتان من النوع نفسه؛ احمل واحدًا في كل مرة.",
        ),
        "pick_and_place_with_movable_recep" => (
            "التقط الشيء، وضعه في الحاوية المتنقلة، ثم التقط الحاوية والشيء فيها، وضع الحاوية في الوجهة أو عليها.",
            "تُحمل الحاوية (Bowl أو Plate أو Pan أو Pot أو Cup أو Mug أو Box …) والشيء بداخلها.",
        ),
        _ => (
            "التقط الشيء وضعه في الوجهة أو عليها.",
            "احمل شيئًا واحدًا في كل مرة.",
        ),
    }
}
