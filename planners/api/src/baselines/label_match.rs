use super::approach::Approach;
use super::unsupported;
use crate::{Action, EpisodeContext, Observation, Planner, PlannerError};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use waymark_core::label_names::arabic_name;
use waymark_core::{GroundingObject, GroundingObservation, RelationKind};

/// Words that say a relation is meant (`on the desk`, `next to the bed`, `left of`; Arabic
/// `على`, `بجانب`, `يسار`, …).
const RELATION_CUES: [(RelationKind, &[&str]); 5] = [
    (
        RelationKind::On,
        &["on", "onto", "top", "atop", "على", "فوق"],
    ),
    (
        RelationKind::In,
        &["in", "inside", "into", "within", "في", "داخل"],
    ),
    (
        RelationKind::Near,
        &[
            "near",
            "next",
            "close",
            "beside",
            "by",
            "nearby",
            "nearest",
            "closest",
            "بجانب",
            "قرب",
            "بالقرب",
        ],
    ),
    (RelationKind::LeftOf, &["left", "يسار"]),
    (RelationKind::RightOf, &["right", "يمين"]),
];

/// Words that point back to the previous answer (`put it here`, `هنا`).
const BACK_REFERENCES: [&str; 7] = ["it", "this", "that", "here", "there", "هنا", "هناك"];

/// Colour words and the sRGB they stand for.
const COLOURS: [(&str, [u8; 3]); 13] = [
    ("white", [230, 230, 230]),
    ("black", [30, 30, 30]),
    ("gray", [128, 128, 128]),
    ("grey", [128, 128, 128]),
    ("silver", [190, 190, 190]),
    ("red", [180, 40, 40]),
    ("green", [50, 140, 60]),
    ("blue", [40, 70, 170]),
    ("brown", [120, 80, 50]),
    ("yellow", [220, 200, 60]),
    ("orange", [230, 130, 40]),
    ("pink", [230, 150, 170]),
    ("beige", [220, 200, 170]),
];

/// Sequential grounding by labels: the step's target is the candidate label it names first,
/// in English or by its Arabic name ([`arabic_name`]; longer labels win at the same word,
/// plurals match singulars); among several objects of
/// that label, those with most relations the text mentions (a cue word such as `on`, `next`,
/// `left`) to an object it also names (or, for `it`/`here`, to the previous answer), then,
/// when one of the two words before the label is a colour (`the black table`), the one whose
/// mean colour is nearest it, then the one nearest the previous answer, then the smallest id.
/// A step that names no candidate repeats the previous answer (`close it`), or on the first
/// step falls back to the task's description, then to the smallest id. In navigate-then-
/// ground it walks up to that object without a map ([`Approach`]) and grounds it once seen.
#[derive(Debug, Default)]
pub struct LabelMatchPlanner {
    approach: Approach,
}

impl LabelMatchPlanner {
    /// The object the current step of `obs` names, by the rules above; `None` without
    /// candidates. Other planners use it too (the LLM grounder's fallback).
    pub fn choose(obs: &GroundingObservation) -> Option<u32> {
        choose(obs)
    }
}

impl Planner for LabelMatchPlanner {
    fn reset(&mut self, _context: &EpisodeContext) -> Result<(), PlannerError> {
        Ok(())
    }

    fn act(&mut self, observation: &Observation) -> Result<Action, PlannerError> {
        match observation {
            Observation::Grounding(obs) => Ok(match (choose(obs), &obs.agent) {
                (None, _) => Action::Stop,
                (Some(target), Some(agent)) => self.approach.act(obs, agent, target),
                (Some(object_id), None) => Action::Ground { object_id },
            }),
            other => Err(unsupported("label-match", other)),
        }
    }
}

