//! [`LlmClient`]: the async chat and embeddings client (retries, concurrency limit, cache,
//! accounting).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use tokio::sync::Semaphore;

use crate::backoff::{full_jitter, parse_retry_after, splitmix64};
use crate::cache::{ResponseCache, cache_key};
use crate::config::{CacheMode, LlmConfig};
use crate::error::{ConfigError, LlmError};
use crate::request::{ChatRequest, canonical_json, embeddings_body};
use crate::response::{ChatResponse, parse_completion, parse_embeddings, server_message};
use crate::usage::{Usage, UsageMeter};

/// An OpenAI-compatible chat and embeddings client. Clones share the HTTP connection pool, the
/// concurrency limit, the cache and the run's [`UsageMeter`].
#[derive(Clone, Debug)]
pub struct LlmClient {
    inner: Arc<Inner>,
    extra_meter: Option<UsageMeter>,
}

#[derive(Debug)]
struct Inner {
    config: LlmConfig,
    chat: Target,
    embeddings: Target,
    http: reqwest::Client,
    permits: Semaphore,
    cache: Option<ResponseCache>,
    meter: UsageMeter,
    jitter_draws: AtomicU64,
}

/// The API a request goes to.
#[derive(Clone, Copy, Debug)]
enum Endpoint {
    /// `<base_url>/chat/completions`.
    Chat,
    /// `<base_url>/embeddings`.
    Embeddings,
}

/// An endpoint's URL, and the URL as errors and logs show it (no user or password).
#[derive(Debug)]
struct Target {
    url: reqwest::Url,
    shown: String,
}

impl Target {
    fn new(url: reqwest::Url) -> Self {
        let mut shown = url.clone();
        // Both setters succeed on http(s) URLs; were one to fail, show the path alone rather
        // than risk showing credentials.
        let shown = if shown.set_username("").is_ok() && shown.set_password(None).is_ok() {
            shown.to_string()
        } else {
            url.path().to_owned()
        };
        Self { url, shown }
    }
}

/// One failed HTTP attempt.
struct Failure {
    kind: FailureKind,
    retry_after: Option<Duration>,
}

enum FailureKind {
    Unreachable(String),
    Timeout,
    Connection(String),
    Status(StatusCode, String),
}

impl Failure {
    fn retryable(&self) -> bool {
        match &self.kind {
            FailureKind::Unreachable(_) | FailureKind::Timeout | FailureKind::Connection(_) => true,
            FailureKind::Status(status, _) => {
                *status == StatusCode::TOO_MANY_REQUESTS
                    || *status == StatusCode::REQUEST_TIMEOUT
                    || status.is_server_error()
            }
        }
    }
}

