//! A²Nav's five navigators on a navigation graph, zero-shot and geometric. The paper trains
//! image-goal policies; these decide from what the sensors layer describes at each viewpoint:
//! the adjacent viewpoints with their absolute headings, the objects seen (label, absolute
//! heading, distance) and a text per 45° direction and for the viewpoint ([`View`]).
//!
//! The rules (each navigator also gives up after [`MAX_MOVES`] moves on its sub-task):
//! - **GoTo** — done when an object matching the landmark is within [`REACH_M`]; while one is
//!   seen farther, move to the adjacent viewpoint whose heading is closest to it (within
//!   [`ALIGN_DEG`]; done where none leads towards it); while none is seen, explore.
//! - **GoPast** — GoTo, then [`PAST_MOVES`] moves onward, each to the unvisited adjacent
//!   viewpoint closest to the direction of travel (within 90°).
//! - **GoThrough** — GoTo the opening, then [`THROUGH_MOVES`] move straight on, towards where
//!   the opening was seen; a landmark no object names (a room, a hallway) is gone into as by
//!   GoInto, then [`THROUGH_MOVES`] move on.
//! - **GoInto** — done when the viewpoint's own text names the room or region; while a named
//!   region seen (continuous scenes) or a direction's text names it, move towards it;
//!   otherwise explore.
//! - **Exit** — done after at least one move once the viewpoint's text no longer names the
//!   room (or, when it never did, once through a door); meanwhile GoThrough the nearest
//!   door-like object ([`EXIT_WORDS`]); with none seen, move towards the nearest other named
//!   region seen (continuous scenes), else explore.
//! - **Exploring** moves to the unvisited adjacent viewpoint closest to the direction of travel
//!   (the least visited when all are); after [`EXPLORE_MOVES`] such moves the navigator gives
//!   up and says why.
//!
//! A landmark matches an object or a text by its last content word (articles dropped, a plural
//! `s` ignored), compared with the words of the label or text; a generic place noun ("room")
//! after a qualifier matches only with it ("dining room").

use crate::actions::ActionKind;
use std::collections::HashMap;

/// An object counts as reached within this distance.
pub const REACH_M: f64 = 1.5;
/// The largest angle between an object and the viewpoint chosen to approach it.
pub const ALIGN_DEG: f64 = 60.0;
/// Moves onward after reaching the landmark of a GoPast.
pub const PAST_MOVES: u32 = 2;
/// Moves straight on after reaching the opening of a GoThrough.
pub const THROUGH_MOVES: u32 = 1;
/// Exploring moves before a navigator gives up on a landmark it has not seen.
pub const EXPLORE_MOVES: u32 = 6;
/// Moves on one sub-task before the navigator gives up.
pub const MAX_MOVES: u32 = 12;
/// Objects an Exit leaves through.
pub const EXIT_WORDS: [&str; 7] = [
    "door", "doorway", "exit", "hallway", "opening", "arch", "entrance",
];

/// What a navigator sees at one viewpoint; headings in radians, clockwise from `+y`.
#[derive(Clone, Debug, Default)]
pub struct View {
    /// Adjacent viewpoints and their absolute headings.
    pub candidates: Vec<(String, f64)>,
    /// Objects seen: label, absolute heading, distance in metres.
    pub objects: Vec<(String, f64, f64)>,
    /// One text per absolute 45° direction (direction `k` centred on `45k°`).
    pub directions: Vec<String>,
    /// The viewpoint's own text (where the agent is).
    pub here: String,
    /// Named regions (rooms) seen: name, absolute heading, distance in metres. Continuous
    /// scenes only; on graphs the direction texts describe what lies each way.
    pub regions: Vec<(String, f64, f64)>,
}

/// A navigator's decision at one viewpoint.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// Move to this adjacent viewpoint, and why.
    Move {
        /// The viewpoint.
        to: String,
        /// Why (for the step log).
        why: String,
    },
    /// The sub-task is done, and why.
    Done(String),
    /// The navigator gave up, and why.
    GaveUp(String),
}