/// The object the current step of `obs` names, by the rules of [`LabelMatchPlanner`].
fn choose(obs: &GroundingObservation) -> Option<u32> {
    let text = obs
        .steps
        .get(obs.step as usize)
        .map_or_else(Vec::new, |s| words(s));
    let previous = obs.answers.last().copied();
    let (source, mentions) = match (mentioned_labels(obs, &text), previous) {
        (m, _) if !m.is_empty() => (text.clone(), m),
        (_, Some(previous)) => return Some(previous),
        (_, None) => {
            let description = words(&obs.task_description);
            let m = mentioned_labels(obs, &description);
            (description, m)
        }
    };
    let Some(&(at, target)) = mentions.first() else {
        return obs.objects.iter().map(|o| o.id).min();
    };
    let candidates: Vec<&GroundingObject> =
        obs.objects.iter().filter(|o| o.label == target).collect();
    let mut anchors: Vec<u32> = obs
        .objects
        .iter()
        .filter(|o| mentions[1..].iter().any(|(_, l)| *l == o.label))
        .map(|o| o.id)
        .collect();
    if let Some(previous) = previous
        && text.iter().any(|w| BACK_REFERENCES.contains(&w.as_str()))
    {
        anchors.push(previous);
    }
    let cues: Vec<RelationKind> = RELATION_CUES
        .iter()
        .filter(|(_, cues)| text.iter().any(|w| cues.contains(&w.as_str())))
        .map(|(kind, _)| *kind)
        .collect();
    let score = |o: &GroundingObject| {
        o.relations
            .iter()
            .filter(|r| cues.contains(&r.kind) && anchors.contains(&r.object_id))
            .count()
    };
    let colour = source[at.saturating_sub(2)..at].iter().rev().find_map(|w| {
        COLOURS
            .iter()
            .find(|(name, _)| name == w)
            .map(|(_, rgb)| *rgb)
    });
    let off_colour = |o: &GroundingObject| {
        colour.map_or(0.0, |rgb| {
            let d = |k: usize| f32::from(o.colour_rgb[k]) - f32::from(rgb[k]);
            (d(0) * d(0) + d(1) * d(1) + d(2) * d(2)).sqrt()
        })
    };
    let from_previous = |o: &GroundingObject| {
        previous
            .and_then(|p| obs.object(p))
            .map_or(0.0, |p| p.centre_m.distance(o.centre_m))
    };
    candidates
        .into_iter()
        .min_by(|a, b| {
            score(b)
                .cmp(&score(a))
                .then(off_colour(a).total_cmp(&off_colour(b)))
                .then(from_previous(a).total_cmp(&from_previous(b)))
                .then(a.id.cmp(&b.id))
        })
        .map(|o| o.id)
}

/// The candidates' distinct labels that `text` names, with the word their first mention
/// starts at, in that order (at the same word, the label of more words first).
fn mentioned_labels<'a>(obs: &'a GroundingObservation, text: &[String]) -> Vec<(usize, &'a str)> {
    let mut found: Vec<(usize, usize, &str)> = Vec::new();
    for object in &obs.objects {
        let label = object.label.as_str();
        if found.iter().any(|(_, _, l)| *l == label) {
            continue;
        }
        // The label as written, or its Arabic name (the definite form generated tasks use).
        let first = label_needles(label)
            .iter()
            .filter_map(|needle| {
                let at = text.windows(needle.len()).position(|w| w == needle)?;
                Some((at, needle.len()))
            })
            .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        if let Some((at, len)) = first {
            found.push((at, len, label));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
    found
        .into_iter()
        .map(|(at, _, label)| (at, label))
        .collect()
}

/// The words a label is found by: its own, and its Arabic name's when it has one (non-empty
/// word lists, see [`words`]). Kept per label and thread: splitting every candidate's label
/// (Unicode-aware) at every step was most of label-match's time.
fn label_needles(label: &str) -> Rc<[Vec<String>]> {
    thread_local! {
        static NEEDLES: RefCell<HashMap<String, Rc<[Vec<String>]>>> = RefCell::new(HashMap::new());
    }
    NEEDLES.with_borrow_mut(|known| {
        if let Some(needles) = known.get(label) {
            return needles.clone();
        }
        let needles: Rc<[Vec<String>]> = [Some(label), arabic_name(label)]
            .into_iter()
            .flatten()
            .map(words)
            .filter(|needle| !needle.is_empty())
            .collect();
        known.insert(label.to_string(), needles.clone());
        needles
    })
}

/// Lower-case words of `text`, plurals made singular (`cups` → `cup`, `boxes` → `box`).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| match w.is_ascii() {
            true => singular(&w.to_ascii_lowercase()),
            false => singular(&w.to_lowercase()),
        })
        .collect()
}

fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies")
        && stem.len() > 1
    {
        return format!("{stem}y");
    }
    for suffix in ["xes", "ches", "shes", "sses"] {
        if word.ends_with(suffix) {
            return word[..word.len() - 2].to_string();
        }
    }
    let keeps_s = ["ss", "is", "us"].iter().any(|end| word.ends_with(end));
    match word.strip_suffix('s') {
        Some(stem) if stem.len() > 2 && !keeps_s => stem.to_string(),
        _ => word.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use glam::Vec3;
    use waymark_core::Relation;

    fn object(id: u32, label: &str, x: f32, relations: &[(RelationKind, u32)]) -> GroundingObject {
        GroundingObject {
            id,
            label: label.into(),
            centre_m: Vec3::new(x, 0.0, 0.5),
            min_m: Vec3::new(x - 0.2, -0.2, 0.0),
            max_m: Vec3::new(x + 0.2, 0.2, 1.0),
            colour_rgb: if id == 24 {
                [240, 240, 235]
            } else {
                [20, 20, 20]
            },
            relations: relations
                .iter()
                .map(|&(kind, object_id)| Relation { kind, object_id })
                .collect(),
        }
    }

    fn observation(steps: &[&str], step: u32, answers: &[u32]) -> GroundingObservation {
        GroundingObservation {
            scene: "s".into(),
            task_description: "Make me a cup of coffee.".into(),
            steps: steps.iter().map(|s| s.to_string()).collect(),
            step,
            answers: answers.to_vec(),
            objects: vec![
                object(15, "desk", 0.0, &[]),
                object(16, "coffee maker", 1.0, &[(RelationKind::On, 23)]),
                object(19, "cup", 0.1, &[(RelationKind::On, 15)]),
                object(20, "cup", 3.0, &[(RelationKind::On, 23)]),
                object(23, "table", 3.0, &[]),
                object(24, "table", 9.0, &[]),
                object(30, "maker", 5.0, &[]),
            ],
            teacher: None,
            sensors: None,
            agent: None,
        }
    }

    fn answer(steps: &[&str], step: u32, answers: &[u32]) -> Option<u32> {
        choose(&observation(steps, step, answers))
    }

    #[test]
    fn the_first_named_label_then_relations_then_nearness() {
        // The first label named is the target; plurals match.
        assert_eq!(answer(&["Go to the long desk."], 0, &[]), Some(15));
        assert_eq!(
            answer(&["Choose one of the cups on the desk."], 0, &[]),
            Some(19),
            "a cup on the named desk"
        );
        assert_eq!(
            answer(&["Take the cups on the table."], 0, &[]),
            Some(20),
            "a cup on the named table"
        );
        // The longer label wins at the same word.
        assert_eq!(answer(&["Use the coffee maker."], 0, &[]), Some(16));
        // `it` anchors the relation to the previous answer.
        assert_eq!(answer(&["", "Grab the cup on it."], 1, &[23]), Some(20));
        // No relation decides: nearest to the previous answer, then the smallest id.
        assert_eq!(answer(&["", "Walk to a table."], 1, &[15]), Some(23));
        assert_eq!(answer(&["Walk to a table."], 0, &[]), Some(23));
        // A colour just before the label: the nearest mean colour (table 24 is white).
        assert_eq!(
            answer(&["", "Walk to the white table."], 1, &[15]),
            Some(24)
        );
        assert_eq!(
            answer(&["", "Walk to the black table."], 1, &[24]),
            Some(23)
        );
        assert_eq!(
            answer(&["", "Walk to the table by the white cup."], 1, &[15]),
            Some(23),
            "the colour of another object does not count"
        );
        // Nothing named: the previous answer, else the task's description, else the smallest id.
        assert_eq!(answer(&["", "Close it."], 1, &[24]), Some(24));
        assert_eq!(
            answer(&["Start."], 0, &[]),
            Some(19),
            "the description's cup"
        );
        let mut bare = observation(&["Start."], 0, &[]);
        bare.task_description = "Relax.".into();
        assert_eq!(choose(&bare), Some(15));
        bare.objects.clear();
        assert_eq!(choose(&bare), None);
        let mut planner = LabelMatchPlanner::default();
        assert_eq!(
            planner.act(&Observation::Grounding(bare)).unwrap(),
            Action::Stop
        );
    }

    #[test]
    fn arabic_steps_name_labels_by_their_arabic_names() {
        // "Walk to the table" (`الطاولة`): the table nearest the previous answer.
        assert_eq!(answer(&["", "امشِ إلى الطاولة."], 1, &[15]), Some(23));
        // "Go to the chair next to the bed": `بجانب` (near) picks the chair by the bed,
        // though the other chair has the smaller id.
        let mut obs = observation(&["اذهب إلى الكرسي بجانب السرير."], 0, &[]);
        obs.objects = vec![
            object(40, "chair", 0.0, &[]),
            object(41, "chair", 4.0, &[(RelationKind::Near, 50)]),
            object(50, "bed", 5.0, &[]),
        ];
        assert_eq!(choose(&obs), Some(41));
    }

    #[test]
    fn plurals_become_singular() {
        for (plural, one) in [
            ("cups", "cup"),
            ("boxes", "box"),
            ("shelves", "shelve"),
            ("bookshelves", "bookshelve"),
            ("glass", "glass"),
            ("glasses", "glass"),
            ("bus", "bus"),
            ("this", "this"),
            ("pillows", "pillow"),
            ("batteries", "battery"),
        ] {
            assert_eq!(singular(plural), one, "{plural}");
        }
    }
}
