//! LLM-Planner's prompt (`hlp/hlp_planner.py` of OSU-NLP-Group/LLM-Planner): a header, the
//! allowed actions, k retrieved examples each cut at a random step into completed and next
//! plans, then the task at hand, ending at "Next Plans:" for the model to continue.
//!
//! Exactly as the released generator lays it out: two blank lines after the header, a blank
//! line before each task, objects lower-cased and `", "`-joined, nothing trimmed (an empty
//! field leaves the space after its label, a goal keeps its trailing spaces), and no space or
//! newline after the final "Next Plans:". Arabic episodes (language `ar…`) get the same
//! layout with the labels in Arabic; actions and objects stay as the executor reads them.

use crate::plan::{PlanStep, format_plan};

/// LLM-Planner's actions, in its order.
pub const ACTIONS: [&str; 8] = [
    "OpenObject",
    "CloseObject",
    "PickupObject",
    "PutObject",
    "ToggleObjectOn",
    "ToggleObjectOff",
    "SliceObject",
    "Navigation",
];

/// The prompt's words in one language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Labels {
    /// The first line.
    pub header: &'static str,
    /// Before the action list.
    pub allowed_actions: &'static str,
    /// Before a goal.
    pub task_description: &'static str,
    /// Before the steps done.
    pub completed_plans: &'static str,
    /// Before the objects (no colon: "Visible objects are microwave, egg").
    pub visible_objects: &'static str,
    /// Before the steps to do; the model's answer follows the last one.
    pub next_plans: &'static str,
}

/// The released prompt's words.
pub const ENGLISH: Labels = Labels {
    header: "Create a high-level plan for completing a household task using the allowed actions and visible objects.",
    allowed_actions: "Allowed actions: ",
    task_description: "Task description: ",
    completed_plans: "Completed plans: ",
    visible_objects: "Visible objects are ",
    next_plans: "Next Plans:",
};

/// waymark's Arabic rendering of the same words.
pub const ARABIC: Labels = Labels {
    header: "أنشئ خطة عالية المستوى لإنجاز مهمة منزلية باستخدام الإجراءات المسموح بها والأشياء المرئية.",
    allowed_actions: "الإجراءات المسموح بها: ",
    task_description: "وصف المهمة: ",
    completed_plans: "الخطط المكتملة: ",
    visible_objects: "الأشياء المرئية هي ",
    next_plans: "الخطط التالية:",
};

/// The labels for an instruction's language tag: Arabic for `ar` and its regional tags
/// ([`waymark_core::context::is_arabic`]), English otherwise.
pub fn labels_for(language: Option<&str>) -> &'static Labels {
    if waymark_core::context::is_arabic(language) {
        &ARABIC
    } else {
        &ENGLISH
    }
}

/// One example as the prompt shows it: its goal, its plan cut at `split` (the first `split`
/// steps completed), and its objects.
#[derive(Clone, Copy, Debug)]
pub struct ExampleBlock<'a> {
    /// The goal, verbatim.
    pub task_instr: &'a str,
    /// The gold plan.
    pub steps: &'a [PlanStep],
    /// Where it is cut.
    pub split: usize,
    /// The objects.
    pub vis_objs: &'a [String],
}

/// The task at hand.
#[derive(Clone, Copy, Debug)]
pub struct QueryBlock<'a> {
    /// The goal.
    pub task_instr: &'a str,
    /// The steps done so far, as executed.
    pub completed: &'a [String],
    /// The objects seen so far.
    pub vis_objs: &'a [String],
}

/// Objects as the released generator writes them: joined with `", "`, then lower-cased.
fn objects(list: &[String]) -> String {
    list.join(", ").to_lowercase()
}

