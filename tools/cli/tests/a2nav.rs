//! `waymark eval r2r|vlnce --planner a2nav` end to end on the demo apartments: with a scripted
//! model its settings are recorded and the plan drives the agent; with the small real model
//! CI serves (SmolLM2-135M, `WAYMARK_TEST_LLM_URL`) it runs to the end with whatever the model
//! answers, parse failures counted by cause, and a replay-only rerun is identical.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use waymark_llm::scripted_server::{Reply, TestServer, closed_port_url};

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets")
}

/// An `eval` command on a demo: server URL, model, episode limit, output folder.
type DemoCommand = fn(&str, &str, &str, &Path) -> Command;

/// `eval r2r --planner a2nav` on the first `limit` demo episodes against `url`.
fn a2nav_on_demo(url: &str, model: &str, limit: &str, out: &Path) -> Command {
    let mut cmd = a2nav("r2r", url, model, limit, out);
    cmd.arg("--scenes")
        .arg(assets().join("apartments"))
        .arg("--connectivity")
        .arg(assets().join("demo/connectivity"))
        .arg("--episodes")
        .arg(assets().join("demo/R2R_demo.json"));
    cmd
}

/// `eval vlnce --planner a2nav` on the first `limit` demo episodes of apartment A.
fn a2nav_in_continuous_demo(url: &str, model: &str, limit: &str, out: &Path) -> Command {
    let mut cmd = a2nav("vlnce", url, model, limit, out);
    cmd.arg("--scene")
        .arg(assets().join("apartments/apartment_a.ply"))
        .arg("--episodes")
        .arg(assets().join("demo/apartment_a_vlnce.json"));
    cmd
}

/// `eval <task>` with A²Nav's options (the task's own options follow).
fn a2nav(task: &str, url: &str, model: &str, limit: &str, out: &Path) -> Command {
    let mut cmd = Command::cargo_bin("waymark").unwrap();
    cmd.args(["eval", task, "--planner", "a2nav", "--model", model])
        .args(["--llm-url", url, "--limit", limit, "--llm-timeout", "300"])
        .arg("--out")
        .arg(out)
        .env_remove("WAYMARK_LLM_URL")
        .env_remove("WAYMARK_LLM_MODEL")
        .env_remove("OPENAI_API_KEY")
        .env_remove("OPENAI_BASE_URL");
    cmd
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_scripted_plan_runs_and_the_set_up_is_recorded() {
    let server = TestServer::always(Reply::completion(
        r#"[{"action": "leave", "landmark": "bedroom"}, {"action": "walk up to", "landmark": "chair"}]"#,
        40,
        20,
    ));
    let out = tempfile::tempdir().unwrap();
    a2nav_on_demo(&server.url(), "test-model", "4", out.path())
        .assert()
        .success();
    let run = json(&out.path().join("run.json"));
    let settings = &run["planner_settings"];
    assert_eq!(settings["action_mapping"], "lexical");
    assert!(
        settings["prompts_fingerprint"]
            .as_str()
            .unwrap()
            .starts_with("blake3:")
    );
    let summary = json(&out.path().join("summary.json"));
    let counters = &summary["counters"];
    assert_eq!(counters["subtasks"], 8, "{summary}");
    assert_eq!(counters["actions_mapped.exact"], 4, "{summary}");
    assert_eq!(counters["actions_mapped.lexical"], 4, "{summary}");
    // The plan is in every episode's step log.
    let steps = std::fs::read_dir(out.path().join("steps")).unwrap().count();
    assert_eq!(steps, 4);
}

#[test]
fn a_scripted_plan_walks_in_continuous_space() {
    let server = TestServer::always(Reply::completion(
        r#"[{"action": "go into", "landmark": "bathroom"}]"#,
        40,
        20,
    ));
    let out = tempfile::tempdir().unwrap();
    a2nav_in_continuous_demo(&server.url(), "test-model", "1", out.path())
        .assert()
        .success();
    let run = json(&out.path().join("run.json"));
    assert!(
        run["planner_settings"]["observations"]
            .as_str()
            .unwrap()
            .starts_with("sensors (continuous"),
        "{run}"
    );
    // Episode 1000_0 goes from the bedroom to the bathroom next door: the plan brings it
    // there, seeing the bathroom's floor through the doorway.
    let summary = json(&out.path().join("summary.json"));
    assert_eq!(summary["counters"]["subtasks.done"], 1, "{summary}");
    assert_eq!(summary["sr"], 1.0, "{summary}");
    assert!(summary["spl"].as_f64().unwrap() > 0.9, "{summary}");
}

#[test]
fn the_small_real_model_runs_a2nav_end_to_end_and_replays_identically() {
    let Some(url) = waymark_io::test_env::require(
        "WAYMARK_TEST_LLM_URL",
        "the small model server (tools/llm-server.sh start)",
    ) else {
        return;
    };
    let demos: [(&str, DemoCommand); 2] = [
        ("demo graphs", a2nav_on_demo),
        ("demo VLN-CE episodes", a2nav_in_continuous_demo),
    ];
    for (name, demo) in demos {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache");
        let live = dir.path().join("live");
        demo(url.to_str().unwrap(), "smollm2-135m", "3", &live)
            .args(["--max-tokens", "128", "--cache"])
            .arg(&cache)
            .assert()
            .success();
        let summary = json(&live.join("summary.json"));
        assert_eq!(summary["episodes"], 3, "{summary}");
        assert_eq!(summary["counters"]["llm_calls"], 3, "{summary}");
        let counters = summary["counters"].as_object().unwrap();
        let plans = counters
            .get("subtasks")
            .and_then(|n| n.as_u64())
            .unwrap_or(0);
        let failures: u64 = counters
            .iter()
            .filter(|(k, _)| k.starts_with("failure."))
            .map(|(_, n)| n.as_u64().unwrap())
            .sum();
        // Each episode either got a plan or a failure counted by its cause.
        assert!(plans > 0 || failures == 3, "{summary}");
        eprintln!("A²Nav with SmolLM2-135M on 3 {name}: {summary}");
        let replay = dir.path().join("replay");
        demo(&closed_port_url(), "smollm2-135m", "3", &replay)
            .args(["--max-tokens", "128", "--cache"])
            .arg(&cache)
            .args(["--cache-mode", "replay-only"])
            .assert()
            .success();
        for file in ["episodes.jsonl", "summary.json", "submission.json"] {
            assert_eq!(
                std::fs::read(live.join(file)).unwrap(),
                std::fs::read(replay.join(file)).unwrap(),
                "{name}: {file}"
            );
        }
    }
}
