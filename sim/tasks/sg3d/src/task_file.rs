//! SG3D task files: the released JSON array and the human-written text form.
//!
//! JSON: `[{"scan_id": "ScanNet_scene0011_00", "task_description": "…", "action_steps":
//! [{"action": "…", "target_id": "15", "label": "desk"}, …]}, …]`; `target_id` may also be a
//! JSON integer. Text form (`.txt`): tasks separated by lines `===`, each `Task: …`, then
//! `Steps:`, then steps numbered from 1, each ending in `[label-id]`; it names no scan, so
//! the `--scan` option gives every task's. A task's id is its position in the file (`0`, `1`, …).
//! waymark's generated tasks add an optional `language` tag to the JSON records (SG3D's are
//! English).

use serde::{Deserialize, Serialize};
use std::path::Path;
use waymark_io::{read_json, write_json_atomic};
use waymark_task::TaskError;

/// The dataset prefixes of SG3D's scan ids (`ScanNet_scene0011_00` is scene `scene0011_00`).
pub const DATASETS: [&str; 5] = ["ScanNet", "3RScan", "MultiScan", "ARKitScenes", "HM3D"];

/// One task: a description and its steps, each naming one object.
#[derive(Clone, Debug, PartialEq)]
pub struct GroundingTask {
    /// SG3D's scan id (`ScanNet_scene0451_01`).
    pub scan_id: String,
    /// The task's description.
    pub description: String,
    /// Its steps, in order.
    pub steps: Vec<TaskStep>,
    /// The language tag, when the file gives one (SG3D's tasks are English).
    pub language: Option<String>,
}

impl GroundingTask {
    /// The scene the scan id names: the scan id without its dataset prefix.
    pub fn scene(&self) -> &str {
        scene_of(&self.scan_id)
    }

    /// The gold object ids, in step order.
    pub fn targets(&self) -> Vec<u32> {
        self.steps.iter().map(|s| s.target_id).collect()
    }

    /// The task as SG3D writes it for a model, without the targets: `Task: …`, `Steps:`,
    /// then the numbered steps.
    pub fn instruction(&self) -> String {
        let mut text = format!("Task: {}\nSteps:", self.description.trim());
        for (k, step) in self.steps.iter().enumerate() {
            text.push_str(&format!("\n{}. {}", k + 1, step.text.trim()));
        }
        text
    }
}

/// One step of a task.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskStep {
    /// What to do (SG3D's `action`).
    pub text: String,
    /// The object it names (SG3D's `target_id`).
    pub target_id: u32,
    /// The object's label as the file gives it.
    pub label: String,
}

/// The scene of SG3D scan id `scan_id`: without a known dataset prefix ([`DATASETS`]) and its
/// `_`; a scan id without one is the scene itself.
pub fn scene_of(scan_id: &str) -> &str {
    DATASETS
        .iter()
        .find_map(|d| scan_id.strip_prefix(d)?.strip_prefix('_'))
        .filter(|scene| !scene.is_empty())
        .unwrap_or(scan_id)
}

#[derive(Deserialize, Serialize)]
struct RawTask {
    scan_id: String,
    task_description: String,
    action_steps: Vec<RawStep>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    language: Option<String>,
}

#[derive(Deserialize, Serialize)]
struct RawStep {
    action: String,
    target_id: RawId,
    #[serde(default)]
    label: String,
}

#[derive(Deserialize, Serialize)]
#[serde(untagged)]
enum RawId {
    Number(u64),
    Text(String),
}

/// Writes `tasks` as SG3D's JSON array (target ids as strings, as SG3D writes them).
pub fn write_tasks(path: &Path, tasks: &[GroundingTask]) -> Result<(), TaskError> {
    let raw: Vec<RawTask> = tasks
        .iter()
        .map(|t| RawTask {
            scan_id: t.scan_id.clone(),
            task_description: t.description.clone(),
            action_steps: t
                .steps
                .iter()
                .map(|s| RawStep {
                    action: s.text.clone(),
                    target_id: RawId::Text(s.target_id.to_string()),
                    label: s.label.clone(),
                })
                .collect(),
            language: t.language.clone(),
        })
        .collect();
    Ok(write_json_atomic(path, &raw, true)?)
}

