//! `waymark tasks` and `waymark planners`: what this build can run.

use crate::cmd_llm::{LlmArgs, planners};
use waymark_eval::tasks;
use waymark_task::TaskArgs;

/// Lists every task with its observation kind, episode formats, metrics and options.
pub fn list_tasks() {
    for task in tasks::all() {
        let info = task.info();
        say!("{}: {}", info.name, info.description);
        say!("  observations: {}", info.observation_kind);
        for format in info.episode_formats {
            say!("  episodes: {format}");
        }
        let metrics: Vec<String> = info
            .metrics
            .iter()
            .map(|m| {
                if m.official {
                    m.name.to_string()
                } else {
                    format!("{} (waymark's)", m.name)
                }
            })
            .collect();
        say!("  metrics: {}", metrics.join(", "));
        for option in info.options {
            let default = option
                .default
                .map(|d| format!(" [default {d}]"))
                .unwrap_or_default();
            let required = if option.required { " (required)" } else { "" };
            say!(
                "  --{} {}{required}{default}: {}",
                option.name,
                option.value_name,
                option.help
            );
        }
    }
}

/// Lists every planner with the tasks it supports and whether it is privileged.
pub fn list_planners() -> anyhow::Result<()> {
    let registry = planners("", &LlmArgs::default(), 60.0, None, &TaskArgs::new())?.registry;
    for planner in registry.list() {
        let supported: Vec<&str> = tasks::all()
            .iter()
            .map(|t| t.info())
            .filter(|i| planner.supports(i.name, i.observation_kind))
            .map(|i| i.name)
            .collect();
        say!(
            "{:<10} tasks: {}{}",
            planner.name,
            supported.join(", "),
            if planner.privileged {
                "; privileged (sees the teacher)"
            } else {
                ""
            }
        );
        say!("           {}", planner.description);
    }
    say!("exec:'CMD' any program speaking the JSON-lines planner protocol (planners/protocol/)");
    Ok(())
}
