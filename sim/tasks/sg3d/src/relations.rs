//! Spatial relations between a scene's candidate objects, from their axis-aligned boxes
//! (z up, metres). "A `kind` B" is listed on A, naming B.
//!
//! - `on`: A rests on B — A's bottom lies between [`ON_SINK_M`] below and [`ON_GAP_M`] above
//!   B's top (scans of touching objects interpenetrate), their footprints (boxes seen from
//!   above) overlap, and A's centre is above B's top.
//! - `in`: A's box lies inside B's, grown by [`IN_MARGIN_M`] on every side, and A is the
//!   smaller box.
//! - `near`: the gap between the boxes (the shortest distance between them, 0 when they touch
//!   or overlap) is at most [`NEAR_M`]; symmetric.
//! - `left_of` / `right_of`: for near pairs only, as seen by a viewer at the centre of every
//!   candidate's bounds looking (horizontally) at B: A's centre lies more than
//!   [`SIDE_MARGIN_M`] to the left or right of B's along the viewer's right-hand direction.
//!   No side is given for a B within 0.1 m of the viewer horizontally.

use glam::{Vec2, Vec3};
use waymark_core::{GroundingObject, Relation, RelationKind};

/// How far A's bottom may sink below B's top and still rest `on` it.
pub const ON_SINK_M: f32 = 0.10;
/// How far A's bottom may float above B's top and still rest `on` it.
pub const ON_GAP_M: f32 = 0.05;
/// The slack on every side of B's box for A to be `in` it.
pub const IN_MARGIN_M: f32 = 0.02;
/// The largest gap between two `near` boxes.
pub const NEAR_M: f32 = 0.5;
/// The smallest sideways offset for `left_of` / `right_of`.
pub const SIDE_MARGIN_M: f32 = 0.1;

/// Fills every object's `relations`, sorted by relation then object id.
pub fn relate(objects: &mut [GroundingObject]) {
    let Some(viewer) = viewer(objects) else {
        return;
    };
    let relations: Vec<Vec<Relation>> = objects
        .iter()
        .map(|a| {
            let mut found: Vec<Relation> = objects
                .iter()
                .filter(|b| b.id != a.id)
                .flat_map(|b| {
                    kinds(a, b, viewer).map(|kind| Relation {
                        kind,
                        object_id: b.id,
                    })
                })
                .collect();
            found.sort();
            found
        })
        .collect();
    for (object, found) in objects.iter_mut().zip(relations) {
        object.relations = found;
    }
}

/// The horizontal centre of every object's bounds.
fn viewer(objects: &[GroundingObject]) -> Option<Vec2> {
    let min = objects.iter().map(|o| o.min_m).reduce(Vec3::min)?;
    let max = objects.iter().map(|o| o.max_m).reduce(Vec3::max)?;
    Some(((min + max) / 2.0).truncate())
}

/// Every relation "A `kind` B".
fn kinds(
    a: &GroundingObject,
    b: &GroundingObject,
    viewer: Vec2,
) -> impl Iterator<Item = RelationKind> {
    let on = on(a, b);
    let inside = inside(a, b);
    let near = gap(a, b) <= NEAR_M;
    let side = if near { side(a, b, viewer) } else { None };
    [
        on.then_some(RelationKind::On),
        inside.then_some(RelationKind::In),
        near.then_some(RelationKind::Near),
        side,
    ]
    .into_iter()
    .flatten()
}

fn on(a: &GroundingObject, b: &GroundingObject) -> bool {
    let lift = a.min_m.z - b.max_m.z;
    let footprints_overlap = a.min_m.x < b.max_m.x
        && b.min_m.x < a.max_m.x
        && a.min_m.y < b.max_m.y
        && b.min_m.y < a.max_m.y;
    (-ON_SINK_M..=ON_GAP_M).contains(&lift) && footprints_overlap && a.centre_m.z > b.max_m.z
}

fn inside(a: &GroundingObject, b: &GroundingObject) -> bool {
    let volume = |o: &GroundingObject| o.size_m().x * o.size_m().y * o.size_m().z;
    a.min_m.cmpge(b.min_m - IN_MARGIN_M).all()
        && a.max_m.cmple(b.max_m + IN_MARGIN_M).all()
        && volume(a) < volume(b)
}

