//! NavGPT's observation text: a viewpoint described in eight directions relative to the agent's
//! heading (NavGPT's `modify_heading_angles`), its angle helpers, and the observation and history
//! strings NavGPT builds around that text.
//!
//! Everything here reproduces NavGPT's Python output byte for byte, including its float
//! formatting (`:.2f`), its floor division and its dict/list `repr`s.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

use crate::pyrepr::{repr_dict, repr_list};

/// What NavGPT knows of one viewpoint, in the absolute frame.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewpointText {
    /// One caption per absolute 45° sector k (headings 45k − 22.5° to 45k + 22.5°).
    pub captions: [String; 8],
    /// Objects per absolute sector, in file order: label, absolute heading in degrees, distance in metres.
    pub objects: [Vec<SeenObject>; 8],
    /// The one-sentence summary of the viewpoint (history entries use it).
    pub summary: String,
    /// Navigable viewpoints, in file order.
    pub candidates: Vec<NavigableViewpoint>,
}

/// An object detected around a viewpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct SeenObject {
    /// The label as written in the data (may carry trailing spaces or `_1` suffixes).
    pub label: String,
    /// Absolute heading in degrees.
    pub heading_deg: f64,
    /// Distance from the viewpoint in metres.
    pub distance_m: f64,
}

/// A viewpoint reachable in one step.
#[derive(Clone, Debug, PartialEq)]
pub struct NavigableViewpoint {
    /// The viewpoint id.
    pub viewpoint: String,
    /// Absolute heading towards it in radians (the agent's heading after moving there).
    pub heading_rad: f64,
    /// Elevation towards it in radians.
    pub elevation_rad: f64,
    /// Distance in metres.
    pub distance_m: f64,
}

// NavGPT's eight directions, clockwise from the agent's front: the renderer's sector names.
use waymark_core::sensors::SECTOR_NAMES as DIRECTIONS;

/// Radians to degrees exactly as `numpy.rad2deg` computes it (`x * (180 / π)`), so that printed
/// angles, and ties such as `right 180.00`, match NavGPT to the last bit.
pub fn rad2deg(x: f64) -> f64 {
    x * (180.0 / std::f64::consts::PI)
}

/// Brings an angle in degrees into (-180, 180] by NavGPT's repeated ±360 steps.
///
/// Non-finite input is returned unchanged, and magnitudes above 10⁶ are first reduced with `%`
/// (NavGPT's loops would never end for infinities or for floats too large to change by 360).
pub fn normalize_angle_deg(a: f64) -> f64 {
    if !a.is_finite() {
        return a;
    }
    let mut a = if a.abs() > 1.0e6 { a % 360.0 } else { a };
    while a > 180.0 {
        a -= 360.0;
    }
    while a <= -180.0 {
        a += 360.0;
    }
    a
}

/// `left X.XX` for negative angles, `right X.XX` otherwise (so `0` is `right 0.00` and `-0.0` is
/// `right -0.00`, as in Python).
pub fn left_right(a: f64) -> String {
    if a < 0.0 {
        format!("left {}", fixed2(-a))
    } else {
        format!("right {}", fixed2(a))
    }
}

/// Python's `format(x, '.2f')`. Rust's `{:.2}` rounds the exact binary value half to even and
/// keeps the sign of `-0.0` just as Python does; only the non-finite spellings differ.
fn fixed2(x: f64) -> String {
    if x.is_nan() {
        "nan".to_string()
    } else if x.is_infinite() {
        if x > 0.0 { "inf" } else { "-inf" }.to_string()
    } else {
        format!("{x:.2}")
    }
}

/// CPython's float floor division `a // b` (fmod-based, snapped to the nearest integer), which
/// can differ from `(a / b).floor()` right at sector boundaries.
fn py_floordiv(a: f64, b: f64) -> f64 {
    let m = a % b;
    let mut div = (a - m) / b;
    if m != 0.0 && ((b < 0.0) != (m < 0.0)) {
        div -= 1.0;
    }
    if div == 0.0 {
        return 0.0_f64.copysign(a / b);
    }
    let floor = div.floor();
    if div - floor > 0.5 {
        floor + 1.0
    } else {
        floor
    }
}

/// NavGPT's sector number `int((deg - 22.5) // 45) + 1` for an absolute heading in degrees. It is
/// not reduced mod 8: headings ≥ 337.5° give 8, headings below −22.5° give −1.
fn sector_of(deg: f64) -> i64 {
    // `as` saturates (and maps NaN to 0) where Python would raise; real headings are small.
    py_floordiv(deg - 22.5, 45.0) as i64 + 1
}

