//! A cursor over JSON bytes for fast readers of one known file shape.
//!
//! A reader built on it accepts the shape its files usually have and gives up on anything
//! else: every method returns `None` on what it does not expect (an escaped string, a value of
//! another type, a malformed token), and the caller then reads the file with serde, which
//! accepts every valid spelling and names the fault of an invalid one. Written by hand because
//! serde_json, which must build every value it meets, spends most of its time on parts of these
//! files that a reader needs only to check (long boolean arrays, angles it never reads).

/// Where a number lies in the text.
#[derive(Debug)]
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
    /// 300 integer digits (anything else is below `1e301`). serde_json rejects such a number
    /// even where it is not read, so a reader converts it to check.
    fn may_overflow(&self) -> bool {
        self.exponent || self.int_end - self.int_start > 300
    }
}

/// A position in JSON text. Every method returns `None` on anything it does not expect.
#[derive(Debug)]
pub struct JsonCursor<'a> {
    text: &'a str,
    at: usize,
}

const TRUE: u32 = u32::from_le_bytes(*b"true");
const ALSE: u32 = u32::from_le_bytes(*b"alse");
const NULL: u32 = u32::from_le_bytes(*b"null");
const FALSE_COMMA: u64 = u64::from_le_bytes(*b"false,\0\0");
const TRUE_COMMA: u64 = u64::from_le_bytes(*b"true,\0\0\0");
const MASK_6: u64 = (1 << 48) - 1;
const MASK_5: u64 = (1 << 40) - 1;

impl<'a> JsonCursor<'a> {
    /// A cursor at the start of `text` (a whole file checked as UTF-8 at once: far cheaper
    /// than checking each string).
    pub fn new(text: &'a str) -> Self {
        Self { text, at: 0 }
    }

    /// The text as bytes (free: the same memory).
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes().get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte that is not white space, consumed.
    fn next_byte(&mut self) -> Option<u8> {
        self.skip_ws();
        let b = *self.bytes().get(self.at)?;
        self.at += 1;
        Some(b)
    }

