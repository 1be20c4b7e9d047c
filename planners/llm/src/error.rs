//! The errors: [`LlmError`] for a call, [`ConfigError`] for setting a client up.

use std::borrow::Cow;
use std::path::PathBuf;

/// Why a chat or embeddings call failed. Every variant names the URL, cache key or file at fault, and
/// [`LlmError::cause`] gives a short stable string to count failures by. No variant ever holds
/// the API key: server messages are redacted before they are stored.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    /// The server could not be connected to (refused, no route, DNS).
    #[error("cannot reach {url} after {attempts} attempt(s): {message}")]
    Unreachable {
        /// The endpoint.
        url: String,
        /// Requests made, retries included.
        attempts: u32,
        /// The transport's description.
        message: String,
    },
    /// The server did not answer within the request timeout.
    #[error("{url} did not answer within {timeout_ms} ms ({attempts} attempt(s))")]
    Timeout {
        /// The endpoint.
        url: String,
        /// The per-request timeout.
        timeout_ms: u64,
        /// Requests made, retries included.
        attempts: u32,
    },
    /// The connection broke while the request or the answer was under way.
    #[error("connection to {url} failed after {attempts} attempt(s): {message}")]
    Connection {
        /// The endpoint.
        url: String,
        /// Requests made, retries included.
        attempts: u32,
        /// The transport's description.
        message: String,
    },
    /// The server kept answering HTTP 429 until the retries ran out.
    #[error("{url} is rate limiting (HTTP 429) after {attempts} attempt(s): {message}")]
    RateLimited {
        /// The endpoint.
        url: String,
        /// Requests made, retries included.
        attempts: u32,
        /// The server's error message.
        message: String,
    },
    /// The server kept failing (HTTP 5xx or 408) until the retries ran out.
    #[error("{url} answered HTTP {status} after {attempts} attempt(s): {message}")]
    Server {
        /// The endpoint.
        url: String,
        /// The last HTTP status.
        status: u16,
        /// Requests made, retries included.
        attempts: u32,
        /// The server's error message.
        message: String,
    },
    /// The server refused the request (HTTP 4xx other than 408 and 429: a wrong model name, a
    /// rejected key, a malformed request). Never retried.
    #[error("{url} rejected the request with HTTP {status}: {message}")]
    Rejected {
        /// The endpoint.
        url: String,
        /// The HTTP status.
        status: u16,
        /// Requests made (more than 1 only when retried failures came first).
        attempts: u32,
        /// The server's error message.
        message: String,
    },
    /// A successful HTTP answer that is not what the endpoint should send: not JSON, a chat
    /// completion without choices, embeddings that do not match the inputs.
    #[error("{url} sent an unusable response: {reason}")]
    BadResponse {
        /// The endpoint (or the cache file it was replayed from).
        url: String,
        /// Requests made (0 when replayed from the cache).
        attempts: u32,
        /// What is wrong with it.
        reason: String,
    },
    /// Replay-only mode and the request is not in the cache.
    #[error("no cached response for request {key} (replay-only mode; expected {path})")]
    CacheMiss {
        /// The request's cache key (SHA-256 of its canonical body).
        key: String,
        /// Where the entry would be.
        path: PathBuf,
    },
    /// A cache file could not be read or written.
    #[error("cache file {path}: {source}")]
    CacheIo {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A cache file is not a valid entry for its key.
    #[error("cache file {path} is corrupt: {reason}")]
    CacheCorrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The blocking client was called from inside a tokio runtime, where it would deadlock.
    #[error(
        "BlockingLlmClient was called from inside a tokio runtime; use the async LlmClient there"
    )]
    InsideRuntime,
}

impl LlmError {
    /// A short stable name of the cause, to count failures by: `unreachable`, `timeout`,
    /// `connection`, `rate_limited`, `http_<status>` (server errors and rejections),
    /// `bad_response`, `cache_miss`, `cache_io`, `cache_corrupt`, `inside_runtime`.
    pub fn cause(&self) -> Cow<'static, str> {
        match self {
            Self::Unreachable { .. } => "unreachable".into(),
            Self::Timeout { .. } => "timeout".into(),
            Self::Connection { .. } => "connection".into(),
            Self::RateLimited { .. } => "rate_limited".into(),
            Self::Server { status, .. } | Self::Rejected { status, .. } => {
                format!("http_{status}").into()
            }
            Self::BadResponse { .. } => "bad_response".into(),
            Self::CacheMiss { .. } => "cache_miss".into(),
            Self::CacheIo { .. } => "cache_io".into(),
            Self::CacheCorrupt { .. } => "cache_corrupt".into(),
            Self::InsideRuntime => "inside_runtime".into(),
        }
    }

    /// The HTTP status the server answered, where the failure was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::RateLimited { .. } => Some(429),
            Self::Server { status, .. } | Self::Rejected { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The number of HTTP requests the call made (0 when it never reached the network).
    pub fn attempts(&self) -> u32 {
        match self {
            Self::Unreachable { attempts, .. }
            | Self::Timeout { attempts, .. }
            | Self::Connection { attempts, .. }
            | Self::RateLimited { attempts, .. }
            | Self::Server { attempts, .. }
            | Self::Rejected { attempts, .. }
            | Self::BadResponse { attempts, .. } => *attempts,
            Self::CacheMiss { .. }
            | Self::CacheIo { .. }
            | Self::CacheCorrupt { .. }
            | Self::InsideRuntime => 0,
        }
    }
}

/// Why a configuration could not be resolved or a client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A required setting was given nowhere.
    #[error("no {field} configured: {hint}")]
    Missing {
        /// The setting.
        field: &'static str,
        /// Where it can be given.
        hint: &'static str,
    },
    /// The config file could not be read.
    #[error("cannot read LLM config file {path}: {source}")]
    ReadFile {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The config file is not valid JSON of the expected shape.
    #[error("LLM config file {path}: {source}")]
    ParseFile {
        /// The file.
        path: PathBuf,
        /// The parse error (with line and column).
        #[source]
        source: serde_json::Error,
    },
    /// A setting has an unusable value.
    #[error("invalid {field} `{value}`: {reason}")]
    Invalid {
        /// The setting.
        field: &'static str,
        /// The value given (never the API key).
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The HTTP client could not be built (TLS setup).
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(#[source] reqwest::Error),
    /// The tokio runtime of the blocking client could not be started.
    #[error("cannot start the LLM client's tokio runtime: {0}")]
    Runtime(#[source] std::io::Error),
}