/// Python `dict[key] = value` on an insertion-ordered list: a repeated key keeps its first place.
fn dict_insert(items: &mut Vec<(String, String)>, key: &str, value: String) {
    match items.iter_mut().find(|(k, _)| k == key) {
        Some(entry) => entry.1 = value,
        None => items.push((key.to_string(), value)),
    }
}

/// `<left|right> X.XX, D.DDm`: a relative heading and a distance, as NavGPT lists them.
fn bearing(rel_deg: f64, distance_m: f64) -> String {
    format!(
        "{}, {}m",
        left_right(normalize_angle_deg(rel_deg)),
        fixed2(distance_m)
    )
}

/// The 32-line description (four lines per direction) of a viewpoint seen from `heading_rad` (NavGPT's
/// `modify_heading_angles`): for each of the eight directions, its angular range, caption, objects
/// and navigable viewpoints. No trailing newline.
///
/// With `show_all_candidates` false this is NavGPT's exact output, in which a candidate whose
/// absolute heading is at least 337.5° (or below −22.5°) is never listed. With it true, candidates
/// are bucketed by their sector mod 8, so they appear under the direction they lie in.
pub fn sectors_text(heading_rad: f64, vp: &ViewpointText, show_all_candidates: bool) -> String {
    let heading = rad2deg(heading_rad);

    let mut buckets: [Vec<(String, String)>; 8] = Default::default();
    for cand in &vp.candidates {
        let cand_heading = rad2deg(cand.heading_rad);
        let sector = sector_of(cand_heading);
        // NavGPT reduces the agent's sector mod 8 but not the candidate's, and looks buckets up
        // with 0..8 only; sectors 8 and -1 are therefore silently dropped.
        let sector = if show_all_candidates {
            sector.rem_euclid(8)
        } else {
            sector
        };
        let Some(bucket) = usize::try_from(sector)
            .ok()
            .and_then(|s| buckets.get_mut(s))
        else {
            continue;
        };
        let text = bearing(cand_heading - heading, cand.distance_m);
        dict_insert(bucket, &cand.viewpoint, text);
    }

    let first = sector_of(heading).rem_euclid(8) as usize;
    let mut parts = Vec::with_capacity(8);
    for (i, direction) in DIRECTIONS.iter().enumerate() {
        let idx = (first + i) % 8;
        let centre = 45.0 * idx as f64;
        // Not centred on 0 unless the heading is a multiple of 45°: NavGPT's ranges are the fixed
        // absolute sectors, shifted by the heading.
        let from = left_right(normalize_angle_deg(centre - 22.5 - heading));
        let to = left_right(normalize_angle_deg(centre + 22.5 - heading));
        // The caption is quoted by concatenation, not repr, and the header keeps NavGPT's space
        // before the newline.
        let mut part = format!(
            "{direction}, range ({from} to {to}): \n'{}'",
            vp.captions[idx]
        );

        let objects = &vp.objects[idx];
        if objects.is_empty() {
            part.push_str(&format!("\n{direction} Objects in 3m: None"));
        } else {
            let mut items = Vec::with_capacity(objects.len());
            for obj in objects {
                dict_insert(
                    &mut items,
                    &obj.label,
                    bearing(obj.heading_deg - heading, obj.distance_m),
                );
            }
            part.push_str(&format!(
                "\n{direction} Objects in 3m: {}",
                repr_dict(&items)
            ));
        }

        // NavGPT writes no space after the colon when there are viewpoints, one before `None`.
        let cands = &buckets[idx];
        if cands.is_empty() {
            part.push_str(&format!("\n{direction} Navigable Viewpoints: None"));
        } else {
            part.push_str(&format!(
                "\n{direction} Navigable Viewpoints:{}",
                repr_dict(cands)
            ));
        }
        parts.push(part);
    }
    parts.join("\n")
}

/// The history line for a move: `Turn heading direction X.XX degrees from A to B.`, where the turn
/// is the raw difference of the absolute headings in degrees (NavGPT does not normalise it, so
/// values like `-344.60` occur) and `A`, `B` are the normalised headings in left/right form.
pub fn turn_description(from_heading_rad: f64, to_heading_rad: f64) -> String {
    let from = rad2deg(from_heading_rad);
    let to = rad2deg(to_heading_rad);
    format!(
        "Turn heading direction {} degrees from {} to {}.",
        fixed2(to - from),
        left_right(normalize_angle_deg(from)),
        left_right(normalize_angle_deg(to))
    )
}

