//! Action phrases mapped by an embedding model (a scripted `/v1/embeddings` server): the
//! descriptions are embedded once, then each phrase that is not exact.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use waymark_a2nav::{ActionKind, ActionMapper, MappedBy};
use waymark_llm::BlockingLlmClient;
use waymark_llm::scripted_server::{Reply, TestServer, test_config};

#[test]
fn an_uncovered_phrase_goes_to_the_most_similar_description() {
    // Each description is a unit vector along its action's axis; "saunter beyond" leans to
    // GoPast's axis.
    let server = TestServer::start(|_, request| {
        let inputs: Vec<String> = request.json()["input"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let vectors: Vec<Vec<f32>> = inputs
            .iter()
            .map(|text| {
                let mut v = vec![0.0f32; 5];
                match ActionKind::ALL.iter().position(|k| k.description() == text) {
                    Some(axis) => v[axis] = 1.0,
                    None => {
                        v[1] = 0.9;
                        v[0] = 0.3;
                    }
                }
                v
            })
            .collect();
        Reply::embeddings(&vectors, 3)
    });
    let client = BlockingLlmClient::new(test_config(&server.url())).unwrap();
    let mapper = ActionMapper::with_embeddings(client, "embedder");
    let mapped = mapper.map("saunter beyond").unwrap();
    assert_eq!(mapped.kind, ActionKind::GoPast);
    assert_eq!(mapped.by, MappedBy::Embedding);
    assert!(mapped.score > 0.9);
    // The descriptions are embedded once; exact phrases need no call.
    mapper.map("wander alongside").unwrap();
    assert_eq!(mapper.map("go into").unwrap().by, MappedBy::Exact);
    assert_eq!(server.request_count(), 3);
}