impl LlmClient {
    /// A client for `config` (validated here).
    pub fn new(config: LlmConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        let chat = Target::new(config.endpoint()?);
        let embeddings = Target::new(config.embeddings_endpoint()?);
        let http = reqwest::Client::builder()
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .map_err(ConfigError::HttpClient)?;
        let cache = match config.cache_mode {
            CacheMode::Off => None,
            CacheMode::ReadWrite | CacheMode::ReplayOnly => {
                config.cache_dir.clone().map(ResponseCache::new)
            }
        };
        Ok(Self {
            inner: Arc::new(Inner {
                permits: Semaphore::new(config.concurrency),
                chat,
                embeddings,
                http,
                cache,
                meter: UsageMeter::new(),
                jitter_draws: AtomicU64::new(0),
                config,
            }),
            extra_meter: None,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &LlmConfig {
        &self.inner.config
    }

    /// The meter every call of this client and its clones adds to (the run's total).
    pub fn usage_meter(&self) -> &UsageMeter {
        &self.inner.meter
    }

    /// A clone whose calls also add to `meter` (an episode's own total).
    pub fn metered(&self, meter: UsageMeter) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            extra_meter: Some(meter),
        }
    }

    /// The canonical JSON body this client sends for `request`, and its cache key.
    pub fn body_and_key(&self, request: &ChatRequest) -> (String, String) {
        let body = canonical_json(&request.to_body(&self.inner.config));
        let key = cache_key(&body);
        (body, key)
    }

    /// The canonical JSON body [`LlmClient::embed`] sends for `model` and `inputs`
    /// (`{"input":[…],"model":…}`), and its cache key. No chat body has the same form, so an
    /// embeddings entry is never replayed for a chat call, nor the other way round.
    pub fn embeddings_body_and_key(&self, model: &str, inputs: &[String]) -> (String, String) {
        let body = canonical_json(&embeddings_body(model, inputs));
        let key = cache_key(&body);
        (body, key)
    }

    /// Sends a chat completion request: from the cache when it holds the request (and the cache
    /// is on), otherwise to the server, retrying 429, 408, 5xx, connection errors and timeouts
    /// with backoff. The call's usage is added to the client's meter (and a
    /// [`LlmClient::metered`] clone's); a failure is counted there under its cause.
    pub async fn chat(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        let (body, key) = self.body_and_key(request);
        self.call(Endpoint::Chat, body, key, |raw, key, attempts, source| {
            let response = self.chat_response(raw, key, attempts, source)?;
            let usage = response.usage.clone();
            Ok((response, usage))
        })
        .await
    }

    /// Embeds `inputs` with `model` (`POST <base_url>/embeddings`): one vector per input, in
    /// input order (the server's `index` fields say which is which), all of one length.
    ///
    /// Like [`LlmClient::chat`] it is served from the cache when the cache holds the request,
    /// retries 429, 408, 5xx, connection errors and timeouts with backoff, keeps to the
    /// concurrency limit, and meters the call (its `usage.prompt_tokens`; no completion
    /// tokens). An answer with a missing, repeated or out-of-range `index`, or vectors of
    /// different lengths, is [`LlmError::BadResponse`]. No inputs give no vectors, with no
    /// request and nothing metered.
    pub async fn embed(&self, model: &str, inputs: &[String]) -> Result<Vec<Vec<f32>>, LlmError> {
        if inputs.is_empty() {
            return Ok(Vec::new());
        }
        let (body, key) = self.embeddings_body_and_key(model, inputs);
        self.call(
            Endpoint::Embeddings,
            body,
            key,
            |raw, _key, attempts, source| {
                let parsed = parse_embeddings(raw, inputs.len())
                    .map_err(|reason| self.bad_response(source, attempts, &reason))?;
                let usage = self.usage(attempts == 0, parsed.prompt_tokens, 0);
                Ok((parsed.vectors, usage))
            },
        )
        .await
    }

    fn meters(&self, f: impl Fn(&UsageMeter)) {
        f(&self.inner.meter);
        if let Some(meter) = &self.extra_meter {
            f(meter);
        }
    }

    fn target(&self, endpoint: Endpoint) -> &Target {
        match endpoint {
            Endpoint::Chat => &self.inner.chat,
            Endpoint::Embeddings => &self.inner.embeddings,
        }
    }

    /// One metered call: [`LlmClient::call_unmetered`], then its usage (or its failure's cause)
    /// added to the meters.
    async fn call<T>(
        &self,
        endpoint: Endpoint,
        body: String,
        key: String,
        parse: impl FnOnce(&str, &str, u32, &str) -> Result<(T, Usage), LlmError>,
    ) -> Result<T, LlmError> {
        match self.call_unmetered(endpoint, body, key, parse).await {
            Ok((value, usage)) => {
                self.meters(|meter| meter.record(&usage));
                Ok(value)
            }
            Err(err) => {
                let cause = err.cause();
                self.meters(|meter| meter.record_failure(&cause));
                Err(err)
            }
        }
    }

    /// The cache, else the server (with retries); an answer from the server is recorded once
    /// `parse` accepts it. `parse(raw, key, attempts, source)` gets `attempts` 0 for a cache hit
    /// and `source` the URL or cache file the body came from.
    async fn call_unmetered<T>(
        &self,
        endpoint: Endpoint,
        body: String,
        key: String,
        parse: impl FnOnce(&str, &str, u32, &str) -> Result<(T, Usage), LlmError>,
    ) -> Result<(T, Usage), LlmError> {
        let inner = &self.inner;
        if let Some(cache) = &inner.cache {
            match cache_get(cache, &key, &body).await {
                Ok(Some(raw)) => {
                    tracing::debug!(key = %key, ?endpoint, "llm call served from the cache");
                    let source = cache.path_for(&key).display().to_string();
                    return parse(&raw, &key, 0, &source);
                }
                Ok(None) if inner.config.cache_mode == CacheMode::ReplayOnly => {
                    return Err(LlmError::CacheMiss {
                        path: cache.path_for(&key),
                        key,
                    });
                }
                Ok(None) => {}
                Err(err) if inner.config.cache_mode == CacheMode::ReplayOnly => return Err(err),
                Err(err) => tracing::warn!("{err}; asking the server again"),
            }
        }
        let (raw, attempts) = self.send_with_retries(endpoint, &body, &key).await?;
        let parsed = parse(&raw, &key, attempts, &self.target(endpoint).shown)?;
        if let (Some(cache), CacheMode::ReadWrite) = (&inner.cache, inner.config.cache_mode)
            && let Err(err) = cache_put(cache, &key, body, &raw).await
        {
            tracing::warn!("cannot record the LLM response: {err}");
        }
        Ok(parsed)
    }

    /// Parses a raw chat completion body into a response; `attempts` is 0 for a cache hit.
    fn chat_response(
        &self,
        raw: &str,
        key: &str,
        attempts: u32,
        source: &str,
    ) -> Result<ChatResponse, LlmError> {
        let cached = attempts == 0;
        let parsed =
            parse_completion(raw).map_err(|reason| self.bad_response(source, attempts, &reason))?;
        let tokens = parsed.token_usage.unwrap_or_default();
        Ok(ChatResponse {
            content: parsed.content,
            finish_reason: parsed.finish_reason,
            model: parsed.model,
            token_usage: parsed.token_usage,
            usage: self.usage(cached, tokens.prompt_tokens, tokens.completion_tokens),
            cached,
            cache_key: key.to_owned(),
            raw: raw.to_owned(),
        })
    }

    /// One successful call's accounting; a cached call costs nothing.
    fn usage(&self, cached: bool, prompt_tokens: u64, completion_tokens: u64) -> Usage {
        Usage {
            calls: 1,
            cached_calls: u64::from(cached),
            prompt_tokens,
            completion_tokens,
            cost_usd: self.inner.config.prices.map(|prices| {
                if cached {
                    0.0
                } else {
                    prices.cost_usd(prompt_tokens, completion_tokens)
                }
            }),
        }
    }

    fn bad_response(&self, source: &str, attempts: u32, reason: &str) -> LlmError {
        LlmError::BadResponse {
            url: source.to_owned(),
            attempts,
            reason: self.redact(reason),
        }
    }

    fn redact(&self, text: &str) -> String {
        match &self.inner.config.api_key {
            Some(key) => key.redact(text),
            None => text.to_owned(),
        }
    }

    /// The raw answer and the number of requests it took.
    async fn send_with_retries(
        &self,
        endpoint: Endpoint,
        body: &str,
        key: &str,
    ) -> Result<(String, u32), LlmError> {
        let config = &self.inner.config;
        let target = self.target(endpoint);
        let mut retry = 0u32;
        loop {
            let outcome = {
                // The semaphore is never closed; without a permit the call still goes out.
                let _permit = self.inner.permits.acquire().await.ok();
                self.attempt(target, body).await
            };
            let failure = match outcome {
                Ok(raw) => return Ok((raw, retry + 1)),
                Err(failure) => failure,
            };
            if !failure.retryable() || retry >= config.max_retries {
                return Err(self.error(target, failure, retry + 1));
            }
            let delay = match failure.retry_after {
                Some(delay) => delay.min(config.retry_after_cap),
                None => {
                    let draw = self.inner.jitter_draws.fetch_add(1, Ordering::Relaxed);
                    let noise = splitmix64(config.jitter_seed ^ splitmix64(draw));
                    full_jitter(config.backoff_base, config.backoff_cap, retry, noise)
                }
            };
            tracing::warn!(
                key = %key,
                retry = retry + 1,
                of = config.max_retries,
                delay_ms = delay.as_millis() as u64,
                "llm call failed, retrying: {}",
                self.error(target, failure, retry + 1)
            );
            tokio::time::sleep(delay).await;
            retry += 1;
        }
    }

    async fn attempt(&self, target: &Target, body: &str) -> Result<String, Failure> {
        let inner = &self.inner;
        let mut request = inner
            .http
            .post(target.url.clone())
            .header(CONTENT_TYPE, "application/json")
            .timeout(inner.config.timeout)
            .body(body.to_owned());
        if let Some(key) = &inner.config.api_key {
            request = request.bearer_auth(key.expose());
        }
        let response = request.send().await.map_err(|err| self.transport(&err))?;
        let status = response.status();
        let retry_after = if status == StatusCode::TOO_MANY_REQUESTS
            || status == StatusCode::SERVICE_UNAVAILABLE
        {
            response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|value| value.to_str().ok())
                .and_then(parse_retry_after)
        } else {
            None
        };
        let text = response.text().await.map_err(|err| self.transport(&err))?;
        if status.is_success() {
            Ok(text)
        } else {
            Err(Failure {
                kind: FailureKind::Status(status, self.redact(&server_message(&text))),
                retry_after,
            })
        }
    }

