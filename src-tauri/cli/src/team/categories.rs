//! A category's depreciation default and replacement plan on a team register: `category NAME
//! --depreciation …` and `replacement category NAME`, each one `register_pg::categories` call,
//! reading the flags as the file's commands do and printing what they print (`lifecycle.rs` and
//! `forecast.rs` own the flags' meaning and the sentences).

use register_core::depreciation;
use register_core::{Error, Result};
use register_pg::{categories, Client};

use super::{say, write, Pg};
use crate::forecast::{category_plan, plan_saved, ForecastCommand, ReplacementCommand};
use crate::lifecycle::{depreciation_set, LifecycleCommand};
use crate::Command;

/// Whether `command` is one of the category commands that work on a team register.
pub fn works_on_team(command: &Command) -> bool {
    matches!(
        command,
        Command::Lifecycle(LifecycleCommand::Category { .. })
            | Command::Forecast(ForecastCommand::Replacement(
                ReplacementCommand::Category { .. }
            ))
    )
}

/// Runs a category command on the connected team register.
pub fn run(c: &mut Client, command: Command) -> Result<()> {
    match command {
        Command::Lifecycle(LifecycleCommand::Category {
            name,
            depreciation: method,
            life_months,
            residual,
            rate,
        }) => {
            let m = depreciation::parse_method(
                &method,
                life_months,
                residual.as_deref(),
                rate.as_deref(),
            )?;
            write(c, |tx| categories::set_category_method(tx, &name, m))?;
            say(depreciation_set(&name))
        }
        Command::Forecast(ForecastCommand::Replacement(ReplacementCommand::Category {
            name,
            life_months,
            replace_with,
        })) => {
            let current = categories::find_category_plan(c, &name).pg()?;
            let (life, price) = category_plan(life_months, replace_with, current.as_ref())?;
            write(c, |tx| {
                categories::set_category_plan(tx, &name, life, price)
            })?;
            say(plan_saved(&name))
        }
        _ => Err(Error::Internal("not a category command".to_string())),
    }
}
