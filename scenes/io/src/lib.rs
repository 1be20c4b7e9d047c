//! File helpers shared by the scene readers and the run outputs: JSON reading whose errors
//! name the file and the JSON path, a cursor for fast readers of one known JSON shape, and
//! atomic writes (a unique temporary file beside the target, fsync, rename) that two threads
//! or processes may do on the same path at once.

pub mod json_cursor;
mod json_str;
pub mod test_env;

pub use json_str::JsonStr;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A failure to read, parse or write a file. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    /// The file could not be opened, read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file at fault.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not valid JSON of the expected shape.
    #[error("{path}: invalid JSON at `{json_path}`: {message}")]
    Json {
        /// The file at fault.
        path: PathBuf,
        /// Where in the document the error lies, for example `[12].pose`.
        json_path: String,
        /// What is wrong.
        message: String,
    },
    /// A value could not be turned into JSON (a map with non-string keys, say).
    #[error("{path}: cannot write JSON: {message}")]
    Serialize {
        /// The file that was to be written.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

impl IoError {
    /// An I/O failure on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

/// Reads a whole JSON file, reporting the JSON path of any shape error.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T, IoError> {
    let bytes = std::fs::read(path).map_err(|e| IoError::io(path, e))?;
    parse_json(path, &bytes)
}

/// Parses JSON bytes that came from `path` (used only for error messages).
pub fn parse_json<'de, T: Deserialize<'de>>(path: &Path, bytes: &'de [u8]) -> Result<T, IoError> {
    // The plain parse first: tracking the path costs time on every value of a large file and
    // is only needed to report an error, so a failed parse is redone with tracking.
    // The whole file checked as UTF-8 at once, rather than string by string as a byte-slice
    // parse does: far cheaper for files of many short strings.
    let parsed = match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(bytes),
    };
    if let Ok(value) = parsed {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|e| IoError::Json {
        path: path.to_path_buf(),
        json_path: e.path().to_string(),
        message: e.inner().to_string(),
    })
}

/// Writes `value` as JSON to `path` atomically: a temporary file beside it, then a rename, so a
/// reader never sees a half-written file.
pub fn write_json_atomic<T: Serialize + ?Sized>(
    path: &Path,
    value: &T,
    pretty: bool,
) -> Result<(), IoError> {
    let mut text = if pretty {
        serde_json::to_vec_pretty(value)
    } else {
        serde_json::to_vec(value)
    }
    .map_err(|e| IoError::Serialize {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    text.push(b'\n');
    write_bytes_atomic(path, &text)
}

/// Writes bytes to `path` atomically (temporary file in the same folder, fsync, rename).
pub fn write_bytes_atomic(path: &Path, bytes: &[u8]) -> Result<(), IoError> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Unique per process and per call: two threads (or processes) writing the same path each
    // rename a whole file of their own, and the last rename wins.
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let call = NEXT.fetch_add(1, Ordering::Relaxed);
    let tmp = path.with_file_name(format!(".{file_name}.tmp{}-{call}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        // Best effort: the temporary file is ours and useless after a failure.
        let _ = std::fs::remove_file(&tmp);
        IoError::io(path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_errors_name_the_json_path() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Rec {
            pose: Vec<f64>,
        }
        let err = parse_json::<Vec<Rec>>(
            Path::new("x.json"),
            br#"[{"pose":[1.0]},{"pose":[1.0,"a"]}]"#,
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("x.json"), "{text}");
        assert!(text.contains("[1].pose[1]"), "{text}");
    }

    #[test]
    fn text_is_read_whether_or_not_it_is_utf8() {
        let path = Path::new("x.json");
        let names: Vec<String> =
            parse_json(path, "[\"café\", \"\\u00e9t\u{e9}\"]".as_bytes()).unwrap();
        assert_eq!(names, ["café", "été"]);
        let borrowed: Vec<&str> = parse_json(path, br#"["a", "b"]"#).unwrap();
        assert_eq!(borrowed, ["a", "b"]);
        // Not UTF-8: an error that names the file, as before.
        let text = parse_json::<Vec<String>>(path, b"[\"caf\xe9\"]")
            .unwrap_err()
            .to_string();
        assert!(text.contains("x.json"), "{text}");
    }

    #[test]
    fn atomic_write_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        write_json_atomic(&path, &vec![1, 2, 3], false).unwrap();
        let back: Vec<i32> = read_json(&path).unwrap();
        assert_eq!(back, vec![1, 2, 3]);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// Regression: the temporary file was named by process id only, so two threads writing
    /// the same path renamed each other's half-written file away.
    #[test]
    fn threads_writing_one_path_never_collide() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.json");
        std::thread::scope(|scope| {
            for t in 0..8u32 {
                let path = &path;
                scope.spawn(move || {
                    for i in 0..50u32 {
                        write_json_atomic(path, &vec![t; 1000 + i as usize], false).unwrap();
                    }
                });
            }
        });
        let back: Vec<u32> = read_json(&path).unwrap();
        assert!(back.len() >= 1000 && back.iter().all(|&v| v == back[0]));
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }
}