/// Where a navigator stands in its sub-task.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Phase {
    /// Looking for the landmark and going to it.
    Approach,
    /// Going on: moves left, and the heading to keep.
    Onward(u32, f64),
}

/// One sub-task in progress.
#[derive(Clone, Debug)]
pub struct Navigator {
    kind: ActionKind,
    landmark: Landmark,
    phase: Phase,
    moves: u32,
    explored: u32,
    /// The heading of the last move.
    travel_rad: Option<f64>,
    /// Exit: whether the starting viewpoint's text named the room.
    started_inside: Option<bool>,
}

impl Navigator {
    /// A navigator for `kind` towards `landmark`.
    pub fn new(kind: ActionKind, landmark: &str) -> Self {
        Self {
            kind,
            landmark: Landmark::new(landmark),
            phase: Phase::Approach,
            moves: 0,
            explored: 0,
            travel_rad: None,
            started_inside: None,
        }
    }

    /// The action.
    pub fn kind(&self) -> ActionKind {
        self.kind
    }

    /// The next decision at `view`; `visits` counts the episode's visits per viewpoint.
    pub fn step(&mut self, view: &View, visits: &HashMap<String, u32>) -> Decision {
        if self.moves >= MAX_MOVES {
            return Decision::GaveUp(format!("{MAX_MOVES} moves without finishing"));
        }
        let decision = match self.kind {
            ActionKind::GoTo => self.go_to(view, visits, None),
            ActionKind::GoPast => self.go_to(view, visits, Some(PAST_MOVES)),
            ActionKind::GoThrough => self.go_to(view, visits, Some(THROUGH_MOVES)),
            ActionKind::GoInto => self.go_into(view, visits),
            ActionKind::Exit => self.exit(view, visits),
        };
        if let Decision::Move { to, .. } = &decision {
            self.moves += 1;
            self.travel_rad = heading_of(view, to).or(self.travel_rad);
        }
        decision
    }

    /// GoTo, then `onward` moves on when given (GoPast, GoThrough).
    fn go_to(
        &mut self,
        view: &View,
        visits: &HashMap<String, u32>,
        onward: Option<u32>,
    ) -> Decision {
        if let Phase::Onward(left, heading) = self.phase {
            return self.onward(view, visits, left, heading);
        }
        let Some((label, heading, dist)) = self.landmark.nearest(&view.objects) else {
            // GoThrough a room or region rather than an opening: into it, then on.
            if self.kind == ActionKind::GoThrough && self.landmark.named_in(&view.here) {
                let keep = self.travel_rad.unwrap_or(0.0);
                self.phase = Phase::Onward(THROUGH_MOVES, keep);
                return self.onward(view, visits, THROUGH_MOVES, keep);
            }
            if self.kind == ActionKind::GoThrough {
                return self.go_into(view, visits);
            }
            return self.explore(view, visits);
        };
        if dist <= REACH_M {
            let reached = format!("the {label} is {dist:.1} m away");
            return match onward {
                None => Decision::Done(reached),
                Some(n) => {
                    // GoThrough keeps straight on through the opening; GoPast keeps the way it came.
                    let keep = match self.kind {
                        ActionKind::GoPast => self.travel_rad.unwrap_or(heading),
                        _ => heading,
                    };
                    self.phase = Phase::Onward(n, keep);
                    self.onward(view, visits, n, keep)
                }
            };
        }
        match closest(view, heading, ALIGN_DEG, |_| true) {
            Some(to) => Decision::Move {
                why: format!("towards the {label}, {dist:.1} m away"),
                to,
            },
            None => Decision::Done(format!(
                "the {label} is {dist:.1} m away and no viewpoint leads towards it"
            )),
        }
    }

