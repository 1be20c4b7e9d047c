//! Tasks generated from templates, in English and Arabic, for any instance-labelled scene:
//! each step names one object by a phrase that only it fits — its label when no other
//! candidate has it, else its label and one relation to an object whose label is unique
//! (`the chair next to the desk`) that no other object of its label has. Objects that neither
//! way singles out are never targets. Arabic tasks use only labels with an Arabic name
//! (`waymark_core::label_names::arabic_name`).

use crate::objects::SceneObjects;
use crate::task_file::{GroundingTask, TaskStep};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use waymark_core::label_names::arabic_name;
use waymark_core::{GroundingObject, RelationKind};

/// A language tasks are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// English (`en`).
    English,
    /// Modern Standard Arabic (`ar`).
    Arabic,
}

impl Language {
    /// Its tag.
    pub fn tag(self) -> &'static str {
        match self {
            Self::English => "en",
            Self::Arabic => "ar",
        }
    }

    /// The task description.
    fn description(self) -> &'static str {
        match self {
            Self::English => "Visit these objects one after another.",
            Self::Arabic => "زُر هذه الأشياء واحدًا تلو الآخر.",
        }
    }

    /// The verbs a step starts with.
    fn verbs(self) -> [&'static str; 4] {
        match self {
            Self::English => ["Go to", "Walk to", "Find", "Head to"],
            Self::Arabic => ["اذهب إلى", "امشِ إلى", "ابحث عن", "توجّه إلى"],
        }
    }

    /// A label with its definite article (`the desk`, `المكتب`), when the language has it.
    fn noun(self, label: &str) -> Option<String> {
        match self {
            Self::English => Some(format!("the {label}")),
            Self::Arabic => arabic_name(label).map(str::to_string),
        }
    }

    /// The phrase joining an object to its anchor (`next to`, `بجانب`).
    fn relation(self, kind: RelationKind) -> &'static str {
        match (self, kind) {
            (Self::English, RelationKind::On) => "on",
            (Self::English, RelationKind::In) => "in",
            (Self::English, RelationKind::Near) => "next to",
            (Self::English, RelationKind::LeftOf) => "to the left of",
            (Self::English, RelationKind::RightOf) => "to the right of",
            (Self::Arabic, RelationKind::On) => "على",
            (Self::Arabic, RelationKind::In) => "في",
            (Self::Arabic, RelationKind::Near) => "بجانب",
            (Self::Arabic, RelationKind::LeftOf) => "على يسار",
            (Self::Arabic, RelationKind::RightOf) => "على يمين",
        }
    }
}

/// How to generate tasks.
#[derive(Clone, Copy, Debug)]
pub struct GenerateConfig {
    /// Tasks to write.
    pub tasks: usize,
    /// The most steps a task has (at least 2; fewer when fewer objects can be told apart).
    pub max_steps: usize,
    /// The seed of every choice.
    pub seed: u64,
    /// The language.
    pub language: Language,
}