/// The initial observation of an episode (first LLM call): a newline, a tab, `Current Viewpoint:`
/// and the sector text.
pub fn init_observation(sectors: &str) -> String {
    format!("\n\tCurrent Viewpoint:\n{sectors}")
}

/// The `action_maker` observation after a move to `viewpoint` (no tab, unlike the initial one).
pub fn move_observation(viewpoint: &str, sectors: &str) -> String {
    format!("\nCurrent Viewpoint \"{viewpoint}\":\n{sectors}")
}

/// The `action_maker` observation for an id that is not a viewpoint of the scan: the agent stays,
/// and all current candidate ids are listed (including any the sector text hides).
pub fn invalid_viewpoint_observation(id: &str, candidate_ids: &[String], sectors: &str) -> String {
    format!(
        "\nViewpointID '{id}' is not valid, agent not moved. DO NOT fabricate nonexistent IDs. \
         The navigable viewpoints you can choose from current viewpoints are: {}.\n\tCurrent Viewpoint:\n{sectors}",
        repr_list(candidate_ids)
    )
}

/// History entry 0: the start viewpoint and its summary.
pub fn history_start(viewpoint: &str, summary: &str) -> String {
    format!(
        "Navigation start, no actions taken yet.\nCurrent viewpoint \"{viewpoint}\": Scene from the viewpoint is a {summary}"
    )
}

/// History entry for a move: the turn description, then the new viewpoint and its summary.
pub fn history_move(turn: &str, viewpoint: &str, summary: &str) -> String {
    format!("{turn}\nCurrent viewpoint \"{viewpoint}\": Scene from the viewpoint is a {summary}")
}

/// History entry for an id that is not a viewpoint of the scan.
pub fn history_invalid(id: &str) -> String {
    format!("ViewpointID \"{id}\" is not valid, no action taken for the agent.")
}

/// A JSON object with its entries in file order, as Python's `json.load` keeps them.
///
/// NavGPT iterates its JSON dicts in file order, and that order shows in the prompts; a repeated
/// key keeps its first position and takes its last value, as in a Python dict.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderedMap<T>(pub Vec<(String, T)>);

impl<T> OrderedMap<T> {
    /// The value for `key` (linear search).
    pub fn get(&self, key: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The keys in file order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OrderedMap<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(OrderedMapVisitor(PhantomData))
    }
}

struct OrderedMapVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OrderedMapVisitor<T> {
    type Value = OrderedMap<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries: Vec<(String, T)> = Vec::with_capacity(map.size_hint().unwrap_or(0));
        let mut index: HashMap<String, usize> = HashMap::new();
        while let Some((key, value)) = map.next_entry::<String, T>()? {
            match index.get(&key) {
                Some(&i) => entries[i].1 = value,
                None => {
                    index.insert(key.clone(), entries.len());
                    entries.push((key, value));
                }
            }
        }
        Ok(OrderedMap(entries))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde::Deserialize;
    use std::path::PathBuf;

    // Outputs of NavGPT's own `modify_heading_angles` on the real data (spec §2.6 and A.3).
    pub(crate) const WORKED_START: &[&str] = &[
        "Front, range (left 25.54 to right 19.46): ",
        "'A bedroom with a bed, dresser, wooden door, ceiling fan with light, and a view from top, down, and middle.'",
        "Front Objects in 3m: None",
        "Front Navigable Viewpoints:{'545da9c1d46243758c2f904ff4812ab0': 'right 15.41, 1.13m'}",
        "Front Right, range (right 19.46 to right 64.46): ",
        "'The scene depicts a bedroom with a bed, dresser, bedside table, ceiling fan with lights, and a light switch.'",
        "Front Right Objects in 3m: None",
        "Front Right Navigable Viewpoints: None",
        "Right, range (right 64.46 to right 109.46): ",
        "'A room with a television mounted on the wall, containing a small office with a TV and plant, and a small carpeted room with a plant.'",
        "Right Objects in 3m: {'painter': 'right 88.92, 1.90m'}",
        "Right Navigable Viewpoints:{'0454f54d1be8466ba4760bc4ca275f43': 'right 69.22, 1.68m'}",
        "Rear Right, range (right 109.46 to right 154.46): ",
        "'A wooden door with a brown handle is shown in close-up from different angles.'",
        "Rear Right Objects in 3m: {'painter': 'right 115.11, 1.90m'}",
        "Rear Right Navigable Viewpoints: None",
        "Rear, range (right 154.46 to left 160.54): ",
        "'The scene depicts a bathroom with a toilet, sink, mirror, ceiling fan, and light.'",
        "Rear Objects in 3m: None",
        "Rear Navigable Viewpoints: None",
        "Rear Left, range (left 160.54 to left 115.54): ",
        "'A bathroom with a wooden door, sink, mirror, and light fixture.'",
        "Rear Left Objects in 3m: None",
        "Rear Left Navigable Viewpoints:{'0bda68aefc4347a1bf992849bd7a616a': 'left 158.41, 1.26m'}",
        "Left, range (left 115.54 to left 70.54): ",
        "'A bathroom with a yellow wall, white sink, toilet, and clock.'",
        "Left Objects in 3m: None",
        "Left Navigable Viewpoints: None",
        "Front Left, range (left 70.54 to left 25.54): ",
        "'A room with a white wall, a black chair, a white TV, and a light shining on the wall.'",
        "Front Left Objects in 3m: None",
        "Front Left Navigable Viewpoints: None",
    ];