/// Reads a task file: the text form when its name ends in `.txt` (every task in scan
/// `scan`), else SG3D's JSON array. Errors name the file, the task and the step.
pub fn read_tasks(path: &Path, scan: Option<&str>) -> Result<Vec<GroundingTask>, TaskError> {
    let is_text = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
    if is_text {
        let text = std::fs::read_to_string(path).map_err(|e| waymark_io::IoError::io(path, e))?;
        let scan = scan.ok_or_else(|| TaskError::BadOption {
            option: "scan".into(),
            value: String::new(),
            message: format!(
                "{} is in SG3D's text form, which names no scan: give the scan of its tasks (ScanNet_scene0451_01)",
                path.display()
            ),
        })?;
        return parse_text(path, &text, scan);
    }
    let raw: Vec<RawTask> = read_json(path)?;
    raw.into_iter()
        .enumerate()
        .map(|(t, task)| {
            let bad = |message: String| episode_error(path, t, message);
            if task.action_steps.is_empty() {
                return Err(bad("action_steps is empty".into()));
            }
            let steps = task
                .action_steps
                .into_iter()
                .enumerate()
                .map(|(k, step)| {
                    let target_id = match step.target_id {
                        RawId::Number(n) => u32::try_from(n).ok(),
                        RawId::Text(text) => text.trim().parse().ok(),
                    }
                    .ok_or_else(|| {
                        bad(format!(
                            "step {}: target_id is not an object id (a non-negative integer)",
                            k + 1
                        ))
                    })?;
                    Ok(TaskStep {
                        text: step.action,
                        target_id,
                        label: step.label,
                    })
                })
                .collect::<Result<_, TaskError>>()?;
            Ok(GroundingTask {
                scan_id: task.scan_id,
                description: task.task_description,
                steps,
                language: task.language,
            })
        })
        .collect()
}

/// The error for task `t` of `file`.
pub(crate) fn episode_error(file: &Path, t: usize, message: String) -> TaskError {
    TaskError::Episode {
        file: file.to_path_buf(),
        episode: t.to_string(),
        message,
    }
}

/// Parses SG3D's text form (`path` names the file in errors); every task is in `scan`.
pub fn parse_text(path: &Path, text: &str, scan: &str) -> Result<Vec<GroundingTask>, TaskError> {
    let mut tasks = Vec::new();
    let mut current: Option<GroundingTask> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let number = n + 1;
        if line.is_empty() || line == "Steps:" {
            continue;
        }
        if line.chars().all(|c| c == '=') {
            push_task(path, &mut tasks, current.take(), number)?;
            continue;
        }
        if let Some(description) = line.strip_prefix("Task:") {
            push_task(path, &mut tasks, current.take(), number)?;
            current = Some(GroundingTask {
                scan_id: scan.to_string(),
                description: description.trim().to_string(),
                steps: Vec::new(),
                language: None,
            });
            continue;
        }
        let position = tasks.len();
        let bad =
            |message: String| episode_error(path, position, format!("line {number}: {message}"));
        let Some(task) = current.as_mut() else {
            return Err(bad("a step before any `Task:` line".into()));
        };
        task.steps
            .push(parse_step(line, task.steps.len() + 1).map_err(bad)?);
    }
    push_task(path, &mut tasks, current, text.lines().count())?;
    Ok(tasks)
}

/// Adds a finished task of the text form (ended at line `line`), which must have steps.
fn push_task(
    path: &Path,
    tasks: &mut Vec<GroundingTask>,
    task: Option<GroundingTask>,
    line: usize,
) -> Result<(), TaskError> {
    let Some(task) = task else { return Ok(()) };
    if task.steps.is_empty() {
        return Err(episode_error(
            path,
            tasks.len(),
            format!("line {line}: the task has no steps"),
        ));
    }
    tasks.push(task);
    Ok(())
}

