//! [`LlmConfig`] and its resolution from explicit values, the environment and a JSON file.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use serde::Deserialize;

use crate::error::ConfigError;
use crate::secret::Secret;
use crate::usage::Prices;

/// What the record/replay cache does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CacheMode {
    /// No cache: every call goes to the server.
    #[default]
    Off,
    /// Serve hits from disk, record misses.
    ReadWrite,
    /// Serve hits from disk; a miss is [`crate::LlmError::CacheMiss`]; never touch the network.
    ReplayOnly,
}

impl CacheMode {
    /// The mode's name as written in configuration: `off`, `read-write`, `replay-only`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::ReadWrite => "read-write",
            Self::ReplayOnly => "replay-only",
        }
    }
}

impl FromStr for CacheMode {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "off" => Ok(Self::Off),
            "read-write" => Ok(Self::ReadWrite),
            "replay-only" => Ok(Self::ReplayOnly),
            _ => Err(ConfigError::Invalid {
                field: "cache_mode",
                value: s.to_owned(),
                reason: "expected off, read-write or replay-only".to_owned(),
            }),
        }
    }
}

/// A resolved client configuration. `Debug` prints the API key as `***`.
#[derive(Clone, Debug)]
pub struct LlmConfig {
    /// The API base, e.g. `http://127.0.0.1:8080/v1`; requests go to `<base_url>/chat/completions`
    /// and `<base_url>/embeddings`.
    pub base_url: String,
    /// The model name sent with every chat request (embeddings name their model per call).
    pub model: String,
    /// The bearer token, if the server wants one.
    pub api_key: Option<Secret>,
    /// Sampling temperature, unless a request sets its own.
    pub temperature: f64,
    /// Completion length limit, unless a request sets its own; `None` leaves it to the server.
    pub max_tokens: Option<u32>,
    /// Stop sequences, unless a request sets its own; empty sends none.
    pub stop: Vec<String>,
    /// Limit on one HTTP request, from sending to the end of the answer.
    pub timeout: Duration,
    /// Retries after the first request (on 429, 408, 5xx, connection errors and timeouts).
    pub max_retries: u32,
    /// Backoff before retry `n` is uniform in `[0, min(backoff_cap, backoff_base · 2ⁿ)]`.
    pub backoff_base: Duration,
    /// Upper bound of the backoff.
    pub backoff_cap: Duration,
    /// Upper bound on a server's `Retry-After` (429 and 503).
    pub retry_after_cap: Duration,
    /// Requests in flight at once, over all clones of a client.
    pub concurrency: usize,
    /// Prices for the cost estimate; `None` leaves `cost_usd` unset.
    pub prices: Option<Prices>,
    /// The record/replay cache's mode.
    pub cache_mode: CacheMode,
    /// The cache's folder (required unless the mode is off).
    pub cache_dir: Option<PathBuf>,
    /// Seed of the backoff jitter.
    pub jitter_seed: u64,
}

impl LlmConfig {
    /// Default request timeout.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
    /// Default number of retries.
    pub const DEFAULT_MAX_RETRIES: u32 = 4;
    /// Default concurrency limit.
    pub const DEFAULT_CONCURRENCY: usize = 8;