    /// Consumes `byte`, the next byte that is not white space.
    pub fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next_byte()? == byte).then_some(())
    }

    /// Consumes `byte` when it comes next (after any white space); says whether it did.
    pub fn eat(&mut self, byte: u8) -> bool {
        self.skip_ws();
        let found = self.bytes().get(self.at) == Some(&byte);
        if found {
            self.at += 1;
        }
        found
    }

    /// An array: `element` reads each element.
    pub fn array(&mut self, mut element: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.expect(b'[')?;
        if self.eat(b']') {
            return Some(());
        }
        loop {
            element(self)?;
            match self.next_byte()? {
                b',' => {}
                b']' => return Some(()),
                _ => return None,
            }
        }
    }

    /// An object: `member` reads the value of each key and says whether it has not seen the
    /// key before (a repeated key gives up: serde's derived types refuse one).
    pub fn object(
        &mut self,
        mut member: impl FnMut(&'a str, &mut Self) -> Option<bool>,
    ) -> Option<()> {
        self.expect(b'{')?;
        if self.eat(b'}') {
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.expect(b':')?;
            if !member(key, self)? {
                return None;
            }
            match self.next_byte()? {
                b',' => {}
                b'}' => return Some(()),
                _ => return None,
            }
        }
    }

    /// Whether nothing but white space is left.
    pub fn at_end(&mut self) -> bool {
        self.skip_ws();
        self.at == self.bytes().len()
    }

    /// Four bytes at `at` as a little-endian word.
    fn word(&self, at: usize) -> Option<u32> {
        let w = self.bytes().get(at..at + 4)?;
        Some(u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
    }

    /// Eight bytes at `at` as a little-endian word.
    fn long_word(&self, at: usize) -> Option<u64> {
        let w: [u8; 8] = self.bytes().get(at..at + 8)?.try_into().ok()?;
        Some(u64::from_le_bytes(w))
    }

    /// A string without escapes or control characters.
    pub fn string(&mut self) -> Option<&'a str> {
        self.expect(b'"')?;
        let start = self.at;
        let end = start + memchr::memchr(b'"', self.bytes().get(start..)?)?;
        // Without an early exit, so that it runs over many bytes at once.
        let unusual = self.bytes()[start..end]
            .iter()
            .fold(false, |unusual, &b| unusual | (b == b'\\') | (b < 0x20));
        if unusual {
            return None;
        }
        self.at = end + 1;
        // Both ends lie next to a `"`: character boundaries.
        self.text.get(start..end)
    }

    /// `true` or `false`.
    pub fn boolean(&mut self) -> Option<bool> {
        self.skip_ws();
        if self.word(self.at)? == TRUE {
            self.at += 4;
            Some(true)
        } else if self.bytes().get(self.at) == Some(&b'f') && self.word(self.at + 1)? == ALSE {
            self.at += 5;
            Some(false)
        } else {
            None
        }
    }

    /// An array of booleans: calls `on_true(j)` for each `true` at index `j` and returns the
    /// length.
    pub fn booleans(&mut self, mut on_true: impl FnMut(u32)) -> Option<usize> {
        self.expect(b'[')?;
        if self.eat(b']') {
            return Some(0);
        }
        let mut len = 0u32;
        loop {
            // The usual shape, `false,` or `true,`, in one comparison each; anything else
            // (white space, the last element) takes the general path.
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
            // Usually no white space here; the general path takes any.
            let separator = match self.bytes().get(self.at) {
                Some(&b) if b == b',' || b == b']' => {
                    self.at += 1;
                    b
                }
                _ => self.next_byte()?,
            };
            match separator {
                b',' => {}
                b']' => return Some(len as usize),
                _ => return None,
            }
        }
    }

    /// A number or `null`.
    pub fn number_or_null(&mut self) -> Option<()> {
        self.skip_ws();
        if self.word(self.at) == Some(NULL) {
            self.at += 4;
            Some(())
        } else {
            self.number().map(drop)
        }
    }

    /// A number that is not read, only checked as serde_json checks an `f64` (the grammar,
    /// and the range).
    pub fn unread_number(&mut self) -> Option<()> {
        let token = self.number_token()?;
        if token.may_overflow() {
            self.convert(&token)?;
        }
        Some(())
    }

    /// A JSON number (strict grammar) as `f64`, converted as `serde_json` converts it:
    /// integers through `u64`/`i64` when they fit, everything else correctly rounded.
    pub fn number(&mut self) -> Option<f64> {
        let token = self.number_token()?;
        self.convert(&token)
    }

    /// Consumes a JSON number (strict grammar) and says where it lies.
    fn number_token(&mut self) -> Option<NumberToken> {
        self.skip_ws();
        let bytes = self.bytes();
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
        let text = self.text.get(token.start..token.end)?;
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
    #![allow(clippy::unwrap_used)] // tests may panic

    use super::*;

    #[test]
    fn numbers_convert_as_serde_json_converts_them() {
        for text in [
            "0",
            "-0",
            "17",
            "-3",
            "18446744073709551615",
            "-9223372036854775808",
            "0.1",
            "-2.5e-3",
            "1E2",
            "123456789012345678901234567890",
        ] {
            let ours = JsonCursor::new(text).number().unwrap();
            let theirs: f64 = serde_json::from_str(text).unwrap();
            assert_eq!(ours.to_bits(), theirs.to_bits(), "{text}");
        }
    }

    #[test]
    fn numbers_serde_json_rejects_are_refused() {
        for text in ["01", "1.", "+1", "-", "1e", ".5", "1e999", "-1e999"] {
            let mut cursor = JsonCursor::new(text);
            let unread = cursor.unread_number().is_some() && cursor.at_end();
            assert!(!unread, "{text}");
            assert!(serde_json::from_str::<f64>(text).is_err(), "{text}");
        }
        let mut cursor = JsonCursor::new(" -12.5e3 ");
        assert!(cursor.unread_number().is_some() && cursor.at_end());
    }

    #[test]
    fn strings_with_escapes_or_control_characters_are_refused() {
        assert_eq!(JsonCursor::new(r#" "abc" "#).string(), Some("abc"));
        assert_eq!(JsonCursor::new(r#""é""#).string(), Some("é"));
        for text in [r#""a\"b""#, r#""a\u0062""#, "\"a\tb\"", "\"abc", "abc"] {
            assert_eq!(JsonCursor::new(text).string(), None, "{text}");
        }
    }

    #[test]
    fn arrays_and_objects_give_up_on_a_missing_separator_or_a_repeated_key() {
        fn read(text: &str) -> Option<Vec<(&str, f64)>> {
            let mut found = Vec::new();
            let mut json = JsonCursor::new(text);
            let read = json.array(|json| {
                let mut keys = Vec::new();
                json.object(|key, json| {
                    found.push((key, json.number()?));
                    let fresh = !keys.contains(&key);
                    keys.push(key);
                    Some(fresh)
                })
            });
            (read.is_some() && json.at_end()).then_some(found)
        }
        assert_eq!(read(" [ ] "), Some(vec![]));
        assert_eq!(read("[{}]"), Some(vec![]));
        assert_eq!(
            read(r#"[{"a": 1, "b": 2}, {"a": 3}]"#),
            Some(vec![("a", 1.0), ("b", 2.0), ("a", 3.0)])
        );
        for text in [
            r#"[{"a": 1 "b": 2}]"#,
            r#"[{"a": 1, "a": 2}]"#,
            r#"[{"a": 1},]"#,
            "[{}] x",
            "[{]",
        ] {
            assert_eq!(read(text), None, "{text}");
        }
    }

    #[test]
    fn booleans_report_their_true_entries_and_length() {
        for (text, trues, len) in [
            ("[]", vec![], 0),
            ("[ ]", vec![], 0),
            ("[true,false,true]", vec![0, 2], 3),
            ("[ false , true ]", vec![1], 2),
        ] {
            let mut found = Vec::new();
            let n = JsonCursor::new(text).booleans(|j| found.push(j));
            assert_eq!((n, found), (Some(len), trues), "{text}");
        }
        for text in ["[0]", "[false,]", "[tru]", "[false true]"] {
            assert_eq!(JsonCursor::new(text).booleans(|_| {}), None, "{text}");
        }
    }
}
