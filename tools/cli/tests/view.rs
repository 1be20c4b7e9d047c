//! `waymark view …` forwards to the `waymark-view` binary (as git does with subcommands), and
//! says how to build it when it is missing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use assert_cmd::Command;
use std::path::Path;

/// Whether a real `waymark-view` sits next to the `waymark` under test (it is found first).
fn viewer_beside_waymark() -> bool {
    let waymark = assert_cmd::cargo::cargo_bin("waymark");
    let beside = waymark.with_file_name("waymark-view").is_file();
    if beside {
        eprintln!("skipped: a waymark-view is built next to waymark");
    }
    beside
}

/// `waymark` with `PATH` set to `dir` alone.
fn waymark_with_path(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("waymark").unwrap();
    command.env("PATH", dir);
    command
}

#[cfg(unix)]
#[test]
fn view_forwards_its_arguments_and_exit_status() {
    use std::os::unix::fs::PermissionsExt;
    if viewer_beside_waymark() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("waymark-view");
    std::fs::write(&fake, "#!/bin/sh\necho \"viewer got: $*\"\nexit 3\n").unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let assert = waymark_with_path(dir.path())
        .args([
            "view",
            "runs/demo/random",
            "--step",
            "2",
            "--screenshot",
            "x.png",
        ])
        .assert()
        .code(3);
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert_eq!(
        stdout.trim(),
        "viewer got: runs/demo/random --step 2 --screenshot x.png"
    );
}

#[test]
fn view_without_the_viewer_says_how_to_build_it() {
    if viewer_beside_waymark() {
        return;
    }
    let empty = tempfile::tempdir().unwrap();
    let assert = waymark_with_path(empty.path())
        .args(["view", "scene.ply"])
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("cargo build --release -p waymark-view"),
        "{stderr}"
    );
}
