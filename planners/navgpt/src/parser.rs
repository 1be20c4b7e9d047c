//! NavGPT's output parser (`NavGPTOutputParser.parse`) and what LangChain 0.0.246 feeds back to
//! the model when parsing fails.
//!
//! Waymark extension: for an episode prompted in Arabic ([`parse_in`]), the Arabic label
//! `الإجابة النهائية:` also ends it, so the model can finish in its own language. [`parse`] is
//! NavGPT's parser exactly (English `Final Answer:` only).

use std::sync::LazyLock;

use regex::Regex;

use crate::prompt::PromptLanguage;

/// The name of NavGPT's only tool.
pub const TOOL_NAME: &str = "action_maker";

/// NavGPT's finish phrase.
pub const FINAL_ANSWER: &str = "Final Answer:";

/// The Arabic finish phrase ("final answer:"), accepted as well (waymark extension).
pub const FINAL_ANSWER_ARABIC: &str = "الإجابة النهائية:";

/// Observation for a completion without `Action:` (the missing closing quote is NavGPT's).
pub const MISSING_ACTION_OBSERVATION: &str = "Invalid Format: Missing 'Action:' after 'Thought:";

/// Observation for a completion with `Action:` but no `Action Input:`.
pub const MISSING_ACTION_INPUT_OBSERVATION: &str =
    "Invalid Format: Missing 'Action Input:' after 'Action:'";

/// LangChain's observation for parse errors that are not sent back to the model verbatim.
pub const INVALID_RESPONSE_OBSERVATION: &str = "Invalid or incomplete response";

/// Start of the error raised when a completion holds both a final answer and an action.
pub const ANSWER_AND_ACTION_MESSAGE: &str =
    "Parsing LLM output produced both a final answer and a parse-able action:";

/// The outcome of parsing one completion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// A tool call: the tool name as written (trimmed) and the 32-hex viewpoint id.
    Action {
        /// The tool name, whitespace-trimmed; not checked against [`TOOL_NAME`].
        tool: String,
        /// The first 32 hex digits after `Action Input:`, case kept.
        viewpoint: String,
    },
    /// `Final Answer:` with no parsable action: the text after the last stop phrase.
    Finish {
        /// The trimmed text after the last finish phrase (NavGPT ignores it).
        output: String,
    },
    /// A format error: what enters the scratchpad as the step's log, what is fed back as the
    /// observation, and a short stable cause name for counting.
    Error {
        /// The step's log in the scratchpad.
        log: String,
        /// The observation fed back to the model.
        observation: String,
        /// `missing_action`, `missing_action_input`, `unparsable_action_input`,
        /// `answer_and_action` or `empty_answer`.
        cause: &'static str,
    },
}

/// Python's `\s` and `str.strip()` whitespace: Unicode White_Space plus U+001C..U+001F, which
/// Python counts as space and Rust's `\s` and `trim` do not.
const SPACE: &str = r"[\s\x1C-\x1F]";

fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1C}'..='\u{1F}').contains(&c)
}

fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// Compiles one of the constant patterns below.
#[allow(clippy::expect_used)] // constant patterns, exercised by the tests
fn compile(pattern: &str) -> Regex {
    Regex::new(&pattern.replace(r"\s", SPACE)).expect("constant regex")
}

// NavGPT's three patterns, flags included (`re.DOTALL` = `(?s)`). The id has no right boundary:
// a longer hex run is cut to its first 32 digits. Single-quoted ids do not match.
static ACTION_AND_INPUT: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r#"(?s)Action\s*\d*\s*:\s*(.*?)\s*Action\s*\d*\s*Input\s*\d*\s*:\s*"?([a-fA-F0-9]{32})"?"#,
    )
});
static ACTION: LazyLock<Regex> = LazyLock::new(|| compile(r"(?s)Action\s*\d*\s*:\s*(.*?)"));
static ACTION_INPUT: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?s)\s*Action\s*\d*\s*Input\s*\d*\s*:\s*(.*)"));

