//! Client throughput against an in-process server that answers after 200 ms, at concurrency
//! 1, 8 and 64, next to the ideal concurrency ÷ 0.2 s; and the client's own cost per call
//! against a server that answers at once, and per cache hit.
//!
//! `cargo bench -p waymark-llm --bench throughput`
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use waymark_llm::scripted_server::{Reply, TestServer, test_config};
use waymark_llm::{CacheMode, ChatRequest, LlmClient, Message};

const SERVER_DELAY: Duration = Duration::from_millis(200);

fn request(i: usize) -> ChatRequest {
    ChatRequest::new(vec![
        Message::system("You are a navigation agent. Answer with one viewpoint id."),
        Message::user(format!(
            "Step {i}: candidates are a, b, c, d. Which one leads to the kitchen?"
        )),
    ])
}

/// Runs `calls` calls with at most `concurrency` in flight; returns the wall time.
async fn run(client: &LlmClient, calls: usize, offset: usize) -> Duration {
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..calls {
        let client = client.clone();
        tasks.spawn(async move { client.chat(&request(offset + i)).await });
    }
    while let Some(result) = tasks.join_next().await {
        result.unwrap().unwrap();
    }
    start.elapsed()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();

    println!("throughput against a server answering after {SERVER_DELAY:?}:");
    let slow = TestServer::always(Reply::completion("b", 60, 1).with_delay(SERVER_DELAY));
    for (concurrency, calls) in [(1usize, 16usize), (8, 64), (64, 256)] {
        let mut config = test_config(&slow.url());
        config.concurrency = concurrency;
        let client = LlmClient::new(config).unwrap();
        let elapsed = runtime.block_on(run(&client, calls, 0));
        let rate = calls as f64 / elapsed.as_secs_f64();
        let ideal = concurrency as f64 / SERVER_DELAY.as_secs_f64();
        println!(
            "  concurrency {concurrency:>2}: {calls:>3} calls in {:>6.3} s = {rate:>6.1} calls/s \
             (ideal {ideal:>5.1}, {:>5.1} %)",
            elapsed.as_secs_f64(),
            100.0 * rate / ideal
        );
    }
    drop(slow);

    println!("client overhead against a server answering at once:");
    let fast = TestServer::always(Reply::completion("b", 60, 1));
    let client = LlmClient::new(test_config(&fast.url())).unwrap();
    runtime.block_on(run(&client, 50, 0));
    let calls = 2000;
    let sequential = runtime.block_on(async {
        let start = Instant::now();
        for i in 0..calls {
            client.chat(&request(i)).await.unwrap();
        }
        start.elapsed()
    });
    println!(
        "  sequential: {:>6.1} µs per call (round trip incl. the in-process server)",
        sequential.as_secs_f64() * 1e6 / calls as f64
    );
    let mut config = test_config(&fast.url());
    config.concurrency = 8;
    let client8 = LlmClient::new(config).unwrap();
    let parallel = runtime.block_on(run(&client8, calls, 0));
    println!(
        "  concurrency 8: {:>6.0} calls/s",
        calls as f64 / parallel.as_secs_f64()
    );

    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(&fast.url());
    config.cache_mode = CacheMode::ReadWrite;
    config.cache_dir = Some(dir.path().to_owned());
    let cached = LlmClient::new(config).unwrap();
    let hits = 2000;
    runtime.block_on(async {
        for i in 0..hits {
            cached.chat(&request(i)).await.unwrap();
        }
    });
    let replay = runtime.block_on(async {
        let start = Instant::now();
        for i in 0..hits {
            assert!(cached.chat(&request(i)).await.unwrap().cached);
        }
        start.elapsed()
    });
    println!(
        "  cache hit: {:>6.1} µs per call",
        replay.as_secs_f64() * 1e6 / hits as f64
    );
}
