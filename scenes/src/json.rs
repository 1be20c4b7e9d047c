//! JSON reading and atomic writing with errors that name the file and the JSON path.

use crate::error::SceneError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io::Write;
use std::path::Path;

/// Reads a whole JSON file, reporting the JSON path of any shape error.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T, SceneError> {
    let bytes = std::fs::read(path).map_err(|e| SceneError::io(path, e))?;
    parse_json(path, &bytes)
}

/// Parses JSON bytes that came from `path` (used only for error messages).
pub fn parse_json<T: DeserializeOwned>(path: &Path, bytes: &[u8]) -> Result<T, SceneError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|e| SceneError::Json {
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
) -> Result<(), SceneError> {
    let mut text = if pretty {
        serde_json::to_vec_pretty(value)
    } else {
        serde_json::to_vec(value)
    }
    .map_err(|e| SceneError::record(path, "document", e.to_string()))?;
    text.push(b'\n');
    write_bytes_atomic(path, &text)
}

/// Writes bytes to `path` atomically (temporary file in the same folder, fsync, rename).
pub fn write_bytes_atomic(path: &Path, bytes: &[u8]) -> Result<(), SceneError> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{file_name}.tmp{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        // Best effort: the temporary file is ours and useless after a failure.
        let _ = std::fs::remove_file(&tmp);
        SceneError::io(path, e)
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
    fn atomic_write_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        write_json_atomic(&path, &vec![1, 2, 3], false).unwrap();
        let back: Vec<i32> = read_json(&path).unwrap();
        assert_eq!(back, vec![1, 2, 3]);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
