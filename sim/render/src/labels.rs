//! Text drawn onto rendered images: instance ids written where the instances are seen, for
//! vision models and people to refer to them. Glyphs are the public-domain 8×8 bitmap font
//! of the `font8x8` crate.

use crate::frame::Frame;
use font8x8::UnicodeFonts;
use std::collections::BTreeMap;

/// Writes `text` in white on a black box centred on pixel `(cx, cy)`, clipped to the frame;
/// characters the font lacks are left blank.
pub fn draw_text(frame: &mut Frame, cx: f32, cy: f32, text: &str) {
    let glyphs: Vec<[u8; 8]> = text
        .chars()
        .map(|c| font8x8::BASIC_FONTS.get(c).unwrap_or([0; 8]))
        .collect();
    let (w, h) = (glyphs.len() as i64 * 8 + 2, 10i64);
    let (left, top) = (cx.round() as i64 - w / 2, cy.round() as i64 - h / 2);
    let (fw, fh) = (i64::from(frame.width), i64::from(frame.height));
    for y in 0..h {
        for x in 0..w {
            let (px, py) = (left + x, top + y);
            if px < 0 || py < 0 || px >= fw || py >= fh {
                continue;
            }
            // Inside the 1-pixel border: glyph k's row y-1, column (x-1) mod 8 (bit 0 is the
            // leftmost column).
            let (gx, gy) = (x - 1, y - 1);
            let lit = (0..8).contains(&gy)
                && gx >= 0
                && glyphs
                    .get((gx / 8) as usize)
                    .is_some_and(|g| g[gy as usize] >> (gx % 8) & 1 == 1);
            let i = (py * fw + px) as usize;
            frame.rgb[i] = if lit { [255; 3] } else { [0; 3] };
        }
    }
}

/// Writes each `(instance, text)` at the centre of the instance's visible pixels; instances
/// not seen in the frame get no label.
pub fn label_instances(frame: &mut Frame, labels: &[(u32, String)]) {
    let mut sums: BTreeMap<u32, (f64, f64, f64)> = BTreeMap::new();
    let width = frame.width.max(1) as usize;
    for (i, &instance) in frame.instance.iter().enumerate() {
        if instance != 0 {
            let s = sums.entry(instance).or_insert((0.0, 0.0, 0.0));
            s.0 += (i % width) as f64 + 0.5;
            s.1 += (i / width) as f64 + 0.5;
            s.2 += 1.0;
        }
    }
    for (instance, text) in labels {
        if let Some(&(x, y, n)) = sums.get(instance) {
            draw_text(frame, (x / n) as f32, (y / n) as f32, text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_drawn_in_a_box_and_clipped() {
        let mut frame = Frame::new(40, 20);
        frame.instance[10 * 40 + 20] = 7;
        label_instances(&mut frame, &[(7, "12".into()), (9, "x".into())]);
        let lit = frame.rgb.iter().filter(|p| **p == [255; 3]).count();
        // "1" and "2" of font8x8 light 14 and 15 pixels.
        let glyph_pixels = |c: char| {
            font8x8::BASIC_FONTS
                .get(c)
                .unwrap()
                .iter()
                .map(|row| row.count_ones())
                .sum::<u32>() as usize
        };
        assert_eq!(lit, glyph_pixels('1') + glyph_pixels('2'));
        // Near the edge the box is clipped, not wrapped or panicking.
        draw_text(&mut frame, 0.0, 0.0, "99");
        draw_text(&mut frame, 1e9, -1e9, "9");
    }
}
