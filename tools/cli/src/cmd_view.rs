//! `waymark view …`: forwards to the `waymark-view` binary (the Bevy window, built separately
//! with `cargo build -p waymark-view`), found next to this binary or on `PATH`, as git does.

use anyhow::{Result, bail};
use std::ffi::OsString;
use std::path::PathBuf;

/// The viewer's file name.
const VIEWER: &str = if cfg!(windows) {
    "waymark-view.exe"
} else {
    "waymark-view"
};

/// Arguments passed through unchanged.
#[derive(clap::Args)]
pub struct ViewArgs {
    /// Arguments for `waymark-view` (see `waymark view --help`).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<OsString>,
}

fn find_viewer() -> Option<PathBuf> {
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(VIEWER)))
        .filter(|p| p.is_file());
    beside.or_else(|| {
        std::env::split_paths(&std::env::var_os("PATH")?)
            .map(|dir| dir.join(VIEWER))
            .find(|p| p.is_file())
    })
}

/// Runs `waymark-view` with `args`; exits with its status.
pub fn run(args: ViewArgs) -> Result<()> {
    let Some(viewer) = find_viewer() else {
        bail!(
            "`waymark view` needs the `waymark-view` binary, which is not built: run \
             `cargo build --release -p waymark-view` (it sits next to `waymark`), or put it on PATH"
        );
    };
    let status = std::process::Command::new(&viewer)
        .args(&args.args)
        .status()
        .map_err(|e| anyhow::anyhow!("cannot run {}: {e}", viewer.display()))?;
    if !status.success() {
        std::process::exit(status.code().unwrap_or(1));
    }
    Ok(())
}