    fn onward(
        &mut self,
        view: &View,
        visits: &HashMap<String, u32>,
        left: u32,
        heading: f64,
    ) -> Decision {
        if left == 0 {
            return Decision::Done(format!("past {}", self.landmark.text));
        }
        match closest(view, heading, 90.0, |v| !visits.contains_key(v)) {
            Some(to) => {
                self.phase = Phase::Onward(left - 1, heading);
                Decision::Move {
                    why: format!("on beyond {}", self.landmark.text),
                    to,
                }
            }
            None => Decision::Done(format!(
                "at {}; no unvisited viewpoint leads on",
                self.landmark.text
            )),
        }
    }

    fn go_into(&mut self, view: &View, visits: &HashMap<String, u32>) -> Decision {
        if self.landmark.named_in(&view.here) {
            return Decision::Done(format!(
                "this viewpoint is described as in {}",
                self.landmark.text
            ));
        }
        let region = self
            .landmark
            .nearest(&view.regions)
            .and_then(|(_, heading, _)| closest(view, heading, ALIGN_DEG, |_| true));
        let seen = region.or_else(|| {
            view.directions
                .iter()
                .enumerate()
                .filter(|(_, text)| self.landmark.named_in(text))
                .find_map(|(k, _)| {
                    closest(view, (45.0 * k as f64).to_radians(), ALIGN_DEG, |_| true)
                })
        });
        match seen {
            Some(to) => Decision::Move {
                why: format!("towards {} seen that way", self.landmark.text),
                to,
            },
            None => self.explore(view, visits),
        }
    }

    fn exit(&mut self, view: &View, visits: &HashMap<String, u32>) -> Decision {
        let inside_now = self.landmark.named_in(&view.here);
        let started_inside = *self.started_inside.get_or_insert(inside_now);
        if started_inside && !inside_now && self.moves > 0 {
            return Decision::Done(format!("{} is no longer named here", self.landmark.text));
        }
        if let Phase::Onward(left, heading) = self.phase {
            if left == 0 || !started_inside {
                return Decision::Done(format!("through the way out of {}", self.landmark.text));
            }
            return self.onward(view, visits, left, heading);
        }
        let door = Landmark::any_of(&EXIT_WORDS);
        let Some((label, heading, dist)) = door.nearest(&view.objects) else {
            // No door seen: towards the nearest region seen that is not the one to leave.
            let elsewhere = view
                .regions
                .iter()
                .filter(|(name, _, _)| !self.landmark.named_in(name))
                .min_by(|a, b| a.2.total_cmp(&b.2))
                .and_then(|(name, heading, _)| {
                    closest(view, *heading, ALIGN_DEG, |_| true).map(|to| (name, to))
                });
            return match elsewhere {
                Some((name, to)) if started_inside => Decision::Move {
                    why: format!("towards the {name} to leave"),
                    to,
                },
                _ => self.explore(view, visits),
            };
        };
        if dist <= REACH_M {
            self.phase = Phase::Onward(THROUGH_MOVES, heading);
            return self.onward(view, visits, THROUGH_MOVES, heading);
        }
        match closest(view, heading, ALIGN_DEG, |_| true) {
            Some(to) => Decision::Move {
                why: format!("towards the {label}, {dist:.1} m away, to leave"),
                to,
            },
            None => self.explore(view, visits),
        }
    }

    /// An exploring move, or giving up after [`EXPLORE_MOVES`].
    fn explore(&mut self, view: &View, visits: &HashMap<String, u32>) -> Decision {
        if self.explored >= EXPLORE_MOVES {
            return Decision::GaveUp(format!(
                "{} not seen after {EXPLORE_MOVES} exploring moves",
                self.landmark.text
            ));
        }
        let ahead = self.travel_rad.unwrap_or(0.0);
        let to = closest(view, ahead, 180.0, |v| !visits.contains_key(v)).or_else(|| {
            view.candidates
                .iter()
                .min_by_key(|(v, _)| visits.get(v).copied().unwrap_or(0))
                .map(|(v, _)| v.clone())
        });
        match to {
            Some(to) => {
                self.explored += 1;
                Decision::Move {
                    why: format!("exploring for {}", self.landmark.text),
                    to,
                }
            }
            None => Decision::GaveUp("no viewpoint to move to".into()),
        }
    }
}

