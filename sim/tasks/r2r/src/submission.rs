//! R2R's official submission, `[{instr_id, trajectory: [[viewpoint, heading, elevation], …]}]`,
//! and scoring one as `eval.py` does.

mod read;

use rayon::prelude::*;
use read::Submission;
use serde::Serialize;
use serde_json::value::RawValue;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use waymark_core::{Metrics, NavEpisode, NavMetrics, ScanId};
use waymark_io::{IoError, write_json_atomic};
use waymark_scenes::read_r2r_episodes;
use waymark_sim::{DEFAULT_SUCCESS_THRESHOLD_M, Distances, ScoringGraph, ScoringGraphs, SimError};
use waymark_task::{
    EpisodeMeta, EpisodeRecord, ScoreOptions, TaskArgs, TaskError, match_submission,
};

/// One entry as written: the trajectory exactly as `episodes.jsonl` holds it.
#[derive(Serialize)]
struct WrittenEntry<'a> {
    instr_id: &'a str,
    trajectory: &'a RawValue,
}

/// Writes the submission of `records` (in their order).
pub(crate) fn write(records: &[EpisodeRecord], path: &Path) -> Result<(), TaskError> {
    let entries: Vec<WrittenEntry<'_>> = records
        .iter()
        .map(|r| WrittenEntry {
            instr_id: &r.id,
            trajectory: &r.trajectory,
        })
        .collect();
    Ok(write_json_atomic(path, &entries, false)?)
}

/// How many instructions of a path `eval.py` scores: it expects the ids `{path_id}_0` to
/// `{path_id}_2` and passes over any other entry of the submission.
const EVAL_PY_INSTRUCTIONS_PER_PATH: u64 = 3;

/// Whether `eval.py` leaves `episode` out: an R2R-numbered instruction (`{path_id}_{k}`)
/// beyond the third of its path. R2R val_seen has one path with four instructions; eval.py
/// scores 1,020 of its 1,021 instructions. REVERIE-style ids (`{id}_{k}`) are all scored.
/// `prefix` is a buffer the caller reuses across episodes.
fn beyond_eval_py(episode: &NavEpisode, prefix: &mut String) -> bool {
    prefix.clear();
    // Writing to a String cannot fail.
    let _ = write!(prefix, "{}_", episode.path_id);
    episode
        .instr_id
        .as_str()
        .strip_prefix(prefix.as_str())
        .and_then(|k| k.parse::<u64>().ok())
        .is_some_and(|k| k >= EVAL_PY_INSTRUCTIONS_PER_PATH)
}