/// One numbered step, `k. text [label-id]`, expected to be step `k`.
fn parse_step(line: &str, k: usize) -> Result<TaskStep, String> {
    let (number, rest) = line
        .split_once('.')
        .ok_or_else(|| format!("step {k}: expected `{k}. text [label-id]`"))?;
    if number.trim().parse::<usize>().ok() != Some(k) {
        return Err(format!("step {k}: numbered `{}`", number.trim()));
    }
    let body = rest.trim();
    let (text, bracket) = body
        .strip_suffix(']')
        .and_then(|b| b.rsplit_once('['))
        .ok_or_else(|| format!("step {k}: does not end in `[label-id]`"))?;
    let (label, id) = bracket
        .rsplit_once('-')
        .ok_or_else(|| format!("step {k}: `[{bracket}]` is not `[label-id]`"))?;
    let target_id = id.trim().parse().map_err(|_| {
        format!(
            "step {k}: `{}` in `[{bracket}]` is not an object id",
            id.trim()
        )
    })?;
    Ok(TaskStep {
        text: text.trim().to_string(),
        target_id,
        label: label.trim().to_string(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const TWO: &str = "Task: Make me a cup of coffee.\nSteps:\n1. Go to the long desk. [desk-15]\n\
        2. Fill it at the coffee maker. [coffee maker-16]\n\n===\n\nTask: Sit.\nSteps:\n\
        1. Walk to the sofa. [sofa-14]\n";

    #[test]
    fn the_text_form_parses_labels_with_spaces() {
        let tasks = parse_text(Path::new("t.txt"), TWO, "ScanNet_scene0451_01").unwrap();
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[0].description, "Make me a cup of coffee.");
        assert_eq!(tasks[0].targets(), [15, 16]);
        assert_eq!(tasks[0].steps[1].label, "coffee maker");
        assert_eq!(tasks[0].steps[1].text, "Fill it at the coffee maker.");
        assert_eq!(tasks[1].scene(), "scene0451_01");
        assert_eq!(
            tasks[0].instruction(),
            "Task: Make me a cup of coffee.\nSteps:\n1. Go to the long desk.\n2. Fill it at the coffee maker."
        );
    }

    #[test]
    fn text_form_errors_name_the_task_line_and_step() {
        let err = |text: &str| {
            parse_text(Path::new("t.txt"), text, "s")
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err("Task: a\n1. Go. [desk-15]\n===\nTask: b\n1. Go. [desk]\n"),
            "t.txt: episode 1: line 5: step 1: `[desk]` is not `[label-id]`"
        );
        assert_eq!(
            err("Task: a\n1. Go. [desk-x]"),
            "t.txt: episode 0: line 2: step 1: `x` in `[desk-x]` is not an object id"
        );
        assert_eq!(
            err("Task: a\n2. Go. [desk-1]"),
            "t.txt: episode 0: line 2: step 1: numbered `2`"
        );
        assert_eq!(
            err("Task: a\n1. Go to the desk."),
            "t.txt: episode 0: line 2: step 1: does not end in `[label-id]`"
        );
        assert_eq!(
            err("1. Go. [desk-1]"),
            "t.txt: episode 0: line 1: a step before any `Task:` line"
        );
        assert_eq!(
            err("Task: a\n1. Go. [desk-1]\n===\nTask: b\nSteps:\n===\n"),
            "t.txt: episode 1: line 6: the task has no steps"
        );
    }

    #[test]
    fn json_tasks_take_string_or_integer_ids_and_scan_ids_lose_their_dataset() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tasks.json");
        std::fs::write(
            &path,
            r#"[{"scan_id": "ScanNet_scene0451_01", "task_description": "Sit.",
                 "action_steps": [{"action": "Go to the sofa.", "target_id": "14", "label": "sofa"},
                                  {"action": "Sit.", "target_id": 14, "label": "sofa"}]}]"#,
        )
        .unwrap();
        let tasks = read_tasks(&path, None).unwrap();
        assert_eq!(tasks[0].targets(), [14, 14]);
        let mut again = tasks.clone();
        again[0].language = Some("ar".into());
        let copy = dir.path().join("copy.json");
        write_tasks(&copy, &again).unwrap();
        assert_eq!(read_tasks(&copy, None).unwrap(), again);
        assert!(
            std::fs::read_to_string(&copy)
                .unwrap()
                .contains(r#""target_id": "14""#)
        );
        assert_eq!(tasks[0].scene(), "scene0451_01");
        assert_eq!(scene_of("3RScan_0cac7584-8d6f"), "0cac7584-8d6f");
        assert_eq!(scene_of("scene0451_01"), "scene0451_01");
        assert_eq!(scene_of("ScanNet_"), "ScanNet_");
        let bad = |body: &str| {
            std::fs::write(&path, body).unwrap();
            read_tasks(&path, None).unwrap_err().to_string()
        };
        let text = bad(r#"[{"scan_id": "s", "task_description": "x", "action_steps": []}]"#);
        assert!(text.ends_with("episode 0: action_steps is empty"), "{text}");
        let text = bad(
            r#"[{"scan_id": "s", "task_description": "x", "action_steps": [{"action": "a", "target_id": "-3"}]}]"#,
        );
        assert!(
            text.ends_with(
                "episode 0: step 1: target_id is not an object id (a non-negative integer)"
            ),
            "{text}"
        );
        let text = bad(r#"[{"scan_id": "s", "action_steps": []}]"#);
        assert!(
            text.contains("tasks.json") && text.contains("task_description"),
            "{text}"
        );
        let txt = dir.path().join("tasks.txt");
        std::fs::write(&txt, TWO).unwrap();
        let text = read_tasks(&txt, None).unwrap_err().to_string();
        assert!(
            text.starts_with("--scan ``") && text.contains("text form"),
            "{text}"
        );
        assert_eq!(
            read_tasks(&txt, Some("ScanNet_scene0451_01"))
                .unwrap()
                .len(),
            2
        );
    }
}