/// The whole prompt.
pub fn build(labels: &Labels, examples: &[ExampleBlock<'_>], query: &QueryBlock<'_>) -> String {
    let mut p = String::new();
    p.push_str(labels.header);
    p.push_str("\n\n\n");
    p.push_str(labels.allowed_actions);
    p.push_str(&ACTIONS.join(", "));
    for e in examples {
        let split = e.split.min(e.steps.len());
        p.push_str("\n\n");
        p.push_str(labels.task_description);
        p.push_str(e.task_instr);
        p.push('\n');
        p.push_str(labels.completed_plans);
        p.push_str(&format_plan(&e.steps[..split]));
        p.push('\n');
        p.push_str(labels.visible_objects);
        p.push_str(&objects(e.vis_objs));
        p.push('\n');
        p.push_str(labels.next_plans);
        p.push(' ');
        p.push_str(&format_plan(&e.steps[split..]));
    }
    p.push_str("\n\n");
    p.push_str(labels.task_description);
    p.push_str(query.task_instr);
    p.push('\n');
    p.push_str(labels.completed_plans);
    p.push_str(&query.completed.join(", "));
    p.push('\n');
    p.push_str(labels.visible_objects);
    p.push_str(&objects(query.vis_objs));
    p.push('\n');
    p.push_str(labels.next_plans);
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(action: &str, object: &str, receptacle: Option<&str>) -> PlanStep {
        PlanStep {
            action: action.into(),
            object: object.into(),
            receptacle: receptacle.map(Into::into),
        }
    }

    /// The released generator's layout, character for character, on its own demo task with
    /// one example cut after four steps.
    #[test]
    fn the_prompt_is_the_released_layout() {
        let steps = [
            step("Navigation", "Egg", None),
            step("PickupObject", "Egg", None),
            step("Navigation", "Microwave", None),
            step("OpenObject", "Microwave", None),
            step("PutObject", "Egg", Some("Microwave")),
            step("CloseObject", "Microwave", None),
            step("ToggleObjectOn", "Microwave", None),
            step("ToggleObjectOff", "Microwave", None),
            step("OpenObject", "Microwave", None),
            step("PickupObject", "Egg", None),
            step("CloseObject", "Microwave", None),
            step("Navigation", "GarbageCan", None),
            step("PutObject", "Egg", Some("GarbageCan")),
        ];
        let vis = ["Microwave".to_string(), "Egg".into(), "GarbageCan".into()];
        let example = ExampleBlock {
            task_instr: "Put a warm egg in the trash.",
            steps: &steps,
            split: 4,
            vis_objs: &vis,
        };
        let completed = [
            "Navigation countertop".to_string(),
            "PickupObject potato".into(),
            "Navigation microwave".into(),
        ];
        let seen = [
            "cup".to_string(),
            "microwave".into(),
            "fridge".into(),
            "garbagecan".into(),
        ];
        let query = QueryBlock {
            task_instr: "Cook the potato and put it into the recycle bin.",
            completed: &completed,
            vis_objs: &seen,
        };
        let expected = "Create a high-level plan for completing a household task using the allowed actions and visible objects.\n\n\nAllowed actions: OpenObject, CloseObject, PickupObject, PutObject, ToggleObjectOn, ToggleObjectOff, SliceObject, Navigation\n\nTask description: Put a warm egg in the trash.\nCompleted plans: Navigation egg, PickupObject egg, Navigation microwave, OpenObject microwave\nVisible objects are microwave, egg, garbagecan\nNext Plans: PutObject egg microwave, CloseObject microwave, ToggleObjectOn microwave, ToggleObjectOff microwave, OpenObject microwave, PickupObject egg, CloseObject microwave, Navigation garbagecan, PutObject egg garbagecan\n\nTask description: Cook the potato and put it into the recycle bin.\nCompleted plans: Navigation countertop, PickupObject potato, Navigation microwave\nVisible objects are cup, microwave, fridge, garbagecan\nNext Plans:";
        assert_eq!(build(&ENGLISH, &[example], &query), expected);
    }

    #[test]
    fn empty_fields_keep_the_space_after_their_label() {
        let steps = [step("Navigation", "Book", None)];
        let example = ExampleBlock {
            task_instr: "Look at a book in the light. ",
            steps: &steps,
            split: 0,
            vis_objs: &[],
        };
        let query = QueryBlock {
            task_instr: "Read.",
            completed: &[],
            vis_objs: &[],
        };
        let p = build(&ENGLISH, &[example], &query);
        assert!(p.contains(
            "\n\nTask description: Look at a book in the light. \nCompleted plans: \nVisible objects are \nNext Plans: Navigation book\n\n"
        ));
        assert!(p.ends_with("Completed plans: \nVisible objects are \nNext Plans:"));
    }

    #[test]
    fn arabic_tags_get_arabic_labels() {
        assert_eq!(labels_for(Some("ar")), &ARABIC);
        assert_eq!(labels_for(Some("ar-SA")), &ARABIC);
        assert_eq!(labels_for(Some("en")), &ENGLISH);
        assert_eq!(labels_for(None), &ENGLISH);
        let query = QueryBlock {
            task_instr: "ضع البيضة الساخنة في سلة المهملات.",
            completed: &[],
            vis_objs: &[],
        };
        let p = build(&ARABIC, &[], &query);
        assert!(p.starts_with(ARABIC.header));
        assert!(p.ends_with("الخطط التالية:"));
        assert!(p.contains("OpenObject, CloseObject"));
    }
}
