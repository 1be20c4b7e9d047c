//! Reading the model's decomposition: the first JSON list in the answer (code fences and
//! surrounding prose allowed), each item an object with a string `action` and a string
//! `landmark`.

use serde::Deserialize;

/// One sub-task as the model wrote it: its action phrase (mapped to one of the five by
/// [`crate::ActionMapper`]) and its landmark.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct RawSubTask {
    /// The action phrase, for example `go past` or `proceed beyond`.
    pub action: String,
    /// What the action is about, for example `the sofa`.
    pub landmark: String,
}

/// Why an answer gives no plan; [`ParseFailure::cause`] names the counter
/// (`failure.<cause>`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseFailure {
    /// No JSON list anywhere in the answer.
    #[error("the answer holds no JSON list")]
    NoJsonList,
    /// An item of the list is not `{"action": "...", "landmark": "..."}` (its position, from 0).
    #[error("item {0} of the list is not {{\"action\": ..., \"landmark\": ...}} with two strings")]
    BadItem(usize),
    /// The list is empty, or every landmark and action is blank.
    #[error("the list has no sub-task")]
    EmptyPlan,
}

impl ParseFailure {
    /// The counter's name, after `failure.`.
    pub fn cause(&self) -> &'static str {
        match self {
            Self::NoJsonList => "no_json_list",
            Self::BadItem(_) => "bad_item",
            Self::EmptyPlan => "empty_plan",
        }
    }
}

/// The sub-tasks of `answer`, in order, with actions and landmarks trimmed.
pub fn parse_subtasks(answer: &str) -> Result<Vec<RawSubTask>, ParseFailure> {
    let list = first_json_list(answer).ok_or(ParseFailure::NoJsonList)?;
    let mut tasks = Vec::with_capacity(list.len());
    for (i, item) in list.into_iter().enumerate() {
        let task: RawSubTask =
            serde_json::from_value(item).map_err(|_| ParseFailure::BadItem(i))?;
        let task = RawSubTask {
            action: task.action.trim().to_string(),
            landmark: task.landmark.trim().to_string(),
        };
        if task.action.is_empty() && task.landmark.is_empty() {
            continue;
        }
        if task.action.is_empty() {
            return Err(ParseFailure::BadItem(i));
        }
        tasks.push(task);
    }
    if tasks.is_empty() {
        return Err(ParseFailure::EmptyPlan);
    }
    Ok(tasks)
}

/// The first `[` from which a whole JSON list parses (the rest of the text ignored).
fn first_json_list(text: &str) -> Option<Vec<serde_json::Value>> {
    text.match_indices('[').find_map(|(at, _)| {
        serde_json::Deserializer::from_str(&text[at..])
            .into_iter::<Vec<serde_json::Value>>()
            .next()
            .and_then(Result::ok)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(action: &str, landmark: &str) -> RawSubTask {
        RawSubTask {
            action: action.into(),
            landmark: landmark.into(),
        }
    }

    #[test]
    fn the_first_list_is_read_through_fences_and_prose() {
        let answer = "Sure! Here it is:\n```json\n[{\"action\": \"exit\", \"landmark\": \" bedroom \"},\n {\"action\": \"go past\", \"landmark\": \"sofa\"}]\n```\nDone [ok]";
        assert_eq!(
            parse_subtasks(answer).unwrap(),
            [task("exit", "bedroom"), task("go past", "sofa")]
        );
        // A bracket in the prose before the list is passed over.
        let answer = "Steps [see below]: [{\"action\": \"go to\", \"landmark\": \"الطاولة\"}]";
        assert_eq!(parse_subtasks(answer).unwrap(), [task("go to", "الطاولة")]);
    }

    #[test]
    fn answers_without_a_plan_say_why() {
        assert_eq!(
            parse_subtasks("walk to the kitchen"),
            Err(ParseFailure::NoJsonList)
        );
        assert_eq!(parse_subtasks("[1, 2"), Err(ParseFailure::NoJsonList));
        assert_eq!(parse_subtasks("[]"), Err(ParseFailure::EmptyPlan));
        assert_eq!(
            parse_subtasks("[{\"action\": \"go to\", \"landmark\": \"door\"}, {\"action\": 3}]"),
            Err(ParseFailure::BadItem(1))
        );
        assert_eq!(
            parse_subtasks("[{\"action\": \" \", \"landmark\": \"door\"}]"),
            Err(ParseFailure::BadItem(0))
        );
        assert_eq!(ParseFailure::BadItem(0).cause(), "bad_item");
    }
}