/// The heading of adjacent viewpoint `to`.
fn heading_of(view: &View, to: &str) -> Option<f64> {
    view.candidates
        .iter()
        .find(|(v, _)| v == to)
        .map(|(_, h)| *h)
}

/// The adjacent viewpoint (among those `allowed`) whose heading is closest to `heading_rad`,
/// within `limit_deg`; ties to the first listed.
fn closest(
    view: &View,
    heading_rad: f64,
    limit_deg: f64,
    allowed: impl Fn(&str) -> bool,
) -> Option<String> {
    view.candidates
        .iter()
        .filter(|(v, _)| allowed(v))
        .map(|(v, h)| (v, angle_between(*h, heading_rad)))
        .filter(|(_, a)| *a <= limit_deg.to_radians() + 1e-9)
        .fold(None, |best: Option<(&String, f64)>, (v, a)| match best {
            Some((_, b)) if b <= a => best,
            _ => Some((v, a)),
        })
        .map(|(v, _)| v.clone())
}

/// The absolute angle between two headings, in `[0, π]`.
fn angle_between(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(std::f64::consts::TAU);
    d.min(std::f64::consts::TAU - d)
}

/// A landmark as matched against labels and texts: its last content word, or, when that is a
/// generic place noun ([`GENERIC_PLACES`]) after another word, those two words together
/// ("dining room" is not "living room").
#[derive(Clone, Debug)]
struct Landmark {
    /// As written.
    text: String,
    /// The word sequences any of which identifies it.
    heads: Vec<Vec<String>>,
}

/// Place nouns too generic to name a landmark alone when a word qualifies them.
const GENERIC_PLACES: [&str; 2] = ["room", "area"];

impl Landmark {
    fn new(text: &str) -> Self {
        let words = words(text);
        let last = words
            .iter()
            .rposition(|w| !STOP_WORDS.contains(&w.as_str()));
        let head = match last {
            Some(i)
                if i > 0
                    && GENERIC_PLACES.contains(&words[i].as_str())
                    && !STOP_WORDS.contains(&words[i - 1].as_str()) =>
            {
                words[i - 1..=i].to_vec()
            }
            Some(i) => vec![words[i].clone()],
            None => Vec::new(),
        };
        Self {
            text: text.trim().to_string(),
            heads: vec![head].into_iter().filter(|h| !h.is_empty()).collect(),
        }
    }

    fn any_of(heads: &[&str]) -> Self {
        Self {
            text: heads.first().copied().unwrap_or_default().to_string(),
            heads: heads.iter().map(|h| vec![singular(h)]).collect(),
        }
    }

    /// Whether `text` names the landmark.
    fn named_in(&self, text: &str) -> bool {
        let words = words(text);
        self.heads
            .iter()
            .any(|h| words.windows(h.len()).any(|w| w == h.as_slice()))
    }

    /// The nearest object whose label names the landmark: label, heading, distance.
    fn nearest(&self, objects: &[(String, f64, f64)]) -> Option<(String, f64, f64)> {
        objects
            .iter()
            .filter(|(label, _, _)| self.named_in(label))
            .fold(None, |best: Option<&(String, f64, f64)>, o| match best {
                Some(b) if b.2 <= o.2 => best,
                _ => Some(o),
            })
            .cloned()
    }
}

/// Words dropped before taking a landmark's head.
const STOP_WORDS: [&str; 8] = ["the", "a", "an", "of", "to", "your", "that", "this"];

/// Lower-case words of `text`, underscores and digits as separators, plurals made singular,
/// the Arabic article `ال` dropped.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(singular)
        .collect()
}