    /// A configuration with the defaults: temperature 0, no token limit, no stop sequences,
    /// a 120 s timeout, 4 retries with backoff 0.5 s doubling up to 30 s, `Retry-After` capped
    /// at 60 s, 8 requests in flight, no prices, no cache.
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            temperature: 0.0,
            max_tokens: None,
            stop: Vec::new(),
            timeout: Self::DEFAULT_TIMEOUT,
            max_retries: Self::DEFAULT_MAX_RETRIES,
            backoff_base: Duration::from_millis(500),
            backoff_cap: Duration::from_secs(30),
            retry_after_cap: Duration::from_secs(60),
            concurrency: Self::DEFAULT_CONCURRENCY,
            prices: None,
            cache_mode: CacheMode::Off,
            cache_dir: None,
            jitter_seed: 0,
        }
    }

    /// Resolves a configuration: `explicit` values (CLI flags) win over the environment
    /// ([`ConfigLayer::from_env`]), which wins over the JSON `file` if one is given.
    pub fn resolve(explicit: ConfigLayer, file: Option<&Path>) -> Result<Self, ConfigError> {
        let file_layer = match file {
            Some(path) => ConfigLayer::from_file(path)?,
            None => ConfigLayer::default(),
        };
        Self::from_layer(explicit.or(ConfigLayer::from_env()?).or(file_layer))
    }

    /// Builds a configuration from one (already merged) layer, filling in the defaults.
    pub fn from_layer(layer: ConfigLayer) -> Result<Self, ConfigError> {
        let base_url = layer.base_url.ok_or(ConfigError::Missing {
            field: "base_url",
            hint: "pass it explicitly, set WAYMARK_LLM_URL or OPENAI_BASE_URL, or put \"base_url\" in the config file",
        })?;
        let model = layer.model.ok_or(ConfigError::Missing {
            field: "model",
            hint: "pass it explicitly, set WAYMARK_LLM_MODEL, or put \"model\" in the config file",
        })?;
        let defaults = Self::new(base_url, model);
        let prices = match (layer.price_prompt_per_1k, layer.price_completion_per_1k) {
            (None, None) => None,
            (prompt, completion) => Some(Prices {
                prompt_per_1k_usd: prompt.unwrap_or(0.0),
                completion_per_1k_usd: completion.unwrap_or(0.0),
            }),
        };
        let config = Self {
            api_key: layer.api_key.filter(|key| !key.expose().is_empty()),
            temperature: layer.temperature.unwrap_or(defaults.temperature),
            max_tokens: layer.max_tokens.or(defaults.max_tokens),
            stop: layer.stop.unwrap_or_default(),
            timeout: match layer.timeout_s {
                Some(seconds) => seconds_to_duration("timeout_s", seconds)?,
                None => defaults.timeout,
            },
            max_retries: layer.max_retries.unwrap_or(defaults.max_retries),
            backoff_base: layer
                .backoff_base_ms
                .map_or(defaults.backoff_base, Duration::from_millis),
            backoff_cap: layer
                .backoff_cap_ms
                .map_or(defaults.backoff_cap, Duration::from_millis),
            retry_after_cap: match layer.retry_after_cap_s {
                Some(seconds) => seconds_to_duration("retry_after_cap_s", seconds)?,
                None => defaults.retry_after_cap,
            },
            concurrency: layer.concurrency.unwrap_or(defaults.concurrency),
            prices,
            cache_mode: layer.cache_mode.unwrap_or_default(),
            cache_dir: layer.cache_dir,
            jitter_seed: layer.jitter_seed.unwrap_or_default(),
            ..defaults
        };
        config.validate()?;
        Ok(config)
    }

    /// Checks the values: an http(s) base URL, a finite temperature, a non-zero timeout and
    /// concurrency, a cache folder unless the cache is off.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.endpoint()?;
        if !self.temperature.is_finite() || self.temperature < 0.0 {
            return Err(invalid(
                "temperature",
                self.temperature,
                "expected a number ≥ 0",
            ));
        }
        if self.model.is_empty() {
            return Err(invalid("model", "", "expected a model name"));
        }
        if self.timeout.is_zero() {
            return Err(invalid("timeout", "0", "expected a positive duration"));
        }
        if self.concurrency == 0 {
            return Err(invalid("concurrency", 0, "expected at least 1"));
        }
        if let Some(prices) = self.prices {
            for price in [prices.prompt_per_1k_usd, prices.completion_per_1k_usd] {
                if !price.is_finite() || price < 0.0 {
                    return Err(invalid("price", price, "expected a number ≥ 0"));
                }
            }
        }
        if self.cache_mode != CacheMode::Off && self.cache_dir.is_none() {
            return Err(ConfigError::Missing {
                field: "cache_dir",
                hint: "a cache mode other than off needs a folder (WAYMARK_LLM_CACHE or \"cache_dir\")",
            });
        }
        Ok(())
    }

    /// The base URL as errors and logs show it: without the user name and password a URL may
    /// carry (`http://user:secret@host/v1` shows as `http://host/v1`).
    pub fn shown_base_url(&self) -> String {
        hide_userinfo(&self.base_url)
    }

    /// The chat completions endpoint: `<base_url>/chat/completions`.
    pub fn endpoint(&self) -> Result<reqwest::Url, ConfigError> {
        self.api_url("chat/completions")
    }

    /// The embeddings endpoint: `<base_url>/embeddings`.
    pub fn embeddings_endpoint(&self) -> Result<reqwest::Url, ConfigError> {
        self.api_url("embeddings")
    }

    /// `<base_url>/<path>`, checked to be an http(s) URL.
    fn api_url(&self, path: &str) -> Result<reqwest::Url, ConfigError> {
        let url = format!("{}/{path}", self.base_url.trim_end_matches('/'));
        let parsed = reqwest::Url::parse(&url)
            .map_err(|err| invalid("base_url", self.shown_base_url(), err.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(invalid(
                "base_url",
                self.shown_base_url(),
                "expected an http or https URL",
            ));
        }
        Ok(parsed)
    }
}