/// The text after the last of the finish `phrases` in `text`, if any.
fn after_final_answer<'t>(text: &'t str, phrases: &[&str]) -> Option<&'t str> {
    phrases
        .iter()
        .filter_map(|phrase| text.rfind(phrase).map(|i| i + phrase.len()))
        .max()
        .map(|end| &text[end..])
}

/// Parses one completion as NavGPT does.
///
/// A parsable action wins unless a finish phrase appears anywhere, which is an error. Otherwise a
/// finish phrase ends the episode. Otherwise the error says what is missing: `Action:`, then
/// `Action Input:`, then (generic) a usable 32-hex id.
pub fn parse(text: &str) -> Parsed {
    parse_with(text, &[FINAL_ANSWER])
}

/// [`parse`] for an episode prompted in `language`: in Arabic, `الإجابة النهائية:` is a finish
/// phrase too.
pub fn parse_in(text: &str, language: PromptLanguage) -> Parsed {
    match language {
        PromptLanguage::English => parse(text),
        PromptLanguage::Arabic => parse_with(text, &[FINAL_ANSWER, FINAL_ANSWER_ARABIC]),
    }
}

fn parse_with(text: &str, finish_phrases: &[&str]) -> Parsed {
    let answer = after_final_answer(text, finish_phrases);
    if let Some(caps) = ACTION_AND_INPUT.captures(text) {
        if answer.is_some() {
            // Not sent to the model: LangChain substitutes its generic observation.
            return Parsed::Error {
                log: format!("{ANSWER_AND_ACTION_MESSAGE}: {text}"),
                observation: INVALID_RESPONSE_OBSERVATION.to_string(),
                cause: "answer_and_action",
            };
        }
        let tool = caps.get(1).map_or("", |m| m.as_str());
        let viewpoint = caps.get(2).map_or("", |m| m.as_str());
        return Parsed::Action {
            tool: py_strip(tool).to_string(),
            viewpoint: viewpoint.to_string(),
        };
    }
    if let Some(output) = answer {
        return Parsed::Finish {
            output: py_strip(output).to_string(),
        };
    }
    if !ACTION.is_match(text) {
        // NavGPT reports an empty completion as a missing action; it is counted apart.
        let cause = if py_strip(text).is_empty() {
            "empty_answer"
        } else {
            "missing_action"
        };
        return Parsed::Error {
            log: text.to_string(),
            observation: MISSING_ACTION_OBSERVATION.to_string(),
            cause,
        };
    }
    if !ACTION_INPUT.is_match(text) {
        return Parsed::Error {
            log: text.to_string(),
            observation: MISSING_ACTION_INPUT_OBSERVATION.to_string(),
            cause: "missing_action_input",
        };
    }
    Parsed::Error {
        log: format!("Could not parse LLM output: `{text}`"),
        observation: INVALID_RESPONSE_OBSERVATION.to_string(),
        cause: "unparsable_action_input",
    }
}

