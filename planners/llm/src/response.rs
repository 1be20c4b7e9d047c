//! Chat responses: [`ChatResponse`], [`TokenUsage`], and parsing the server's JSON (chat
//! completions and embeddings).

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

/// The parts of an embeddings body that [`crate::LlmClient::embed`] keeps.
#[derive(Debug)]
pub(crate) struct ParsedEmbeddings {
    /// One vector per input, in input order.
    pub vectors: Vec<Vec<f32>>,
    /// `usage.prompt_tokens` (else `usage.total_tokens`, else 0).
    pub prompt_tokens: u64,
}

#[derive(Deserialize)]
struct WireEmbeddings {
    data: Option<Vec<WireEmbedding>>,
    usage: Option<WireUsage>,
    error: Option<Value>,
}

#[derive(Deserialize)]
struct WireEmbedding {
    index: Option<usize>,
    embedding: Option<Vec<f32>>,
}

/// Parses an `/embeddings` body for `expected` inputs: one vector per input, put in input order
/// by their `index`, all of one (non-zero) length. The error says what is wrong with it.
pub(crate) fn parse_embeddings(raw: &str, expected: usize) -> Result<ParsedEmbeddings, String> {
    let wire: WireEmbeddings = serde_json::from_str(raw)
        .map_err(|err| format!("not an embeddings body ({err}): {}", snippet(raw)))?;
    let Some(data) = wire.data else {
        return Err(match wire.error {
            Some(error) => format!("no data; error: {}", error_message(&error)),
            None => format!("no data: {}", snippet(raw)),
        });
    };
    let mut slots: Vec<Option<Vec<f32>>> = vec![None; expected];
    for (position, item) in data.into_iter().enumerate() {
        let index = item
            .index
            .ok_or_else(|| format!("data[{position}] has no index"))?;
        let embedding = item
            .embedding
            .ok_or_else(|| format!("data[{position}] (index {index}) has no embedding"))?;
        let slot = slots.get_mut(index).ok_or_else(|| {
            format!("data[{position}] has index {index}, but {expected} input(s) were sent")
        })?;
        if slot.is_some() {
            return Err(format!("index {index} appears more than once"));
        }
        *slot = Some(embedding);
    }
    let mut vectors = Vec::with_capacity(expected);
    for (index, slot) in slots.into_iter().enumerate() {
        let vector = slot.ok_or_else(|| format!("no embedding for input {index}"))?;
        if vector.is_empty() {
            return Err(format!("the embedding of input {index} is empty"));
        }
        if let Some(first) = vectors.first().map(Vec::len)
            && vector.len() != first
        {
            return Err(format!(
                "the embedding of input {index} has {} dimensions, that of input 0 has {first}",
                vector.len()
            ));
        }
        vectors.push(vector);
    }
    let prompt_tokens = wire
        .usage
        .and_then(|usage| usage.prompt_tokens.or(usage.total_tokens))
        .unwrap_or(0);
    Ok(ParsedEmbeddings {
        vectors,
        prompt_tokens,
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

    fn embeddings_error(raw: &str, expected: usize) -> String {
        parse_embeddings(raw, expected).unwrap_err()
    }

    #[test]
    fn embeddings_are_put_in_input_order_with_their_usage() {
        let parsed = parse_embeddings(
            r#"{"object":"list","data":[{"object":"embedding","index":1,"embedding":[3,4]},
               {"object":"embedding","index":0,"embedding":[1.5,-2]}],
               "model":"e","usage":{"prompt_tokens":7,"total_tokens":7}}"#,
            2,
        )
        .unwrap();
        assert_eq!(parsed.vectors, vec![vec![1.5, -2.0], vec![3.0, 4.0]]);
        assert_eq!(parsed.prompt_tokens, 7);
        let parsed = parse_embeddings(r#"{"data":[{"index":0,"embedding":[1]}]}"#, 1).unwrap();
        assert_eq!(parsed.prompt_tokens, 0);
    }

    #[test]
    fn embeddings_with_a_bad_index_or_shape_are_refused() {
        let one = |index: &str, embedding: &str| {
            format!(r#"{{"index":{index},"embedding":{embedding}}}"#)
        };
        let body = |items: &[String]| format!(r#"{{"data":[{}]}}"#, items.join(","));
        assert!(embeddings_error("<html>", 1).contains("not an embeddings body"));
        assert!(embeddings_error(r#"{"error":{"message":"too long"}}"#, 1).contains("too long"));
        assert!(embeddings_error(r#"{"choices":[]}"#, 1).contains("no data"));
        let missing_index = body(&[r#"{"embedding":[1]}"#.to_owned()]);
        assert!(embeddings_error(&missing_index, 1).contains("data[0] has no index"));
        let absent = body(&[one("0", "[1]")]);
        assert!(embeddings_error(&absent, 2).contains("no embedding for input 1"));
        let duplicated = body(&[one("0", "[1]"), one("0", "[2]")]);
        assert!(embeddings_error(&duplicated, 2).contains("index 0 appears more than once"));
        let out_of_range = body(&[one("0", "[1]"), one("2", "[2]")]);
        assert!(embeddings_error(&out_of_range, 2).contains("index 2, but 2 input(s)"));
        let ragged = body(&[one("0", "[1,2]"), one("1", "[3]")]);
        assert!(embeddings_error(&ragged, 2).contains("input 1 has 1 dimensions"));
        let empty = body(&[one("0", "[]")]);
        assert!(embeddings_error(&empty, 1).contains("is empty"));
        let text = body(&[one("0", r#""AAAA""#)]);
        assert!(embeddings_error(&text, 1).contains("not an embeddings body"));
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
