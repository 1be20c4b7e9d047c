//! The language an LLM planner writes its prompt in, from the episode's language tag.

/// A prompt's language: Arabic for tasks tagged Arabic, English otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptLanguage {
    /// English.
    English,
    /// Arabic.
    Arabic,
}

impl PromptLanguage {
    /// Arabic for tags whose primary subtag is `ar` (`ar`, `ar-SA`, `AR_eg`…), English for
    /// anything else (`en-US`, `hi-IN`, no tag).
    pub fn for_tag(tag: Option<&str>) -> Self {
        if waymark_core::context::is_arabic(tag) {
            Self::Arabic
        } else {
            Self::English
        }
    }

    /// This language's entry of `[english, arabic]`.
    pub fn pick<T>(self, [english, arabic]: [T; 2]) -> T {
        match self {
            Self::English => english,
            Self::Arabic => arabic,
        }
    }
}
