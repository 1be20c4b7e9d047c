//! Fingerprints of a run's inputs: a content hash (BLAKE3) of every file and folder the
//! task's options name, kept in `run.json`, so that a resume or a merge over edited inputs
//! (another episode file, other graphs) is refused, naming the input that changed.

use crate::error::EvalError;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use waymark_task::{TaskArgs, TaskInfo};

/// The placeholders that mark a task option as a path.
const PATH_OPTIONS: [&str; 3] = ["DIR", "FILE", "PATH"];

/// `blake3:<hex>` of a file's bytes, or of a folder's files: each file's path relative to
/// the folder and its bytes, in path order (symbolic links followed, other entries skipped).
pub fn fingerprint(path: &Path) -> Result<String, EvalError> {
    let mut hasher = blake3::Hasher::new();
    if path.is_dir() {
        let mut files = Vec::new();
        collect(path, &mut files)?;
        files.sort();
        for file in files {
            let relative = file.strip_prefix(path).unwrap_or(&file);
            hasher.update(relative.to_string_lossy().as_bytes());
            hasher.update(&[0]);
            hash_file(&file, &mut hasher)?;
        }
    } else {
        hash_file(path, &mut hasher)?;
    }
    Ok(format!("blake3:{}", hasher.finalize().to_hex()))
}

/// `blake3:<hex>` of texts (a planner's prompt templates), each ended by its length, so that
/// a resume or merge across a change of prompts is refused like one across other inputs.
pub fn fingerprint_texts(texts: &[&str]) -> String {
    let mut hasher = blake3::Hasher::new();
    for text in texts {
        hasher.update(text.as_bytes());
        hasher.update(&(text.len() as u64).to_le_bytes());
    }
    format!("blake3:{}", hasher.finalize().to_hex())
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), EvalError> {
    for entry in std::fs::read_dir(dir).map_err(|e| EvalError::io(dir, e))? {
        let path = entry.map_err(|e| EvalError::io(dir, e))?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else if path.is_file() {
            files.push(path);
        }
    }
    Ok(())
}

fn hash_file(path: &Path, hasher: &mut blake3::Hasher) -> Result<(), EvalError> {
    let mut file = std::fs::File::open(path).map_err(|e| EvalError::io(path, e))?;
    let mut length = 0u64;
    let mut buffer = vec![0; 1 << 16];
    loop {
        let n = file.read(&mut buffer).map_err(|e| EvalError::io(path, e))?;
        if n == 0 {
            break;
        }
        length += n as u64;
        hasher.update(&buffer[..n]);
    }
    // The length ends each file, so that moving bytes between files changes the hash.
    hasher.update(&length.to_le_bytes());
    Ok(())
}

/// The fingerprints of the paths `args` gives the task's path options (`--episodes FILE`,
/// `--connectivity DIR` …), by option name. A path that does not exist is left out (the task
/// reports it when it opens).
pub fn task_inputs(
    info: &TaskInfo,
    args: &TaskArgs,
) -> Result<BTreeMap<String, String>, EvalError> {
    let mut inputs = BTreeMap::new();
    for option in info.options {
        if !PATH_OPTIONS.contains(&option.value_name) {
            continue;
        }
        if let Some(path) = args.text(option.name).map(Path::new).filter(|p| p.exists()) {
            inputs.insert(option.name.to_string(), fingerprint(path)?);
        }
    }
    Ok(inputs)
}

/// The task's options as given, paths made absolute (when they exist), for `run.json`: a
/// report or the window opens the episodes again from them.
pub fn task_options(info: &TaskInfo, args: &TaskArgs) -> BTreeMap<String, String> {
    info.options
        .iter()
        .filter_map(|option| {
            let text = args.text(option.name)?;
            let absolute = PATH_OPTIONS
                .contains(&option.value_name)
                .then(|| Path::new(text).canonicalize().ok())
                .flatten()
                .and_then(|p| p.to_str().map(str::to_string));
            Some((
                option.name.to_string(),
                absolute.unwrap_or_else(|| text.to_string()),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_follow_content_names_and_boundaries() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        std::fs::write(&a, "[1]").unwrap();
        let first = fingerprint(&a).unwrap();
        assert!(first.starts_with("blake3:"));
        assert_eq!(fingerprint(&a).unwrap(), first);
        std::fs::write(&a, "[2]").unwrap();
        assert_ne!(fingerprint(&a).unwrap(), first);
        let folder = fingerprint(dir.path()).unwrap();
        std::fs::write(dir.path().join("b.json"), "").unwrap();
        let with_b = fingerprint(dir.path()).unwrap();
        assert_ne!(with_b, folder, "a new empty file changes the folder");
        std::fs::rename(dir.path().join("b.json"), dir.path().join("c.json")).unwrap();
        assert_ne!(
            fingerprint(dir.path()).unwrap(),
            with_b,
            "a renamed file too"
        );
        assert!(fingerprint(&dir.path().join("missing")).is_err());
        assert_ne!(
            fingerprint_texts(&["ab", "c"]),
            fingerprint_texts(&["a", "bc"])
        );
        assert_eq!(fingerprint_texts(&["x"]), fingerprint_texts(&["x"]));
    }
}
