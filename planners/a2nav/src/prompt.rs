//! The decomposition prompt: one file per language (`prompts/<language>/decompose.txt`), the
//! instruction put where `{instruction}` stands.

pub use waymark_planner::PromptLanguage;

/// The prompt files, English then Arabic (a run records their fingerprint).
pub const TEMPLATES: [&str; 2] = [
    include_str!("../prompts/en/decompose.txt"),
    include_str!("../prompts/ar/decompose.txt"),
];

/// The decomposition prompt for `instruction` (trimmed) in `language`.
pub fn render_prompt(language: PromptLanguage, instruction: &str) -> String {
    language
        .pick(TEMPLATES)
        .replace("{instruction}", instruction.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_instruction_takes_its_place_in_either_language() {
        let en = render_prompt(PromptLanguage::English, "  Walk past the sofa. ");
        assert!(en.contains("Instruction: Walk past the sofa.\nSub-tasks:"));
        assert!(!en.contains("{instruction}"));
        let ar = render_prompt(PromptLanguage::for_tag(Some("ar-SA")), "امشِ");
        assert!(ar.contains("التعليمات: امشِ\n"));
        assert_eq!(
            PromptLanguage::for_tag(Some("en-US")),
            PromptLanguage::English
        );
        assert_eq!(PromptLanguage::for_tag(None), PromptLanguage::English);
    }
}