    const WORKED_MOVE: &[&str] = &[
        "Front, range (left 40.95 to right 4.05): ",
        "'The scene depicts a bedroom with a bed and nightstand, featuring a wooden door, and situated above a bathroom with a light fixture.'",
        "Front Objects in 3m: {'fan': 'left 11.56, 1.63m'}",
        "Front Navigable Viewpoints:{'a93a97e5e78946438c199367964bd080': 'left 14.66, 1.18m'}",
        "Front Right, range (right 4.05 to right 49.05): ",
        "'A bedroom with a grey bed and pillows, a window, and a ceiling fan with a light.'",
        "Front Right Objects in 3m: {'fan': 'right 29.06, 1.63m'}",
        "Front Right Navigable Viewpoints: None",
        "Right, range (right 49.05 to right 94.05): ",
        "'A bedroom with a bed, bedside table, plant, ceiling fan with light, and window.'",
        "Right Objects in 3m: {'fan': 'right 76.99, 1.63m'}",
        "Right Navigable Viewpoints: None",
        "Rear Right, range (right 94.05 to right 139.05): ",
        "'A room with a television mounted on the wall and a plant in the background.'",
        "Rear Right Objects in 3m: None",
        "Rear Right Navigable Viewpoints:{'0454f54d1be8466ba4760bc4ca275f43': 'right 95.91, 1.36m'}",
        "Rear, range (right 139.05 to left 175.95): ",
        "'The scene depicts a bathroom with a sink, mirror, and doorway.'",
        "Rear Objects in 3m: None",
        "Rear Navigable Viewpoints:{'c8a5472a5ef243319ffa4f88d3ddb4bd': 'right 180.00, 1.13m'}",
        "Rear Left, range (left 175.95 to left 130.95): ",
        "'A bathroom with a brown door and carpet, a mirror, sink, and wall.'",
        "Rear Left Objects in 3m: None",
        "Rear Left Navigable Viewpoints: None",
        "Left, range (left 130.95 to left 85.95): ",
        "'A man is sitting on a bench with a laptop while a white plate with a cup on it sits below and a light shines on a white wall above.'",
        "Left Objects in 3m: None",
        "Left Navigable Viewpoints: None",
        "Front Left, range (left 85.95 to left 40.95): ",
        "'A hallway with a door and a doorway leads to a room with two doors, while above it is a bathroom with a light and a mirror.'",
        "Front Left Objects in 3m: None",
        "Front Left Navigable Viewpoints: None",
    ];

