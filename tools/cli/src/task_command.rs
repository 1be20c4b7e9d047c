//! `eval <task>` and `score <task>`: one subcommand per task of the registry, whose options
//! come from the task's declaration, beside the options of the command itself (`X`).

use clap::{Arg, ArgMatches, Args, Command, FromArgMatches, Subcommand};
use waymark_eval::tasks;
use waymark_task::{Task, TaskArgs};

/// A task chosen on the command line, its options, and the command's own options.
pub struct TaskCommand<X> {
    /// The task.
    pub task: &'static dyn Task,
    /// The task's options, as given (defaults filled in).
    pub args: TaskArgs,
    /// The command's own options.
    pub extra: X,
}

fn task_subcommand<X: Args>(task: &'static dyn Task) -> Command {
    let info = task.info();
    let mut command = Command::new(info.name).about(info.description);
    for option in info.options {
        let mut arg = Arg::new(option.name)
            .long(option.name)
            .value_name(option.value_name)
            .help(option.help)
            .required(option.required);
        if let Some(default) = option.default {
            arg = arg.default_value(default);
        }
        command = command.arg(arg);
    }
    X::augment_args(command)
}

impl<X: FromArgMatches> FromArgMatches for TaskCommand<X> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let Some((name, sub)) = matches.subcommand() else {
            return Err(clap::Error::raw(
                clap::error::ErrorKind::MissingSubcommand,
                "a task is required (see `waymark tasks`)\n",
            ));
        };
        let task = tasks::find(name).map_err(|e| {
            clap::Error::raw(clap::error::ErrorKind::InvalidSubcommand, format!("{e}\n"))
        })?;
        let mut args = TaskArgs::new();
        for option in task.info().options {
            if let Some(value) = sub.get_one::<String>(option.name) {
                args.set(option.name, value.clone());
            }
        }
        Ok(Self {
            task,
            args,
            extra: X::from_arg_matches(sub)?,
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl<X: Args + FromArgMatches> Subcommand for TaskCommand<X> {
    fn augment_subcommands(command: Command) -> Command {
        tasks::all()
            .into_iter()
            .fold(command, |c, task| c.subcommand(task_subcommand::<X>(task)))
            .subcommand_required(true)
    }

    fn augment_subcommands_for_update(command: Command) -> Command {
        Self::augment_subcommands(command)
    }

    fn has_subcommand(name: &str) -> bool {
        tasks::find(name).is_ok()
    }
}
