//! Deterministic shards: `--shard I/N` takes every instruction whose position in the episode
//! file is `I` modulo `N`, so N machines each run one shard and together cover the file once.

use crate::error::EvalError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One shard of a batch: index `index` (0-based) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ShardSpec {
    /// This shard, `0 ≤ index < count`.
    pub index: usize,
    /// How many shards.
    pub count: usize,
}

impl ShardSpec {
    /// The whole batch as a single shard.
    pub const WHOLE: Self = Self { index: 0, count: 1 };

    /// Whether the instruction at `position` of the episode file belongs to this shard.
    pub fn contains(&self, position: usize) -> bool {
        position % self.count == self.index
    }
}

impl FromStr for ShardSpec {
    type Err = EvalError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || EvalError::BadShard {
            text: text.to_string(),
        };
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Self { index, count })
    }
}

impl fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl TryFrom<String> for ShardSpec {
    type Error = EvalError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<ShardSpec> for String {
    fn from(shard: ShardSpec) -> Self {
        shard.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_partitions() {
        let shards: Vec<ShardSpec> = (0..3).map(|i| format!("{i}/3").parse().unwrap()).collect();
        for position in 0..100 {
            assert_eq!(shards.iter().filter(|s| s.contains(position)).count(), 1);
        }
        assert_eq!(shards[2].to_string(), "2/3");
        for bad in ["3/3", "1", "a/2", "0/0", "-1/2"] {
            assert!(bad.parse::<ShardSpec>().is_err(), "{bad}");
        }
    }
}
