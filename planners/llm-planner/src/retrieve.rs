//! Choosing the in-context examples: the k pool tasks whose goals are nearest the episode's,
//! most similar first, ties to the earlier pool row (as LLM-Planner's kNN). Nearness is the
//! cosine similarity of sentence embeddings (the paper's retriever, here any
//! OpenAI-compatible `/v1/embeddings` model), or BM25 over the goals' words when no
//! embedding model is given.

use std::collections::HashMap;

/// How goals are compared.
#[derive(Clone, Debug)]
pub enum Retriever {
    /// Cosine similarity of the pool goals' embeddings (one per pool row) with the query's.
    Embeddings(Vec<Vec<f32>>),
    /// BM25 over the pool goals.
    Bm25(Bm25),
}

impl Retriever {
    /// The `k` most similar pool rows to the query: its embedding (for
    /// [`Retriever::Embeddings`]) or its text (for [`Retriever::Bm25`]).
    pub fn nearest(&self, query: Query<'_>, k: usize) -> Vec<usize> {
        let scores: Vec<f64> = match (self, query) {
            (Self::Embeddings(pool), Query::Embedding(q)) => {
                pool.iter().map(|row| cosine(row, q)).collect()
            }
            (Self::Bm25(index), Query::Text(q)) => index.scores(q),
            // A query of the other kind matches nothing better than anything else.
            (Self::Embeddings(pool), Query::Text(_)) => vec![0.0; pool.len()],
            (Self::Bm25(index), Query::Embedding(_)) => vec![0.0; index.docs.len()],
        };
        top_k(&scores, k)
    }
}

/// What a query is compared by.
#[derive(Clone, Copy, Debug)]
pub enum Query<'a> {
    /// Its embedding.
    Embedding(&'a [f32]),
    /// Its text.
    Text(&'a str),
}

/// The indices of the `k` highest scores, highest first, ties to the lower index. A NaN score
/// (a zero vector) ranks last.
fn top_k(scores: &[f64], k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    let key = |i: usize| {
        if scores[i].is_nan() {
            f64::NEG_INFINITY
        } else {
            scores[i]
        }
    };
    // Stable: equal scores keep the pool's order.
    order.sort_by(|&a, &b| key(b).total_cmp(&key(a)));
    order.truncate(k);
    order
}

/// Cosine similarity, computed in f64.
fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let (mut dot, mut na, mut nb) = (0.0f64, 0.0f64, 0.0f64);
    for (&x, &y) in a.iter().zip(b) {
        let (x, y) = (f64::from(x), f64::from(y));
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    dot / (na.sqrt() * nb.sqrt())
}

/// Okapi BM25 (k1 = 1.2, b = 0.75, idf = ln(1 + (N − df + 0.5) / (df + 0.5))) over words
/// (lower-case runs of letters and digits). Written here: the crates that offer BM25 bring
/// their own tokenisers, stemmers and stop-word lists, which would make the fallback's
/// choices depend on a language model of theirs rather than on this documented formula.
#[derive(Clone, Debug)]
pub struct Bm25 {
    docs: Vec<HashMap<String, u32>>,
    lengths: Vec<f64>,
    document_frequency: HashMap<String, u32>,
    mean_length: f64,
}

const K1: f64 = 1.2;
const B: f64 = 0.75;

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

impl Bm25 {
    /// An index of `docs`.
    pub fn new<S: AsRef<str>>(docs: &[S]) -> Self {
        let docs: Vec<HashMap<String, u32>> = docs
            .iter()
            .map(|d| {
                let mut counts = HashMap::new();
                for w in words(d.as_ref()) {
                    *counts.entry(w).or_insert(0) += 1;
                }
                counts
            })
            .collect();
        let lengths: Vec<f64> = docs
            .iter()
            .map(|d| f64::from(d.values().sum::<u32>()))
            .collect();
        let mut document_frequency = HashMap::new();
        for d in &docs {
            for w in d.keys() {
                *document_frequency.entry(w.clone()).or_insert(0) += 1;
            }
        }
        let mean_length = lengths.iter().sum::<f64>() / lengths.len().max(1) as f64;
        Self {
            docs,
            lengths,
            document_frequency,
            mean_length,
        }
    }

    /// Each document's score for `query`.
    pub fn scores(&self, query: &str) -> Vec<f64> {
        let n = self.docs.len() as f64;
        let query: Vec<String> = words(query).collect();
        self.docs
            .iter()
            .zip(&self.lengths)
            .map(|(doc, &len)| {
                query
                    .iter()
                    .map(|w| {
                        let tf = f64::from(doc.get(w).copied().unwrap_or(0));
                        if tf == 0.0 {
                            return 0.0;
                        }
                        let df = f64::from(self.document_frequency.get(w).copied().unwrap_or(0));
                        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
                        let norm = if self.mean_length > 0.0 {
                            len / self.mean_length
                        } else {
                            1.0
                        };
                        idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * norm))
                    })
                    .sum()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bm25_prefers_shared_rare_words_and_keeps_pool_order_on_ties() {
        let docs = [
            "Put a clean mug in the coffee maker.",
            "Put a warm egg in the trash.",
            "Put a warm egg in the trash.",
            "Look at a book under the lamp.",
        ];
        let r = Retriever::Bm25(Bm25::new(&docs));
        // Both egg goals first (equal: pool order), then the shorter goal sharing only "a".
        assert_eq!(
            r.nearest(Query::Text("Throw a heated egg away"), 3),
            [1, 2, 3]
        );
        assert_eq!(r.nearest(Query::Text("lamp"), 1), [3]);
        // Nothing in common: the pool's order.
        assert_eq!(r.nearest(Query::Text("zebra"), 2), [0, 1]);
    }

    #[test]
    fn bm25_scores_are_the_formula() {
        // Two documents of two and four words; "egg" in the first only.
        let index = Bm25::new(&["egg egg", "a b c d"]);
        let s = index.scores("egg");
        let idf = (1.0f64 + (2.0 - 1.0 + 0.5) / (1.0 + 0.5)).ln();
        let norm = 2.0 / 3.0;
        let expected = idf * 2.0 * 2.2 / (2.0 + 1.2 * (0.25 + 0.75 * norm));
        assert!((s[0] - expected).abs() < 1e-12, "{s:?}");
        assert_eq!(s[1], 0.0);
    }

    #[test]
    fn embeddings_rank_by_cosine_most_similar_first() {
        let pool = vec![
            vec![1.0, 0.0],
            vec![0.0, 1.0],
            vec![0.7, 0.7],
            vec![2.0, 0.0],
        ];
        let r = Retriever::Embeddings(pool);
        // Rows 0 and 3 tie (cosine 1): the earlier first.
        assert_eq!(r.nearest(Query::Embedding(&[1.0, 0.1]), 3), [0, 3, 2]);
        assert_eq!(r.nearest(Query::Embedding(&[0.0, 0.0]), 2), [0, 1]);
    }
}
