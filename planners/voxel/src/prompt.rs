//! The skill-choice prompt (`prompts/voxel_skill_en.txt`), filled with the task, the
//! observation's text, the previous skill's end and the skill vocabulary.

use crate::skills::Skill;
use waymark_core::VoxelObservation;

/// The prompt files (a run records their fingerprint).
pub const TEMPLATES: [&str; 1] = [include_str!("../prompts/voxel_skill_en.txt")];

/// One line per skill: `- mine <log | stone | …>`, `- drink`.
pub fn skill_list() -> String {
    Skill::vocabulary()
        .into_iter()
        .map(|(name, args)| match args.is_empty() {
            true => format!("- {name}"),
            false => format!("- {name} <{}>", args.join(" | ")),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The prompt for `obs` under `instruction`, after the previous skill ended as `last`.
pub fn render_prompt(instruction: &str, obs: &VoxelObservation, last: Option<&str>) -> String {
    TEMPLATES[0]
        .replace("{instruction}", instruction.trim())
        .replace("{observation}", obs.text.trim())
        .replace("{last}", last.unwrap_or("none yet (this is the start)"))
        .replace("{skills}", &skill_list())
}
