//! Reading the model's answer: the first integer in it that is a candidate id (ASCII or
//! Arabic-Indic digits; any text around it allowed).

/// Why an answer names no candidate; [`ParseFailure::cause`] names the counter
/// (`failure.<cause>`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseFailure {
    /// The answer holds no integer.
    #[error("the answer holds no object id")]
    NoId,
    /// The answer's integers (the first few, as written) are none of the candidates' ids.
    #[error("the answer's ids {0:?} are not candidates")]
    InventedId(Vec<String>),
}

impl ParseFailure {
    /// The counter's name, after `failure.`.
    pub fn cause(&self) -> &'static str {
        match self {
            Self::NoId => "no_id",
            Self::InventedId(_) => "invented_id",
        }
    }
}

/// How many of an answer's integers an [`ParseFailure::InventedId`] keeps.
const SHOWN: usize = 5;

/// The first integer of `answer` for which `is_candidate` holds.
pub fn parse_answer(answer: &str, is_candidate: impl Fn(u32) -> bool) -> Result<u32, ParseFailure> {
    let integers = integers(answer);
    if integers.is_empty() {
        return Err(ParseFailure::NoId);
    }
    integers
        .iter()
        .find_map(|digits| digits.parse::<u32>().ok().filter(|&id| is_candidate(id)))
        .ok_or_else(|| ParseFailure::InventedId(integers.into_iter().take(SHOWN).collect()))
}

/// The runs of decimal digits of `text`, in order, as ASCII digits.
fn integers(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut run = String::new();
    for c in text.chars() {
        match digit(c) {
            Some(d) => run.push(d),
            None if !run.is_empty() => found.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        found.push(run);
    }
    found
}

/// `c` as an ASCII digit, when it is one or an Arabic-Indic one (`٣`).
fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '\u{0660}'..='\u{0669}' => char::from_digit(u32::from(c) - 0x0660, 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidates(id: u32) -> bool {
        [14, 19, 20].contains(&id)
    }

    #[test]
    fn the_first_candidate_id_is_read_through_prose() {
        assert_eq!(parse_answer("19", candidates), Ok(19));
        assert_eq!(parse_answer(" Object id: 20.\n", candidates), Ok(20));
        // Integers that are not candidates are passed over.
        assert_eq!(
            parse_answer("Step 2 names the tv, object 20 (not 19).", candidates),
            Ok(20)
        );
        assert_eq!(parse_answer("المعرّف ١٤", candidates), Ok(14));
    }

    #[test]
    fn answers_without_a_candidate_say_why() {
        let none = parse_answer("the sofa", candidates);
        assert_eq!(none, Err(ParseFailure::NoId));
        assert_eq!(none.unwrap_err().cause(), "no_id");
        let invented = parse_answer("7 or 99999999999", candidates);
        assert_eq!(
            invented,
            Err(ParseFailure::InventedId(vec![
                "7".into(),
                "99999999999".into()
            ]))
        );
        assert_eq!(invented.unwrap_err().cause(), "invented_id");
        assert_eq!(parse_answer("", candidates), Err(ParseFailure::NoId));
    }
}
