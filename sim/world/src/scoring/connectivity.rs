//! A fast reader for well-formed Matterport `<scan>_connectivity.json` files.
//!
//! Most of a connectivity file is its two `N × N` boolean arrays (`visible`, `unobstructed`);
//! a generic JSON deserializer spends most of a scoring run's time on them. This reader scans
//! the bytes once, keeps only what a graph needs (ids, positions, the `true` entries of
//! `unobstructed`) and counts `visible`. It accepts exactly what
//! [`waymark_scenes::read_connectivity`] accepts in the files' usual shape and gives the same
//! [`NavGraphSpec`]; anything else (an escaped string, an unknown key, a malformed value, an
//! inconsistent record) makes it give up, and the caller falls back on
//! [`waymark_scenes::read_connectivity`], which reads the file again and names the fault.

use glam::DVec3;
use std::collections::HashSet;
use waymark_core::{ScanId, ViewpointId};
use waymark_scenes::NavGraphSpec;

/// One viewpoint record, reduced to what the graph needs.
struct Record<'a> {
    image_id: &'a str,
    /// `pose[3]`, `pose[7]`, `pose[11]`.
    position: DVec3,
    included: bool,
    visible_len: usize,
    /// Indices `j` with `unobstructed[j] == true`, ascending.
    unobstructed: Vec<u32>,
    unobstructed_len: usize,
}

/// Parses `bytes` as `scan`'s connectivity file; `None` when the fast path cannot vouch for
/// the result (then [`waymark_scenes::read_connectivity`] must read the file).
pub(crate) fn parse(scan: &ScanId, bytes: &[u8]) -> Option<NavGraphSpec> {
    let records = Parser { bytes, at: 0 }.records()?;
    graph_from_records(scan, &records)
}

