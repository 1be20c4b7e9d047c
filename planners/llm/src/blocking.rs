//! [`BlockingLlmClient`]: a synchronous front for planners, callable from many threads.

use std::sync::Arc;

use tokio::runtime::{Handle, Runtime};

use crate::client::LlmClient;
use crate::config::LlmConfig;
use crate::error::{ConfigError, LlmError};
use crate::request::ChatRequest;
use crate::response::ChatResponse;
use crate::usage::UsageMeter;

/// A synchronous [`LlmClient`] that owns a tokio multi-thread runtime. `chat` and `embed` may be
/// called from any number of threads at once (rayon workers, say); the calls run concurrently on the
/// runtime, up to the configured concurrency limit. Clones share the runtime and the client.
#[derive(Clone, Debug)]
pub struct BlockingLlmClient {
    client: LlmClient,
    runtime: Arc<OwnedRuntime>,
}

/// The runtime, shut down without blocking when the last clone is dropped inside async code.
#[derive(Debug)]
struct OwnedRuntime(Option<Runtime>);

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take()
            && Handle::try_current().is_ok()
        {
            runtime.shutdown_background();
        }
    }
}

impl BlockingLlmClient {
    /// Worker threads of the owned runtime: the work is waiting on sockets, so two suffice.
    pub const WORKER_THREADS: usize = 2;

    /// A blocking client for `config`.
    pub fn new(config: LlmConfig) -> Result<Self, ConfigError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(Self::WORKER_THREADS)
            .thread_name("waymark-llm")
            .enable_all()
            .build()
            .map_err(ConfigError::Runtime)?;
        // reqwest needs no runtime to build a client, but entering one keeps that true for any
        // future TLS or resolver setup.
        let client = {
            let _guard = runtime.enter();
            LlmClient::new(config)?
        };
        Ok(Self {
            client,
            runtime: Arc::new(OwnedRuntime(Some(runtime))),
        })
    }

    /// The async client inside.
    pub fn client(&self) -> &LlmClient {
        &self.client
    }

    /// The configuration.
    pub fn config(&self) -> &LlmConfig {
        self.client.config()
    }

    /// The meter every call adds to (the run's total).
    pub fn usage_meter(&self) -> &UsageMeter {
        self.client.usage_meter()
    }

    /// A clone whose calls also add to `meter` (an episode's own total).
    pub fn metered(&self, meter: UsageMeter) -> Self {
        Self {
            client: self.client.metered(meter),
            runtime: Arc::clone(&self.runtime),
        }
    }

    /// [`LlmClient::chat`], blocking the calling thread until it finishes. Called from inside a
    /// tokio runtime it returns [`LlmError::InsideRuntime`] instead of deadlocking.
    pub fn chat(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        self.block_on(self.client.chat(request))
    }

    /// [`LlmClient::embed`], blocking the calling thread until it finishes. Called from inside
    /// a tokio runtime it returns [`LlmError::InsideRuntime`] instead of deadlocking.
    pub fn embed(&self, model: &str, inputs: &[String]) -> Result<Vec<Vec<f32>>, LlmError> {
        self.block_on(self.client.embed(model, inputs))
    }

    fn block_on<T>(&self, call: impl Future<Output = Result<T, LlmError>>) -> Result<T, LlmError> {
        if Handle::try_current().is_ok() {
            return Err(LlmError::InsideRuntime);
        }
        match &self.runtime.0 {
            Some(runtime) => runtime.handle().block_on(call),
            None => Err(LlmError::InsideRuntime),
        }
    }
}
