//! Retry delays: exponential backoff with full jitter, and `Retry-After`.

use std::time::Duration;

/// The delay before retry number `retry` (0 for the first): uniform in
/// `[0, min(cap, base · 2^retry)]`, drawn from `noise` (any 64 random bits).
pub fn full_jitter(base: Duration, cap: Duration, retry: u32, noise: u64) -> Duration {
    let ceiling = base
        .checked_mul(1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX))
        .unwrap_or(cap)
        .min(cap);
    // 53 random bits → a uniform fraction in [0, 1].
    let fraction = (noise >> 11) as f64 / ((1u64 << 53) - 1) as f64;
    ceiling.mul_f64(fraction)
}

/// SplitMix64: well-mixed 64 bits from a seed and a counter, for seeded jitter.
pub fn splitmix64(mut state: u64) -> u64 {
    state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A `Retry-After` header's delay when it is a number of seconds (HTTP dates are ignored).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let seconds: f64 = value.trim().parse().ok()?;
    Duration::try_from_secs_f64(seconds).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_under_the_exponential_ceiling_and_the_cap() {
        let base = Duration::from_millis(100);
        let cap = Duration::from_millis(700);
        for retry in 0..40 {
            let ceiling = (base * 2u32.saturating_pow(retry.min(20))).min(cap);
            for seed in 0..50 {
                let delay = full_jitter(base, cap, retry, splitmix64(seed));
                assert!(delay <= ceiling, "retry {retry}: {delay:?} > {ceiling:?}");
            }
        }
        assert_eq!(
            full_jitter(base, cap, 2, u64::MAX),
            Duration::from_millis(400)
        );
        assert_eq!(full_jitter(base, cap, 2, 0), Duration::ZERO);
    }

    #[test]
    fn splitmix_spreads_consecutive_counters() {
        let draws: Vec<u64> = (0..4).map(splitmix64).collect();
        assert!(draws.windows(2).all(|pair| pair[0] != pair[1]));
    }

    #[test]
    fn retry_after_takes_seconds_only() {
        assert_eq!(parse_retry_after(" 2 "), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("0.5"), Some(Duration::from_millis(500)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }
}
