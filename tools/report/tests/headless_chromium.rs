//! The report of the two demo R2R runs in a real browser (Debian's `chromium`, headless): the
//! script runs without errors to its end, the tables and plots are in the page, and the
//! screenshot is not blank. Skipped with a note where chromium is not installed (a failure
//! under CI).

#![allow(clippy::unwrap_used)]

mod common;

use common::{picture, r2r_run};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use waymark_report::{Run, write};

/// How long chromium may take for one page.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(60);

/// `program` on `PATH`.
fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// Runs headless chromium with `args` then `url` (its own profile in `work`), killed after
/// [`CHROMIUM_TIMEOUT`]; returns what it printed on stdout.
fn chromium(program: &Path, work: &Path, name: &str, args: &[&str], url: &str) -> String {
    let stdout = work.join(format!("{name}.stdout"));
    let stderr = work.join(format!("{name}.stderr"));
    let mut child = Command::new(program)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
        ])
        .arg(format!(
            "--user-data-dir={}",
            work.join(format!("{name}-profile")).display()
        ))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > CHROMIUM_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium ({name}) took over {CHROMIUM_TIMEOUT:?}: {}",
                std::fs::read_to_string(&stderr).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        status.success(),
        "chromium ({name}) failed ({status}): {}",
        std::fs::read_to_string(&stderr).unwrap_or_default()
    );
    std::fs::read_to_string(&stdout).unwrap()
}

#[test]
fn report_renders_in_headless_chromium() {
    let Some(program) = waymark_io::test_env::require_value(
        on_path("chromium"),
        "chromium is not on PATH (needed to open the report in a real browser)",
    ) else {
        return;
    };
    let runs = [
        Run::load(r2r_run("shortest")).unwrap(),
        Run::load(r2r_run("random")).unwrap(),
    ];
    let work = tempfile::tempdir().unwrap();
    let html = work.path().join("report.html");
    write(&runs, &|run, r| (run == 0).then(|| picture(r)), &html).unwrap();
    let url = format!("file://{}", html.display());

    let dom = chromium(
        &program,
        work.path(),
        "dom",
        &["--virtual-time-budget=2000", "--dump-dom"],
        &url,
    );
    let body = regex::Regex::new(r"<body[^>]*>").unwrap();
    let body_tag = body.find(&dom).map(|m| m.as_str()).unwrap_or_default();
    assert!(
        body_tag.contains(r#"data-rendered="yes""#),
        "the script ran to its end: {body_tag}"
    );
    assert!(
        dom.contains(r#"<pre id="script-errors"></pre>"#),
        "no script errors"
    );
    for table in ["runs", "overall", "group", "end-reasons", "episodes"] {
        assert!(
            dom.contains(&format!(r#"<table class="{table}">"#)),
            "{table} table"
        );
    }
    assert!(dom.contains(r#"<svg class="plot""#) && dom.contains(r#"<svg class="top-down""#));

    let png = work.path().join("report.png");
    chromium(
        &program,
        work.path(),
        "screenshot",
        &[
            "--hide-scrollbars",
            "--window-size=1280,3000",
            &format!("--screenshot={}", png.display()),
        ],
        &url,
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1280, 3000));
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let channels = info.color_type.samples();
    assert!(channels >= 3, "{:?}", info.color_type);
    let pixels: Vec<[u8; 3]> = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    let background = [255, 255, 255];
    let drawn = pixels.iter().filter(|p| **p != background).count();
    let colours: HashSet<[u8; 3]> = pixels.iter().copied().collect();
    assert!(
        drawn > pixels.len() / 50,
        "only {drawn} of {} pixels drawn",
        pixels.len()
    );
    assert!(colours.len() > 20, "{} colours", colours.len());
    // The runs' colours (plots) and the paths' (pictures) are on the page.
    for (name, colour) in [("run 0", [0x1f, 0x77, 0xb4]), ("run 1", [0xff, 0x7f, 0x0e])] {
        assert!(
            colours.contains(&colour),
            "{name}'s colour is not on the page"
        );
    }
}