/// Scores `submission` against `--episodes` on `--connectivity` as `eval.py` does: the first
/// three instructions of each path are scored, each must have a trajectory (unless
/// `partial`), and an entry for a later instruction is passed over (logged). Stricter than
/// eval.py, which skips them silently: an id not in the episode file, or given twice, is an
/// error. A move between non-adjacent viewpoints is an error naming the instruction and both
/// viewpoints.
pub(crate) fn score(
    args: &TaskArgs,
    submission: &Path,
    options: ScoreOptions,
) -> Result<Vec<(EpisodeMeta, Metrics)>, TaskError> {
    let episodes_file = args.path("episodes")?;
    let connectivity = args.folder("connectivity")?;
    let threshold_m = args.positive_f64_or("success-threshold", DEFAULT_SUCCESS_THRESHOLD_M)?;
    // Only the distances the metrics read, never all-pairs tables: bit-identical to the
    // environment's scoring, and about 50× faster than eval.py on the real data.
    let graphs = ScoringGraphs::new(connectivity);
    // The submission is read and parsed while the episodes, then their scans' graphs, are
    // read; its entries borrow their ids and viewpoints from the bytes kept here (or, when
    // serde reads it, from serde's entries).
    let (bytes, slow) = (OnceLock::new(), OnceLock::new());
    let (episodes, entries) = rayon::join(
        || -> Result<Vec<NavEpisode>, TaskError> {
            let episodes = read_r2r_episodes(&episodes_file).map_err(TaskError::source)?;
            let scans: BTreeSet<&ScanId> = episodes.iter().map(|e| &e.scan).collect();
            scans.into_par_iter().for_each(|scan| {
                // A scan that fails to load is not remembered: scoring its first episode
                // reads it again and reports the error with that episode.
                let _ = graphs.graph(scan);
            });
            Ok(episodes)
        },
        || -> Result<Submission<'_>, TaskError> {
            let read = std::fs::read(submission).map_err(|e| IoError::io(submission, e))?;
            Ok(Submission::parse(
                submission,
                bytes.get_or_init(|| read),
                &slow,
            )?)
        },
    );
    let (episodes, entries) = (episodes?, entries?);
    let mut prefix = String::new();
    let (scored, beyond): (Vec<&NavEpisode>, Vec<&NavEpisode>) = episodes
        .iter()
        .partition(|e| !beyond_eval_py(e, &mut prefix));
    let passed_over: HashSet<&str> = beyond.iter().map(|e| e.instr_id.as_str()).collect();
    // The entries matched, by their place in the whole submission.
    let kept: Vec<usize> = (0..entries.len())
        .filter(|&i| !passed_over.contains(entries.id(i)))
        .collect();
    if kept.len() < entries.len() {
        tracing::info!(
            entries = entries.len() - kept.len(),
            "not scored: instructions beyond the third of their path, as eval.py"
        );
    }
    let ids: Vec<&str> = scored.iter().map(|e| e.instr_id.as_str()).collect();
    let entry_of =
        match_submission(&ids, kept.iter().map(|&i| entries.id(i)), options).map_err(|error| {
            match error {
                TaskError::UnknownEpisode { index, id } => TaskError::UnknownEpisode {
                    index: kept[index],
                    id,
                },
                other => other,
            }
        })?;
    let jobs: Vec<(&NavEpisode, &[&str])> = scored
        .iter()
        .zip(&entry_of)
        .filter_map(|(&episode, entry)| Some((episode, entries.trajectory(kept[(*entry)?]))))
        .collect();
    score_by_scan(&graphs, &jobs, threshold_m, |episode, metrics| {
        (crate::episodes::meta(episode), metrics.to_metrics())
    })
    .into_iter()
    .map(|scored| scored.map_err(TaskError::source))
    .collect()
}