/// The shortest distance between the two boxes (0 when they touch or overlap).
pub fn gap(a: &GroundingObject, b: &GroundingObject) -> f32 {
    let apart = (a.min_m - b.max_m).max(b.min_m - a.max_m).max(Vec3::ZERO);
    apart.length()
}

fn side(a: &GroundingObject, b: &GroundingObject, viewer: Vec2) -> Option<RelationKind> {
    let ahead = b.centre_m.truncate() - viewer;
    if ahead.length() < 0.1 {
        return None;
    }
    let forward = ahead.normalize();
    // z up, headings clockwise from +y: looking along +y, the right hand is +x.
    let right = Vec2::new(forward.y, -forward.x);
    let offset = (a.centre_m.truncate() - b.centre_m.truncate()).dot(right);
    if offset > SIDE_MARGIN_M {
        Some(RelationKind::RightOf)
    } else if offset < -SIDE_MARGIN_M {
        Some(RelationKind::LeftOf)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn object(id: u32, min: [f32; 3], max: [f32; 3]) -> GroundingObject {
        let (min, max) = (Vec3::from(min), Vec3::from(max));
        GroundingObject {
            id,
            label: format!("o{id}"),
            centre_m: (min + max) / 2.0,
            min_m: min,
            max_m: max,
            colour_rgb: [0; 3],
            relations: Vec::new(),
        }
    }

    fn relations_of(objects: &[GroundingObject], id: u32) -> Vec<(RelationKind, u32)> {
        let o = objects.iter().find(|o| o.id == id).unwrap();
        o.relations.iter().map(|r| (r.kind, r.object_id)).collect()
    }

    #[test]
    fn on_in_near_and_sides_follow_the_documented_rules() {
        use RelationKind::*;
        // A desk (1), a cup resting on it sunk 5 cm (2), a pen inside a drawer box (3 in 4),
        // and a far chair (5). The viewer is the centre of all bounds: (5, 4.5).
        let mut objects = vec![
            object(1, [4.0, 8.0, 0.0], [6.0, 9.0, 0.8]),
            object(2, [4.9, 8.4, 0.75], [5.1, 8.6, 0.9]),
            object(3, [0.1, 0.1, 0.1], [0.2, 0.2, 0.15]),
            object(4, [0.0, 0.0, 0.0], [0.5, 0.5, 0.3]),
            object(5, [9.5, 0.0, 0.0], [10.0, 0.5, 1.0]),
        ];
        relate(&mut objects);
        assert_eq!(relations_of(&objects, 2), [(On, 1), (Near, 1)]);
        assert_eq!(
            relations_of(&objects, 1),
            [(Near, 2)],
            "the desk is not on the cup"
        );
        assert_eq!(relations_of(&objects, 3), [(In, 4), (Near, 4)]);
        assert_eq!(relations_of(&objects, 4), [(Near, 3)]);
        assert!(relations_of(&objects, 5).is_empty());

        // Two boxes side by side, 0.3 m apart, north of the viewer: looking north (+y), +x is
        // to the right. The viewer is the bounds' centre (5, 1.25), with a filler far south.
        let mut pair = vec![
            object(1, [4.0, 9.0, 0.0], [4.5, 9.5, 1.0]),
            object(2, [4.8, 9.0, 0.0], [5.3, 9.5, 1.0]),
            object(3, [0.0, -7.0, 0.0], [10.0, -6.9, 0.1]),
        ];
        relate(&mut pair);
        assert_eq!(relations_of(&pair, 1), [(Near, 2), (LeftOf, 2)]);
        assert_eq!(relations_of(&pair, 2), [(Near, 1), (RightOf, 1)]);
        // A cup floating 6 cm above the desk is not on it; 4 cm is.
        let desk = object(1, [0.0, 0.0, 0.0], [1.0, 1.0, 0.8]);
        assert!(!on(&object(2, [0.4, 0.4, 0.86], [0.5, 0.5, 1.0]), &desk));
        assert!(on(&object(2, [0.4, 0.4, 0.84], [0.5, 0.5, 1.0]), &desk));
        assert!(
            !on(&object(2, [1.1, 0.4, 0.8], [1.2, 0.5, 1.0]), &desk),
            "beside"
        );
        assert!((gap(&desk, &object(2, [1.3, 0.0, 0.0], [2.0, 1.0, 1.0])) - 0.3).abs() < 1e-6);
    }
}