/// `count` tasks on the scene of `scan_id` whose candidates are `objects`: each of 2 to
/// `max_steps` distinct objects, every one named by a phrase only it fits. No tasks when
/// fewer than two objects can be told apart.
pub fn generate_tasks(
    scan_id: &str,
    objects: &SceneObjects,
    config: &GenerateConfig,
) -> Vec<GroundingTask> {
    let language = config.language;
    let named: Vec<(u32, String, String)> = objects
        .objects
        .iter()
        .filter_map(|o| {
            let phrase = referring_phrase(o, &objects.objects, language)?;
            Some((o.id, o.label.clone(), phrase))
        })
        .collect();
    if named.len() < 2 {
        return Vec::new();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let most = config.max_steps.max(2).min(named.len());
    (0..config.tasks)
        .map(|_| {
            let count = rng.random_range(2..=most);
            let mut picked: Vec<&(u32, String, String)> = named.iter().collect();
            picked.shuffle(&mut rng);
            let verbs = language.verbs();
            let steps = picked[..count]
                .iter()
                .map(|(id, label, phrase)| TaskStep {
                    text: format!("{} {phrase}.", verbs[rng.random_range(0..verbs.len())]),
                    target_id: *id,
                    label: label.clone(),
                })
                .collect();
            GroundingTask {
                scan_id: scan_id.to_string(),
                description: language.description().to_string(),
                steps,
                language: Some(language.tag().to_string()),
            }
        })
        .collect()
}

/// The phrase that names `object` alone among `all`: its label when unique, else its label and
/// the first relation (in relation, then id order) to a uniquely labelled object of another
/// label that no other object of its label has; `None` when there is none.
pub fn referring_phrase(
    object: &GroundingObject,
    all: &[GroundingObject],
    language: Language,
) -> Option<String> {
    let unique = |label: &str| all.iter().filter(|o| o.label == label).count() == 1;
    let noun = language.noun(&object.label)?;
    if unique(&object.label) {
        return Some(noun);
    }
    object.relations.iter().find_map(|r| {
        let anchor = all.iter().find(|o| o.id == r.object_id)?;
        let shared = all
            .iter()
            .filter(|o| o.id != object.id && o.label == object.label)
            .any(|o| o.relations.contains(r));
        if anchor.label == object.label || !unique(&anchor.label) || shared {
            return None;
        }
        let anchor_noun = language.noun(&anchor.label)?;
        Some(format!(
            "{noun} {} {anchor_noun}",
            language.relation(r.kind)
        ))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use glam::Vec3;
    use waymark_core::Relation;

    fn object(id: u32, label: &str, relations: &[(RelationKind, u32)]) -> GroundingObject {
        GroundingObject {
            id,
            label: label.into(),
            centre_m: Vec3::ZERO,
            min_m: Vec3::ZERO,
            max_m: Vec3::ONE,
            colour_rgb: [0; 3],
            relations: relations
                .iter()
                .map(|&(kind, object_id)| Relation { kind, object_id })
                .collect(),
        }
    }

    fn room() -> Vec<GroundingObject> {
        use RelationKind::*;
        vec![
            object(1, "desk", &[]),
            object(2, "chair", &[(Near, 1), (LeftOf, 1)]),
            object(3, "chair", &[(Near, 4)]),
            object(4, "bed", &[]),
            object(5, "chair", &[(Near, 4)]),
            object(6, "gizmo", &[]),
        ]
    }

    #[test]
    fn phrases_single_out_their_object_or_are_not_made() {
        let all = room();
        let phrase = |id: u32, language| {
            referring_phrase(all.iter().find(|o| o.id == id).unwrap(), &all, language)
        };
        assert_eq!(phrase(1, Language::English).unwrap(), "the desk");
        assert_eq!(
            phrase(2, Language::English).unwrap(),
            "the chair next to the desk"
        );
        assert_eq!(phrase(2, Language::Arabic).unwrap(), "الكرسي بجانب المكتب");
        assert_eq!(
            phrase(3, Language::English),
            None,
            "two chairs are near the bed"
        );
        assert_eq!(phrase(6, Language::English).unwrap(), "the gizmo");
        assert_eq!(
            phrase(6, Language::Arabic),
            None,
            "no Arabic word for gizmo"
        );
    }

    #[test]
    fn tasks_target_only_objects_a_phrase_singles_out() {
        let mut objects = SceneObjects {
            objects: room(),
            ..Default::default()
        };
        let config = |language| GenerateConfig {
            tasks: 20,
            max_steps: 3,
            seed: 5,
            language,
        };
        let tasks = generate_tasks("room", &objects, &config(Language::English));
        assert_eq!(tasks.len(), 20);
        for task in &tasks {
            assert!((2..=3).contains(&task.steps.len()));
            let mut ids = task.targets();
            assert!(ids.iter().all(|id| [1, 2, 4, 6].contains(id)), "{ids:?}");
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), task.steps.len(), "distinct targets");
            assert_eq!(task.language.as_deref(), Some("en"));
        }
        assert_eq!(
            tasks,
            generate_tasks("room", &objects, &config(Language::English))
        );
        let arabic = generate_tasks("room", &objects, &config(Language::Arabic));
        assert!(
            arabic
                .iter()
                .all(|t| t.targets().iter().all(|id| [1, 2, 4].contains(id)))
        );
        assert!(arabic[0].steps[0].text.ends_with('.'));
        objects.objects.truncate(1);
        assert!(generate_tasks("room", &objects, &config(Language::English)).is_empty());
    }
}