/// `url` without its user-info part (what precedes `@` in the authority), parsed or not.
fn hide_userinfo(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), url),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

fn invalid(field: &'static str, value: impl ToString, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        field,
        value: value.to_string(),
        reason: reason.into(),
    }
}

fn seconds_to_duration(field: &'static str, seconds: f64) -> Result<Duration, ConfigError> {
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| invalid(field, seconds, "expected a non-negative number of seconds"))
}

/// One source of settings, every one optional: explicit values, the environment, or a JSON
/// config file with these field names. [`ConfigLayer::or`] merges two, the first winning.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigLayer {
    /// See [`LlmConfig::base_url`].
    pub base_url: Option<String>,
    /// See [`LlmConfig::model`].
    pub model: Option<String>,
    /// See [`LlmConfig::api_key`].
    pub api_key: Option<Secret>,
    /// See [`LlmConfig::temperature`].
    pub temperature: Option<f64>,
    /// See [`LlmConfig::max_tokens`].
    pub max_tokens: Option<u32>,
    /// See [`LlmConfig::stop`].
    pub stop: Option<Vec<String>>,
    /// [`LlmConfig::timeout`] in seconds.
    pub timeout_s: Option<f64>,
    /// See [`LlmConfig::max_retries`].
    pub max_retries: Option<u32>,
    /// [`LlmConfig::backoff_base`] in milliseconds.
    pub backoff_base_ms: Option<u64>,
    /// [`LlmConfig::backoff_cap`] in milliseconds.
    pub backoff_cap_ms: Option<u64>,
    /// [`LlmConfig::retry_after_cap`] in seconds.
    pub retry_after_cap_s: Option<f64>,
    /// See [`LlmConfig::concurrency`].
    pub concurrency: Option<usize>,
    /// USD per 1000 prompt tokens.
    pub price_prompt_per_1k: Option<f64>,
    /// USD per 1000 completion tokens.
    pub price_completion_per_1k: Option<f64>,
    /// See [`LlmConfig::cache_mode`].
    pub cache_mode: Option<CacheMode>,
    /// See [`LlmConfig::cache_dir`].
    pub cache_dir: Option<PathBuf>,
    /// See [`LlmConfig::jitter_seed`].
    pub jitter_seed: Option<u64>,
}

