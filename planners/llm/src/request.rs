//! Chat requests: [`ChatRequest`], [`Message`], [`Content`], and their JSON body; the
//! embeddings body.

use base64::Engine as _;
use serde_json::{Map, Value, json};

use crate::config::LlmConfig;

/// Who speaks a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Instructions to the model.
    System,
    /// The user (here: the planner's observation and question).
    User,
    /// The model's earlier answers.
    Assistant,
}

impl Role {
    /// The role's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::User => "user",
            Self::Assistant => "assistant",
        }
    }
}

/// One part of a multi-part message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContentPart {
    /// Text.
    Text(String),
    /// A PNG image, sent as a `data:image/png;base64,…` `image_url` part.
    PngImage(Vec<u8>),
}

/// A message's content: plain text, or parts (text and images).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    /// Plain text.
    Text(String),
    /// Text and image parts, in order.
    Parts(Vec<ContentPart>),
}

/// One chat message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Who speaks it.
    pub role: Role,
    /// What it says.
    pub content: Content,
}

impl Message {
    /// A system message.
    pub fn system(text: impl Into<String>) -> Self {
        Self {
            role: Role::System,
            content: Content::Text(text.into()),
        }
    }

    /// A user message.
    pub fn user(text: impl Into<String>) -> Self {
        Self {
            role: Role::User,
            content: Content::Text(text.into()),
        }
    }

    /// An assistant message.
    pub fn assistant(text: impl Into<String>) -> Self {
        Self {
            role: Role::Assistant,
            content: Content::Text(text.into()),
        }
    }

    /// A user message of several parts (text and images).
    pub fn user_parts(parts: Vec<ContentPart>) -> Self {
        Self {
            role: Role::User,
            content: Content::Parts(parts),
        }
    }
}

/// A chat completion request. Unset sampling settings come from the client's [`LlmConfig`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChatRequest {
    /// The conversation.
    pub messages: Vec<Message>,
    /// Overrides [`LlmConfig::temperature`].
    pub temperature: Option<f64>,
    /// Overrides [`LlmConfig::max_tokens`].
    pub max_tokens: Option<u32>,
    /// Overrides [`LlmConfig::stop`].
    pub stop: Option<Vec<String>>,
    /// A sampling seed, for servers that honour one.
    pub seed: Option<u64>,
}

impl ChatRequest {
    /// A request with these messages and the client's sampling settings.
    pub fn new(messages: Vec<Message>) -> Self {
        Self {
            messages,
            ..Self::default()
        }
    }

    /// Sets the temperature.
    pub fn with_temperature(mut self, temperature: f64) -> Self {
        self.temperature = Some(temperature);
        self
    }

    /// Sets the completion length limit.
    pub fn with_max_tokens(mut self, max_tokens: u32) -> Self {
        self.max_tokens = Some(max_tokens);
        self
    }

    /// Sets the stop sequences.
    pub fn with_stop(mut self, stop: Vec<String>) -> Self {
        self.stop = Some(stop);
        self
    }

    /// Sets the sampling seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// The `/chat/completions` body for this request under `config` (model and defaults
    /// filled in). It holds neither the API key nor the URL.
    pub fn to_body(&self, config: &LlmConfig) -> Value {
        let mut body = Map::new();
        body.insert("model".into(), json!(config.model));
        body.insert(
            "messages".into(),
            Value::Array(self.messages.iter().map(message_json).collect()),
        );
        body.insert(
            "temperature".into(),
            json!(self.temperature.unwrap_or(config.temperature)),
        );
        if let Some(max_tokens) = self.max_tokens.or(config.max_tokens) {
            body.insert("max_tokens".into(), json!(max_tokens));
        }
        let stop = self.stop.as_ref().unwrap_or(&config.stop);
        if !stop.is_empty() {
            body.insert("stop".into(), json!(stop));
        }
        if let Some(seed) = self.seed {
            body.insert("seed".into(), json!(seed));
        }
        Value::Object(body)
    }
}

/// The `/embeddings` body: `{"model": model, "input": inputs}`. It shares no key with a chat
/// body but `model` (a chat body always has `messages`, this one never does), so the two can
/// never have the same canonical form, hence never the same cache key.
pub(crate) fn embeddings_body(model: &str, inputs: &[String]) -> Value {
    json!({ "model": model, "input": inputs })
}

fn message_json(message: &Message) -> Value {
    let content = match &message.content {
        Content::Text(text) => json!(text),
        Content::Parts(parts) => Value::Array(parts.iter().map(part_json).collect()),
    };
    json!({ "role": message.role.as_str(), "content": content })
}

fn part_json(part: &ContentPart) -> Value {
    match part {
        ContentPart::Text(text) => json!({ "type": "text", "text": text }),
        ContentPart::PngImage(png) => json!({
            "type": "image_url",
            "image_url": { "url": png_data_url(png) },
        }),
    }
}

/// `data:image/png;base64,<png>`.
pub fn png_data_url(png: &[u8]) -> String {
    let mut url = String::from("data:image/png;base64,");
    base64::engine::general_purpose::STANDARD.encode_string(png, &mut url);
    url
}

/// Canonical JSON: no whitespace, object keys sorted, so equal values give equal bytes
/// whatever the order they were built in.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(&mut out, value);
    out
}

fn write_canonical(out: &mut String, value: &Value) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(out, item);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(out, item);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let value = json!({"b": [{"z": 1, "a": "x"}], "a": null, "c": 0.5});
        assert_eq!(
            canonical_json(&value),
            r#"{"a":null,"b":[{"a":"x","z":1}],"c":0.5}"#
        );
    }

    #[test]
    fn embeddings_body_holds_the_model_and_the_inputs_in_order() {
        let body = embeddings_body("e", &["b".to_owned(), "a".to_owned()]);
        assert_eq!(canonical_json(&body), r#"{"input":["b","a"],"model":"e"}"#);
    }

    #[test]
    fn body_takes_defaults_from_the_config_and_overrides_from_the_request() {
        let mut config = LlmConfig::new("http://h/v1", "m");
        config.max_tokens = Some(64);
        config.stop = vec!["END".into()];
        let request = ChatRequest::new(vec![
            Message::system("be brief"),
            Message::user_parts(vec![
                ContentPart::Text("look".into()),
                ContentPart::PngImage(vec![0x89, b'P', b'N', b'G']),
            ]),
        ])
        .with_temperature(0.7)
        .with_seed(3);
        let body = canonical_json(&request.to_body(&config));
        assert_eq!(
            body,
            concat!(
                r#"{"max_tokens":64,"messages":[{"content":"be brief","role":"system"},"#,
                r#"{"content":[{"text":"look","type":"text"},{"image_url":{"url":"#,
                r#""data:image/png;base64,iVBORw=="},"type":"image_url"}],"role":"user"}],"#,
                r#""model":"m","seed":3,"stop":["END"],"temperature":0.7}"#
            )
        );
    }
}
