//! `waymark eval sg3d --planner llm-grounder` end to end on apartment A's demo tasks (English
//! and Arabic): a scripted model answering each step's gold id gets every step right, one call
//! per step; one answering no id is counted and falls back; the small real model CI serves
//! (`WAYMARK_TEST_LLM_URL`) runs two tasks, and a replay-only rerun from the cache is identical.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use assert_cmd::Command;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use waymark_llm::scripted_server::{Received, Reply, TestServer, closed_port_url};

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets")
}

fn tasks_file() -> PathBuf {
    assets().join("demo/apartment_a_sg3d.json")
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `eval sg3d --planner llm-grounder` on the first `limit` demo tasks against `url`.
fn grounder(url: &str, model: &str, limit: &str, out: &Path) -> Command {
    let mut cmd = Command::cargo_bin("waymark").unwrap();
    cmd.args([
        "eval",
        "sg3d",
        "--planner",
        "llm-grounder",
        "--model",
        model,
    ])
    .args(["--llm-url", url, "--limit", limit, "--llm-timeout", "300"])
    .arg("--episodes")
    .arg(tasks_file())
    .arg("--scenes")
    .arg(assets().join("apartments"))
    .arg("--out")
    .arg(out)
    .env_remove("WAYMARK_LLM_URL")
    .env_remove("WAYMARK_LLM_MODEL")
    .env_remove("OPENAI_API_KEY")
    .env_remove("OPENAI_BASE_URL");
    cmd
}

/// The gold id of each (numbered step list, step number) of the demo tasks.
fn gold_ids() -> HashMap<(String, usize), u64> {
    let mut gold = HashMap::new();
    for task in json(&tasks_file()).as_array().unwrap() {
        let steps = task["action_steps"].as_array().unwrap();
        let listed: Vec<String> = steps
            .iter()
            .enumerate()
            .map(|(k, s)| format!("{}. {}", k + 1, s["action"].as_str().unwrap().trim()))
            .collect();
        for (k, step) in steps.iter().enumerate() {
            let id = step["target_id"].as_str().unwrap().parse().unwrap();
            gold.insert((listed.join("\n"), k + 1), id);
        }
    }
    gold
}

/// The prompt's step list (the lines after its `Steps:` or `الخطوات:` line, up to the blank
/// line) and the number of the step its question asks about; `None` for the preflight call.
fn asked(request: &Received) -> Option<(String, usize)> {
    let prompt = request.json()["messages"][0]["content"]
        .as_str()
        .unwrap()
        .to_string();
    let lines: Vec<&str> = prompt.lines().collect();
    let start = lines
        .iter()
        .position(|l| *l == "Steps:" || *l == "الخطوات:")?
        + 1;
    let end = start + lines[start..].iter().position(|l| l.is_empty()).unwrap();
    let number = ["Which object does step ", "ما الجسم الذي تشير إليه الخطوة "]
        .iter()
        .find_map(|question| prompt.split_once(question))
        .and_then(|(_, rest)| rest.split([' ', ':']).next())
        .unwrap()
        .parse()
        .unwrap();
    Some((lines[start..end].join("\n"), number))
}

#[test]
fn a_model_answering_the_gold_ids_grounds_every_step() {
    let gold = gold_ids();
    let server = TestServer::start(move |_, request| match asked(request) {
        Some(step) => Reply::completion(&format!("The object is {}.", gold[&step]), 300, 5),
        None => Reply::completion("OK", 1, 1),
    });
    let out = tempfile::tempdir().unwrap();
    grounder(&server.url(), "test-model", "10", out.path())
        .assert()
        .success();
    let summary = json(&out.path().join("summary.json"));
    assert_eq!(summary["episodes"], 10, "{summary}");
    assert_eq!(summary["s_acc"], 1.0, "{summary}");
    assert_eq!(summary["t_acc"], 1.0, "{summary}");
    let steps: u64 = json(&tasks_file())
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["action_steps"].as_array().unwrap().len() as u64)
        .sum();
    let counters = &summary["counters"];
    assert_eq!(counters["llm_calls"], steps, "{summary}");
    assert_eq!(counters["prompt_tokens"], 300 * steps, "{summary}");
    assert!(
        counters
            .as_object()
            .unwrap()
            .keys()
            .all(|k| !k.starts_with("failure.")),
        "{summary}"
    );
    // The Arabic tasks were asked in Arabic.
    let arabic = server
        .requests()
        .iter()
        .filter(|r| r.body.contains("معرّف الجسم:"))
        .count();
    assert!(arabic > 0 && arabic < steps as usize, "{arabic}");
    let run = json(&out.path().join("run.json"));
    assert!(
        run["planner_settings"]["prompts_fingerprint"]
            .as_str()
            .unwrap()
            .starts_with("blake3:"),
        "{run}"
    );
}