    fn transport(&self, err: &reqwest::Error) -> Failure {
        let kind = if err.is_timeout() {
            FailureKind::Timeout
        } else {
            let message = self.redact(&error_chain(err));
            if err.is_connect() {
                FailureKind::Unreachable(message)
            } else {
                FailureKind::Connection(message)
            }
        };
        Failure {
            kind,
            retry_after: None,
        }
    }

    fn error(&self, target: &Target, failure: Failure, attempts: u32) -> LlmError {
        let url = target.shown.clone();
        match failure.kind {
            FailureKind::Unreachable(message) => LlmError::Unreachable {
                url,
                attempts,
                message,
            },
            FailureKind::Timeout => LlmError::Timeout {
                url,
                timeout_ms: u64::try_from(self.inner.config.timeout.as_millis())
                    .unwrap_or(u64::MAX),
                attempts,
            },
            FailureKind::Connection(message) => LlmError::Connection {
                url,
                attempts,
                message,
            },
            FailureKind::Status(StatusCode::TOO_MANY_REQUESTS, message) => LlmError::RateLimited {
                url,
                attempts,
                message,
            },
            FailureKind::Status(status, message)
                if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT =>
            {
                LlmError::Server {
                    url,
                    status: status.as_u16(),
                    attempts,
                    message,
                }
            }
            FailureKind::Status(status, message) => LlmError::Rejected {
                url,
                status: status.as_u16(),
                attempts,
                message,
            },
        }
    }
}

