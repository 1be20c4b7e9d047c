//! `waymark merge`: combine the output folders of shards into one.

use crate::batch::{RunManifest, select};
use crate::error::EvalError;
use crate::run_dir::{MANIFEST_FILE, RunDir, check_same_run};
use crate::shard::ShardSpec;
use crate::summary::Summary;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use waymark_task::EpisodeRecord;

/// Merges the shard folders of one batch into `out`, as if one run had made them: records
/// sorted by file position, the same submission and summary, each episode's step log. The shards must be of one run
/// (the same settings and input fingerprints, the same shard count), each given once, and,
/// unless `partial`, complete (every shard present, every episode of each done); a partial
/// merge says so in its summary (`"partial": true`). The merged folder's shard is the whole
/// batch, so `eval` on it resumes whatever the shards left out.
pub fn merge_runs(inputs: &[PathBuf], out: &Path, partial: bool) -> Result<Summary, EvalError> {
    let Some(first) = inputs.first() else {
        return Err(EvalError::NothingToMerge);
    };
    let (mut manifest, _) = RunDir::new(first).read()?;
    let task = crate::tasks::find(&manifest.task)?;
    let count = manifest.shard.count;
    let mut shards: BTreeMap<usize, &Path> = BTreeMap::new();
    let mut origin: HashMap<String, (PathBuf, EpisodeRecord)> = HashMap::new();
    let mut merged = Vec::new();
    let mut incomplete = false;
    for dir in inputs {
        let (other, records) = RunDir::new(dir).read()?;
        same_batch(dir, &manifest, &other)?;
        if let Some(earlier) = shards.insert(other.shard.index, dir) {
            return Err(EvalError::MergeShard {
                message: format!(
                    "{} and {} are both shard {}",
                    earlier.display(),
                    dir.display(),
                    other.shard
                ),
            });
        }
        let expected = select(other.instructions_in_file, other.limit, other.shard).len();
        if records.len() < expected {
            if !partial {
                return Err(EvalError::MergeShard {
                    message: format!(
                        "{} (shard {}) has {} of its {expected} episodes; finish it (rerun its eval) or merge with --partial",
                        dir.display(),
                        other.shard,
                        records.len()
                    ),
                });
            }
            incomplete = true;
        }
        for record in records {
            match origin.get(&record.id) {
                Some((_, same)) if *same == record => {}
                Some((other_dir, _)) => {
                    return Err(EvalError::Duplicate {
                        id: record.id.clone(),
                        context: format!(
                            " with different results in {} and {}",
                            other_dir.display(),
                            dir.display()
                        ),
                    });
                }
                None => {
                    origin.insert(record.id.clone(), (dir.to_path_buf(), record.clone()));
                    merged.push(record);
                }
            }
        }
    }
    let missing: Vec<String> = (0..count)
        .filter(|i| !shards.contains_key(i))
        .map(|i| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        if !partial {
            return Err(EvalError::MergeShard {
                message: format!(
                    "shard(s) {} of the batch are missing; merge every shard or use --partial",
                    missing.join(", ")
                ),
            });
        }
        incomplete = true;
    }
    manifest.shard = ShardSpec::WHOLE;
    let out_dir = RunDir::new(out);
    let _lock = out_dir.lock()?;
    // Each merged episode's step log, from the shard that ran it.
    for (id, (dir, _)) in &origin {
        let from = RunDir::new(dir).step_log_path(id);
        if from.is_file() {
            let to = out_dir.step_log_path(id);
            let bytes = std::fs::read(&from).map_err(|e| EvalError::io(&from, e))?;
            if let Some(steps) = to.parent() {
                std::fs::create_dir_all(steps).map_err(|e| EvalError::io(steps, e))?;
            }
            waymark_io::write_bytes_atomic(&to, &bytes)?;
        }
    }
    let mut summary = out_dir.finalize(task, &manifest, merged)?;
    if incomplete {
        summary.partial = true;
        out_dir.write_summary(&summary)?;
    }
    Ok(summary)
}

/// Checks that `other` (read from `dir`) is a part of the batch `manifest` describes: the
/// same settings and inputs, and the same number of shards.
fn same_batch(dir: &Path, manifest: &RunManifest, other: &RunManifest) -> Result<(), EvalError> {
    if other.shard.count != manifest.shard.count {
        return Err(EvalError::MergeShard {
            message: format!(
                "{} is shard {} but the first folder is shard {}: not one batch",
                dir.display(),
                other.shard,
                manifest.shard
            ),
        });
    }
    let whole = RunManifest {
        shard: manifest.shard,
        ..other.clone()
    };
    check_same_run(&dir.join(MANIFEST_FILE), &whole, manifest)
}
