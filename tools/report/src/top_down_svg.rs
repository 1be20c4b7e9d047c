//! An episode seen from above ([`TopDown`]) as inline SVG: the map faint, the reference path
//! in green from its start (ring) to its goal (square) with the success radius around the
//! goal, the agent's path in red to its end (dot), and a scale bar in metres. Equal aspect
//! ratio, north (+y) up, fitted to the content.

use crate::html::escape;
use waymark_task::TopDown;

/// The longest side of the content, in pixels.
const SIDE: f64 = 360.0;
/// The margin around the content, in pixels.
const PAD: f64 = 14.0;
/// Room for the scale bar under the content, in pixels.
const SCALE_ROOM: f64 = 26.0;
/// The smallest extent shown, in metres (an agent that never moved still gets a picture).
const MIN_EXTENT_M: f64 = 1.0;

/// A point on the ground plane, in metres.
type P = (f64, f64);

/// What the colours and marks of [`top_down_svg`] mean.
pub(crate) const LEGEND: &str = "grey: the map · green: the reference path from its start (ring) to its goal (square), the dashed circle its success radius · red: the agent's path to where it ended (dot)";

/// The picture of `top_down` (`what` names the episode); a note when there is nothing to draw.
pub(crate) fn top_down_svg(top_down: &TopDown, what: &str) -> String {
    let finite = |p: &P| p.0.is_finite() && p.1.is_finite();
    let map: Vec<[P; 2]> = top_down
        .map
        .iter()
        .map(|[a, b]| [(a.x, a.y), (b.x, b.y)])
        .filter(|[a, b]| finite(a) && finite(b))
        .collect();
    let reference: Vec<P> = top_down
        .reference
        .iter()
        .map(|p| (p.x, p.y))
        .filter(finite)
        .collect();
    let agent: Vec<P> = top_down
        .agent
        .iter()
        .map(|p| (p.x, p.y))
        .filter(finite)
        .collect();
    let goal = reference.last().copied();
    let radius = top_down
        .success_radius_m
        .filter(|r| r.is_finite() && *r > 0.0);
    let mut points: Vec<P> = map
        .iter()
        .flatten()
        .chain(&reference)
        .chain(&agent)
        .copied()
        .collect();
    if let (Some((gx, gy)), Some(r)) = (goal, radius) {
        points.extend([(gx - r, gy - r), (gx + r, gy + r)]);
    }
    let Some(&first) = points.first() else {
        return format!(
            r#"<p class="note">the top-down picture of {} is empty</p>"#,
            escape(what)
        );
    };
    let (mut lo, mut hi) = (first, first);
    for &(x, y) in &points {
        lo = (lo.0.min(x), lo.1.min(y));
        hi = (hi.0.max(x), hi.1.max(y));
    }
    let widen = |lo: f64, hi: f64| {
        let middle = (lo + hi) / 2.0;
        let half = ((hi - lo) / 2.0).max(MIN_EXTENT_M / 2.0);
        (middle - half, middle + half)
    };
    let ((x0, x1), (y0, y1)) = (widen(lo.0, hi.0), widen(lo.1, hi.1));
    let scale = SIDE / (x1 - x0).max(y1 - y0);
    let px = |(x, y): P| (PAD + (x - x0) * scale, PAD + (y1 - y) * scale);
    let (width, content_h) = ((x1 - x0) * scale + 2.0 * PAD, (y1 - y0) * scale + 2.0 * PAD);
    let height = content_h + SCALE_ROOM;
    let mut out = format!(
        r#"<svg class="top-down" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.1} {height:.1}" role="img" aria-label="{0}"><title>{0}</title>"#,
        escape(&format!("{what} from above"))
    );
    if !map.is_empty() {
        let d: String = map
            .iter()
            .map(|&[a, b]| {
                let (a, b) = (px(a), px(b));
                format!("M{:.1} {:.1}L{:.1} {:.1}", a.0, a.1, b.0, b.1)
            })
            .collect();
        out.push_str(&format!(r#"<path class="map" d="{d}"/>"#));
    }
    if let (Some(g), Some(r)) = (goal, radius) {
        let (cx, cy) = px(g);
        out.push_str(&format!(
            r#"<circle class="radius" cx="{cx:.1}" cy="{cy:.1}" r="{:.1}"/>"#,
            r * scale
        ));
    }
    for (class, path) in [("reference", &reference), ("agent", &agent)] {
        if path.len() > 1 {
            let points: Vec<String> = path
                .iter()
                .map(|&p| {
                    let (x, y) = px(p);
                    format!("{x:.1},{y:.1}")
                })
                .collect();
            out.push_str(&format!(
                r#"<polyline class="{class}" points="{}"/>"#,
                points.join(" ")
            ));
        }
    }
    if let Some(start) = reference.first().or(agent.first()) {
        let (x, y) = px(*start);
        out.push_str(&format!(
            r#"<circle class="start" cx="{x:.1}" cy="{y:.1}" r="5"><title>start</title></circle>"#
        ));
    }
    if let Some(g) = goal {
        let (x, y) = px(g);
        out.push_str(&format!(
            r#"<rect class="goal" x="{:.1}" y="{:.1}" width="10" height="10"><title>goal</title></rect>"#,
            x - 5.0,
            y - 5.0
        ));
    }
    if let Some(&end) = agent.last() {
        let (x, y) = px(end);
        out.push_str(&format!(
            r#"<circle class="end" cx="{x:.1}" cy="{y:.1}" r="4.5"><title>the agent's end</title></circle>"#
        ));
    }
    let bar_m = nice_floor((x1 - x0) / 4.0);
    let (bar_x, bar_y) = (PAD, content_h + SCALE_ROOM / 2.0 - 2.0);
    let bar_px = bar_m * scale;
    out.push_str(&format!(
        r#"<path class="scale" d="M{bar_x:.1} {:.1}V{bar_y:.1}H{:.1}V{:.1}"/><text x="{:.1}" y="{:.1}" dominant-baseline="middle">{} m</text></svg>"#,
        bar_y - 4.0,
        bar_x + bar_px,
        bar_y - 4.0,
        bar_x + bar_px + 6.0,
        bar_y,
        metres_text(bar_m)
    ));
    out
}

/// The largest of 1, 2, 5 × 10ⁿ at most `x` (which must be positive).
fn nice_floor(x: f64) -> f64 {
    let power = 10f64.powf(x.log10().floor());
    let f = x / power;
    let nice = if f >= 5.0 {
        5.0
    } else if f >= 2.0 {
        2.0
    } else {
        1.0
    };
    nice * power
}

/// A length for the scale bar: as many decimals as it needs.
fn metres_text(m: f64) -> String {
    let decimals = (-m.log10().floor()).max(0.0) as usize;
    format!("{m:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use glam::DVec2;

    fn numbers_after(svg: &str, key: &str) -> Vec<f64> {
        svg.split(key)
            .skip(1)
            .filter_map(|rest| rest.split('"').next()?.parse().ok())
            .collect()
    }

    #[test]
    fn paths_markers_radius_and_scale_bar_with_equal_aspect() {
        let picture = TopDown {
            map: vec![[DVec2::new(0.0, 0.0), DVec2::new(10.0, 0.0)]],
            reference: vec![DVec2::new(0.0, 0.0), DVec2::new(10.0, 5.0)],
            agent: vec![DVec2::new(0.0, 0.0), DVec2::new(4.0, 1.0)],
            success_radius_m: Some(3.0),
        };
        let svg = top_down_svg(&picture, "episode <1>");
        for class in [
            "map",
            "radius",
            "reference",
            "agent",
            "start",
            "goal",
            "end",
            "scale",
        ] {
            assert!(
                svg.contains(&format!(r#"class="{class}""#)),
                "{class}: {svg}"
            );
        }
        assert!(svg.contains("episode &lt;1&gt; from above"));
        // x spans 0..13 m (the goal's radius), y −0…8 m: 13 m is the longest side.
        let scale = SIDE / 13.0;
        let width = numbers_after(&svg, r#"width=""#)[0];
        assert!((width - (13.0 * scale + 2.0 * PAD)).abs() < 1.0, "{width}");
        let r = numbers_after(&svg, r#" r=""#)[0];
        assert!((r - 3.0 * scale).abs() < 0.1, "{r}");
        // North is up: the goal (y = 5) is drawn above the start (y = 0).
        let cy = numbers_after(&svg, r#"cy=""#);
        let goal_y = numbers_after(&svg, r#"" y=""#)[0] + 5.0;
        assert!(goal_y < cy[1], "{svg}");
        assert!(
            svg.contains(">2 m</text>"),
            "13 m / 4 rounds down to 2 m: {svg}"
        );
    }

    #[test]
    fn an_agent_that_never_moved_and_an_empty_picture() {
        let still = TopDown {
            agent: vec![DVec2::new(3.0, 3.0)],
            ..TopDown::default()
        };
        let svg = top_down_svg(&still, "e");
        assert!(
            svg.contains(r#"class="end""#) && svg.contains(">0.2 m</text>"),
            "{svg}"
        );
        let empty = top_down_svg(&TopDown::default(), "e");
        assert!(empty.contains("is empty") && !empty.contains("<svg"));
    }

    #[test]
    fn round_scale_lengths() {
        assert_eq!(nice_floor(3.2), 2.0);
        assert_eq!(nice_floor(7.0), 5.0);
        assert_eq!(nice_floor(0.25), 0.2);
        assert_eq!(metres_text(0.2), "0.2");
        assert_eq!(metres_text(50.0), "50");
    }
}
