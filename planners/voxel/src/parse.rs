//! Reading the model's answer: the last line holding `SKILL:` (any case, markdown
//! emphasis, code ticks and quotes ignored), then a skill name and its argument. Names and
//! arguments may be written with spaces (`eat cow`, `go to log`, `mine coal ore`) and common
//! synonyms (`wood` for `log`).

use crate::skills::{Skill, SkillError};

/// Why an answer gave no skill.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseFailure {
    /// No line holds `SKILL:`.
    #[error("no `SKILL:` line in the answer")]
    NoSkillLine,
    /// The `SKILL:` line names nothing.
    #[error("the `SKILL:` line is empty")]
    Empty,
    /// The `SKILL:` line names no valid skill.
    #[error("{0}")]
    Invalid(SkillError),
}

/// The skill an answer chooses.
pub fn parse_skill(answer: &str) -> Result<Skill, ParseFailure> {
    let line = answer
        .lines()
        .rev()
        .find_map(|line| {
            let lower = line.to_lowercase();
            let at = lower.find("skill:")?;
            line.get(at + "skill:".len()..).map(str::to_string)
        })
        .ok_or(ParseFailure::NoSkillLine)?;
    let cleaned: String = line
        .chars()
        .map(|c| {
            if matches!(
                c,
                '*' | '`' | '"' | '\'' | '#' | '<' | '>' | '(' | ')' | ',' | '.' | ':'
            ) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    if words.is_empty() {
        return Err(ParseFailure::Empty);
    }
    // The whole line as one name (`eat cow`), then a name of one or two words and the rest
    // as the argument (`mine coal ore`, `go to log`).
    if let Ok(skill) = Skill::parse(&words.join("_"), None) {
        return Ok(skill);
    }
    let mut first_error = None;
    for split in [1, 2] {
        if split > words.len() {
            break;
        }
        let name = words[..split].join("_");
        let arg = words[split..].join("_");
        match Skill::parse(&name, (!arg.is_empty()).then_some(arg.as_str())) {
            Ok(skill) => return Ok(skill),
            Err(e) => {
                if first_error.is_none() || !matches!(e, SkillError::UnknownSkill(_)) {
                    first_error = Some(e);
                }
            }
        }
    }
    Err(ParseFailure::Invalid(first_error.unwrap_or_else(|| {
        SkillError::UnknownSkill(words.join(" "))
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mine(block: &str) -> Skill {
        Skill::Mine {
            block: block.into(),
        }
    }

    #[test]
    fn reads_the_skill_line_in_any_dress() {
        assert_eq!(parse_skill("SKILL: mine log"), Ok(mine("log")));
        assert_eq!(
            parse_skill("I see a tree.\n**Skill:** `Mine` `wood`"),
            Ok(mine("log"))
        );
        assert_eq!(parse_skill("skill: mine coal ore"), Ok(mine("coal_ore")));
        assert_eq!(parse_skill("SKILL: eat cow"), Ok(Skill::EatCow));
        assert_eq!(
            parse_skill("SKILL: go to water"),
            Ok(Skill::GoTo {
                block: "water".into()
            })
        );
        assert_eq!(
            parse_skill("SKILL: craft wooden pickaxe."),
            Ok(Skill::Craft {
                item: "wood_pickaxe".into()
            })
        );
        assert_eq!(
            parse_skill("SKILL: place <table>"),
            Ok(Skill::Place {
                item: "table".into()
            })
        );
        assert_eq!(parse_skill("SKILL: explore\n"), Ok(Skill::Explore));
        // The last SKILL line wins (a model that first repeats the format).
        assert_eq!(
            parse_skill("Answer as SKILL: <name>\nSKILL: drink"),
            Ok(Skill::Drink)
        );
    }

    #[test]
    fn names_its_failures() {
        assert_eq!(parse_skill("mine log"), Err(ParseFailure::NoSkillLine));
        assert_eq!(parse_skill("SKILL: **"), Err(ParseFailure::Empty));
        assert!(matches!(
            parse_skill("SKILL: fly away"),
            Err(ParseFailure::Invalid(SkillError::UnknownSkill(_)))
        ));
        assert!(matches!(
            parse_skill("SKILL: mine"),
            Err(ParseFailure::Invalid(SkillError::MissingArgument { .. }))
        ));
        assert!(matches!(
            parse_skill("SKILL: mine gold"),
            Err(ParseFailure::Invalid(SkillError::BadArgument { .. }))
        ));
    }
}
