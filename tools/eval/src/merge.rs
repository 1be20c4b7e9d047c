//! `waymark merge`: combine the output folders of shards into one.

use crate::batch::RunManifest;
use crate::error::EvalError;
use crate::run_dir::{MANIFEST_FILE, RunDir, check_same_run};
use crate::shard::ShardSpec;
use crate::summary::Summary;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use waymark_task::EpisodeRecord;

/// Merges run folders made with the same settings (shards of one batch, or partial runs) into
/// `out`, as if one run had made them: records sorted by file position, the same submission
/// and summary. The merged folder's shard is the whole batch, so `eval` on it resumes whatever
/// the shards left out.
pub fn merge_runs(inputs: &[PathBuf], out: &Path) -> Result<Summary, EvalError> {
    let Some((first, rest)) = inputs.split_first() else {
        return Err(EvalError::NothingToMerge);
    };
    let (mut manifest, mut records) = RunDir::new(first).read()?;
    let task = crate::tasks::find(&manifest.task)?;
    manifest.shard = ShardSpec::WHOLE;
    let mut origin: HashMap<String, (PathBuf, EpisodeRecord)> = HashMap::new();
    let mut merged = Vec::new();
    let mut add = |dir: &Path, records: Vec<EpisodeRecord>| -> Result<(), EvalError> {
        for record in records {
            match origin.get(&record.id) {
                Some((_, same)) if *same == record => {}
                Some((other, _)) => {
                    return Err(EvalError::Duplicate {
                        id: record.id.clone(),
                        context: format!(
                            " with different results in {} and {}",
                            other.display(),
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
        Ok(())
    };
    add(first, std::mem::take(&mut records))?;
    for dir in rest {
        let (other, records) = RunDir::new(dir).read()?;
        same_batch(dir, &manifest, &other)?;
        add(dir, records)?;
    }
    RunDir::new(out).finalize(task, &manifest, merged)
}

/// Checks that `other` (read from `dir`) is a part of the batch `manifest` describes.
fn same_batch(dir: &Path, manifest: &RunManifest, other: &RunManifest) -> Result<(), EvalError> {
    let whole = RunManifest {
        shard: ShardSpec::WHOLE,
        ..other.clone()
    };
    check_same_run(&dir.join(MANIFEST_FILE), &whole, manifest)
}
