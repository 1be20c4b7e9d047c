//! Scores an R2R submission and prints the mean metrics: the whole process, for timing against
//! the official `eval.py`.
//!
//! ```text
//! cargo run --release -p waymark-sim --example score_r2r -- \
//!     <connectivity dir> <episodes.json> <submission.json> \
//!     [--threshold M] [--threads N] [--all-pairs] [--timing]
//! ```
//!
//! The submission is the official layout: `[{"instr_id": …, "trajectory": [[viewpoint,
//! heading, elevation], …]}, …]`. Every entry must name an instruction of the episode file;
//! instructions without an entry are left out. `--threads N` scores on N threads (default 1);
//! `--all-pairs` scores with [`NavGraph`]'s all-pairs tables (the [`GraphStore`] path) instead
//! of [`ScoringGraphs`], for comparison; `--timing` prints the time of each phase to stderr.

use anyhow::{Context, bail};
use serde::de::IgnoredAny;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use waymark_core::{NavEpisode, NavMetrics};
use waymark_sim::{GraphStore, NavGraph, ScoringGraphs, score_nav_trajectory};

/// One entry of the submission, borrowing its strings from the file's bytes.
#[derive(serde::Deserialize)]
struct Entry<'a> {
    #[serde(borrow)]
    instr_id: Cow<'a, str>,
    /// `[viewpoint, heading, elevation]`; like `eval.py`, scoring reads only the viewpoint.
    #[serde(borrow)]
    trajectory: Vec<(Cow<'a, str>, IgnoredAny, IgnoredAny)>,
}

