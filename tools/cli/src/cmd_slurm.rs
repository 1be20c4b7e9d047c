//! `waymark slurm`: a Slurm job array for any `waymark eval` command line, one shard per array
//! task, and a merge job that runs when every task has succeeded.
//!
//! The scripts are written to `OUT/slurm/` so they can be read, changed and submitted by hand
//! (`OUT/slurm/submit.sh`); `--submit` submits them. Each array task writes its own folder
//! (`OUT/shard-<i>`) and resumes it when rerun, so a task that Slurm preempts and requeues, or
//! that is cancelled and resubmitted (`sbatch --array=<i> OUT/slurm/array.sh`), loses and
//! repeats nothing. The merge job writes `OUT/merged`.

use anyhow::{Context, bail, ensure};
use clap::{Args, Parser};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Seconds before an array task's time limit at which Slurm warns it (SIGUSR1): it stops
/// cleanly and requeues itself to resume.
const WARN_BEFORE_LIMIT_S: u32 = 120;

/// Arguments of `waymark slurm`.
#[derive(Args)]
pub struct SlurmArgs {
    /// Array tasks, one shard of the batch each.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    shards: u32,
    /// The folder for the shards (`shard-<i>`), the merged run (`merged`), and the scripts and
    /// logs (`slurm/`).
    #[arg(long)]
    out: PathBuf,
    /// The partition (`#SBATCH --partition`).
    #[arg(long)]
    partition: Option<String>,
    /// Time limit per array task, in Slurm's format (`30`, `4:00:00`, `1-00:00:00`). Two
    /// minutes before it, the task stops cleanly and requeues itself to resume.
    #[arg(long)]
    time: Option<String>,
    /// CPUs per array task; eval gets as many workers unless the command line sets
    /// `--workers`.
    #[arg(long)]
    cpus_per_task: Option<u32>,
    /// Memory per array task, in Slurm's format (`8G`).
    #[arg(long)]
    mem: Option<String>,
    /// One more `#SBATCH` line (repeatable): `--sbatch=--gres=gpu:1` writes
    /// `#SBATCH --gres=gpu:1`.
    #[arg(long = "sbatch", value_name = "OPTION", allow_hyphen_values = true)]
    sbatch: Vec<String>,
    /// The jobs' name (default: `waymark-<task>`).
    #[arg(long)]
    job_name: Option<String>,
    /// The `waymark` binary the jobs run (default: this one; it must be reachable from the
    /// compute nodes at the same path).
    #[arg(long)]
    waymark: Option<PathBuf>,
    /// Submit the array and the merge job with `sbatch`; without it the scripts are only
    /// written.
    #[arg(long)]
    submit: bool,
    /// The eval command line after `--`: `eval <task> <options>`, without `--out` and
    /// `--shard` (the array sets them).
    #[arg(last = true, required = true, value_name = "EVAL")]
    eval: Vec<String>,
}

/// The scripts written for one batch.
struct Scripts {
    array: PathBuf,
    merge: PathBuf,
}

/// Runs `waymark slurm`.
pub fn run(args: SlurmArgs) -> anyhow::Result<()> {
    let task = check_eval_line(&args.eval, args.shards)?;
    std::fs::create_dir_all(args.out.join("slurm/logs"))
        .with_context(|| format!("creating {}", args.out.join("slurm/logs").display()))?;
    let out = args
        .out
        .canonicalize()
        .with_context(|| format!("resolving {}", args.out.display()))?;
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let waymark = match &args.waymark {
        Some(path) => path.clone(),
        None => std::env::current_exe().context("finding this waymark binary")?,
    };
    let scripts = write_scripts(&args, &task, &out, &cwd, &waymark)?;
    say!(
        "wrote {}, {} and {}",
        scripts.array.display(),
        scripts.merge.display(),
        out.join("slurm/submit.sh").display()
    );
    if !args.submit {
        say!(
            "submit with: bash {} (or rerun with --submit)",
            out.join("slurm/submit.sh").display()
        );
        return Ok(());
    }
    let array = sbatch(&[], &scripts.array)?;
    let merge = sbatch(&[format!("--dependency=afterok:{array}")], &scripts.merge)?;
    say!(
        "submitted array job {array} ({} tasks) and merge job {merge} (runs when every task has succeeded)",
        args.shards
    );
    say!(
        "shards in {}/shard-<i>, the merged run in {}/merged; a task that failed or was cancelled: sbatch --array=<i> {}",
        out.display(),
        out.display(),
        scripts.array.display()
    );
    say!("{array} {merge}");
    Ok(())
}

