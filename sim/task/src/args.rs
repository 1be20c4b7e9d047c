//! A task's options: declared once, given on the command line, read with errors that name
//! the option.

use crate::error::TaskError;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::str::FromStr;

/// An option a task takes (`--connectivity DIR`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskOption {
    /// The long name without dashes (`connectivity`).
    pub name: &'static str,
    /// The placeholder in help text (`DIR`).
    pub value_name: &'static str,
    /// One line of help.
    pub help: &'static str,
    /// The default, as text; `None` for a required option or an optional one without default.
    pub default: Option<&'static str>,
    /// Whether it must be given.
    pub required: bool,
}

/// The values of a task's options, by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskArgs {
    values: BTreeMap<String, String>,
}

impl TaskArgs {
    /// No values.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets an option's value.
    pub fn set(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        self.values.insert(name.to_string(), value.into());
        self
    }

    /// Builder form of [`TaskArgs::set`].
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        self.set(name, value);
        self
    }

    /// The text of an option, if given.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// A required path.
    pub fn path(&self, name: &str) -> Result<PathBuf, TaskError> {
        self.text(name)
            .map(PathBuf::from)
            .ok_or_else(|| TaskError::MissingOption {
                option: name.to_string(),
            })
    }

    /// A required path that must be an existing folder: a missing path or a file is an error
    /// naming the option (not, later, an unknown scene).
    pub fn folder(&self, name: &str) -> Result<PathBuf, TaskError> {
        let path = self.path(name)?;
        if path.is_dir() {
            return Ok(path);
        }
        Err(TaskError::BadOption {
            option: name.to_string(),
            value: path.display().to_string(),
            message: if path.exists() {
                "is a file; a folder is expected".into()
            } else {
                "no such folder".into()
            },
        })
    }

    /// An optional value parsed as `T`.
    pub fn parse_opt<T: FromStr>(&self, name: &str) -> Result<Option<T>, TaskError>
    where
        T::Err: std::fmt::Display,
    {
        self.text(name)
            .map(|text| {
                text.parse().map_err(|e: T::Err| TaskError::BadOption {
                    option: name.to_string(),
                    value: text.to_string(),
                    message: e.to_string(),
                })
            })
            .transpose()
    }

    /// A value parsed as `T`, or `default` when not given.
    pub fn parse_or<T: FromStr>(&self, name: &str, default: T) -> Result<T, TaskError>
    where
        T::Err: std::fmt::Display,
    {
        Ok(self.parse_opt(name)?.unwrap_or(default))
    }

    /// A positive, finite number (a radius, a threshold), or `default` when not given:
    /// `0`, a negative number, `nan` or `inf` is an error naming the option.
    pub fn positive_f64_or(&self, name: &str, default: f64) -> Result<f64, TaskError> {
        let value = self.parse_or(name, default)?;
        if value.is_finite() && value > 0.0 {
            return Ok(value);
        }
        Err(TaskError::BadOption {
            option: name.to_string(),
            value: self.text(name).unwrap_or_default().to_string(),
            message: "must be a positive, finite number".into(),
        })
    }

    /// A point `X,Y,Z` (three finite numbers), when given.
    pub fn point_opt(&self, name: &str) -> Result<Option<glam::Vec3>, TaskError> {
        let Some(text) = self.text(name) else {
            return Ok(None);
        };
        let numbers: Vec<f32> = text
            .split(',')
            .filter_map(|n| n.trim().parse().ok())
            .filter(|n: &f32| n.is_finite())
            .collect();
        match numbers[..] {
            [x, y, z] if text.split(',').count() == 3 => Ok(Some(glam::Vec3::new(x, y, z))),
            _ => Err(TaskError::BadOption {
                option: name.to_string(),
                value: text.to_string(),
                message: "must be X,Y,Z: three finite numbers".into(),
            }),
        }
    }

    /// A count of at least 1 (a step limit), or `default` when not given.
    pub fn at_least_one_or(&self, name: &str, default: u32) -> Result<u32, TaskError> {
        let value = self.parse_or(name, default)?;
        if value >= 1 {
            return Ok(value);
        }
        Err(TaskError::BadOption {
            option: name.to_string(),
            value: self.text(name).unwrap_or_default().to_string(),
            message: "must be at least 1".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_values_and_errors_naming_the_option() {
        let args = TaskArgs::new().with("max-steps", "12").with("up", "q");
        assert_eq!(args.parse_or("max-steps", 30u32).unwrap(), 12);
        assert_eq!(args.parse_or("other", 30u32).unwrap(), 30);
        let err = args.parse_opt::<u32>("up").unwrap_err().to_string();
        assert!(err.contains("--up") && err.contains("`q`"), "{err}");
        let err = args.path("episodes").unwrap_err().to_string();
        assert_eq!(err, "--episodes is required");
        for bad in ["0", "-1", "nan", "inf", "-inf"] {
            let args = TaskArgs::new().with("success-threshold", bad);
            let err = args
                .positive_f64_or("success-threshold", 3.0)
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("--success-threshold") && err.contains("positive, finite"),
                "{err}"
            );
        }
        assert_eq!(TaskArgs::new().positive_f64_or("r", 3.0).unwrap(), 3.0);
        let here = std::env::current_dir().unwrap();
        let dir = TaskArgs::new().with("connectivity", here.to_string_lossy());
        assert_eq!(dir.folder("connectivity").unwrap(), here);
        let file = TaskArgs::new().with("connectivity", here.join("Cargo.toml").to_string_lossy());
        let err = file.folder("connectivity").unwrap_err().to_string();
        assert!(
            err.contains("--connectivity") && err.contains("is a file"),
            "{err}"
        );
        let zero = TaskArgs::new().with("max-steps", "0");
        assert!(
            zero.at_least_one_or("max-steps", 5)
                .unwrap_err()
                .to_string()
                .contains("at least 1")
        );
        let at = TaskArgs::new().with("viewpoint", "1.5, -2,0.25");
        assert_eq!(
            at.point_opt("viewpoint").unwrap(),
            Some(glam::Vec3::new(1.5, -2.0, 0.25))
        );
        assert_eq!(TaskArgs::new().point_opt("viewpoint").unwrap(), None);
        for bad in ["1,2", "1,2,3,4", "1,x,3", "1,2,nan"] {
            let err = TaskArgs::new()
                .with("viewpoint", bad)
                .point_opt("viewpoint")
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("--viewpoint") && err.contains("X,Y,Z"),
                "{bad}: {err}"
            );
        }
    }
}
