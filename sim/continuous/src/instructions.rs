//! Instructions written from a scene graph, in English and Arabic: the rooms a route passes
//! through, where to stop, and the landmark there. Marked as generated wherever they are saved.

use waymark_core::label_names::arabic_name;

/// Languages instructions are written in, with their tags.
pub const LANGUAGES: [(&str, Language); 2] =
    [("en-US", Language::English), ("ar", Language::Arabic)];

/// A language instructions can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// English.
    English,
    /// Modern Standard Arabic.
    Arabic,
}

/// What a route passes, in the scene graph's words (English labels).
#[derive(Clone, Debug, PartialEq)]
pub struct RouteDescription {
    /// Rooms passed through, in order, without repeats in a row (empty for scans without rooms).
    pub rooms: Vec<String>,
    /// The object nearest the goal, when one is close.
    pub landmark: Option<String>,
    /// Route length in metres (for scans without rooms).
    pub length_m: f32,
    /// Where the goal lies from the start, relative to the start heading.
    pub direction: Direction,
}

/// A coarse direction relative to the agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Within 45° of straight ahead.
    Ahead,
    /// To the left.
    Left,
    /// To the right.
    Right,
    /// Behind.
    Behind,
}

impl Direction {
    /// The direction of a relative heading in degrees (clockwise positive).
    pub fn of_relative_deg(rel: f32) -> Self {
        let rel = (rel + 540.0).rem_euclid(360.0) - 180.0;
        match rel {
            r if r.abs() <= 45.0 => Self::Ahead,
            r if r.abs() >= 135.0 => Self::Behind,
            r if r < 0.0 => Self::Left,
            _ => Self::Right,
        }
    }
}

/// The Arabic words for a room kind or object label ([`arabic_name`]); unknown words stay as
/// they are.
fn arabic(word: &str) -> &str {
    arabic_name(word).unwrap_or(word)
}

/// Writes the instruction for `route` in `language`.
pub fn write_instruction(route: &RouteDescription, language: Language) -> String {
    match language {
        Language::English => english(route),
        Language::Arabic => arabic_instruction(route),
    }
}

fn english(route: &RouteDescription) -> String {
    let stop = match &route.landmark {
        Some(l) => format!("Stop next to the {l}."),
        None => "Stop there.".to_string(),
    };
    match route.rooms.as_slice() {
        [] => {
            let dir = match route.direction {
                Direction::Ahead => "ahead",
                Direction::Left => "to your left",
                Direction::Right => "to your right",
                Direction::Behind => "behind you",
            };
            format!(
                "Walk about {:.0} metres {dir}. {stop}",
                route.length_m.max(1.0)
            )
        }
        [only] => format!("Walk across the {only}. {stop}"),
        [first, middle @ .., last] => {
            let via = if middle.is_empty() {
                String::new()
            } else {
                format!(", go through the {}", middle.join(" and the "))
            };
            format!("Leave the {first}{via} and enter the {last}. {stop}")
        }
    }
}

fn arabic_instruction(route: &RouteDescription) -> String {
    let stop = match &route.landmark {
        Some(l) => format!("توقّف بجانب {}.", arabic(l)),
        None => "توقّف هناك.".to_string(),
    };
    match route.rooms.as_slice() {
        [] => {
            let dir = match route.direction {
                Direction::Ahead => "إلى الأمام",
                Direction::Left => "إلى يسارك",
                Direction::Right => "إلى يمينك",
                Direction::Behind => "إلى الخلف",
            };
            format!("امشِ نحو {:.0} أمتار {dir}. {stop}", route.length_m.max(1.0))
        }
        [only] => format!("امشِ عبر {}. {stop}", arabic(only)),
        [first, middle @ .., last] => {
            let via = if middle.is_empty() {
                String::new()
            } else {
                let rooms: Vec<&str> = middle.iter().map(|r| arabic(r)).collect();
                format!(" ومُرّ عبر {}", rooms.join(" ثم "))
            };
            format!(
                "اخرج من {}{via} وادخل {}. {stop}",
                arabic(first),
                arabic(last)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(rooms: &[&str], landmark: Option<&str>) -> RouteDescription {
        RouteDescription {
            rooms: rooms.iter().map(|r| r.to_string()).collect(),
            landmark: landmark.map(String::from),
            length_m: 6.4,
            direction: Direction::Left,
        }
    }

    #[test]
    fn english_and_arabic() {
        let r = route(&["kitchen", "hallway", "bedroom"], Some("bed"));
        assert_eq!(
            write_instruction(&r, Language::English),
            "Leave the kitchen, go through the hallway and enter the bedroom. Stop next to the bed."
        );
        assert_eq!(
            write_instruction(&r, Language::Arabic),
            "اخرج من المطبخ ومُرّ عبر الممر وادخل غرفة النوم. توقّف بجانب السرير."
        );
        let scan = route(&[], None);
        assert_eq!(
            write_instruction(&scan, Language::English),
            "Walk about 6 metres to your left. Stop there."
        );
        assert!(write_instruction(&scan, Language::Arabic).contains("إلى يسارك"));
        assert_eq!(
            write_instruction(&route(&["office"], Some("lamp")), Language::English),
            "Walk across the office. Stop next to the lamp."
        );
    }

    #[test]
    fn directions() {
        assert_eq!(Direction::of_relative_deg(10.0), Direction::Ahead);
        assert_eq!(Direction::of_relative_deg(-90.0), Direction::Left);
        assert_eq!(Direction::of_relative_deg(100.0), Direction::Right);
        assert_eq!(Direction::of_relative_deg(190.0), Direction::Behind);
    }
}