/// Checks that `eval` is a valid `waymark eval` command line without `--out` and `--shard`;
/// returns its task.
fn check_eval_line(eval: &[String], shards: u32) -> anyhow::Result<String> {
    ensure!(
        eval.first().map(String::as_str) == Some("eval"),
        "the command after `--` must be an eval command line (`eval <task> <options>`), not `{}`",
        eval.join(" ")
    );
    if let Some(arg) = eval.iter().find(|a| {
        ["--out", "--shard"]
            .iter()
            .any(|f| *a == f || a.starts_with(&format!("{f}=")))
    }) {
        bail!(
            "the eval command line must not set {arg}: the array gives each task its shard and folder"
        );
    }
    let mut line = vec!["waymark".to_string()];
    line.extend(eval.iter().cloned());
    line.extend([
        "--out".into(),
        "OUT".into(),
        "--shard".into(),
        format!("0/{shards}"),
    ]);
    crate::Cli::try_parse_from(&line).map_err(|e| {
        anyhow::anyhow!(
            "the eval command line does not parse: {}",
            e.render().to_string().trim_end()
        )
    })?;
    eval.get(1)
        .cloned()
        .context("the eval command line names no task")
}

/// Writes `array.sh`, `merge.sh` and `submit.sh` under `out/slurm`.
fn write_scripts(
    args: &SlurmArgs,
    task: &str,
    out: &Path,
    cwd: &Path,
    waymark: &Path,
) -> anyhow::Result<Scripts> {
    let name = args
        .job_name
        .clone()
        .unwrap_or_else(|| format!("waymark-{task}"));
    let slurm = out.join("slurm");
    let logs = slurm.join("logs");
    let mut options = Vec::new();
    if let Some(p) = &args.partition {
        options.push(format!("--partition={p}"));
    }
    if let Some(t) = &args.time {
        options.push(format!("--time={t}"));
    }
    if let Some(m) = &args.mem {
        options.push(format!("--mem={m}"));
    }
    options.extend(args.sbatch.iter().cloned());

    let mut eval: Vec<String> = vec![path_text(waymark)?];
    eval.extend(args.eval.iter().cloned());
    if let Some(cpus) = args.cpus_per_task
        && !args
            .eval
            .iter()
            .any(|a| a == "--workers" || a.starts_with("--workers="))
    {
        eval.extend(["--workers".into(), cpus.to_string()]);
    }

    let mut array = header(&name, &options);
    writeln!(array, "#SBATCH --array=0-{}", args.shards - 1)?;
    writeln!(array, "#SBATCH --output={}/%A_%a.out", path_text(&logs)?)?;
    writeln!(array, "#SBATCH --open-mode=append")?;
    writeln!(array, "#SBATCH --requeue")?;
    if let Some(cpus) = args.cpus_per_task {
        writeln!(array, "#SBATCH --cpus-per-task={cpus}")?;
    }
    if args.time.is_some() {
        writeln!(array, "#SBATCH --signal=B:USR1@{WARN_BEFORE_LIMIT_S}")?;
    }
    write!(
        array,
        r#"
# One shard of the batch per array task, each into its own folder; rerunning a task resumes
# its folder. SIGTERM (preemption, scancel) stops eval cleanly: episodes in flight finish,
# whole lines only. SIGUSR1 (sent before the time limit) does the same, then requeues the task.
set -u
cd {cwd}
shard="${{SLURM_ARRAY_TASK_ID:?submit this script with sbatch (it is a job array)}}"
{eval} --shard "$shard/{shards}" --out {out}/shard-"$shard" &
pid=$!
requeue=0
trap 'kill -TERM "$pid" 2>/dev/null' TERM
trap 'requeue=1; kill -TERM "$pid" 2>/dev/null' USR1
# `wait` returns early (above 128) when a trapped signal arrives: wait until eval has exited.
while :; do
  wait "$pid"
  status=$?
  kill -0 "$pid" 2>/dev/null || break
done
if [ "$requeue" = 1 ]; then
  scontrol requeue "${{SLURM_ARRAY_JOB_ID}}_${{SLURM_ARRAY_TASK_ID}}"
fi
exit "$status"
"#,
        cwd = quote(&path_text(cwd)?)?,
        eval = quote_all(&eval)?,
        shards = args.shards,
        out = quote(&path_text(out)?)?,
    )?;

    let mut merge = header(&format!("{name}-merge"), &options);
    writeln!(merge, "#SBATCH --output={}/merge_%j.out", path_text(&logs)?)?;
    let mut merge_line = vec![path_text(waymark)?, "merge".into()];
    for i in 0..args.shards {
        merge_line.push(path_text(&out.join(format!("shard-{i}")))?);
    }
    merge_line.extend(["--out".into(), path_text(&out.join("merged"))?]);
    write!(
        merge,
        "\n# Merges the shards once every array task has succeeded (submitted with\n# --dependency=afterok:<array job>).\nset -eu\ncd {}\n{}\n",
        quote(&path_text(cwd)?)?,
        quote_all(&merge_line)?
    )?;

    let scripts = Scripts {
        array: slurm.join("array.sh"),
        merge: slurm.join("merge.sh"),
    };
    let submit = format!(
        "#!/bin/bash\n# Submits the array, then the merge job after it (written by `waymark slurm`).\nset -eu\narray=$(sbatch --parsable {array})\narray=${{array%%;*}}\nmerge=$(sbatch --parsable --dependency=afterok:\"$array\" {merge})\nmerge=${{merge%%;*}}\necho \"array job $array, merge job $merge\"\n",
        array = quote(&path_text(&scripts.array)?)?,
        merge = quote(&path_text(&scripts.merge)?)?,
    );
    for (path, text) in [
        (&scripts.array, &array),
        (&scripts.merge, &merge),
        (&slurm.join("submit.sh"), &submit),
    ] {
        waymark_io::write_bytes_atomic(path, text.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(scripts)
}

/// The first lines of a batch script: the shell, the name, the shared options.
fn header(name: &str, options: &[String]) -> String {
    let mut text =
        format!("#!/bin/bash\n# Written by `waymark slurm`.\n#SBATCH --job-name={name}\n");
    for option in options {
        text.push_str("#SBATCH ");
        text.push_str(option);
        text.push('\n');
    }
    text
}

/// `sbatch --parsable [options] script`; the job id.
fn sbatch(options: &[String], script: &Path) -> anyhow::Result<String> {
    let output = Command::new("sbatch")
        .arg("--parsable")
        .args(options)
        .arg(script)
        .output()
        .context("running sbatch (is Slurm installed here?)")?;
    ensure!(
        output.status.success(),
        "sbatch {} failed ({}): {}",
        script.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr).trim()
    );
    let text = String::from_utf8_lossy(&output.stdout);
    // `--parsable` prints `<job id>` or `<job id>;<cluster>`.
    let id = text
        .trim()
        .split(';')
        .next()
        .unwrap_or_default()
        .to_string();
    ensure!(
        !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()),
        "sbatch {} printed no job id: {}",
        script.display(),
        text.trim()
    );
    Ok(id)
}

