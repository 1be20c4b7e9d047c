//! What the window opens with: the input classified and loaded, the episode list, the first
//! episode opened.

use crate::args::Args;
use crate::episodes::{EpisodeList, load_episodes_file, load_eval_dir};
use crate::sources::{Input, ScanData, Sources};
use crate::state::{Episodes, Loaded, Messages, Walkable, open_episode};
use anyhow::{Result, bail};

/// The state the app starts from.
pub struct Prepared {
    /// The scan on show.
    pub loaded: Loaded,
    /// The episode list and the open episode.
    pub episodes: Episodes,
    /// Notices for the window.
    pub messages: Messages,
}

/// Loads what `args` name; every problem with the input is an error here, before a window opens.
pub fn prepare(args: &Args) -> Result<Prepared> {
    let input = Input::classify(&args.input)?;
    let sources = Sources::new(args, &input);
    let mut messages = Messages::default();
    let (list, eval_dir, first_scan) = match &input {
        Input::EvalDir(dir) => {
            let (list, notes) =
                load_eval_dir(dir, args.episodes.as_deref(), args.layouts.as_deref())?;
            for note in notes {
                messages.push(note);
            }
            let Some(first) = list.entries.first() else {
                bail!(
                    "{}: the eval folder has no recorded episodes",
                    dir.display()
                );
            };
            let scan = first.scan.clone();
            (list, Some(dir.clone()), scan)
        }
        Input::Graph { scan, .. } => {
            let list = match &args.episodes {
                Some(path) => load_episodes_file(path, false)?,
                None => EpisodeList::default(),
            };
            (list, None, scan.clone())
        }
        Input::Scene(path) => {
            let list = match &args.episodes {
                Some(path) => load_episodes_file(path, true)?,
                None => EpisodeList::default(),
            };
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (list, None, stem)
        }
    };
    let first = match &args.episode {
        Some(id) => match list.entries.iter().position(|e| e.id == *id) {
            Some(i) => Some(i),
            None => bail!("episode {id} is not in the list"),
        },
        None => (!list.entries.is_empty()).then_some(0),
    };
    let first_scan = first
        .and_then(|i| list.entries.get(i))
        .map_or(first_scan, |e| e.scan.clone());
    // Households, voxel worlds and grounding episodes are drawn from their replay: no scene
    // to load.
    let replayed = [
        waymark_core::HouseholdObservation::KIND,
        waymark_core::VoxelObservation::KIND,
        waymark_core::GroundingObservation::KIND,
    ]
    .map(Some)
    .contains(&list.observation_kind);
    let need_scene = !matches!(input, Input::Graph { .. }) && !replayed;
    let mut scan = ScanData::load(&sources, &first_scan, need_scene)?;
    if let (Input::Scene(_), Some(scene)) = (&input, &scan.scene) {
        scan.name = scene.name.clone();
    }
    for note in &scan.notes {
        messages.push(note.clone());
    }
    let mut loaded = Loaded {
        sources,
        scan,
        generation: 0,
        walkable: Walkable::NotStarted,
        cut_height_m: args.cut_height,
    };
    let success_m = list
        .manifest
        .as_ref()
        .and_then(|m| m.success_threshold_m)
        .unwrap_or(waymark_sim::DEFAULT_SUCCESS_THRESHOLD_M) as f32;
    let mut episodes = Episodes {
        list,
        eval_dir,
        planner: args.planner.clone(),
        success_m,
        ..Default::default()
    };
    if let Some(i) = first {
        episodes.list.cursor = i;
        open_episode(i, &mut loaded, &mut episodes, &mut messages, args.step);
    }
    Ok(Prepared {
        loaded,
        episodes,
        messages,
    })
}
