//! The client against a scripted local server: parsing, faults, retries, concurrency.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use waymark_llm::scripted_server::{API_KEY, Reply, TestServer, closed_port_url, test_config};
use waymark_llm::{
    BlockingLlmClient, ChatRequest, ContentPart, LlmClient, LlmError, Message, Prices, Usage,
    UsageMeter,
};

fn hello() -> ChatRequest {
    ChatRequest::new(vec![
        Message::system("You navigate houses."),
        Message::user("Where next?"),
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parses_a_well_formed_answer_with_usage_and_sends_the_key() {
    let server = TestServer::always(Reply::completion("go left", 12, 3));
    let mut config = test_config(&server.url());
    config.prices = Some(Prices {
        prompt_per_1k_usd: 1.0,
        completion_per_1k_usd: 2.0,
    });
    config.max_tokens = Some(32);
    let client = LlmClient::new(config).unwrap();
    let response = client.chat(&hello()).await.unwrap();
    assert_eq!(response.content, "go left");
    assert_eq!(response.finish_reason.as_deref(), Some("stop"));
    assert_eq!(response.model.as_deref(), Some("test-model"));
    let tokens = response.token_usage.unwrap();
    assert_eq!(
        (
            tokens.prompt_tokens,
            tokens.completion_tokens,
            tokens.total_tokens
        ),
        (12, 3, 15)
    );
    assert!(!response.cached);
    assert_eq!(response.usage.calls, 1);
    assert_eq!(response.usage.cached_calls, 0);
    let cost = response.usage.cost_usd.unwrap();
    assert!((cost - 0.018).abs() < 1e-12, "{cost}");
    assert_eq!(client.usage_meter().usage(), response.usage);

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/v1/chat/completions");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {API_KEY}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    let body = request.json();
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["max_tokens"], 32);
    assert_eq!(body["temperature"], 0.0);
    assert_eq!(body["messages"][0]["role"], "system");
    assert_eq!(body["messages"][1]["content"], "Where next?");
    assert!(body.get("stop").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn null_content_and_missing_usage_are_accepted() {
    let server = TestServer::always(Reply::ok(
        r#"{"choices":[{"message":{"role":"assistant","content":null},"finish_reason":"length"}]}"#,
    ));
    let mut config = test_config(&server.url());
    config.prices = Some(Prices {
        prompt_per_1k_usd: 1.0,
        completion_per_1k_usd: 1.0,
    });
    let client = LlmClient::new(config).unwrap();
    let response = client.chat(&hello()).await.unwrap();
    assert_eq!(response.content, "");
    assert_eq!(response.finish_reason.as_deref(), Some("length"));
    assert!(response.token_usage.is_none());
    assert_eq!(response.usage.prompt_tokens, 0);
    assert_eq!(response.usage.cost_usd, Some(0.0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_are_sent_as_png_data_urls() {
    let server = TestServer::always(Reply::completion("a chair", 100, 2));
    let client = LlmClient::new(test_config(&server.url())).unwrap();
    let png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255];
    let request = ChatRequest::new(vec![Message::user_parts(vec![
        ContentPart::Text("What is in view?".into()),
        ContentPart::PngImage(png),
    ])])
    .with_stop(vec!["\n".into()])
    .with_temperature(0.5)
    .with_seed(7);
    client.chat(&request).await.unwrap();
    let body = server.requests()[0].json();
    let parts = body["messages"][0]["content"].as_array().unwrap();
    assert_eq!(parts[0]["type"], "text");
    assert_eq!(parts[0]["text"], "What is in view?");
    assert_eq!(parts[1]["type"], "image_url");
    assert_eq!(
        parts[1]["image_url"]["url"],
        "data:image/png;base64,iVBORw0KGgoAAQL/"
    );
    assert_eq!(body["stop"], serde_json::json!(["\n"]));
    assert_eq!(body["temperature"], 0.5);
    assert_eq!(body["seed"], 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_honours_retry_after() {
    let server = TestServer::start(|n, _| {
        if n == 0 {
            Reply::error(429, "slow down").with_header("retry-after", "1")
        } else {
            Reply::completion("ok", 1, 1)
        }
    });
    let client = LlmClient::new(test_config(&server.url())).unwrap();
    let start = Instant::now();
    let response = client.chat(&hello()).await.unwrap();
    let elapsed = start.elapsed();
    assert_eq!(response.content, "ok");
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_is_capped() {
    let server = TestServer::start(|n, _| {
        if n == 0 {
            Reply::error(503, "maintenance").with_header("retry-after", "3600")
        } else {
            Reply::completion("ok", 1, 1)
        }
    });
    let mut config = test_config(&server.url());
    config.retry_after_cap = Duration::from_millis(100);
    let client = LlmClient::new(config).unwrap();
    let start = Instant::now();
    client.chat(&hello()).await.unwrap();
    assert!(start.elapsed() < Duration::from_secs(2));
    assert_eq!(server.request_count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_are_retried_until_success() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::error(500, "boom"),
        1 => Reply::status(502, "<html>bad gateway</html>"),
        _ => Reply::completion("recovered", 1, 1),
    });
    let client = LlmClient::new(test_config(&server.url())).unwrap();
    let response = client.chat(&hello()).await.unwrap();
    assert_eq!(response.content, "recovered");
    assert_eq!(server.request_count(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persistent_server_errors_fail_after_the_retry_budget() {
    let server = TestServer::always(Reply::error(500, "the model crashed"));
    let config = test_config(&server.url());
    let budget = config.max_retries as usize + 1;
    let client = LlmClient::new(config).unwrap();
    let episode = UsageMeter::new();
    let err = client
        .metered(episode.clone())
        .chat(&hello())
        .await
        .unwrap_err();
    assert!(
        matches!(err, LlmError::Server { status: 500, .. }),
        "{err:?}"
    );
    assert_eq!(err.cause(), "http_500");
    assert_eq!(err.attempts() as usize, budget);
    assert!(err.to_string().contains("the model crashed"), "{err}");
    assert_eq!(server.request_count(), budget);
    assert_eq!(episode.failures().get("http_500"), Some(&1));
    assert_eq!(client.usage_meter().failures().get("http_500"), Some(&1));
    assert_eq!(episode.usage(), Usage::default());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_answers_time_out_and_are_retried_per_budget() {
    let server =
        TestServer::always(Reply::completion("late", 1, 1).with_delay(Duration::from_secs(3)));
    let mut config = test_config(&server.url());
    config.timeout = Duration::from_millis(200);
    config.max_retries = 1;
    let client = LlmClient::new(config).unwrap();
    let start = Instant::now();
    let err = client.chat(&hello()).await.unwrap_err();
    let elapsed = start.elapsed();
    assert_eq!(err.cause(), "timeout", "{err:?}");
    assert!(err.to_string().contains("200 ms"), "{err}");
    assert_eq!(server.request_count(), 2);
    assert!(elapsed >= Duration::from_millis(400), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejections_are_not_retried_and_never_show_the_key() {
    for (status, message) in [
        (401, format!("Incorrect API key provided: {API_KEY}")),
        (404, "The model `test-model` does not exist".to_owned()),
        (400, "context length exceeded".to_owned()),
    ] {
        let server = TestServer::always(Reply::error(status, &message));
        let client = LlmClient::new(test_config(&server.url())).unwrap();
        let err = client.chat(&hello()).await.unwrap_err();
        assert_eq!(server.request_count(), 1, "HTTP {status} was retried");
        assert_eq!(err.attempts(), 1);
        assert!(matches!(err, LlmError::Rejected { .. }), "{err:?}");
        assert_eq!(err.cause(), format!("http_{status}"));
        assert_eq!(err.status(), Some(status));
        let text = err.to_string();
        let debug = format!("{err:?}");
        assert!(text.contains(&status.to_string()), "{text}");
        assert!(text.contains(&server.url()), "{text}");
        assert!(
            !text.contains(API_KEY) && !debug.contains(API_KEY),
            "{text}"
        );
        let expected = message.replace(API_KEY, "***");
        assert!(text.contains(&expected), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejection_after_a_server_error_stops_the_retries() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::error(503, "warming up"),
        _ => Reply::error(403, "model access denied"),
    });
    let client = LlmClient::new(test_config(&server.url())).unwrap();
    let err = client.chat(&hello()).await.unwrap_err();
    assert_eq!(err.cause(), "http_403", "{err:?}");
    assert_eq!(err.attempts(), 2);
    assert_eq!(server.request_count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_is_not_json_is_a_bad_response() {
    let server = TestServer::always(Reply::ok("<html>proxy login</html>"));
    let client = LlmClient::new(test_config(&server.url())).unwrap();
    let err = client.chat(&hello()).await.unwrap_err();
    assert_eq!(err.cause(), "bad_response", "{err:?}");
    assert!(err.to_string().contains("proxy login"), "{err}");
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.request_count(), 1);

    let server = TestServer::always(Reply::ok(r#"{"object":"chat.completion"}"#));
    let client = LlmClient::new(test_config(&server.url())).unwrap();
    let err = client.chat(&hello()).await.unwrap_err();
    assert_eq!(err.cause(), "bad_response");
    assert!(err.to_string().contains("no choices"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_dropped_mid_request_is_retried() {
    let server = TestServer::start(|n, _| {
        if n == 0 {
            Reply {
                hang_up: true,
                ..Reply::ok("")
            }
        } else {
            Reply::completion("second try", 1, 1)
        }
    });
    let client = LlmClient::new(test_config(&server.url())).unwrap();
    let response = client.chat(&hello()).await.unwrap();
    assert_eq!(response.content, "second try");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_always_hangs_up_is_a_connection_error() {
    let server = TestServer::always(Reply {
        hang_up: true,
        ..Reply::ok("")
    });
    let client = LlmClient::new(test_config(&server.url())).unwrap();
    let err = client.chat(&hello()).await.unwrap_err();
    assert_eq!(err.cause(), "connection", "{err:?}");
    assert_eq!(err.attempts(), 4);
    assert_eq!(server.request_count(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_fails_quickly() {
    let url = closed_port_url();
    let client = LlmClient::new(test_config(&url)).unwrap();
    let start = Instant::now();
    let err = client.chat(&hello()).await.unwrap_err();
    assert_eq!(err.cause(), "unreachable", "{err:?}");
    assert_eq!(err.attempts(), 4);
    assert!(err.to_string().contains(&url), "{err}");
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_concurrency_limit_holds_across_clones() {
    let server =
        TestServer::always(Reply::completion("ok", 1, 1).with_delay(Duration::from_millis(100)));
    let mut config = test_config(&server.url());
    config.concurrency = 2;
    let client = LlmClient::new(config).unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..8 {
        let client = client.clone();
        tasks.spawn(async move {
            client
                .chat(&ChatRequest::new(vec![Message::user(format!("call {i}"))]))
                .await
        });
    }
    while let Some(result) = tasks.join_next().await {
        result.unwrap().unwrap();
    }
    assert_eq!(server.request_count(), 8);
    assert_eq!(server.max_in_flight(), 2);
    assert_eq!(client.usage_meter().usage().calls, 8);
}

#[test]
fn the_blocking_client_serves_many_threads_at_once() {
    let server =
        TestServer::always(Reply::completion("ok", 2, 1).with_delay(Duration::from_millis(200)));
    let client = Arc::new(BlockingLlmClient::new(test_config(&server.url())).unwrap());
    let start = Instant::now();
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let client = client.metered(UsageMeter::new());
            std::thread::spawn(move || {
                let response = client
                    .chat(&ChatRequest::new(vec![Message::user(format!(
                        "thread {i}"
                    ))]))
                    .unwrap();
                (response.content, client)
            })
        })
        .collect();
    for handle in handles {
        let (content, _) = handle.join().unwrap();
        assert_eq!(content, "ok");
    }
    // Four 200 ms calls ran side by side, not one after another.
    assert!(
        start.elapsed() < Duration::from_millis(700),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server.max_in_flight(), 4);
    let usage = client.usage_meter().usage();
    assert_eq!((usage.calls, usage.prompt_tokens), (4, 8));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_blocking_client_refuses_to_block_inside_a_runtime() {
    let server = TestServer::always(Reply::completion("ok", 1, 1));
    let client = std::thread::spawn({
        let url = server.url();
        move || BlockingLlmClient::new(test_config(&url)).unwrap()
    })
    .join()
    .unwrap();
    let err = client.chat(&hello()).unwrap_err();
    assert_eq!(err.cause(), "inside_runtime");
    // Dropping the last clone here must not panic either.
    drop(client);
}

#[test]
fn debug_output_hides_the_key() {
    let config = test_config("http://127.0.0.1:1/v1");
    let debug = format!("{config:?}");
    assert!(!debug.contains(API_KEY), "{debug}");
    assert!(debug.contains("api_key: Some(***)"), "{debug}");
    let client = LlmClient::new(config).unwrap();
    assert!(!format!("{client:?}").contains(API_KEY));
}
