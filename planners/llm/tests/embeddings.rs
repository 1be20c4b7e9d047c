//! Embeddings against a scripted local server: order, request shape, cache, retries, faults.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use waymark_llm::scripted_server::{
    API_KEY, Reply, TestServer, closed_port_url, embeddings_json, test_config,
};
use waymark_llm::{
    BlockingLlmClient, CacheMode, ChatRequest, LlmClient, LlmConfig, LlmError, Message, Prices,
    UsageMeter,
};

const MODEL: &str = "test-embedder";

fn texts(items: &[&str]) -> Vec<String> {
    items.iter().map(|&text| text.to_owned()).collect()
}

fn vectors() -> Vec<Vec<f32>> {
    vec![
        vec![1.0, 0.0, 0.5],
        vec![0.0, 1.0, -0.5],
        vec![0.25, 0.25, 2.0],
    ]
}

fn cached_config(url: &str, dir: &Path, mode: CacheMode) -> LlmConfig {
    let mut config = test_config(url);
    config.cache_mode = mode;
    config.cache_dir = Some(dir.to_owned());
    config
}

fn cache_files(dir: &Path) -> usize {
    let Ok(shards) = std::fs::read_dir(dir) else {
        return 0;
    };
    shards
        .map(|shard| std::fs::read_dir(shard.unwrap().path()).unwrap().count())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vectors_come_back_in_input_order_when_the_server_shuffles_them() {
    let server = TestServer::always(Reply::ok(embeddings_json(&vectors(), &[2, 0, 1], 9)));
    let mut config = test_config(&server.url());
    config.prices = Some(Prices {
        prompt_per_1k_usd: 1.0,
        completion_per_1k_usd: 2.0,
    });
    let client = LlmClient::new(config).unwrap();
    let episode = UsageMeter::new();
    let embedded = client
        .metered(episode.clone())
        .embed(MODEL, &texts(&["kitchen", "hallway", "bedroom"]))
        .await
        .unwrap();
    assert_eq!(embedded, vectors());
    let usage = episode.usage();
    assert_eq!((usage.calls, usage.cached_calls), (1, 0));
    assert_eq!((usage.prompt_tokens, usage.completion_tokens), (9, 0));
    assert!((usage.cost_usd.unwrap() - 0.009).abs() < 1e-12, "{usage:?}");
    assert_eq!(client.usage_meter().usage(), usage);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_goes_to_v1_embeddings_with_the_model_and_inputs() {
    let server = TestServer::always(Reply::embeddings(&vectors()[..2], 4));
    let client = LlmClient::new(test_config(&server.url())).unwrap();
    assert!(server.url().ends_with("/v1"));
    client
        .embed(MODEL, &texts(&["a chair", "a sofa"]))
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/embeddings");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {API_KEY}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.json(),
        serde_json::json!({"model": MODEL, "input": ["a chair", "a sofa"]})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_inputs_send_no_request() {
    let server = TestServer::always(Reply::embeddings(&vectors(), 1));
    let client = LlmClient::new(test_config(&server.url())).unwrap();
    assert!(client.embed(MODEL, &[]).await.unwrap().is_empty());
    assert_eq!(server.request_count(), 0);
    assert_eq!(client.usage_meter().usage().calls, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_identical_call_is_served_from_the_cache() {
    let server = TestServer::always(Reply::ok(embeddings_json(&vectors(), &[1, 2, 0], 6)));
    let dir = tempfile::tempdir().unwrap();
    let inputs = texts(&["a", "b", "c"]);
    let config = cached_config(&server.url(), dir.path(), CacheMode::ReadWrite);
    let client = LlmClient::new(config.clone()).unwrap();
    let first = client.embed(MODEL, &inputs).await.unwrap();
    assert_eq!(server.request_count(), 1);
    assert_eq!(cache_files(dir.path()), 1);
    let second = client.embed(MODEL, &inputs).await.unwrap();
    assert_eq!(server.request_count(), 1, "a cache hit went to the server");
    assert_eq!(second, first);
    let usage = client.usage_meter().usage();
    assert_eq!((usage.calls, usage.cached_calls), (2, 1));
    assert_eq!(usage.prompt_tokens, 12);

    // Another model is another request.
    client.embed("other-model", &inputs).await.unwrap();
    assert_eq!(server.request_count(), 2);

    // With the server gone, replay-only answers from disk.
    drop(server);
    let mut replay_config = config;
    replay_config.base_url = closed_port_url();
    replay_config.cache_mode = CacheMode::ReplayOnly;
    let replay = LlmClient::new(replay_config).unwrap();
    assert_eq!(replay.embed(MODEL, &inputs).await.unwrap(), first);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_only_with_an_empty_cache_is_a_cache_miss() {
    let server = TestServer::always(Reply::embeddings(&vectors()[..1], 1));
    let dir = tempfile::tempdir().unwrap();
    let client = LlmClient::new(cached_config(
        &server.url(),
        dir.path(),
        CacheMode::ReplayOnly,
    ))
    .unwrap();
    let inputs = texts(&["unseen"]);
    let err = client.embed(MODEL, &inputs).await.unwrap_err();
    assert!(matches!(err, LlmError::CacheMiss { .. }), "{err:?}");
    assert_eq!(err.attempts(), 0);
    let (_, key) = client.embeddings_body_and_key(MODEL, &inputs);
    assert!(err.to_string().contains(&key), "{err}");
    assert_eq!(server.request_count(), 0);
    assert_eq!(client.usage_meter().failures().get("cache_miss"), Some(&1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_and_embeddings_entries_never_stand_in_for_each_other() {
    let server = TestServer::start(|_, received| {
        if received.path.ends_with("/embeddings") {
            Reply::embeddings(&vectors()[..1], 1)
        } else {
            Reply::completion("ok", 1, 1)
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let config = cached_config(&server.url(), dir.path(), CacheMode::ReadWrite);
    let client = LlmClient::new(config.clone()).unwrap();
    let inputs = texts(&["hello"]);
    let chat = ChatRequest::new(vec![Message::user("hello")]);
    client.embed(MODEL, &inputs).await.unwrap();
    assert_ne!(
        client.embeddings_body_and_key(MODEL, &inputs).1,
        client.body_and_key(&chat).1
    );
    let mut replay_config = config;
    replay_config.cache_mode = CacheMode::ReplayOnly;
    let replay = LlmClient::new(replay_config).unwrap();
    let err = replay.chat(&chat).await.unwrap_err();
    assert_eq!(err.cause(), "cache_miss", "{err:?}");
    assert_eq!(replay.embed(MODEL, &inputs).await.unwrap(), &vectors()[..1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_then_success_is_retried() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::error(500, "the embedder restarted"),
        _ => Reply::embeddings(&vectors(), 3),
    });
    let client = LlmClient::new(test_config(&server.url())).unwrap();
    let embedded = client.embed(MODEL, &texts(&["x", "y", "z"])).await.unwrap();
    assert_eq!(embedded, vectors());
    assert_eq!(server.request_count(), 2);
    assert!(server.requests().iter().all(|r| r.path == "/v1/embeddings"));
    assert_eq!(client.usage_meter().usage().calls, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persistent_errors_name_the_embeddings_url() {
    let server = TestServer::always(Reply::error(503, "no embedder loaded"));
    let client = LlmClient::new(test_config(&server.url())).unwrap();
    let err = client.embed(MODEL, &texts(&["x"])).await.unwrap_err();
    assert_eq!(err.cause(), "http_503", "{err:?}");
    assert_eq!(err.attempts(), 4);
    let text = err.to_string();
    assert!(
        text.contains(&format!("{}/embeddings", server.url())),
        "{text}"
    );
    assert!(text.contains("no embedder loaded"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_answer_is_a_bad_response_naming_the_cause() {
    let three = vectors();
    let ragged = vec![vec![1.0, 2.0], vec![3.0]];
    for (body, inputs, cause) in [
        (
            embeddings_json(&three, &[0, 1, 1], 1),
            3,
            "index 1 appears more than once",
        ),
        (
            embeddings_json(&three, &[0, 2], 1),
            2,
            "index 2, but 2 input(s)",
        ),
        (
            embeddings_json(&three, &[0, 1], 1),
            3,
            "no embedding for input 2",
        ),
        (embeddings_json(&ragged, &[0, 1], 1), 2, "has 1 dimensions"),
        (
            r#"{"data":[{"embedding":[1.0]}]}"#.to_owned(),
            1,
            "data[0] has no index",
        ),
        ("<html>proxy login</html>".to_owned(), 1, "proxy login"),
        (
            embeddings_json(&three, &[0], 1).replace("[1.0,0.0,0.5]", "\"AAAA\""),
            1,
            "not an embeddings body",
        ),
    ] {
        let server = TestServer::always(Reply::ok(body));
        let dir = tempfile::tempdir().unwrap();
        let client = LlmClient::new(cached_config(
            &server.url(),
            dir.path(),
            CacheMode::ReadWrite,
        ))
        .unwrap();
        let inputs: Vec<String> = (0..inputs).map(|i| format!("text {i}")).collect();
        let err = client.embed(MODEL, &inputs).await.unwrap_err();
        assert!(matches!(err, LlmError::BadResponse { .. }), "{err:?}");
        assert_eq!(err.attempts(), 1);
        let text = err.to_string();
        assert!(text.contains(cause), "{text} lacks {cause}");
        assert!(
            text.contains(&format!("{}/embeddings", server.url())),
            "{text}"
        );
        assert_eq!(server.request_count(), 1, "a bad answer was retried");
        assert_eq!(cache_files(dir.path()), 0, "a bad answer was recorded");
        assert_eq!(
            client.usage_meter().failures().get("bad_response"),
            Some(&1)
        );
    }
}

#[test]
fn the_blocking_client_embeds() {
    let server = TestServer::always(Reply::ok(embeddings_json(&vectors(), &[2, 1, 0], 5)));
    let client = BlockingLlmClient::new(test_config(&server.url())).unwrap();
    let embedded = client.embed(MODEL, &texts(&["a", "b", "c"])).unwrap();
    assert_eq!(embedded, vectors());
    assert_eq!(client.usage_meter().usage().prompt_tokens, 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_blocking_client_refuses_to_embed_inside_a_runtime() {
    let server = TestServer::always(Reply::embeddings(&vectors(), 1));
    let client = std::thread::spawn({
        let url = server.url();
        move || BlockingLlmClient::new(test_config(&url)).unwrap()
    })
    .join()
    .unwrap();
    let err = client.embed(MODEL, &texts(&["a"])).unwrap_err();
    assert_eq!(err.cause(), "inside_runtime");
    assert_eq!(server.request_count(), 0);
    drop(client);
}
