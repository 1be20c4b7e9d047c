//! Chat responses: [`ChatResponse`], [`TokenUsage`], and parsing the server's JSON.

use serde::Deserialize;
use serde_json::Value;

use crate::usage::Usage;

/// Token counts as the server reported them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TokenUsage {
    /// Tokens in the prompt.
    pub prompt_tokens: u64,
    /// Tokens in the completion.
    pub completion_tokens: u64,
    /// Their total (computed when the server leaves it out).
    pub total_tokens: u64,
}

/// The answer to a chat call.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatResponse {
    /// `choices[0].message.content` (empty when the server sent null).
    pub content: String,
    /// `choices[0].finish_reason`, e.g. `stop` or `length`.
    pub finish_reason: Option<String>,
    /// The model the server says answered.
    pub model: Option<String>,
    /// The server's token counts, if it sent any.
    pub token_usage: Option<TokenUsage>,
    /// This call's accounting.
    pub usage: Usage,
    /// Whether the answer came from the cache.
    pub cached: bool,
    /// The request's cache key: SHA-256 (hex) of its canonical body.
    pub cache_key: String,
    /// The response body exactly as the server sent it (or as it was recorded).
    pub raw: String,
}

/// The parts of a completion body that a [`ChatResponse`] keeps.
#[derive(Debug)]
pub(crate) struct ParsedCompletion {
    pub content: String,
    pub finish_reason: Option<String>,
    pub model: Option<String>,
    pub token_usage: Option<TokenUsage>,
}

#[derive(Deserialize)]
struct WireCompletion {
    choices: Option<Vec<WireChoice>>,
    model: Option<String>,
    usage: Option<WireUsage>,
    error: Option<Value>,
}

#[derive(Deserialize)]
struct WireChoice {
    message: Option<WireMessage>,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct WireMessage {
    content: Option<Value>,
}

#[derive(Deserialize)]
struct WireUsage {
    prompt_tokens: Option<u64>,
    completion_tokens: Option<u64>,
    total_tokens: Option<u64>,
}

/// Parses a `/chat/completions` body; the error says what is wrong with it.
pub(crate) fn parse_completion(raw: &str) -> Result<ParsedCompletion, String> {
    let wire: WireCompletion =
        serde_json::from_str(raw).map_err(|err| format!("not JSON ({err}): {}", snippet(raw)))?;
    let Some(choice) = wire.choices.and_then(|choices| choices.into_iter().next()) else {
        return Err(match wire.error {
            Some(error) => format!("no choices; error: {}", error_message(&error)),
            None => format!("no choices: {}", snippet(raw)),
        });
    };
    let content = match choice.message.and_then(|message| message.content) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text,
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|part| part.get("text").and_then(Value::as_str))
            .collect(),
        Some(other) => return Err(format!("message content is neither text nor null: {other}")),
    };
    let token_usage = wire.usage.map(|usage| {
        let prompt_tokens = usage.prompt_tokens.unwrap_or(0);
        let completion_tokens = usage.completion_tokens.unwrap_or(0);
        TokenUsage {
            prompt_tokens,
            completion_tokens,
            total_tokens: usage
                .total_tokens
                .unwrap_or(prompt_tokens + completion_tokens),
        }
    });
    Ok(ParsedCompletion {
        content,
        finish_reason: choice.finish_reason,
        model: wire.model,
        token_usage,
    })
}

/// The message in an error body: OpenAI's `{"error": {"message": …}}`, a plain `error` or
/// `message` string, or else the start of the body.
pub(crate) fn server_message(body: &str) -> String {
    match serde_json::from_str::<Value>(body) {
        Ok(value) => {
            if let Some(error) = value.get("error") {
                error_message(error)
            } else if let Some(message) = value.get("message").and_then(Value::as_str) {
                message.to_owned()
            } else {
                snippet(body)
            }
        }
        Err(_) if body.trim().is_empty() => "(empty body)".to_owned(),
        Err(_) => snippet(body),
    }
}

fn error_message(error: &Value) -> String {
    match error {
        Value::String(message) => message.clone(),
        other => other
            .get("message")
            .and_then(Value::as_str)
            .map_or_else(|| snippet(&other.to_string()), str::to_owned),
    }
}

/// The first 300 characters of a body, for error messages.
fn snippet(text: &str) -> String {
    const LIMIT: usize = 300;
    let trimmed = text.trim();
    match trimmed.char_indices().nth(LIMIT) {
        Some((end, _)) => format!("{}…", &trimmed[..end]),
        None => trimmed.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn parses_content_finish_reason_and_usage() {
        let parsed = parse_completion(
            r#"{"model":"m","choices":[{"message":{"role":"assistant","content":"hi"},
               "finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1}}"#,
        )
        .unwrap();
        assert_eq!(parsed.content, "hi");
        assert_eq!(parsed.finish_reason.as_deref(), Some("stop"));
        assert_eq!(parsed.model.as_deref(), Some("m"));
        let usage = parsed.token_usage.unwrap();
        assert_eq!(
            (
                usage.prompt_tokens,
                usage.completion_tokens,
                usage.total_tokens
            ),
            (3, 1, 4)
        );
    }

    #[test]
    fn null_content_is_empty_and_usage_may_be_missing() {
        let parsed =
            parse_completion(r#"{"choices":[{"message":{"content":null},"finish_reason":null}]}"#)
                .unwrap();
        assert_eq!(parsed.content, "");
        assert!(parsed.token_usage.is_none());
        assert!(parsed.finish_reason.is_none());
    }

    #[test]
    fn rejects_non_json_and_missing_choices() {
        assert!(
            parse_completion("<html>oops</html>")
                .unwrap_err()
                .contains("not JSON")
        );
        assert!(
            parse_completion(r#"{"choices":[]}"#)
                .unwrap_err()
                .contains("no choices")
        );
        assert!(
            parse_completion(r#"{"error":{"message":"overloaded"}}"#)
                .unwrap_err()
                .contains("overloaded")
        );
    }

    #[test]
    fn server_message_reads_openai_errors() {
        assert_eq!(
            server_message(r#"{"error":{"message":"bad key","type":"auth"}}"#),
            "bad key"
        );
        assert_eq!(server_message(r#"{"error":"nope"}"#), "nope");
        assert_eq!(server_message("plain text"), "plain text");
        assert_eq!(server_message(""), "(empty body)");
    }
}