    const HIDDEN_CANDIDATE: &[&str] = &[
        "Front, range (left 22.50 to right 22.50): ",
        "'The scene depicts a small office with a desk, chairs, and a table, situated under a brick ceiling with a blue wall and a staircase leading up.'",
        "Front Objects in 3m: {'office table ': 'right 16.55, 1.83m', 'office chair ': 'right 14.88, 1.72m'}",
        "Front Navigable Viewpoints: None",
        "Front Right, range (right 22.50 to right 67.50): ",
        "'A room with tables, chairs, and a desk is illuminated by lights on a brick ceiling and surrounded by brick walls.'",
        "Front Right Objects in 3m: {'office table ': 'right 46.22, 1.83m', 'office chair _1': 'right 59.30, 1.80m', 'office chair _2': 'right 43.80, 1.72m'}",
        "Front Right Navigable Viewpoints: None",
        "Right, range (right 67.50 to right 112.50): ",
        "'A room with ping pong tables and chairs also contains a table with books and a laptop, while the top view reveals a stone wall and arches.'",
        "Right Objects in 3m: {'office table ': 'right 84.68, 1.83m', 'office chair _1': 'right 96.09, 1.80m', 'office chair _2': 'right 78.89, 1.72m'}",
        "Right Navigable Viewpoints:{'7856a3d706f7400bbdbd8410d40f832b': 'right 90.81, 1.99m'}",
        "Rear Right, range (right 112.50 to right 157.50): ",
        "'A suitcase sits on a wooden box in a room with a poster hanging on the wall, while a picture is displayed on a stone wall from above.'",
        "Rear Right Objects in 3m: {'office table ': 'right 116.06, 1.83m'}",
        "Rear Right Navigable Viewpoints: None",
        "Rear, range (right 157.50 to left 157.50): ",
        "'A room with a tripod, microphone stand, pipe hanging on a wall, and wire hanging from a wall.'",
        "Rear Objects in 3m: None",
        "Rear Navigable Viewpoints: None",
        "Rear Left, range (left 157.50 to left 112.50): ",
        "'The scene depicts a small room with two speakers, a machine with a monitor and computer, and a room with a metal railing and ladder.'",
        "Rear Left Objects in 3m: None",
        "Rear Left Navigable Viewpoints: None",
        "Left, range (left 112.50 to left 67.50): ",
        "'A scene in an office with a white table, a white board, and a bicycle hanging on a railing.'",
        "Left Objects in 3m: None",
        "Left Navigable Viewpoints: None",
        "Front Left, range (left 67.50 to left 22.50): ",
        "'A room with a desk and bookcase has a bicycle hanging from the ceiling, while a store with a concrete floor has a bookcase.'",
        "Front Left Objects in 3m: None",
        "Front Left Navigable Viewpoints:{'ca6802bef7144bad9d5d1924dada9d9e': 'left 28.10, 3.96m', 'b6adc65d8f474cb5936220f90648b958': 'left 51.50, 1.94m'}",
    ];
    /// `$WAYMARK_REAL_DATA/r2r/navgpt`, or `None` (with a note) when the variable is unset
    /// (a panic under CI).
    fn navgpt_dir(test: &str) -> Option<PathBuf> {
        waymark_io::test_env::require("WAYMARK_REAL_DATA", test)
            .map(|root| PathBuf::from(root).join("r2r").join("navgpt"))
    }

    #[derive(Deserialize)]
    struct Candidate {
        heading: f64,
        elevation: f64,
        distance: f64,
    }

    #[derive(Deserialize)]
    struct Object {
        heading: f64,
        distance: f64,
    }

    /// One scan's NavGPT files, read in file order.
    struct Scan {
        navigable: OrderedMap<OrderedMap<Candidate>>,
        objects: OrderedMap<Vec<OrderedMap<Object>>>,
        captions: OrderedMap<Vec<String>>,
        summaries: OrderedMap<String>,
    }

    fn read<T: for<'de> Deserialize<'de>>(path: PathBuf) -> T {
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad {}: {e}", path.display()))
    }

    impl Scan {
        fn load(dir: &std::path::Path, scan: &str) -> Self {
            Scan {
                navigable: read(dir.join(format!("navigable/{scan}_navigable.json"))),
                objects: read(dir.join(format!("objects_list/{scan}.json"))),
                captions: read(dir.join(format!("observations_list_summarized/{scan}.json"))),
                summaries: read(
                    dir.join(format!("observations_summarized/{scan}_summarized.json")),
                ),
            }
        }

        fn viewpoint(&self, vp: &str) -> ViewpointText {
            let captions: Vec<String> = self.captions.get(vp).unwrap().clone();
            let objects: Vec<Vec<SeenObject>> = self
                .objects
                .get(vp)
                .unwrap()
                .iter()
                .map(|sector| {
                    sector
                        .0
                        .iter()
                        .map(|(label, o)| SeenObject {
                            label: label.clone(),
                            heading_deg: o.heading,
                            distance_m: o.distance,
                        })
                        .collect()
                })
                .collect();
            ViewpointText {
                captions: captions.try_into().unwrap(),
                objects: objects.try_into().unwrap(),
                summary: self.summaries.get(vp).unwrap().clone(),
                candidates: self
                    .navigable
                    .get(vp)
                    .unwrap()
                    .0
                    .iter()
                    .map(|(id, c)| NavigableViewpoint {
                        viewpoint: id.clone(),
                        heading_rad: c.heading,
                        elevation_rad: c.elevation,
                        distance_m: c.distance,
                    })
                    .collect(),
            }
        }
    }

