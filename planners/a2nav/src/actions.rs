//! The five actions of A²Nav and how a free action phrase is mapped to one of them.
//!
//! In order, the first rule that applies decides:
//! 1. **Exact.** The phrase, lower-cased with punctuation and extra spaces removed, is one of an
//!    action's own phrases ([`ActionKind::phrases`]; English and Arabic).
//! 2. **Embedding.** With an embedding model (`/v1/embeddings`), the action whose description
//!    ([`ActionKind::description`]) is most similar to the phrase (cosine similarity), as the
//!    paper maps uncovered phrases with a sentence encoder.
//! 3. **Lexical.** Otherwise each action scores the number of the phrase's words that are among
//!    its cue words ([`ActionKind::cues`]); the highest score wins, ties going to the more
//!    specific action (Exit, GoThrough, GoInto, GoPast, then GoTo), and a phrase with no cue
//!    word is GoTo (moving to the landmark is what most sub-tasks ask).

use std::sync::OnceLock;
use waymark_llm::{BlockingLlmClient, LlmError};

/// One of A²Nav's five action types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActionKind {
    /// Reach the landmark and stop near it.
    GoTo,
    /// Reach the landmark, then go on beyond it in the direction of travel.
    GoPast,
    /// Enter the room or region the landmark names.
    GoInto,
    /// Pass through the landmark (a doorway or an opening).
    GoThrough,
    /// Leave the room or region the landmark names.
    Exit,
}

impl ActionKind {
    /// Every action, in the order of the paper.
    pub const ALL: [Self; 5] = [
        Self::GoTo,
        Self::GoPast,
        Self::GoInto,
        Self::GoThrough,
        Self::Exit,
    ];

    /// The name the prompt asks for (`go to`, `go past`, `go into`, `go through`, `exit`).
    pub fn name(self) -> &'static str {
        match self {
            Self::GoTo => "go to",
            Self::GoPast => "go past",
            Self::GoInto => "go into",
            Self::GoThrough => "go through",
            Self::Exit => "exit",
        }
    }

    /// A sentence saying what the action asks, compared with phrases by embedding.
    pub fn description(self) -> &'static str {
        match self {
            Self::GoTo => "walk to the object and stop next to it",
            Self::GoPast => "walk past the object and continue beyond it",
            Self::GoInto => "walk into the room and enter it",
            Self::GoThrough => "walk through the doorway and cross to the other side",
            Self::Exit => "walk out of the room and leave it",
        }
    }

    /// Phrases that are this action outright (normalized: lower case, single spaces).
    pub fn phrases(self) -> &'static [&'static str] {
        match self {
            Self::GoTo => &[
                "go to",
                "goto",
                "walk to",
                "move to",
                "head to",
                "go towards",
                "walk towards",
                "approach",
                "reach",
                "stop at",
                "wait at",
                "stop by",
                "اذهب إلى",
                "امش إلى",
                "توجه إلى",
                "اقترب من",
            ],
            Self::GoPast => &[
                "go past",
                "gopast",
                "walk past",
                "pass",
                "pass by",
                "go by",
                "walk by",
                "go beyond",
                "proceed past",
                "تجاوز",
                "امش متجاوزا",
                "مر بجانب",
            ],
            Self::GoInto => &[
                "go into",
                "gointo",
                "walk into",
                "enter",
                "go in",
                "step into",
                "ادخل",
                "ادخل إلى",
                "اذهب إلى داخل",
            ],
            Self::GoThrough => &[
                "go through",
                "gothrough",
                "walk through",
                "pass through",
                "cross",
                "go across",
                "مر عبر",
                "اعبر",
                "امش عبر",
            ],
            Self::Exit => &[
                "exit",
                "leave",
                "go out",
                "go out of",
                "walk out",
                "walk out of",
                "get out",
                "اخرج",
                "اخرج من",
                "غادر",
            ],
        }
    }

    /// Words that point to this action when a phrase is not one of its own.
    pub fn cues(self) -> &'static [&'static str] {
        match self {
            Self::GoTo => &[
                "to",
                "towards",
                "toward",
                "approach",
                "reach",
                "stop",
                "wait",
                "near",
                "up",
                "إلى",
                "نحو",
                "باتجاه",
            ],
            Self::GoPast => &[
                "past",
                "beyond",
                "by",
                "bypass",
                "alongside",
                "along",
                "تجاوز",
                "متجاوزا",
                "بجانب",
            ],
            Self::GoInto => &["into", "in", "inside", "enter", "entering", "داخل", "ادخل"],
            Self::GoThrough => &[
                "through", "across", "via", "cross", "crossing", "عبر", "خلال",
            ],
            Self::Exit => &[
                "exit",
                "leave",
                "leaving",
                "out",
                "outside",
                "depart",
                "departing",
                "away",
                "اخرج",
                "غادر",
                "خارج",
                "اترك",
            ],
        }
    }

    /// Ties in the lexical rule go to the more specific action: the higher, the more specific.
    fn specificity(self) -> u8 {
        match self {
            Self::GoTo => 0,
            Self::GoPast => 1,
            Self::GoInto => 2,
            Self::GoThrough => 3,
            Self::Exit => 4,
        }
    }
}

/// Which rule mapped a phrase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MappedBy {
    /// One of the action's own phrases.
    Exact,
    /// The most similar description, by embedding.
    Embedding,
    /// Cue words.
    Lexical,
}

impl MappedBy {
    /// The name in counters and step logs (`exact`, `embedding`, `lexical`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Embedding => "embedding",
            Self::Lexical => "lexical",
        }
    }
}

/// A phrase mapped to an action.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mapped {
    /// The action.
    pub kind: ActionKind,
    /// The rule that decided.
    pub by: MappedBy,
    /// The cosine similarity (embedding), the number of cue words (lexical), 1 (exact).
    pub score: f64,
}

