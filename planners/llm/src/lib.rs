//! An OpenAI-compatible chat and embeddings client for waymark planners.
//!
//! [`LlmClient`] sends `/chat/completions` requests (text, and PNG images as data URLs) and
//! `/embeddings` requests ([`LlmClient::embed`]) with a per-request timeout, retries 429/408/5xx/connection failures with exponential backoff and
//! full jitter (honouring `Retry-After`), refuses to retry 4xx rejections, keeps a global
//! concurrency limit, records and replays answers through an on-disk cache keyed by the SHA-256
//! of the canonical request body, and accounts tokens and cost in a [`UsageMeter`].
//! [`BlockingLlmClient`] wraps it for the synchronous `Planner` trait.
//!
//! Configuration resolves explicit values over the environment (`WAYMARK_LLM_URL`,
//! `WAYMARK_LLM_MODEL`, `WAYMARK_LLM_KEY`, falling back to `OPENAI_BASE_URL`,
//! `OPENAI_API_KEY`) over a JSON file; see [`LlmConfig::resolve`]. The API key is a [`Secret`]:
//! it never appears in `Debug` output, logs, errors or cache files.
//!
//! This is the one planner-side crate that depends on tokio and reqwest.
//!
//! ```no_run
//! use waymark_llm::{BlockingLlmClient, ChatRequest, ConfigLayer, LlmConfig, Message, UsageMeter};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let config = LlmConfig::resolve(
//!     ConfigLayer { model: Some("qwen2.5-vl-7b".into()), ..ConfigLayer::default() },
//!     None,
//! )?;
//! let client = BlockingLlmClient::new(config)?;
//! let episode = UsageMeter::new();
//! let answer = client.metered(episode.clone()).chat(&ChatRequest::new(vec![
//!     Message::system("You navigate houses. Answer with one viewpoint id."),
//!     Message::user("Candidates: a, b, c. Which leads to the kitchen?"),
//! ]))?;
//! println!("{} ({} prompt tokens)", answer.content, episode.usage().prompt_tokens);
//! # Ok(())
//! # }
//! ```

pub mod backoff;
pub mod blocking;
pub mod cache;
pub mod client;
pub mod config;
pub mod error;
pub mod request;
pub mod response;
#[cfg(feature = "scripted-server")]
pub mod scripted_server;
pub mod secret;
pub mod usage;

pub use blocking::BlockingLlmClient;
pub use cache::{ResponseCache, cache_key};
pub use client::LlmClient;
pub use config::{CacheMode, ConfigLayer, LlmConfig};
pub use error::{ConfigError, LlmError};
pub use request::{ChatRequest, Content, ContentPart, Message, Role};
pub use response::{ChatResponse, TokenUsage};
pub use secret::Secret;
pub use usage::{Prices, Usage, UsageMeter};