/// Scores `jobs` (episode, viewpoints visited) in parallel, one scan (or, for a scan that holds
/// more than a thread's share, one part of it) at a time per thread with its own searches, so
/// each scan's searches are freed, and their memory reused, as soon as its episodes are
/// scored; `finish` turns each episode's metrics into the result, on the same thread. Threads
/// take the groups costliest first (episodes × viewpoints), so that none is left with a large
/// scan while the others idle. The results are in job order and the same for any number of
/// threads: a distance does not depend on which searches were kept.
fn score_by_scan<T: Send>(
    graphs: &ScoringGraphs,
    jobs: &[(&NavEpisode, &[&str])],
    threshold_m: f64,
    finish: impl Fn(&NavEpisode, NavMetrics) -> T + Sync,
) -> Vec<Result<T, SimError>> {
    let mut by_scan: HashMap<&ScanId, Vec<usize>> = HashMap::new();
    for (i, (episode, _)) in jobs.iter().enumerate() {
        by_scan.entry(&episode.scan).or_default().push(i);
    }
    let threads = rayon::current_num_threads();
    let share = jobs.len().div_ceil(threads).max(1);
    // Each group with its scan's graph (`None` when it fails to load) and its cost.
    let mut groups: Vec<(&[usize], Option<Arc<ScoringGraph>>)> = by_scan
        .values()
        .flat_map(|g| {
            let graph = graphs.graph(&jobs[g[0]].0.scan).ok();
            g.chunks(share).map(move |part| (part, graph.clone()))
        })
        .collect();
    let cost = |(group, graph): &(&[usize], Option<Arc<ScoringGraph>>)| {
        group.len() * graph.as_ref().map_or(1, |g| g.len())
    };
    // Costliest first; ties in job order, so the order never depends on the hash map's.
    groups.sort_by(|a, b| cost(b).cmp(&cost(a)).then(a.0[0].cmp(&b.0[0])));
    let score = |distances: Option<&mut Distances<'_>>, i: usize| {
        let (episode, visited) = jobs[i];
        let metrics = match distances {
            Some(distances) => distances.score(episode, visited, threshold_m),
            // Rare: each episode reads the file again and reports the error itself.
            None => graphs.score_episode(episode, visited, threshold_m),
        };
        (i, metrics.map(|m| finish(episode, m)))
    };
    let next = AtomicUsize::new(0);
    let scored: Vec<Vec<(usize, Result<T, SimError>)>> = (0..threads.min(groups.len()))
        .into_par_iter()
        .map(|_| {
            let mut done = Vec::new();
            // Each thread takes the next group in cost order until none is left.
            while let Some((group, graph)) = groups.get(next.fetch_add(1, Ordering::Relaxed)) {
                match graph {
                    Some(graph) => {
                        let mut distances = graph.distances();
                        done.extend(group.iter().map(|&i| score(Some(&mut distances), i)));
                    }
                    None => done.extend(group.iter().map(|&i| score(None, i))),
                }
            }
            done
        })
        .collect();
    let mut results: Vec<(usize, Result<T, SimError>)> = scored.into_iter().flatten().collect();
    results.sort_unstable_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

    use super::*;
    use std::path::PathBuf;
    use waymark_core::ViewpointId;

    fn demo() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../assets/demo")
    }

    fn bits(m: &NavMetrics) -> Vec<u64> {
        [m.tl, m.ne, m.sr, m.osr, m.spl, m.ndtw, m.sdtw, m.cls]
            .iter()
            .map(|v| v.to_bits())
            .chain([u64::from(m.steps)])
            .collect()
    }

    #[test]
    fn scores_by_scan_in_job_order_for_any_number_of_threads() {
        let mut episodes = read_r2r_episodes(&demo().join("R2R_demo.json")).unwrap();
        let mut lost = episodes[0].clone();
        lost.scan = ScanId::new("no_such_scan");
        episodes.insert(3, lost);
        // Each episode twice: on its reference path, and turning in place then stopping.
        let trajectories: Vec<Vec<&str>> = episodes
            .iter()
            .flat_map(|e| {
                let path: Vec<&str> = e.reference_path.iter().map(ViewpointId::as_str).collect();
                [path.clone(), vec![path[0], path[0]]]
            })
            .collect();
        let episodes: Vec<&NavEpisode> = episodes.iter().flat_map(|e| [e, e]).collect();
        let jobs: Vec<(&NavEpisode, &[&str])> = episodes
            .iter()
            .zip(&trajectories)
            .map(|(&e, t)| (e, t.as_slice()))
            .collect();
        let graphs = ScoringGraphs::new(demo().join("connectivity"));
        let expected: Vec<Result<Vec<u64>, String>> = jobs
            .iter()
            .map(|(e, t)| {
                let alone = ScoringGraphs::new(demo().join("connectivity"));
                alone
                    .score_episode(e, t, 3.0)
                    .map(|m| bits(&m))
                    .map_err(|e| e.to_string())
            })
            .collect();
        assert!(expected[6].is_err() && expected[0].is_ok());
        for threads in [1, 2, 5] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let scored = pool.install(|| score_by_scan(&graphs, &jobs, 3.0, |_, m| m));
            let scored: Vec<Result<Vec<u64>, String>> = scored
                .iter()
                .map(|r| r.as_ref().map(bits).map_err(|e| e.to_string()))
                .collect();
            assert_eq!(scored, expected, "{threads} threads");
        }
    }

    #[test]
    fn eval_py_scores_three_instructions_per_path() {
        let episodes = read_r2r_episodes(&demo().join("R2R_demo.json")).unwrap();
        let mut episode = episodes[0].clone();
        let mut prefix = String::new();
        for (id, beyond) in [("_2", false), ("_3", true), ("_10", true), ("x_5", false)] {
            episode.instr_id = waymark_core::InstrId::new(format!("{}{id}", episode.path_id));
            assert_eq!(beyond_eval_py(&episode, &mut prefix), beyond, "{id}");
        }
    }
}