    const START: &str = "c8a5472a5ef243319ffa4f88d3ddb4bd";
    const NEXT: &str = "545da9c1d46243758c2f904ff4812ab0";

    #[test]
    fn worked_example_start_observation() {
        let Some(dir) = navgpt_dir("worked_example_start_observation") else {
            return;
        };
        let scan = Scan::load(&dir, "vyrNrziPKCB");
        let vp = scan.viewpoint(START);
        let text = init_observation(&sectors_text(0.053, &vp, false));
        let expected = format!("\n\tCurrent Viewpoint:\n{}", WORKED_START.join("\n"));
        assert_eq!(text, expected);
        assert_eq!(text.chars().count(), 1853);
        // No candidate of this viewpoint lies at 337.5° or beyond: the fix changes nothing.
        assert_eq!(sectors_text(0.053, &vp, true), WORKED_START.join("\n"));
        assert_eq!(
            history_start(START, &vp.summary),
            "Navigation start, no actions taken yet.\nCurrent viewpoint \"c8a5472a5ef243319ffa4f88d3ddb4bd\": \
             Scene from the viewpoint is a view of a bedroom, small office, bathroom, and white-walled room \
             with various furniture and fixtures."
        );
    }

    #[test]
    fn worked_example_move() {
        let Some(dir) = navgpt_dir("worked_example_move") else {
            return;
        };
        let scan = Scan::load(&dir, "vyrNrziPKCB");
        let start = scan.viewpoint(START);
        let step = start
            .candidates
            .iter()
            .find(|c| c.viewpoint == NEXT)
            .unwrap();
        let vp = scan.viewpoint(NEXT);
        let sectors = sectors_text(step.heading_rad, &vp, false);
        let expected = format!(
            "\nCurrent Viewpoint \"{NEXT}\":\n{}",
            WORKED_MOVE.join("\n")
        );
        assert_eq!(move_observation(NEXT, &sectors), expected);
        assert_eq!(expected.chars().count(), 1932);

        let turn = turn_description(0.053, step.heading_rad);
        assert_eq!(
            turn,
            "Turn heading direction 15.41 degrees from right 3.04 to right 18.45."
        );
        let history = history_move(&turn, NEXT, &vp.summary);
        assert_eq!(
            history,
            "Turn heading direction 15.41 degrees from right 3.04 to right 18.45.\n\
             Current viewpoint \"545da9c1d46243758c2f904ff4812ab0\": Scene from the viewpoint is a bedroom \
             and bathroom with various furniture and decor, including a bed, nightstand, window, ceiling \
             fan, TV, sink, mirror, and plants."
        );
        assert_eq!(history.chars().count(), 287);

        let ids: Vec<String> = vp.candidates.iter().map(|c| c.viewpoint.clone()).collect();
        let invalid =
            invalid_viewpoint_observation("0123456789abcdef0123456789abcdef", &ids, &sectors);
        assert_eq!(
            invalid,
            format!(
                "\nViewpointID '0123456789abcdef0123456789abcdef' is not valid, agent not moved. DO NOT \
                 fabricate nonexistent IDs. The navigable viewpoints you can choose from current viewpoints \
                 are: ['a93a97e5e78946438c199367964bd080', '0454f54d1be8466ba4760bc4ca275f43', \
                 'c8a5472a5ef243319ffa4f88d3ddb4bd'].\n\tCurrent Viewpoint:\n{}",
                WORKED_MOVE.join("\n")
            )
        );
        assert_eq!(
            history_invalid("0123456789abcdef0123456789abcdef"),
            "ViewpointID \"0123456789abcdef0123456789abcdef\" is not valid, no action taken for the agent."
        );
    }

    #[test]
    fn hidden_candidate_real_data() {
        let Some(dir) = navgpt_dir("hidden_candidate_real_data") else {
            return;
        };
        let scan = Scan::load(&dir, "ZMojNkEp431");
        let vp = scan.viewpoint("85541431cbaf4053af5fde8bcebc4d92");
        assert_eq!(sectors_text(0.0, &vp, false), HIDDEN_CANDIDATE.join("\n"));

        let mut fixed: Vec<&str> = HIDDEN_CANDIDATE.to_vec();
        assert_eq!(fixed[3], "Front Navigable Viewpoints: None");
        fixed[3] =
            "Front Navigable Viewpoints:{'ba985dab6c6c4e9793362db986a1adab': 'left 15.17, 2.67m'}";
        assert_eq!(sectors_text(0.0, &vp, true), fixed.join("\n"));
    }

