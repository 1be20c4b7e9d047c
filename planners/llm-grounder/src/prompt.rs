//! The grounding prompt: one file per language (`prompts/<language>/ground.txt`), filled with
//! the task, its steps, the step to answer, the earlier answers and the candidate objects.
//!
//! The lists are language-neutral (numbers, the scene's labels, relation names in
//! `snake_case`); each template explains their columns in its own language.

pub use waymark_planner::PromptLanguage;

use std::fmt::Write as _;
use waymark_core::{GroundingObject, GroundingObservation, RelationKind};

/// The prompt files, English then Arabic (a run records their fingerprint).
pub const TEMPLATES: [&str; 2] = [
    include_str!("../prompts/en/ground.txt"),
    include_str!("../prompts/ar/ground.txt"),
];

/// What the bird's-eye map shows, sent before it when the grounder is given one, English
/// then Arabic (a run with the map records their fingerprint too).
pub const MAP_NOTES: [&str; 2] = [
    include_str!("../prompts/en/map.txt"),
    include_str!("../prompts/ar/map.txt"),
];

/// The prompt for the current step of `obs` in `language`.
pub fn render_prompt(language: PromptLanguage, obs: &GroundingObservation) -> String {
    let steps: Vec<String> = obs
        .steps
        .iter()
        .enumerate()
        .map(|(k, text)| format!("{}. {}", k + 1, text.trim()))
        .collect();
    let answers: Vec<String> = obs
        .answers
        .iter()
        .enumerate()
        .map(|(k, id)| format!("{}: {id}", k + 1))
        .collect();
    let objects: Vec<String> = obs.objects.iter().map(object_line).collect();
    let step_text = obs.steps.get(obs.step as usize).map_or("", |s| s.trim());
    language
        .pick(TEMPLATES)
        .replace("{task}", obs.task_description.trim())
        .replace("{steps}", &steps.join("\n"))
        .replace(
            "{answers}",
            &match answers.is_empty() {
                true => "-".to_string(),
                false => answers.join("\n"),
            },
        )
        .replace("{objects}", &objects.join("\n"))
        .replace("{step_number}", &(u64::from(obs.step) + 1).to_string())
        .replace("{step_text}", step_text)
}

/// `19 | sofa | 1.20, 3.40, 0.45 | 2.00, 0.90, 0.80 | 120, 80, 50 | on 15, near 20`.
fn object_line(o: &GroundingObject) -> String {
    let size = o.size_m();
    let [r, g, b] = o.colour_rgb;
    let mut line = format!(
        "{} | {} | {:.2}, {:.2}, {:.2} | {:.2}, {:.2}, {:.2} | {r}, {g}, {b} |",
        o.id, o.label, o.centre_m.x, o.centre_m.y, o.centre_m.z, size.x, size.y, size.z,
    );
    for (k, relation) in o.relations.iter().enumerate() {
        let separator = if k == 0 { " " } else { ", " };
        // Writing to a String cannot fail.
        let _ = write!(
            line,
            "{separator}{} {}",
            relation_name(relation.kind),
            relation.object_id
        );
    }
    if o.relations.is_empty() {
        line.push_str(" -");
    }
    line
}

/// A relation's name as the templates explain it.
fn relation_name(kind: RelationKind) -> &'static str {
    match kind {
        RelationKind::On => "on",
        RelationKind::In => "in",
        RelationKind::Near => "near",
        RelationKind::LeftOf => "left_of",
        RelationKind::RightOf => "right_of",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use glam::Vec3;
    use waymark_core::Relation;

    fn observation() -> GroundingObservation {
        let object = |id: u32, label: &str, x: f32, relations: Vec<Relation>| GroundingObject {
            id,
            label: label.into(),
            centre_m: Vec3::new(x, 1.0, 0.5),
            min_m: Vec3::new(x - 0.5, 0.6, 0.0),
            max_m: Vec3::new(x + 0.5, 1.4, 1.0),
            colour_rgb: [120, 80, 50],
            relations,
        };
        GroundingObservation {
            scene: "apartment_a".into(),
            task_description: " Watch TV. ".into(),
            steps: vec!["Walk to the sofa.".into(), "Turn on the tv.".into()],
            step: 1,
            answers: vec![19],
            objects: vec![
                object(19, "sofa", 1.0, Vec::new()),
                object(
                    20,
                    "tv",
                    2.25,
                    vec![
                        Relation {
                            kind: RelationKind::Near,
                            object_id: 19,
                        },
                        Relation {
                            kind: RelationKind::LeftOf,
                            object_id: 19,
                        },
                    ],
                ),
            ],
            teacher: Some(20),
            sensors: None,
            agent: None,
        }
    }

    #[test]
    fn an_english_prompt_lists_task_steps_answers_and_objects() {
        let golden = "You help a robot carry out a task in a 3D scene. Each step of the task names one object of the scene; you answer the id of the object that one step names.

Task: Watch TV.
Steps:
1. Walk to the sofa.
2. Turn on the tv.

Your answers to the earlier steps (step: object id; \"-\" when there are none):
1: 19

The objects of the scene, one per line: id | label | centre x, y, z (metres, z up) | size x, y, z (metres) | colour r, g, b (0 to 255) | relations to other objects by their id (on, in, near, left_of, right_of).
19 | sofa | 1.00, 1.00, 0.50 | 1.00, 0.80, 1.00 | 120, 80, 50 | -
20 | tv | 2.25, 1.00, 0.50 | 1.00, 0.80, 1.00 | 120, 80, 50 | near 19, left_of 19

Which object does step 2 name: \"Turn on the tv.\"? If the step refers back to an earlier object (it, there), answer that object's id. Answer with the object's id only, one number.
Object id:
";
        assert_eq!(
            render_prompt(PromptLanguage::English, &observation()),
            golden
        );
    }

    #[test]
    fn the_arabic_prompt_fills_the_same_places_and_the_first_step_has_no_answers() {
        let mut obs = observation();
        obs.step = 0;
        obs.answers.clear();
        let ar = render_prompt(PromptLanguage::for_tag(Some("ar-SA")), &obs);
        assert!(ar.contains("المهمة: Watch TV.\n"), "{ar}");
        assert!(
            ar.contains("(الخطوة: معرّف الجسم؛ \"-\" إن لم توجد):\n-\n"),
            "{ar}"
        );
        assert!(ar.contains("الخطوة 1: \"Walk to the sofa.\""), "{ar}");
        assert!(ar.contains("20 | tv | 2.25, 1.00, 0.50"), "{ar}");
        assert!(!ar.contains('{'), "{ar}");
        assert_eq!(PromptLanguage::for_tag(Some("en")), PromptLanguage::English);
        assert_eq!(PromptLanguage::for_tag(None), PromptLanguage::English);
    }
}