/// A path as text (the scripts are text).
fn path_text(path: &Path) -> anyhow::Result<String> {
    path.to_str()
        .map(str::to_string)
        .with_context(|| format!("{} is not valid UTF-8", path.display()))
}

/// One word, quoted for the shell.
fn quote(word: &str) -> anyhow::Result<String> {
    Ok(shlex::try_quote(word)
        .with_context(|| format!("{word:?} cannot be written in a shell script"))?
        .into_owned())
}

/// Words, quoted for the shell, joined by spaces.
fn quote_all(words: &[String]) -> anyhow::Result<String> {
    Ok(words
        .iter()
        .map(|w| quote(w))
        .collect::<anyhow::Result<Vec<_>>>()?
        .join(" "))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn line(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn the_eval_line_is_checked_before_anything_is_written() {
        let good = line(&[
            "eval",
            "r2r",
            "--connectivity",
            "c",
            "--episodes",
            "e",
            "--planner",
            "shortest",
        ]);
        assert_eq!(check_eval_line(&good, 4).unwrap(), "r2r");
        let mut with_out = good.clone();
        with_out.extend(line(&["--out", "x"]));
        assert!(
            check_eval_line(&with_out, 4)
                .unwrap_err()
                .to_string()
                .contains("--out")
        );
        let mut with_shard = good.clone();
        with_shard.push("--shard=1/2".into());
        assert!(
            check_eval_line(&with_shard, 4)
                .unwrap_err()
                .to_string()
                .contains("--shard")
        );
        let not_eval = line(&["score", "r2r"]);
        assert!(
            check_eval_line(&not_eval, 4)
                .unwrap_err()
                .to_string()
                .contains("eval command line")
        );
        let unknown = line(&["eval", "r2r", "--no-such-flag"]);
        assert!(
            check_eval_line(&unknown, 4)
                .unwrap_err()
                .to_string()
                .contains("does not parse")
        );
    }

    #[test]
    fn words_are_quoted_for_the_shell() {
        assert_eq!(quote("plain/path").unwrap(), "plain/path");
        assert_eq!(quote("exec:python3 a.py").unwrap(), "'exec:python3 a.py'");
        assert_eq!(quote("it's").unwrap(), "\"it's\"");
    }
}