impl ConfigLayer {
    /// Reads the process environment: `WAYMARK_LLM_URL` (else `OPENAI_BASE_URL`),
    /// `WAYMARK_LLM_MODEL`, `WAYMARK_LLM_KEY` (else `OPENAI_API_KEY`), `WAYMARK_LLM_CACHE`
    /// (the cache folder) and `WAYMARK_LLM_CACHE_MODE`. Empty variables count as unset.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_env_with(|name| std::env::var(name).ok())
    }

    /// [`ConfigLayer::from_env`] with a custom variable lookup (for tests).
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |names: &[&str]| {
            names
                .iter()
                .find_map(|name| lookup(name).filter(|value| !value.is_empty()))
        };
        Ok(Self {
            base_url: var(&["WAYMARK_LLM_URL", "OPENAI_BASE_URL"]),
            model: var(&["WAYMARK_LLM_MODEL"]),
            api_key: var(&["WAYMARK_LLM_KEY", "OPENAI_API_KEY"]).map(Secret::new),
            cache_dir: var(&["WAYMARK_LLM_CACHE"]).map(PathBuf::from),
            cache_mode: var(&["WAYMARK_LLM_CACHE_MODE"])
                .map(|mode| mode.parse())
                .transpose()?,
            ..Self::default()
        })
    }

    /// Reads a JSON config file whose fields are those of this struct.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::ReadFile {
            path: path.to_owned(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| ConfigError::ParseFile {
            path: path.to_owned(),
            source,
        })
    }

    /// Merges two layers field by field; `self`'s values win.
    pub fn or(self, lower: Self) -> Self {
        Self {
            base_url: self.base_url.or(lower.base_url),
            model: self.model.or(lower.model),
            api_key: self.api_key.or(lower.api_key),
            temperature: self.temperature.or(lower.temperature),
            max_tokens: self.max_tokens.or(lower.max_tokens),
            stop: self.stop.or(lower.stop),
            timeout_s: self.timeout_s.or(lower.timeout_s),
            max_retries: self.max_retries.or(lower.max_retries),
            backoff_base_ms: self.backoff_base_ms.or(lower.backoff_base_ms),
            backoff_cap_ms: self.backoff_cap_ms.or(lower.backoff_cap_ms),
            retry_after_cap_s: self.retry_after_cap_s.or(lower.retry_after_cap_s),
            concurrency: self.concurrency.or(lower.concurrency),
            price_prompt_per_1k: self.price_prompt_per_1k.or(lower.price_prompt_per_1k),
            price_completion_per_1k: self
                .price_completion_per_1k
                .or(lower.price_completion_per_1k),
            cache_mode: self.cache_mode.or(lower.cache_mode),
            cache_dir: self.cache_dir.or(lower.cache_dir),
            jitter_seed: self.jitter_seed.or(lower.jitter_seed),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn explicit_beats_env_beats_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("llm.json");
        std::fs::write(
            &file,
            r#"{"base_url": "http://file/v1", "model": "file-model", "api_key": "file-key",
                "max_retries": 7, "timeout_s": 2.5, "price_prompt_per_1k": 0.5}"#,
        )
        .unwrap();
        let env_layer = ConfigLayer::from_env_with(env(&[
            ("WAYMARK_LLM_MODEL", "env-model"),
            ("OPENAI_BASE_URL", "http://openai/v1"),
            ("WAYMARK_LLM_URL", "http://env/v1"),
            ("OPENAI_API_KEY", "env-key"),
        ]))
        .unwrap();
        let explicit = ConfigLayer {
            model: Some("cli-model".into()),
            ..ConfigLayer::default()
        };
        let config = LlmConfig::from_layer(
            explicit
                .or(env_layer)
                .or(ConfigLayer::from_file(&file).unwrap()),
        )
        .unwrap();
        assert_eq!(config.model, "cli-model");
        assert_eq!(config.base_url, "http://env/v1");
        assert_eq!(config.api_key.unwrap().expose(), "env-key");
        assert_eq!(config.max_retries, 7);
        assert_eq!(config.timeout, Duration::from_millis(2500));
        let prices = config.prices.unwrap();
        assert_eq!(prices.prompt_per_1k_usd, 0.5);
        assert_eq!(prices.completion_per_1k_usd, 0.0);
    }

    #[test]
    fn waymark_variables_beat_openai_ones_and_empty_counts_as_unset() {
        let layer = ConfigLayer::from_env_with(env(&[
            ("WAYMARK_LLM_KEY", ""),
            ("OPENAI_API_KEY", "sk-openai"),
            ("WAYMARK_LLM_URL", "http://a/v1"),
            ("OPENAI_BASE_URL", "http://b/v1"),
            ("WAYMARK_LLM_CACHE_MODE", "replay-only"),
        ]))
        .unwrap();
        assert_eq!(layer.api_key.unwrap().expose(), "sk-openai");
        assert_eq!(layer.base_url.as_deref(), Some("http://a/v1"));
        assert_eq!(layer.cache_mode, Some(CacheMode::ReplayOnly));
        let bad = ConfigLayer::from_env_with(env(&[("WAYMARK_LLM_CACHE_MODE", "sometimes")]));
        assert!(bad.unwrap_err().to_string().contains("sometimes"));
    }

    #[test]
    fn missing_and_invalid_values_are_named() {
        let err = LlmConfig::from_layer(ConfigLayer::default()).unwrap_err();
        assert!(err.to_string().contains("base_url"), "{err}");
        let err = LlmConfig::from_layer(ConfigLayer {
            base_url: Some("ftp://host".into()),
            model: Some("m".into()),
            ..ConfigLayer::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("ftp://host"), "{err}");
        let err = LlmConfig::from_layer(ConfigLayer {
            base_url: Some("http://host/v1".into()),
            model: Some("m".into()),
            cache_mode: Some(CacheMode::ReadWrite),
            ..ConfigLayer::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("cache_dir"), "{err}");
    }

    #[test]
    fn config_file_errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bad.json");
        std::fs::write(&file, r#"{"modle": "x"}"#).unwrap();
        let err = ConfigLayer::from_file(&file).unwrap_err();
        assert!(err.to_string().contains("bad.json"), "{err}");
        assert!(err.to_string().contains("modle"), "{err}");
        let err = ConfigLayer::from_file(&dir.path().join("absent.json")).unwrap_err();
        assert!(err.to_string().contains("absent.json"), "{err}");
    }

    #[test]
    fn endpoints_append_their_paths_to_the_base() {
        let config = LlmConfig::new("http://127.0.0.1:8080/v1/", "m");
        assert_eq!(
            config.endpoint().unwrap().as_str(),
            "http://127.0.0.1:8080/v1/chat/completions"
        );
        assert_eq!(
            config.embeddings_endpoint().unwrap().as_str(),
            "http://127.0.0.1:8080/v1/embeddings"
        );
        let bad = LlmConfig::new("ftp://host/v1", "m");
        assert!(bad.embeddings_endpoint().is_err());
    }
}
