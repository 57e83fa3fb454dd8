//! `purchase` on a team register: one receipt's items checked at once (every problem listed
//! before anything is sent), then created with the next free tags in one transaction on the
//! server, the receipt's bytes attached to each, printing what the file's command prints
//! (`crate::purchase`).

use register_core::{Result, Source};
use register_pg::{purchase, Client};

use super::Pg;
use crate::purchase::{asked, print_purchased, refuse_problems, Asked, PurchaseCommand};

/// Runs `purchase` on the connected team register.
pub fn run(c: &mut Client, command: PurchaseCommand) -> Result<()> {
    let Asked {
        input,
        receipt,
        json,
    } = asked(command)?;
    refuse_problems(&purchase::check_purchase(c, &input).pg()?)?;
    let out =
        purchase::record_purchase_with_receipt(c, Source::Cli, &input, receipt.as_deref()).pg()?;
    print_purchased(&out, json)
}