    fn synthetic() -> ViewpointText {
        let objects: [Vec<SeenObject>; 8] = [
            vec![SeenObject {
                label: "wall \\other room _1".to_string(),
                heading_deg: -14.95,
                distance_m: 1.0,
            }],
            vec![],
            vec![],
            vec![],
            vec![],
            vec![],
            vec![],
            vec![SeenObject {
                label: "kitchen countertop object' ".to_string(),
                heading_deg: 337.34,
                distance_m: 0.905,
            }],
        ];
        let cand = |id: &str, deg: f64| NavigableViewpoint {
            viewpoint: id.to_string(),
            heading_rad: deg.to_radians(),
            elevation_rad: 0.0,
            distance_m: 2.0,
        };
        ViewpointText {
            captions: std::array::from_fn(|k| format!("caption {k}")),
            objects,
            summary: "a room".to_string(),
            candidates: vec![
                cand("a", 344.0),
                cand("b", 10.0),
                cand("c", 180.0),
                cand("d", -25.0),
            ],
        }
    }

    #[test]
    fn sector_text_layout_and_hidden_candidates() {
        let vp = synthetic();
        let text = sectors_text(0.0, &vp, false);
        let lines: Vec<&str> = text.lines().collect();
        // Four lines per direction: header, caption, objects, navigable viewpoints.
        assert_eq!(lines.len(), 32);
        assert_eq!(lines[0], "Front, range (left 22.50 to right 22.50): ");
        assert_eq!(lines[1], "'caption 0'");
        assert_eq!(
            lines[2],
            "Front Objects in 3m: {'wall \\\\other room _1': 'left 14.95, 1.00m'}"
        );
        // "a" (344°, sector 8) and "d" (-25°, sector -1) vanish, as in NavGPT.
        assert_eq!(
            lines[3],
            "Front Navigable Viewpoints:{'b': 'right 10.00, 2.00m'}"
        );
        assert_eq!(lines[6], "Front Right Objects in 3m: None");
        assert_eq!(lines[7], "Front Right Navigable Viewpoints: None");
        assert_eq!(lines[16], "Rear, range (right 157.50 to left 157.50): ");
        assert_eq!(
            lines[19],
            "Rear Navigable Viewpoints:{'c': 'right 180.00, 2.00m'}"
        );
        assert_eq!(
            lines[30],
            "Front Left Objects in 3m: {\"kitchen countertop object' \": 'left 22.66, 0.91m'}"
        );
        assert_eq!(lines[31], "Front Left Navigable Viewpoints: None");

        let fixed = sectors_text(0.0, &vp, true);
        let lines: Vec<&str> = fixed.lines().collect();
        assert_eq!(
            lines[3],
            "Front Navigable Viewpoints:{'a': 'left 16.00, 2.00m', 'b': 'right 10.00, 2.00m'}"
        );
        assert_eq!(
            lines[31],
            "Front Left Navigable Viewpoints:{'d': 'left 25.00, 2.00m'}"
        );
    }

