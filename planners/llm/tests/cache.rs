//! The record/replay cache against a scripted local server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use waymark_llm::scripted_server::{
    API_KEY, Reply, TestServer, closed_port_url, completion_json, test_config,
};
use waymark_llm::{
    CacheMode, ChatRequest, ContentPart, LlmClient, LlmConfig, Message, Prices, Secret,
};

fn cached_config(url: &str, dir: &Path, mode: CacheMode) -> LlmConfig {
    let mut config = test_config(url);
    config.cache_mode = mode;
    config.cache_dir = Some(dir.to_owned());
    config
}

fn request(text: &str) -> ChatRequest {
    ChatRequest::new(vec![
        Message::system("You navigate houses."),
        Message::user_parts(vec![
            ContentPart::Text(text.to_owned()),
            ContentPart::PngImage(vec![0x89, b'P', b'N', b'G', 1, 2, 3]),
        ]),
    ])
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_then_replays_byte_for_byte_without_the_server() {
    // Odd spacing and number formatting: a replay must keep the server's exact bytes.
    let raw = "{ \"choices\" : [ {\"message\": {\"role\":\"assistant\",\"content\":\"turn left\"},\
               \"finish_reason\":\"stop\"} ],\n  \"usage\": {\"prompt_tokens\": 40, \
               \"completion_tokens\": 2, \"total_tokens\": 42}, \"x\": 1.50 }";
    let server = TestServer::always(Reply::ok(raw));
    let dir = tempfile::tempdir().unwrap();
    let mut config = cached_config(&server.url(), dir.path(), CacheMode::ReadWrite);
    config.prices = Some(Prices {
        prompt_per_1k_usd: 1.0,
        completion_per_1k_usd: 1.0,
    });
    let client = LlmClient::new(config.clone()).unwrap();

    let first = client.chat(&request("where?")).await.unwrap();
    assert!(!first.cached);
    assert_eq!(first.raw, raw);
    assert_eq!(server.request_count(), 1);

    let second = client.chat(&request("where?")).await.unwrap();
    assert_eq!(server.request_count(), 1, "a cache hit went to the server");
    assert!(second.cached);
    assert_eq!(second.raw, first.raw);
    assert_eq!(second.content, "turn left");
    assert_eq!(second.cache_key, first.cache_key);
    assert_eq!(second.usage.cached_calls, 1);
    assert_eq!(second.usage.prompt_tokens, 40);
    assert_eq!(second.usage.cost_usd, Some(0.0));
    let total = client.usage_meter().usage();
    assert_eq!((total.calls, total.cached_calls), (2, 1));

    // One file, where the key says, holding the request and not the secret or the URL.
    let files = files_under(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let key = &first.cache_key;
    assert_eq!(
        files[0],
        dir.path().join(&key[..2]).join(format!("{key}.json"))
    );
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(!text.contains(API_KEY));
    assert!(!text.contains(&server.url()));
    assert!(text.contains("data:image/png;base64,"));
    assert!(text.contains("test-model"));

    // The server is gone; replay-only answers from disk with the same bytes.
    drop(server);
    config.base_url = closed_port_url();
    config.cache_mode = CacheMode::ReplayOnly;
    config.api_key = None;
    let replay = LlmClient::new(config).unwrap();
    let replayed = replay.chat(&request("where?")).await.unwrap();
    assert!(replayed.cached);
    assert_eq!(replayed.raw.as_bytes(), raw.as_bytes());
    assert_eq!(replayed.content, first.content);
    assert_eq!(replayed.token_usage, first.token_usage);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_only_miss_never_touches_the_network() {
    let server = TestServer::always(Reply::completion("live", 1, 1));
    let dir = tempfile::tempdir().unwrap();
    let client = LlmClient::new(cached_config(
        &server.url(),
        dir.path(),
        CacheMode::ReplayOnly,
    ))
    .unwrap();
    let err = client.chat(&request("unseen")).await.unwrap_err();
    assert_eq!(err.cause(), "cache_miss", "{err:?}");
    assert_eq!(err.attempts(), 0);
    let (_, key) = client.body_and_key(&request("unseen"));
    assert!(err.to_string().contains(&key), "{err}");
    assert_eq!(server.request_count(), 0);
    assert!(files_under(dir.path()).is_empty());
    assert_eq!(client.usage_meter().failures().get("cache_miss"), Some(&1));
}

#[test]
fn the_key_depends_on_the_request_only() {
    let dir = tempfile::tempdir().unwrap();
    let a = LlmClient::new(cached_config(
        "http://127.0.0.1:1/v1",
        dir.path(),
        CacheMode::ReadWrite,
    ))
    .unwrap();
    let mut other = cached_config("https://api.example.invalid/v1", dir.path(), CacheMode::Off);
    other.api_key = Some(Secret::new("another-key"));
    let b = LlmClient::new(other).unwrap();
    assert_eq!(a.body_and_key(&request("x")), b.body_and_key(&request("x")));
    let (body, key) = a.body_and_key(&request("x"));
    assert_eq!(key, waymark_llm::cache_key(&body));
    assert_ne!(key, a.body_and_key(&request("y")).1);
    assert_ne!(key, a.body_and_key(&request("x").with_temperature(0.5)).1);
    let mut other_model = cached_config("http://127.0.0.1:1/v1", dir.path(), CacheMode::Off);
    other_model.model = "another-model".into();
    assert_ne!(
        key,
        LlmClient::new(other_model)
            .unwrap()
            .body_and_key(&request("x"))
            .1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_writers_leave_only_whole_entries() {
    let server = TestServer::start(|n, received| {
        let prompt = received.json()["messages"][1]["content"][0]["text"]
            .as_str()
            .unwrap()
            .to_owned();
        Reply::ok(completion_json(&format!("answer {n} to {prompt}"), 5, 5))
    });
    let dir = tempfile::tempdir().unwrap();
    let mut config = cached_config(&server.url(), dir.path(), CacheMode::ReadWrite);
    config.concurrency = 16;
    let client = LlmClient::new(config).unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    // 24 distinct requests and 8 copies of one more, all at once.
    for i in 0..32 {
        let client = client.clone();
        let text = if i < 24 {
            format!("q{i}")
        } else {
            "same".to_owned()
        };
        tasks.spawn(async move { client.chat(&request(&text)).await });
    }
    while let Some(result) = tasks.join_next().await {
        result.unwrap().unwrap();
    }
    let files = files_under(dir.path());
    assert_eq!(files.len(), 25, "{files:?}");
    for file in &files {
        let entry: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        assert_eq!(entry["format"], "waymark-llm-cache/1");
        assert!(
            file.to_string_lossy()
                .ends_with(&format!("{}.json", entry["key"].as_str().unwrap()))
        );
    }
    // Every one replays.
    let served = server.request_count();
    for i in 0..24 {
        assert!(
            client
                .chat(&request(&format!("q{i}")))
                .await
                .unwrap()
                .cached
        );
    }
    assert!(client.chat(&request("same")).await.unwrap().cached);
    assert_eq!(server.request_count(), served);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_entry_is_refetched_in_read_write_and_an_error_in_replay_only() {
    let server = TestServer::always(Reply::completion("fresh", 1, 1));
    let dir = tempfile::tempdir().unwrap();
    let config = cached_config(&server.url(), dir.path(), CacheMode::ReadWrite);
    let client = LlmClient::new(config.clone()).unwrap();
    let (_, key) = client.body_and_key(&request("q"));
    let path = dir.path().join(&key[..2]).join(format!("{key}.json"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "{\"format\": \"waymark-llm-cache/1\", \"key\"").unwrap();

    let mut replay_config = config.clone();
    replay_config.cache_mode = CacheMode::ReplayOnly;
    let err = LlmClient::new(replay_config.clone())
        .unwrap()
        .chat(&request("q"))
        .await
        .unwrap_err();
    assert_eq!(err.cause(), "cache_corrupt", "{err:?}");
    assert!(err.to_string().contains(&key), "{err}");
    assert_eq!(server.request_count(), 0);

    let response = client.chat(&request("q")).await.unwrap();
    assert_eq!(response.content, "fresh");
    assert_eq!(server.request_count(), 1);
    let replayed = LlmClient::new(replay_config)
        .unwrap()
        .chat(&request("q"))
        .await
        .unwrap();
    assert_eq!(replayed.raw, response.raw);
}
