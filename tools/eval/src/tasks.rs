//! The task registry: every task family this build knows, by name. Adding a task family is
//! one crate and one line here.

use crate::error::EvalError;
use waymark_task::Task;

/// Every task, in the order `waymark tasks` lists them.
pub fn all() -> [&'static dyn Task; 7] {
    [
        &waymark_r2r::R2rTask,
        &waymark_vlnce::VlnceTask,
        &waymark_alfred::AlfredTask,
        &waymark_sg3d::Sg3dTask,
        &waymark_sg3d_nav::Sg3dNavTask,
        &waymark_voxel_tasks::Steve1Task,
        &waymark_voxel_tasks::CrafterTask,
    ]
}

/// The task named `name`.
pub fn find(name: &str) -> Result<&'static dyn Task, EvalError> {
    all()
        .into_iter()
        .find(|t| t.info().name == name)
        .ok_or_else(|| EvalError::UnknownTask {
            name: name.to_string(),
            available: all()
                .iter()
                .map(|t| t.info().name)
                .collect::<Vec<_>>()
                .join(", "),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_unknown_ones_list_the_rest() {
        let names: Vec<&str> = all().iter().map(|t| t.info().name).collect();
        let unique: std::collections::BTreeSet<&str> = names.iter().copied().collect();
        assert_eq!(names.len(), unique.len(), "{names:?}");
        assert_eq!(find("vlnce").map(|t| t.info().name).ok(), Some("vlnce"));
        let err = find("habitat").err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "unknown task `habitat`; available: r2r, vlnce, alfred, sg3d, sg3d-nav, steve1, crafter"
            )
        );
    }
}
