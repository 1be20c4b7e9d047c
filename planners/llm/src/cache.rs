//! The record/replay cache: one JSON file per request, keyed by the SHA-256 of the request's
//! canonical body, written atomically.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::LlmError;
use crate::request::canonical_json;

/// The `format` field of every cache file.
pub const CACHE_FORMAT: &str = "waymark-llm-cache/1";

/// The cache key of a canonical request body: its SHA-256 in lowercase hex.
pub fn cache_key(canonical_body: &str) -> String {
    let digest = Sha256::digest(canonical_body.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
    }
    hex
}

#[derive(Serialize, Deserialize)]
struct Entry {
    format: String,
    key: String,
    request: Value,
    response: String,
}

/// A cache folder: entry `<key>` lives in `<dir>/<key[..2]>/<key>.json` and holds the request
/// body and the raw response body. Writes go to a temporary file in the same folder that is
/// then renamed, so concurrent writers never leave a torn entry.
#[derive(Clone, Debug)]
pub struct ResponseCache {
    dir: PathBuf,
}

impl ResponseCache {
    /// A cache in `dir` (created on the first write).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The cache folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the entry for `key` lives.
    pub fn path_for(&self, key: &str) -> PathBuf {
        let shard = key.get(..2).unwrap_or(key);
        self.dir.join(shard).join(format!("{key}.json"))
    }

    /// The recorded raw response for a request, or `None` when there is no entry. An entry that
    /// does not parse, or whose request differs from `canonical_body`, is `CacheCorrupt`.
    pub fn get(&self, key: &str, canonical_body: &str) -> Result<Option<String>, LlmError> {
        let path = self.path_for(key);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(LlmError::CacheIo { path, source }),
        };
        let corrupt = |reason: String| LlmError::CacheCorrupt {
            path: path.clone(),
            reason,
        };
        let entry: Entry = serde_json::from_str(&text).map_err(|err| corrupt(err.to_string()))?;
        if entry.format != CACHE_FORMAT {
            return Err(corrupt(format!(
                "format `{}`, expected `{CACHE_FORMAT}`",
                entry.format
            )));
        }
        if entry.key != key || canonical_json(&entry.request) != canonical_body {
            return Err(corrupt(format!(
                "the recorded request does not match key {key}"
            )));
        }
        Ok(Some(entry.response))
    }

    /// Records a raw response for a request, atomically (temporary file + rename).
    pub fn put(&self, key: &str, canonical_body: &str, response: &str) -> Result<(), LlmError> {
        let path = self.path_for(key);
        let request: Value =
            serde_json::from_str(canonical_body).map_err(|err| LlmError::CacheCorrupt {
                path: path.clone(),
                reason: format!("the request body is not JSON: {err}"),
            })?;
        let entry = Entry {
            format: CACHE_FORMAT.to_owned(),
            key: key.to_owned(),
            request,
            response: response.to_owned(),
        };
        let mut bytes =
            serde_json::to_vec_pretty(&entry).map_err(|err| LlmError::CacheCorrupt {
                path: path.clone(),
                reason: err.to_string(),
            })?;
        bytes.push(b'\n');
        let io_err = |source| LlmError::CacheIo {
            path: path.clone(),
            source,
        };
        let folder = path.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(folder).map_err(io_err)?;
        let mut file = tempfile::Builder::new()
            .prefix(".tmp-")
            .suffix(".json")
            .tempfile_in(folder)
            .map_err(io_err)?;
        file.write_all(&bytes).map_err(io_err)?;
        file.as_file().sync_data().map_err(io_err)?;
        file.persist(&path).map_err(|err| io_err(err.error))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn key_is_sha256_hex() {
        assert_eq!(
            cache_key("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn round_trips_and_detects_mismatches() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ResponseCache::new(dir.path());
        let body = r#"{"messages":[],"model":"m"}"#;
        let key = cache_key(body);
        assert_eq!(cache.get(&key, body).unwrap(), None);
        let raw = "{ \"choices\": [] ,\n \"x\": 1.10 }";
        cache.put(&key, body, raw).unwrap();
        assert!(cache.path_for(&key).starts_with(dir.path().join(&key[..2])));
        assert_eq!(cache.get(&key, body).unwrap().as_deref(), Some(raw));
        let other = r#"{"messages":[],"model":"n"}"#;
        let err = cache.get(&key, other).unwrap_err();
        assert_eq!(err.cause(), "cache_corrupt");
        std::fs::write(cache.path_for(&key), "{").unwrap();
        assert_eq!(cache.get(&key, body).unwrap_err().cause(), "cache_corrupt");
    }
}