/// The error and its sources, without the URL reqwest puts in front.
fn error_chain(err: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        parts.push(cause.to_string());
        source = cause.source();
    }
    if parts.is_empty() {
        parts.push(err.to_string());
    }
    parts.join(": ")
}

async fn cache_get(
    cache: &ResponseCache,
    key: &str,
    body: &str,
) -> Result<Option<String>, LlmError> {
    let path = cache.path_for(key);
    let (cache, key, body) = (cache.clone(), key.to_owned(), body.to_owned());
    tokio::task::spawn_blocking(move || cache.get(&key, &body))
        .await
        .unwrap_or_else(|join| Err(join_error(path, &join)))
}

async fn cache_put(
    cache: &ResponseCache,
    key: &str,
    body: String,
    raw: &str,
) -> Result<(), LlmError> {
    let path = cache.path_for(key);
    let (cache, key, raw) = (cache.clone(), key.to_owned(), raw.to_owned());
    tokio::task::spawn_blocking(move || cache.put(&key, &body, &raw))
        .await
        .unwrap_or_else(|join| Err(join_error(path, &join)))
}

fn join_error(path: std::path::PathBuf, join: &tokio::task::JoinError) -> LlmError {
    LlmError::CacheIo {
        path,
        source: std::io::Error::other(format!("the cache task failed: {join}")),
    }
}