    #[test]
    fn sectors_follow_the_heading() {
        let vp = synthetic();
        // Facing 350°: the agent's sector is 8, taken mod 8, so Front shows sector 0.
        let text = sectors_text(350.0_f64.to_radians(), &vp, false);
        assert!(text.starts_with("Front, range (left 12.50 to right 32.50): \n'caption 0'"));
        // Facing 100°: sector 2 is in front and sector 0 on the left.
        let text = sectors_text(100.0_f64.to_radians(), &vp, false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Front, range (left 32.50 to right 12.50): ");
        assert_eq!(lines[1], "'caption 2'");
        assert_eq!(lines[24], "Left, range (left 122.50 to left 77.50): ");
        assert_eq!(lines[25], "'caption 0'");
        assert_eq!(
            lines[26],
            "Left Objects in 3m: {'wall \\\\other room _1': 'left 114.95, 1.00m'}"
        );
        assert_eq!(
            lines[27],
            "Left Navigable Viewpoints:{'b': 'left 90.00, 2.00m'}"
        );
    }

    #[test]
    fn repeated_keys_behave_like_a_python_dict() {
        let map: OrderedMap<u32> = serde_json::from_str(r#"{"b": 1, "a": 2, "b": 3}"#).unwrap();
        assert_eq!(map.0, vec![("b".to_string(), 3), ("a".to_string(), 2)]);
        assert_eq!(map.get("a"), Some(&2));
        assert_eq!(map.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert!(serde_json::from_str::<OrderedMap<u32>>("[1]").is_err());
    }

    #[test]
    fn normalize_edges() {
        assert_eq!(normalize_angle_deg(180.0), 180.0);
        assert_eq!(normalize_angle_deg(-180.0), 180.0);
        assert_eq!(normalize_angle_deg(540.0), 180.0);
        assert_eq!(normalize_angle_deg(-540.0), 180.0);
        assert_eq!(normalize_angle_deg(181.0), -179.0);
        assert_eq!(normalize_angle_deg(-181.0), 179.0);
        assert_eq!(normalize_angle_deg(0.0), 0.0);
        assert_eq!(normalize_angle_deg(720.5), 0.5);
        assert!(normalize_angle_deg(f64::NAN).is_nan());
        assert_eq!(normalize_angle_deg(f64::INFINITY), f64::INFINITY);
        assert!(normalize_angle_deg(1.0e300).abs() <= 180.0);
    }

    #[test]
    fn left_right_formatting() {
        assert_eq!(left_right(0.0), "right 0.00");
        assert_eq!(left_right(-0.0), "right -0.00");
        assert_eq!(left_right(-0.001), "left 0.00");
        assert_eq!(left_right(180.0), "right 180.00");
        assert_eq!(left_right(-179.9999999), "left 180.00");
        assert_eq!(left_right(12.345), "right 12.35"); // 12.3450000000000006394884621841
        assert_eq!(left_right(0.125), "right 0.12"); // exact tie: half to even
        assert_eq!(left_right(-0.375), "left 0.38");
        assert_eq!(left_right(2.675), "right 2.67"); // 2.67499999999999982236431605997
        assert_eq!(left_right(f64::NAN), "right nan");
        assert_eq!(left_right(f64::NEG_INFINITY), "left inf");
    }

    #[test]
    fn rad2deg_matches_numpy() {
        assert_eq!(rad2deg(std::f64::consts::PI), 180.0);
        assert_eq!(rad2deg(0.053), 3.036676314193363);
        assert_eq!(rad2deg(0.3219376805751436), 18.445670363186554);
    }

    #[test]
    fn floor_division_like_python() {
        assert_eq!(py_floordiv(-22.5, 45.0), -1.0);
        assert_eq!(py_floordiv(0.0, 45.0), 0.0);
        assert_eq!(py_floordiv(315.0, 45.0), 7.0);
        assert_eq!(py_floordiv(314.99999999999994, 45.0), 6.0);
        assert_eq!(py_floordiv(-1.0e-300, 45.0), -1.0);
        assert_eq!(sector_of(337.5), 8);
        assert_eq!(sector_of(337.49999999999994), 7);
        assert_eq!(sector_of(-22.5), 0);
        assert_eq!(sector_of(-22.6), -1);
    }

    #[test]
    fn turn_descriptions() {
        // Real-log examples: the turn is not normalised, the headings are.
        let from = 349.28_f64.to_radians();
        let to = 4.68_f64.to_radians();
        assert_eq!(
            turn_description(from, to),
            "Turn heading direction -344.60 degrees from left 10.72 to right 4.68."
        );
        assert_eq!(
            turn_description(-57.1_f64.to_radians(), -57.1_f64.to_radians()),
            "Turn heading direction 0.00 degrees from left 57.10 to left 57.10."
        );
        assert_eq!(
            turn_description(0.0, std::f64::consts::PI),
            "Turn heading direction 180.00 degrees from right 0.00 to right 180.00."
        );
        assert_eq!(
            turn_description(std::f64::consts::PI, 0.0),
            "Turn heading direction -180.00 degrees from right 180.00 to right 0.00."
        );
    }

    #[test]
    fn wrappers() {
        assert_eq!(init_observation("S"), "\n\tCurrent Viewpoint:\nS");
        assert_eq!(
            move_observation("v1", "S"),
            "\nCurrent Viewpoint \"v1\":\nS"
        );
        assert_eq!(
            invalid_viewpoint_observation("x", &[], "S"),
            "\nViewpointID 'x' is not valid, agent not moved. DO NOT fabricate nonexistent IDs. The \
             navigable viewpoints you can choose from current viewpoints are: [].\n\tCurrent Viewpoint:\nS"
        );
        assert_eq!(
            history_move("T.", "v", "room"),
            "T.\nCurrent viewpoint \"v\": Scene from the viewpoint is a room"
        );
    }
}