/// [`waymark_scenes`]' rules for turning records into a graph, on the reduced records.
fn graph_from_records(scan: &ScanId, records: &[Record<'_>]) -> Option<NavGraphSpec> {
    let n = records.len();
    let mut index_of_record = vec![None; n];
    let mut viewpoints = Vec::new();
    let mut seen = HashSet::with_capacity(n);
    for (i, rec) in records.iter().enumerate() {
        if rec.unobstructed_len != n || rec.visible_len != n || !seen.insert(rec.image_id) {
            return None;
        }
        if !rec.included {
            continue;
        }
        if !rec.position.is_finite() {
            return None;
        }
        index_of_record[i] = Some(viewpoints.len() as u32);
        viewpoints.push((ViewpointId::new(rec.image_id), rec.position));
    }
    let mut edges = Vec::new();
    for (i, rec) in records.iter().enumerate() {
        let Some(a) = index_of_record[i] else {
            continue;
        };
        for &j in &rec.unobstructed {
            let j = j as usize;
            let Some(b) = index_of_record[j] else {
                continue;
            };
            if i == j {
                continue;
            }
            if records[j].unobstructed.binary_search(&(i as u32)).is_err() {
                return None;
            }
            if a < b {
                edges.push((a, b));
            }
        }
    }
    Some(NavGraphSpec {
        scan: scan.clone(),
        viewpoints,
        edges,
    })
}

/// Where a number lies in the file.
struct NumberToken {
    start: usize,
    /// The integer digits (after any sign).
    int_start: usize,
    int_end: usize,
    end: usize,
    /// No fraction, no exponent.
    integer: bool,
    exponent: bool,
    negative: bool,
}

impl NumberToken {
    /// Whether the value might lie outside `f64`'s range: only with an exponent or more than
    /// 300 integer digits (anything else is below `1e301`).
    fn may_overflow(&self) -> bool {
        self.exponent || self.int_end - self.int_start > 300
    }
}

/// A cursor over the file's bytes. Every method returns `None` on anything it does not expect.
struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

const TRUE: u32 = u32::from_le_bytes(*b"true");
const ALSE: u32 = u32::from_le_bytes(*b"alse");
const FALSE_COMMA: u64 = u64::from_le_bytes(*b"false,\0\0");
const TRUE_COMMA: u64 = u64::from_le_bytes(*b"true,\0\0\0");
const MASK_6: u64 = (1 << 48) - 1;
const MASK_5: u64 = (1 << 40) - 1;

impl<'a> Parser<'a> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// The next non-white-space byte, consumed.
    fn next(&mut self) -> Option<u8> {
        self.skip_ws();
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then_some(())
    }

    /// Four bytes at `at` as a little-endian word.
    fn word(&self, at: usize) -> Option<u32> {
        let w = self.bytes.get(at..at + 4)?;
        Some(u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
    }

    /// Eight bytes at `at` as a little-endian word.
    fn long_word(&self, at: usize) -> Option<u64> {
        let w: [u8; 8] = self.bytes.get(at..at + 8)?.try_into().ok()?;
        Some(u64::from_le_bytes(w))
    }

    /// The top-level array of records, then nothing but white space.
    fn records(mut self) -> Option<Vec<Record<'a>>> {
        self.expect(b'[')?;
        let mut records = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
        } else {
            loop {
                records.push(self.record()?);
                match self.next()? {
                    b',' => {}
                    b']' => break,
                    _ => return None,
                }
            }
        }
        self.skip_ws();
        (self.at == self.bytes.len()).then_some(records)
    }

    fn record(&mut self) -> Option<Record<'a>> {
        self.expect(b'{')?;
        let (mut image_id, mut position, mut included) = (None, None, None);
        let (mut visible_len, mut unobstructed, mut height) = (None, None, false);
        loop {
            let key = self.raw_string()?;
            self.expect(b':')?;
            // A repeated key is an error for serde: give up.
            let fresh = match key {
                b"image_id" => image_id.replace(self.string()?).is_none(),
                b"pose" => position.replace(self.pose()?).is_none(),
                b"included" => included.replace(self.boolean()?).is_none(),
                b"visible" => visible_len.replace(self.booleans(|_| {})?).is_none(),
                b"unobstructed" => {
                    let mut open = Vec::new();
                    let len = self.booleans(|j| open.push(j))?;
                    unobstructed.replace((open, len)).is_none()
                }
                b"height" => {
                    self.number_or_null()?;
                    !std::mem::replace(&mut height, true)
                }
                _ => return None,
            };
            if !fresh {
                return None;
            }
            match self.next()? {
                b',' => {}
                b'}' => break,
                _ => return None,
            }
        }
        let (unobstructed, unobstructed_len) = unobstructed?;
        Some(Record {
            image_id: image_id?,
            position: position?,
            included: included?,
            visible_len: visible_len?,
            unobstructed,
            unobstructed_len,
        })
    }

    /// A string without escapes or control characters.
    fn string(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.raw_string()?).ok()
    }

    /// The bytes of a string without escapes or control characters (UTF-8 not checked: keys
    /// are compared with ASCII names, values go through [`Self::string`]).
    fn raw_string(&mut self) -> Option<&'a [u8]> {
        self.expect(b'"')?;
        let start = self.at;
        let len = self.bytes[start..].iter().position(|&b| b == b'"')?;
        let raw = &self.bytes[start..start + len];
        if raw.iter().any(|&b| b == b'\\' || b < 0x20) {
            return None;
        }
        self.at = start + len + 1;
        Some(raw)
    }

    fn boolean(&mut self) -> Option<bool> {
        self.skip_ws();
        if self.word(self.at)? == TRUE {
            self.at += 4;
            Some(true)
        } else if self.bytes.get(self.at) == Some(&b'f') && self.word(self.at + 1)? == ALSE {
            self.at += 5;
            Some(false)
        } else {
            None
        }
    }

    /// An array of booleans: calls `on_true(j)` for each `true` at index `j` and returns the
    /// length.
    fn booleans(&mut self, mut on_true: impl FnMut(u32)) -> Option<usize> {
        self.expect(b'[')?;
        self.skip_ws();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Some(0);
        }
        let mut len = 0u32;
        loop {
            // The files' usual shape, `false,` or `true,`, in one comparison each; anything
            // else (white space, the last element) takes the general path.
            match self.long_word(self.at) {
                Some(w) if w & MASK_6 == FALSE_COMMA => {
                    self.at += 6;
                    len = len.checked_add(1)?;
                    continue;
                }
                Some(w) if w & MASK_5 == TRUE_COMMA => {
                    self.at += 5;
                    on_true(len);
                    len = len.checked_add(1)?;
                    continue;
                }
                _ => {}
            }
            if self.boolean()? {
                on_true(len);
            }
            len = len.checked_add(1)?;
            // The files have no white space here; the general path takes any.
            let separator = match self.bytes.get(self.at) {
                Some(&b) if b == b',' || b == b']' => {
                    self.at += 1;
                    b
                }
                _ => self.next()?,
            };
            match separator {
                b',' => {}
                b']' => return Some(len as usize),
                _ => return None,
            }
        }
    }

    /// `pose`: 16 numbers; returns the position (`pose[3]`, `pose[7]`, `pose[11]`).
    fn pose(&mut self) -> Option<DVec3> {
        self.expect(b'[')?;
        let mut position = [0.0; 3];
        for k in 0..16 {
            if k > 0 {
                self.expect(b',')?;
            }
            let token = self.number_token()?;
            if k % 4 == 3 && k < 12 {
                position[k / 4] = self.convert(&token)?;
            } else if token.may_overflow() {
                // Unused, but serde_json rejects a number out of `f64`'s range.
                self.convert(&token)?;
            }
        }
        self.expect(b']')?;
        Some(DVec3::from_array(position))
    }

    fn number_or_null(&mut self) -> Option<()> {
        self.skip_ws();
        if self.word(self.at) == Some(u32::from_le_bytes(*b"null")) {
            self.at += 4;
            Some(())
        } else {
            self.number().map(drop)
        }
    }

    /// A JSON number (strict grammar) as `f64`, converted as `serde_json` converts it:
    /// integers through `u64`/`i64` when they fit, everything else correctly rounded.
    fn number(&mut self) -> Option<f64> {
        let token = self.number_token()?;
        self.convert(&token)
    }

    /// Consumes a JSON number (strict grammar) and says where it lies.
    fn number_token(&mut self) -> Option<NumberToken> {
        self.skip_ws();
        let bytes = self.bytes;
        let start = self.at;
        let mut i = start;
        let digits = |i: &mut usize| {
            let from = *i;
            while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i > from
        };
        let negative = bytes.get(i) == Some(&b'-');
        if negative {
            i += 1;
        }
        let int_start = i;
        if !digits(&mut i) || (bytes[int_start] == b'0' && i - int_start > 1) {
            return None;
        }
        let int_end = i;
        let mut integer = true;
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            integer = false;
            if !digits(&mut i) {
                return None;
            }
        }
        let exponent = matches!(bytes.get(i), Some(b'e' | b'E'));
        if exponent {
            i += 1;
            integer = false;
            if let Some(b'+' | b'-') = bytes.get(i) {
                i += 1;
            }
            if !digits(&mut i) {
                return None;
            }
        }
        self.at = i;
        Some(NumberToken {
            start,
            int_start,
            int_end,
            end: i,
            integer,
            exponent,
            negative,
        })
    }

    /// The value of a number token, converted as `serde_json` converts it: integers through
    /// `u64`/`i64` when they fit, everything else correctly rounded; `None` when out of range.
    fn convert(&self, token: &NumberToken) -> Option<f64> {
        // The slice is ASCII digits and signs: valid UTF-8.
        let text = std::str::from_utf8(&self.bytes[token.start..token.end]).ok()?;
        let magnitude = token
            .integer
            .then(|| text[token.int_start - token.start..].parse::<u64>().ok())
            .flatten();
        if let Some(magnitude) = magnitude {
            // serde_json: `U64`, `I64` or, for `-0` and below `i64::MIN`, `-(magnitude as
            // f64)`; rounding to nearest is symmetric, so all three are this.
            let value = magnitude as f64;
            return Some(if token.negative { -value } else { value });
        }
        // Correctly rounded, as serde_json's `float_roundtrip` parses; out of range is an
        // error there.
        text.parse::<f64>().ok().filter(|v| v.is_finite())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan() -> ScanId {
        ScanId::new("s")
    }

    #[test]
    fn reads_a_small_file_like_the_scene_reader() {
        let text = br#"[
            {"image_id":"a","pose":[1,0,0,0.5,0,1,0,-2,0,0,1,1.5e0,0,0,0,1],"included":true,
             "visible":[false,true,true],"unobstructed":[false,true,true],"height":1.5},
            {"image_id":"b","pose":[1,0,0,3,0,1,0,0,0,0,1,1.5,0,0,0,1],"included":true,
             "visible":[true,false,true],"unobstructed":[true,false,true],"height":null},
            {"image_id":"c","pose":[1,0,0,9,0,1,0,9,0,0,1,1.5,0,0,0,1],"included":false,
             "visible":[true,true,false],"unobstructed":[true,true,false]}
        ]"#;
        let g = parse(&scan(), text).unwrap();
        assert_eq!(g.viewpoints.len(), 2);
        assert_eq!(g.viewpoints[0].1, DVec3::new(0.5, -2.0, 1.5));
        assert_eq!(g.edges, vec![(0, 1)]);
    }

    #[test]
    fn gives_up_on_anything_unusual() {
        let good = r#"[{"image_id":"a","pose":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"included":true,"visible":[false],"unobstructed":[false]}]"#;
        assert!(parse(&scan(), good.as_bytes()).is_some());
        for bad in [
            good.replace(r#""a""#, r#""a\u0062""#),
            good.replace("\"included\":true", "\"included\":true,\"included\":true"),
            good.replace("\"included\":true", "\"extra\":1,\"included\":true"),
            good.replace("\"included\":true,", ""),
            good.replace("[false]", "[0]"),
            good.replace("[false]", "[false,]"),
            good.replace("\"visible\":[false]", "\"visible\":[false,false]"),
            good.replace("[0,0,0,0,", "[0,0,0,"),
            good.replace("[0,0,0,0,", "[0,0,0,01,"),
            good.replace("[0,0,0,0,", "[0,0,0,1.,"),
            good.replace("[0,0,0,0,", "[0,0,0,+1,"),
            good.replace("[0,0,0,0,", "[0,0,0,1e999,"),
            // Unused pose entries are checked too.
            good.replace("[0,0,0,0,", "[1e999,0,0,0,"),
            good.replace("[0,0,0,0,", "[01,0,0,0,"),
            good.replace("[0,0,0,0,", "[-,0,0,0,"),
            format!("{good} x"),
        ] {
            assert!(parse(&scan(), bad.as_bytes()).is_none(), "{bad}");
        }
    }

    #[test]
    fn integers_convert_as_serde_json_converts_them() {
        let parse_number = |text: &str| {
            Parser {
                bytes: text.as_bytes(),
                at: 0,
            }
            .number()
        };
        for text in [
            "0",
            "-0",
            "17",
            "-3",
            "18446744073709551615",
            "-9223372036854775808",
        ] {
            let ours = parse_number(text).unwrap();
            let theirs: f64 = serde_json::from_str(text).unwrap();
            assert_eq!(ours.to_bits(), theirs.to_bits(), "{text}");
        }
        for text in ["0.1", "-2.5e-3", "1E2", "123456789012345678901234567890"] {
            let ours = parse_number(text).unwrap();
            let theirs: f64 = serde_json::from_str(text).unwrap();
            assert_eq!(ours.to_bits(), theirs.to_bits(), "{text}");
        }
    }
}
