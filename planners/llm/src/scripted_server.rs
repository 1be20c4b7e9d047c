//! A scripted OpenAI-compatible HTTP/1.1 server on 127.0.0.1, for tests and benchmarks of
//! anything that calls an LLM (feature `scripted-server`).
//!
//! It runs on its own tokio runtime (so tests on std threads can use it too), keeps connections
//! alive, records every request, counts requests in flight, and answers each request with what
//! the test's script returns for it.
// Test support: a failure to bind or a poisoned lock is the test's failure, reported by panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;

use crate::LlmConfig;

/// The API key the tests configure; it must never show up in errors or cache files.
pub const API_KEY: &str = "sk-test-SECRET-0123456789";

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    /// `POST`.
    pub method: String,
    /// e.g. `/v1/chat/completions`.
    pub path: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
}

impl Received {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

/// What the server answers.
#[derive(Clone, Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
    /// How long to wait before answering.
    pub delay: Duration,
    /// Close the connection without answering.
    pub hang_up: bool,
}

impl Reply {
    /// 200 with this body.
    pub fn ok(body: impl Into<String>) -> Self {
        Self::status(200, body)
    }

    /// A well-formed completion.
    pub fn completion(content: &str, prompt_tokens: u64, completion_tokens: u64) -> Self {
        Self::ok(completion_json(content, prompt_tokens, completion_tokens))
    }

    /// A well-formed embeddings answer: `vectors[i]` as the embedding of input `i`, listed in
    /// input order, with `prompt_tokens` in its usage.
    pub fn embeddings(vectors: &[Vec<f32>], prompt_tokens: u64) -> Self {
        let order: Vec<usize> = (0..vectors.len()).collect();
        Self::ok(embeddings_json(vectors, &order, prompt_tokens))
    }

    /// This status with this body.
    pub fn status(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: Duration::ZERO,
            hang_up: false,
        }
    }

    /// An OpenAI-style error body with this status.
    pub fn error(status: u16, message: &str) -> Self {
        Self::status(
            status,
            serde_json::json!({"error": {"message": message, "type": "test_error"}}).to_string(),
        )
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Answers after `delay`.
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// A completion body as an OpenAI server writes it.
pub fn completion_json(content: &str, prompt_tokens: u64, completion_tokens: u64) -> String {
    serde_json::json!({
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": "test-model",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content},
            "finish_reason": "stop"
        }],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens
        }
    })
    .to_string()
}

/// An embeddings body as an OpenAI server writes it, listing `vectors[i]` (the embedding of
/// input `i`, with `"index": i`) in the order `order` gives (a permutation of the indices, or
/// anything else to make a malformed answer).
pub fn embeddings_json(vectors: &[Vec<f32>], order: &[usize], prompt_tokens: u64) -> String {
    let data: Vec<serde_json::Value> = order
        .iter()
        .map(|&index| {
            serde_json::json!({
                "object": "embedding",
                "index": index,
                "embedding": vectors.get(index).cloned().unwrap_or_default(),
            })
        })
        .collect();
    serde_json::json!({
        "object": "list",
        "data": data,
        "model": "test-embedder",
        "usage": {"prompt_tokens": prompt_tokens, "total_tokens": prompt_tokens}
    })
    .to_string()
}

type Script = dyn Fn(usize, &Received) -> Reply + Send + Sync;

struct State {
    script: Box<Script>,
    requests: Mutex<Vec<Received>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// The server; dropping it stops it and closes every connection.
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<State>,
    runtime: Option<Runtime>,
}

impl TestServer {
    /// Starts a server whose answer to the `n`-th request (from 0) is `script(n, &request)`.
    pub fn start(script: impl Fn(usize, &Received) -> Reply + Send + Sync + 'static) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("test-llm-server")
            .enable_all()
            .build()
            .unwrap();
        // Bound with std so that a test already inside a runtime can start a server too.
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let addr = std_listener.local_addr().unwrap();
        let listener = {
            let _guard = runtime.enter();
            TcpListener::from_std(std_listener).unwrap()
        };
        let state = Arc::new(State {
            script: Box::new(script),
            requests: Mutex::new(Vec::new()),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        });
        let accept_state = Arc::clone(&state);
        runtime.spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = Arc::clone(&accept_state);
                tokio::spawn(async move {
                    let _ = serve(stream, state).await;
                });
            }
        });
        Self {
            addr,
            state,
            runtime: Some(runtime),
        }
    }

    /// Starts a server that always answers `reply`.
    pub fn always(reply: Reply) -> Self {
        Self::start(move |_, _| reply.clone())
    }

    /// The API base URL, `http://127.0.0.1:<port>/v1`.
    pub fn url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Received> {
        self.state.requests.lock().unwrap().clone()
    }

    /// The number of requests so far.
    pub fn request_count(&self) -> usize {
        self.state.requests.lock().unwrap().len()
    }

    /// The most requests that were ever being answered at once.
    pub fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// A base URL on a port where nothing listens.
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/v1")
}

/// The tests' client configuration: the test key, short backoff, 3 retries, 5 s timeout.
pub fn test_config(base_url: &str) -> LlmConfig {
    let mut config = LlmConfig::new(base_url, "test-model");
    config.api_key = Some(crate::Secret::new(API_KEY));
    config.max_retries = 3;
    config.backoff_base = Duration::from_millis(10);
    config.backoff_cap = Duration::from_millis(40);
    config.timeout = Duration::from_secs(5);
    config
}

async fn serve(stream: TcpStream, state: Arc<State>) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).await? == 0 {
            return Ok(());
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_owned();
        let path = parts.next().unwrap_or_default().to_owned();
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        let length: usize = headers
            .iter()
            .find(|(name, _)| name == "content-length")
            .and_then(|(_, value)| value.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body).await?;
        let received = Received {
            method,
            path,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        };
        let index = {
            let mut requests = state.requests.lock().unwrap();
            requests.push(received.clone());
            requests.len() - 1
        };
        let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        state.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let reply = (state.script)(index, &received);
        if !reply.delay.is_zero() {
            // Even a zero sleep waits for the timer's next 1 ms tick.
            tokio::time::sleep(reply.delay).await;
        }
        state.in_flight.fetch_sub(1, Ordering::SeqCst);
        if reply.hang_up {
            return Ok(());
        }
        let mut head = format!(
            "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
            reply.status,
            reason(reply.status),
            reply.body.len()
        );
        for (name, value) in &reply.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let stream = reader.get_mut();
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(reply.body.as_bytes()).await?;
        stream.flush().await?;
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