/// Maps action phrases to [`ActionKind`]s; see the module's rules.
pub struct ActionMapper {
    embeddings: Option<Embeddings>,
}

/// An embedding model and the actions' description vectors, computed on first use.
struct Embeddings {
    client: BlockingLlmClient,
    model: String,
    descriptions: OnceLock<Vec<Vec<f32>>>,
}

impl ActionMapper {
    /// Exact phrases, then cue words.
    pub fn lexical() -> Self {
        Self { embeddings: None }
    }

    /// Exact phrases, then the most similar description by `model`'s embeddings on `client`.
    pub fn with_embeddings(client: BlockingLlmClient, model: impl Into<String>) -> Self {
        Self {
            embeddings: Some(Embeddings {
                client,
                model: model.into(),
                descriptions: OnceLock::new(),
            }),
        }
    }

    /// The action `phrase` names. Fails only when the embedding model does.
    pub fn map(&self, phrase: &str) -> Result<Mapped, LlmError> {
        let normal = normalize(phrase);
        if let Some(kind) = ActionKind::ALL
            .into_iter()
            .find(|k| k.phrases().contains(&normal.as_str()))
        {
            return Ok(Mapped {
                kind,
                by: MappedBy::Exact,
                score: 1.0,
            });
        }
        match &self.embeddings {
            Some(embeddings) => embeddings.nearest(&normal),
            None => Ok(by_cues(&normal)),
        }
    }
}

impl Embeddings {
    fn nearest(&self, phrase: &str) -> Result<Mapped, LlmError> {
        let descriptions = match self.descriptions.get() {
            Some(vectors) => vectors,
            None => {
                let texts: Vec<String> = ActionKind::ALL
                    .iter()
                    .map(|k| k.description().to_string())
                    .collect();
                let vectors = self.client.embed(&self.model, &texts)?;
                self.descriptions.get_or_init(|| vectors)
            }
        };
        let phrase = self
            .client
            .embed(&self.model, &[phrase.to_string()])?
            .into_iter()
            .next()
            .unwrap_or_default();
        let (kind, score) = ActionKind::ALL
            .into_iter()
            .zip(descriptions)
            .map(|(kind, d)| (kind, cosine(&phrase, d)))
            // The first of equal similarities: the order of the paper.
            .fold((ActionKind::GoTo, f64::NEG_INFINITY), |best, (kind, s)| {
                if s > best.1 { (kind, s) } else { best }
            });
        Ok(Mapped {
            kind,
            by: MappedBy::Embedding,
            score,
        })
    }
}

/// The lexical rule on a normalized phrase.
fn by_cues(phrase: &str) -> Mapped {
    let words: Vec<&str> = phrase.split(' ').collect();
    let (kind, score) = ActionKind::ALL
        .into_iter()
        .map(|kind| {
            let n = words.iter().filter(|w| kind.cues().contains(w)).count();
            (kind, n)
        })
        .max_by_key(|&(kind, n)| (n, kind.specificity()))
        .filter(|&(_, n)| n > 0)
        .unwrap_or((ActionKind::GoTo, 0));
    Mapped {
        kind,
        by: MappedBy::Lexical,
        score: score as f64,
    }
}

/// Lower case, punctuation (and Arabic diacritics) dropped, words joined by single spaces.
fn normalize(phrase: &str) -> String {
    phrase
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c.is_whitespace() {
                c
            } else {
                ' '
            }
        })
        // Arabic short vowels and tanwin (U+064B–U+0652): "متجاوزًا" is "متجاوزا".
        .filter(|c| !('\u{064B}'..='\u{0652}').contains(c))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Cosine similarity; 0 when either vector is zero or their lengths differ.
fn cosine(a: &[f32], b: &[f32]) -> f64 {
    if a.len() != b.len() {
        return 0.0;
    }
    let dot: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum();
    let norm = |v: &[f32]| v.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
    let (na, nb) = (norm(a), norm(b));
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na * nb)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexical(phrase: &str) -> (ActionKind, MappedBy) {
        let m = ActionMapper::lexical()
            .map(phrase)
            .unwrap_or_else(|e| panic!("{e}"));
        (m.kind, m.by)
    }

    #[test]
    fn the_five_names_and_their_phrases_map_exactly() {
        for kind in ActionKind::ALL {
            assert_eq!(lexical(kind.name()), (kind, MappedBy::Exact));
        }
        assert_eq!(
            lexical("Walk Through!"),
            (ActionKind::GoThrough, MappedBy::Exact)
        );
        assert_eq!(lexical("اخرجْ من"), (ActionKind::Exit, MappedBy::Exact));
    }

    #[test]
    fn other_phrases_go_by_their_cue_words() {
        for (phrase, kind) in [
            ("proceed beyond", ActionKind::GoPast),
            ("depart from", ActionKind::Exit),
            ("step inside", ActionKind::GoInto),
            ("make your way across", ActionKind::GoThrough),
            ("walk up to", ActionKind::GoTo),
            ("stroll", ActionKind::GoTo),
            ("سِرْ متجاوزًا", ActionKind::GoPast),
            // "out" (Exit) and "to" (GoTo) tie: the more specific action wins.
            ("head out to", ActionKind::Exit),
        ] {
            assert_eq!(lexical(phrase), (kind, MappedBy::Lexical), "{phrase}");
        }
    }

    #[test]
    fn cosine_similarity_is_the_normalized_dot_product() {
        assert!((cosine(&[1.0, 0.0], &[1.0, 1.0]) - 0.5f64.sqrt()).abs() < 1e-12);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 1.0]), 0.0);
        assert_eq!(cosine(&[1.0], &[1.0, 1.0]), 0.0);
    }
}