/// Splits a ReAct response into its thought (before `Action:`, without `Thought:`) and its
/// action lines (`Action: …` and `Action Input: …` joined by spaces), for the step log the
/// window shows.
pub fn thought_and_action(response: &str) -> (String, String) {
    let action_at = response.find("Action:");
    let thought = action_at.map_or(response, |i| &response[..i]);
    let thought = thought
        .trim()
        .trim_start_matches("Thought:")
        .trim()
        .to_string();
    let action = action_at
        .map(|i| {
            response[i..]
                .lines()
                .filter(|l| l.starts_with("Action"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    (thought, action)
}

/// LangChain 0.0.246's observation for a tool name other than [`TOOL_NAME`].
pub fn invalid_tool_observation(tool: &str) -> String {
    format!("{tool} is not a valid tool, try another one.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thought_and_action_split_a_react_response() {
        let (thought, action) =
            thought_and_action("Thought: go left\nAction: action_maker\nAction Input: \"b\"");
        assert_eq!(thought, "go left");
        assert_eq!(action, "Action: action_maker Action Input: \"b\"");
        let (thought, action) = thought_and_action("Final Answer: done");
        assert_eq!(
            (thought.as_str(), action.as_str()),
            ("Final Answer: done", "")
        );
    }

    fn action(tool: &str, viewpoint: &str) -> Parsed {
        Parsed::Action {
            tool: tool.to_string(),
            viewpoint: viewpoint.to_string(),
        }
    }

    fn error(log: &str, observation: &str, cause: &'static str) -> Parsed {
        Parsed::Error {
            log: log.to_string(),
            observation: observation.to_string(),
            cause,
        }
    }

    #[test]
    fn navgpt_test_parse_samples() {
        // nav_src/scripts/test_parse.py
        assert_eq!(
            parse(
                "which tells me ... Action: action_maker\nAction Input: \"f237319a500640d8ac172db225a3ce9c\" (Left viewpoint ID)"
            ),
            action("action_maker", "f237319a500640d8ac172db225a3ce9c")
        );
        assert_eq!(
            parse(
                "which is to turn right ... Action: action_maker\nAction Input: \"06bd0a2d004b454b9e93ddcf08344732\""
            ),
            action("action_maker", "06bd0a2d004b454b9e93ddcf08344732")
        );
        assert_eq!(
            parse(
                "which is to exit out ... Action: action_maker\nAction Input: \"424bcb744623413f830ece5c68319d70\"\n"
            ),
            action("action_maker", "424bcb744623413f830ece5c68319d70")
        );
    }

    #[test]
    fn loose_forms_that_navgpt_accepts() {
        // Unquoted, numbered, odd spacing, multi-line tool name, uppercase hex.
        assert_eq!(
            parse("Action 1 :action_maker Action 1 Input 1:545DA9C1D46243758C2F904FF4812AB0"),
            action("action_maker", "545DA9C1D46243758C2F904FF4812AB0")
        );
        assert_eq!(
            parse(
                "Action:\n  `action_maker` tool \n\nAction Input:\n\"545da9c1d46243758c2f904ff4812ab0\"."
            ),
            action("`action_maker` tool", "545da9c1d46243758c2f904ff4812ab0")
        );
        // The first Action/Action Input pair wins.
        assert_eq!(
            parse(
                "Action: a\nAction Input: \"11111111111111111111111111111111\"\n\
                 Action: b\nAction Input: \"22222222222222222222222222222222\""
            ),
            action("a", "11111111111111111111111111111111")
        );
        // Python counts U+001F as space, so it is trimmed from the tool name.
        assert_eq!(
            parse(
                "Action:\u{1f}action_maker\u{1f}\nAction Input: 545da9c1d46243758c2f904ff4812ab0"
            ),
            action("action_maker", "545da9c1d46243758c2f904ff4812ab0")
        );
    }

    #[test]
    fn long_ids_are_cut_to_32_digits() {
        assert_eq!(
            parse("Action: action_maker\nAction Input: \"545da9c1d46243758c2f904ff4812ab0ffff\""),
            action("action_maker", "545da9c1d46243758c2f904ff4812ab0")
        );
    }

    #[test]
    fn single_quoted_or_short_ids_are_generic_errors() {
        for text in [
            "Action: action_maker\nAction Input: '545da9c1d46243758c2f904ff4812ab0'",
            "Action: action_maker\nAction Input: \"545da9c1d46243758c2f904ff4812ab\"",
            "Action: action_maker\nAction Input: [545da9c1d46243758c2f904ff4812ab0]",
        ] {
            assert_eq!(
                parse(text),
                error(
                    &format!("Could not parse LLM output: `{text}`"),
                    "Invalid or incomplete response",
                    "unparsable_action_input"
                )
            );
        }
    }

    #[test]
    fn missing_action_and_missing_input() {
        let text = "I think I should go left.";
        assert_eq!(
            parse(text),
            error(
                text,
                "Invalid Format: Missing 'Action:' after 'Thought:",
                "missing_action"
            )
        );
        let text = "I go.\nAction: action_maker";
        assert_eq!(
            parse(text),
            error(
                text,
                "Invalid Format: Missing 'Action Input:' after 'Action:'",
                "missing_action_input"
            )
        );
        // `Action Input:` alone also contains no `Action<digits>:`.
        let text = "Action Input: \"545da9c1d46243758c2f904ff4812ab0\"";
        assert_eq!(
            parse(text),
            error(
                text,
                "Invalid Format: Missing 'Action:' after 'Thought:",
                "missing_action"
            )
        );
    }

    #[test]
    fn empty_completions_are_counted_apart() {
        for text in ["", " \n\t\u{1c}"] {
            assert_eq!(
                parse(text),
                error(
                    text,
                    "Invalid Format: Missing 'Action:' after 'Thought:",
                    "empty_answer"
                )
            );
        }
    }

    #[test]
    fn final_answers() {
        assert_eq!(
            parse("I have reached the destination, I can stop.\nFinal Answer: Finished!"),
            Parsed::Finish {
                output: "Finished!".to_string()
            }
        );
        // Text after the last phrase; its content is not checked.
        assert_eq!(
            parse("Final Answer: a\nFinal Answer:  not quite \n"),
            Parsed::Finish {
                output: "not quite".to_string()
            }
        );
        // A finish phrase beats an unparsable action.
        assert_eq!(
            parse("Action: action_maker\nFinal Answer: Finished!"),
            Parsed::Finish {
                output: "Finished!".to_string()
            }
        );
        // Case-sensitive, as in NavGPT.
        assert_eq!(
            parse("final answer: Finished!"),
            error(
                "final answer: Finished!",
                "Invalid Format: Missing 'Action:' after 'Thought:",
                "missing_action"
            )
        );
    }

    #[test]
    fn arabic_final_answer() {
        let parse = |text| parse_in(text, PromptLanguage::Arabic);
        // NavGPT's own parser, used for English prompts, knows only `Final Answer:`.
        assert!(matches!(
            super::parse("الإجابة النهائية: انتهى!"),
            Parsed::Error {
                cause: "missing_action",
                ..
            }
        ));
        assert_eq!(
            parse("لقد وصلت إلى الوجهة.\nالإجابة النهائية: انتهى!"),
            Parsed::Finish {
                output: "انتهى!".to_string()
            }
        );
        // Whichever phrase comes last decides the output.
        assert_eq!(
            parse("الإجابة النهائية: انتهى!\nFinal Answer: Finished!"),
            Parsed::Finish {
                output: "Finished!".to_string()
            }
        );
        assert_eq!(
            parse("Final Answer: Finished!\nالإجابة النهائية: انتهى!"),
            Parsed::Finish {
                output: "انتهى!".to_string()
            }
        );
    }

    #[test]
    fn answer_and_action_together() {
        let text = "Final Answer: not yet\nAction: action_maker\nAction Input: \"545da9c1d46243758c2f904ff4812ab0\"";
        assert_eq!(
            parse(text),
            error(
                &format!(
                    "Parsing LLM output produced both a final answer and a parse-able action:: {text}"
                ),
                "Invalid or incomplete response",
                "answer_and_action"
            )
        );
        let text = "Action: action_maker\nAction Input: 545da9c1d46243758c2f904ff4812ab0\nالإجابة النهائية: انتهى!";
        assert!(
            matches!(parse(text), Parsed::Action { .. }),
            "English: a move"
        );
        assert!(matches!(
            parse_in(text, PromptLanguage::Arabic),
            Parsed::Error {
                cause: "answer_and_action",
                ..
            }
        ));
    }

    #[test]
    fn invalid_tool_message() {
        assert_eq!(
            invalid_tool_observation("`action_maker`"),
            "`action_maker` is not a valid tool, try another one."
        );
    }
}