fn main() -> anyhow::Result<()> {
    let mut paths = Vec::new();
    let mut threshold_m = waymark_sim::DEFAULT_SUCCESS_THRESHOLD_M;
    let (mut all_pairs, mut timing, mut threads) = (false, false, 1usize);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--threshold" => {
                threshold_m = args.next().context("--threshold needs a value")?.parse()?;
            }
            "--threads" => threads = args.next().context("--threads needs a value")?.parse()?,
            "--all-pairs" => all_pairs = true,
            "--timing" => timing = true,
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    let [connectivity, episodes_file, submission_file] = paths.as_slice() else {
        bail!(
            "usage: score_r2r <connectivity dir> <episodes.json> <submission.json> \
             [--threshold M] [--threads N] [--all-pairs] [--timing]"
        );
    };
    let mut clock = Clock::new(timing);

    let bytes = std::fs::read(submission_file)
        .with_context(|| format!("cannot read {}", submission_file.display()))?;
    let parse_submission = || {
        serde_json::from_slice::<Vec<Entry<'_>>>(&bytes)
            .with_context(|| format!("{}: not an R2R submission", submission_file.display()))
    };
    // With more than one thread, the two files are parsed at once.
    let (episodes, submission) = if threads > 1 {
        std::thread::scope(|scope| {
            let episodes = scope.spawn(|| waymark_scenes::read_r2r_episodes(episodes_file));
            let submission = parse_submission();
            match episodes.join() {
                Ok(episodes) => Ok((episodes, submission)),
                Err(_) => Err(anyhow::anyhow!("the episode reader panicked")),
            }
        })?
    } else {
        (
            waymark_scenes::read_r2r_episodes(episodes_file),
            parse_submission(),
        )
    };
    let (episodes, submission) = (episodes?, submission?);
    // The episodes to score, in episode-file order, with their visited viewpoints.
    let position: HashMap<&str, usize> = episodes
        .iter()
        .enumerate()
        .map(|(i, e)| (e.instr_id.as_str(), i))
        .collect();
    let mut visited_of: Vec<Option<Vec<&str>>> = vec![None; episodes.len()];
    for entry in &submission {
        let Some(&i) = position.get(&*entry.instr_id) else {
            bail!(
                "{}: unknown instruction {}",
                submission_file.display(),
                entry.instr_id
            );
        };
        let visited = entry.trajectory.iter().map(|(v, _, _)| &**v).collect();
        if visited_of[i].replace(visited).is_some() {
            bail!(
                "{}: {} appears twice",
                submission_file.display(),
                entry.instr_id
            );
        }
    }
    let work: Vec<(&NavEpisode, Vec<&str>)> = episodes
        .iter()
        .zip(visited_of)
        .filter_map(|(e, v)| Some((e, v?)))
        .collect();
    clock.lap("read episodes and submission");

    let scorer = Scorer::new(connectivity, all_pairs);
    let metrics: Vec<NavMetrics> = if threads <= 1 {
        work.iter()
            .map(|(e, v)| scorer.score(e, v, threshold_m))
            .collect::<anyhow::Result<_>>()?
    } else {
        // Whole scans per thread (so that no thread waits for a graph another is reading),
        // the busiest scans first, each to the least loaded thread; results go back to their
        // episode's place, so the means are summed in episode order whatever the thread count.
        let mut by_scan: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, (e, _)) in work.iter().enumerate() {
            by_scan.entry(e.scan.as_str()).or_default().push(i);
        }
        let mut scans: Vec<Vec<usize>> = by_scan.into_values().collect();
        scans.sort_by_key(|items| std::cmp::Reverse(items.len()));
        let mut shares: Vec<Vec<usize>> = vec![Vec::new(); threads];
        for items in scans {
            if let Some(share) = shares.iter_mut().min_by_key(|share| share.len()) {
                share.extend(items);
            }
        }
        let scored = std::thread::scope(|scope| {
            let handles: Vec<_> = shares
                .iter()
                .map(|share| {
                    let (scorer, work) = (&scorer, &work);
                    scope.spawn(move || {
                        share
                            .iter()
                            .map(|&i| Ok((i, scorer.score(work[i].0, &work[i].1, threshold_m)?)))
                            .collect::<anyhow::Result<Vec<_>>>()
                    })
                })
                .collect();
            let mut all = Vec::with_capacity(work.len());
            for handle in handles {
                match handle.join() {
                    Ok(part) => all.extend(part?),
                    Err(_) => bail!("a scoring thread panicked"),
                }
            }
            Ok(all)
        })?;
        let mut metrics = vec![NavMetrics::default(); work.len()];
        for (i, m) in scored {
            metrics[i] = m;
        }
        metrics
    };
    clock.lap("load graphs and score");

    // Means summed in episode order.
    let mut sums = [0.0f64; 9];
    for m in &metrics {
        let values = [
            m.tl,
            m.ne,
            m.sr,
            m.osr,
            m.spl,
            m.ndtw,
            m.sdtw,
            m.cls,
            f64::from(m.steps),
        ];
        for (sum, v) in sums.iter_mut().zip(values) {
            *sum += v;
        }
    }
    let n = metrics.len().max(1) as f64;
    println!("episodes {}", metrics.len());
    // Every digit of every mean, so that two scoring paths can be compared exactly.
    for (name, sum) in [
        "tl", "ne", "sr", "osr", "spl", "ndtw", "sdtw", "cls", "steps",
    ]
    .iter()
    .zip(sums)
    {
        println!("{name:>5} {:?}", sum / n);
    }
    // Done: the operating system frees everything at once, faster than the destructors would.
    std::process::exit(0)
}

/// The scoring path under test.
enum Scorer {
    Lazy(ScoringGraphs),
    AllPairs(GraphStore),
}

impl Scorer {
    fn new(dir: &Path, all_pairs: bool) -> Self {
        if all_pairs {
            Self::AllPairs(GraphStore::new(dir))
        } else {
            Self::Lazy(ScoringGraphs::new(dir))
        }
    }

    fn score(
        &self,
        episode: &NavEpisode,
        visited: &[&str],
        threshold_m: f64,
    ) -> anyhow::Result<NavMetrics> {
        Ok(match self {
            Self::Lazy(graphs) => graphs.score_episode(episode, visited, threshold_m)?,
            Self::AllPairs(store) => {
                let graph: std::sync::Arc<NavGraph> = store.graph(&episode.scan)?;
                let visited: Vec<_> = visited.iter().map(|&v| v.into()).collect();
                score_nav_trajectory(&graph, episode, &visited, threshold_m)?
            }
        })
    }
}

/// Phase times on stderr, when asked for.
struct Clock {
    on: bool,
    last: Instant,
}

impl Clock {
    fn new(on: bool) -> Self {
        Self {
            on,
            last: Instant::now(),
        }
    }

    fn lap(&mut self, phase: &str) {
        let now = Instant::now();
        if self.on {
            eprintln!("{phase}: {:.2} ms", (now - self.last).as_secs_f64() * 1e3);
        }
        self.last = now;
    }
}