#[test]
fn answers_without_a_candidate_are_counted_and_fall_back() {
    let server = TestServer::always(Reply::completion("I cannot tell.", 300, 5));
    let out = tempfile::tempdir().unwrap();
    grounder(&server.url(), "test-model", "1", out.path())
        .assert()
        .success();
    let summary = json(&out.path().join("summary.json"));
    // Task 0 has four steps, each naming its object's label ("Head to the plant next to the
    // sofa."): each is answered by label-match's choice.
    assert_eq!(summary["counters"]["failure.no_id"], 4, "{summary}");
    assert_eq!(summary["counters"]["llm_calls"], 4, "{summary}");
    let steps = std::fs::read_dir(out.path().join("steps"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let log = std::fs::read_to_string(steps).unwrap();
    assert!(log.contains("\"outcome\":\"fallback\""), "{log}");
    assert!(log.contains("the answer holds no object id"), "{log}");
    assert!(log.contains("I cannot tell."), "{log}");
}

#[test]
fn with_the_map_each_step_sends_the_birds_eye_image_with_its_ids() {
    let server = TestServer::always(Reply::completion("19", 900, 2));
    let out = tempfile::tempdir().unwrap();
    grounder(&server.url(), "vision-model", "1", out.path())
        .args(["--grounder-map", "200"])
        .assert()
        .success();
    let run = json(&out.path().join("run.json"));
    assert_eq!(run["planner_settings"]["map_px"], "200", "{run}");
    let steps: Vec<serde_json::Value> = server
        .requests()
        .iter()
        .map(|r| r.json()["messages"][0]["content"].clone())
        .filter(|c| c.is_array())
        .collect();
    // Task 0's four steps, each: the note on the map, the PNG, then the text prompt.
    assert_eq!(steps.len(), 4);
    for parts in &steps {
        assert!(
            parts[0]["text"].as_str().unwrap().contains("from above"),
            "{parts}"
        );
        let url = parts[1]["image_url"]["url"].as_str().unwrap();
        assert!(url.starts_with("data:image/png;base64,iVBOR"), "{url:.40}");
        assert!(parts[2]["text"].as_str().unwrap().contains("Object id:"));
    }
}

#[test]
fn the_small_real_model_grounds_two_tasks_and_replays_identically() {
    let Some(url) = waymark_io::test_env::require(
        "WAYMARK_TEST_LLM_URL",
        "the small model server (tools/llm-server.sh start)",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let live = dir.path().join("live");
    grounder(url.to_str().unwrap(), "smollm2-135m", "2", &live)
        .args(["--max-tokens", "16", "--cache"])
        .arg(&cache)
        .assert()
        .success();
    let summary = json(&live.join("summary.json"));
    assert_eq!(summary["episodes"], 2, "{summary}");
    // Tasks 0 and 1 have four and three steps: one call each.
    assert_eq!(summary["counters"]["llm_calls"], 7, "{summary}");
    eprintln!("llm-grounder with SmolLM2-135M on 2 demo tasks: {summary}");
    let replay = dir.path().join("replay");
    grounder(&closed_port_url(), "smollm2-135m", "2", &replay)
        .args(["--max-tokens", "16", "--cache"])
        .arg(&cache)
        .args(["--cache-mode", "replay-only"])
        .assert()
        .success();
    for file in ["episodes.jsonl", "summary.json", "submission.json"] {
        assert_eq!(
            std::fs::read(live.join(file)).unwrap(),
            std::fs::read(replay.join(file)).unwrap(),
            "{file}"
        );
    }
}
