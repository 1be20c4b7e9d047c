//! ALFRED object ids: `Type|x|y|z` (metres, two decimals), slices `<parent id>|<Type>Sliced_<n>`,
//! basins `Sink|x|y|z|SinkBasin`. The one place that reads and writes them, for the household
//! task, its skills and the demo generator.

use glam::DVec3;

/// The object type an id names: the last segment's type for slices and basins (`AppleSliced`,
/// `SinkBasin`), else the first segment.
pub fn type_of(id: &str) -> &str {
    let mut parts = id.split('|');
    let first = parts.next().unwrap_or(id);
    match parts.nth(3) {
        Some(last) => last.split('_').next().unwrap_or(last),
        None => first,
    }
}

/// The position an id encodes (where the object was when the id was made).
pub fn position_of(id: &str) -> Option<DVec3> {
    let mut parts = id.split('|').skip(1);
    let mut next = || parts.next()?.parse::<f64>().ok();
    Some(DVec3::new(next()?, next()?, next()?))
}

/// The id AI2-THOR gives an object of `object_type` at `position`: each coordinate rounded
/// half away from zero to two decimals, signed and zero-padded (`+01.25`, `-00.50`), and
/// `00.00` unsigned for a value that rounds to zero.
pub fn format_id(object_type: &str, position: DVec3) -> String {
    let coordinate = |v: f64| {
        let hundredths = (v * 100.0).round();
        if hundredths == 0.0 {
            "00.00".to_string()
        } else {
            let sign = if hundredths < 0.0 { '-' } else { '+' };
            format!("{sign}{:05.2}", hundredths.abs() / 100.0)
        }
    };
    format!(
        "{object_type}|{}|{}|{}",
        coordinate(position.x),
        coordinate(position.y),
        coordinate(position.z)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_positions_and_formatting() {
        assert_eq!(type_of("Apple|-01.65|+00.94|-00.41"), "Apple");
        assert_eq!(
            type_of("Apple|-00.75|+00.83|-00.75|AppleSliced_2"),
            "AppleSliced"
        );
        assert_eq!(type_of("Sink|-01.99|+01.14|-00.98|SinkBasin"), "SinkBasin");
        assert_eq!(
            position_of("Apple|-01.65|+00.94|-00.41"),
            Some(DVec3::new(-1.65, 0.94, -0.41))
        );
        assert_eq!(position_of("Apple"), None);
        assert_eq!(
            format_id("Mug", DVec3::new(-1.834, 0.004, 0.4075)),
            "Mug|-01.83|00.00|+00.41"
        );
        assert_eq!(
            format_id("Cup", DVec3::new(12.345, -0.004, -0.125)),
            "Cup|+12.35|00.00|-00.13"
        );
    }
}
