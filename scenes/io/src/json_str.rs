//! A JSON string borrowed from the input when it can be.

use serde::de::{Deserialize, Deserializer, Error, Visitor};
use std::borrow::Cow;
use std::fmt;

/// A string read from JSON: borrowed from the input bytes, or owned when the text holds an
/// escape. serde's own `Cow<str>` borrows only as a direct `#[serde(borrow)]` field, never
/// inside a `Vec` or a tuple, which is where large files (trajectories of ids) hold their
/// strings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonStr<'a>(pub Cow<'a, str>);

impl JsonStr<'_> {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for JsonStr<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = JsonStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: Error>(self, text: &'de str) -> Result<Self::Value, E> {
                Ok(JsonStr(Cow::Borrowed(text)))
            }
            fn visit_str<E: Error>(self, text: &str) -> Result<Self::Value, E> {
                Ok(JsonStr(Cow::Owned(text.to_owned())))
            }
            fn visit_string<E: Error>(self, text: String) -> Result<Self::Value, E> {
                Ok(JsonStr(Cow::Owned(text)))
            }
        }
        deserializer.deserialize_str(StrVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrows_plain_strings_and_owns_escaped_ones() {
        let ids: Vec<(JsonStr<'_>, f64)> =
            serde_json::from_str(r#"[["abc", 1.0], ["a\"b", 2.0]]"#).unwrap();
        assert!(matches!(ids[0].0.0, Cow::Borrowed("abc")));
        assert!(matches!(&ids[1].0.0, Cow::Owned(s) if s == "a\"b"));
        assert!(serde_json::from_str::<JsonStr<'_>>("3").is_err());
    }
}