fn singular(word: &str) -> String {
    let word = word
        .strip_prefix("ال")
        .filter(|w| !w.is_empty())
        .unwrap_or(word);
    match word.strip_suffix('s') {
        Some(stem) if stem.len() > 2 && !stem.ends_with('s') => stem.to_string(),
        _ => word.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A corridor of viewpoints `v0 … v5` along heading 0 (north); `at` is where the agent
    /// stands; objects are placed by their distance ahead (negative: behind).
    fn corridor(at: usize, objects: &[(&str, f64)]) -> View {
        let mut candidates = Vec::new();
        if at > 0 {
            candidates.push((format!("v{}", at - 1), std::f64::consts::PI));
        }
        if at < 5 {
            candidates.push((format!("v{}", at + 1), 0.0));
        }
        View {
            candidates,
            objects: objects
                .iter()
                .map(|&(label, ahead)| {
                    let heading = if ahead >= 0.0 {
                        0.0
                    } else {
                        std::f64::consts::PI
                    };
                    (label.to_string(), heading, ahead.abs())
                })
                .collect(),
            directions: vec![String::new(); 8],
            ..View::default()
        }
    }

    /// Runs `navigator` along the corridor from `v0`, the sofa `sofa_at` metres from `v0`
    /// (viewpoints 2 m apart); the viewpoints visited and how it ended.
    fn walk(mut navigator: Navigator, sofa_at: f64) -> (Vec<usize>, Decision) {
        let mut at = 0;
        let mut visits = HashMap::from([("v0".to_string(), 1)]);
        let mut path = vec![0];
        loop {
            let ahead = sofa_at - 2.0 * at as f64;
            let view = corridor(at, &[("sofa", ahead), ("lamp_2", 9.0)]);
            match navigator.step(&view, &visits) {
                Decision::Move { to, .. } => {
                    at = to[1..].parse().unwrap();
                    *visits.entry(to).or_default() += 1;
                    path.push(at);
                }
                end => return (path, end),
            }
        }
    }

    #[test]
    fn go_to_stops_within_reach_of_the_landmark() {
        let (path, end) = walk(Navigator::new(ActionKind::GoTo, "the sofa"), 6.5);
        assert_eq!(path, [0, 1, 2, 3]);
        assert!(
            matches!(end, Decision::Done(ref why) if why.contains("0.5 m")),
            "{end:?}"
        );
    }

    #[test]
    fn go_past_ends_beyond_the_landmark() {
        let (path, end) = walk(Navigator::new(ActionKind::GoPast, "sofas"), 6.5);
        assert_eq!(path, [0, 1, 2, 3, 4, 5]);
        assert!(matches!(end, Decision::Done(_)), "{end:?}");
        // Beyond: the sofa (6.5 m along) is now behind the agent.
        assert!(2.0 * path[path.len() - 1] as f64 > 6.5);
    }

    #[test]
    fn a_landmark_never_seen_is_given_up_after_exploring() {
        let mut navigator = Navigator::new(ActionKind::GoTo, "piano");
        let (path, end) = walk(navigator.clone(), 6.5);
        // To the corridor's end, then back to the least visited.
        assert_eq!(path, [0, 1, 2, 3, 4, 5, 4]);
        assert_eq!(path.len() as u32, 1 + EXPLORE_MOVES);
        assert!(matches!(end, Decision::GaveUp(_)), "{end:?}");
        // In an open graph the limit is EXPLORE_MOVES.
        let ring = |i: usize| View {
            candidates: vec![(format!("r{}", i + 1), 0.0)],
            ..View::default()
        };
        let mut visits = HashMap::new();
        let mut moves = 0;
        for i in 0.. {
            match navigator.step(&ring(i), &visits) {
                Decision::Move { to, .. } => {
                    visits.insert(to, 1);
                    moves += 1;
                }
                Decision::GaveUp(why) => {
                    assert!(why.contains("piano"), "{why}");
                    break;
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(moves, EXPLORE_MOVES);
    }

    #[test]
    fn go_into_and_exit_follow_the_viewpoints_descriptions() {
        // Two rooms: k0 (kitchen, with a door ahead 1 m) and h1 (hallway) north of it.
        let kitchen = View {
            candidates: vec![("h1".into(), 0.0)],
            objects: vec![("door".into(), 0.0, 1.0)],
            directions: vec![
                "a hallway with a rug".into(),
                String::new(),
                String::new(),
                String::new(),
                "a stove".into(),
                String::new(),
                String::new(),
                String::new(),
            ],
            here: "a kitchen with a stove".into(),
            ..View::default()
        };
        let hallway = View {
            candidates: vec![("k0".into(), std::f64::consts::PI), ("h2".into(), 0.0)],
            objects: vec![],
            directions: vec![String::new(); 8],
            here: "a long hallway".into(),
            ..View::default()
        };
        let mut visits = HashMap::from([("k0".to_string(), 1)]);
        let mut into = Navigator::new(ActionKind::GoInto, "the hallway");
        assert_eq!(
            into.step(&kitchen, &visits),
            Decision::Move {
                to: "h1".into(),
                why: "towards the hallway seen that way".into()
            }
        );
        assert!(matches!(into.step(&hallway, &visits), Decision::Done(_)));
        let mut exit = Navigator::new(ActionKind::Exit, "kitchen");
        assert!(
            matches!(exit.step(&kitchen, &visits), Decision::Move { ref to, .. } if to == "h1")
        );
        visits.insert("h1".into(), 1);
        assert!(
            matches!(exit.step(&hallway, &visits), Decision::Done(ref why) if why.contains("no longer"))
        );
    }

    #[test]
    fn regions_seen_lead_into_a_room_and_out_of_one() {
        use std::f64::consts::FRAC_PI_2;
        // In the bedroom: the bathroom is seen east 3 m away, the office west 2 m away.
        let bedroom = View {
            candidates: vec![("e".into(), FRAC_PI_2), ("w".into(), 3.0 * FRAC_PI_2)],
            regions: vec![
                ("bedroom".into(), 0.0, 0.5),
                ("bathroom".into(), FRAC_PI_2, 3.0),
                ("office".into(), 3.0 * FRAC_PI_2, 2.0),
            ],
            here: "bedroom".into(),
            ..View::default()
        };
        let visits = HashMap::new();
        let mut into = Navigator::new(ActionKind::GoInto, "the bathroom");
        assert_eq!(
            into.step(&bedroom, &visits),
            Decision::Move {
                to: "e".into(),
                why: "towards the bathroom seen that way".into()
            }
        );
        // Exit goes to the nearest other room seen, and is done once out.
        let mut exit = Navigator::new(ActionKind::Exit, "the bedroom");
        assert_eq!(
            exit.step(&bedroom, &visits),
            Decision::Move {
                to: "w".into(),
                why: "towards the office to leave".into()
            }
        );
        let office = View {
            here: "office".into(),
            ..bedroom.clone()
        };
        assert!(matches!(exit.step(&office, &visits), Decision::Done(_)));
        assert!(matches!(into.step(&office, &visits), Decision::Move { .. }));
    }

    #[test]
    fn landmarks_match_by_their_head_word() {
        let sofa = Landmark::new("the big Sofa");
        assert!(sofa.named_in("sofa_1"));
        assert!(sofa.named_in("two sofas"));
        assert!(!sofa.named_in("sofabed"));
        assert!(Landmark::new("المطبخ").named_in("مطبخ واسع"));
        let dining = Landmark::new("the dining room");
        assert!(dining.named_in("dining room") && !dining.named_in("living room"));
        assert!(Landmark::new("the room").named_in("living room"));
        assert!((angle_between(0.1, std::f64::consts::TAU - 0.1) - 0.2).abs() < 1e-12);
    }
}
