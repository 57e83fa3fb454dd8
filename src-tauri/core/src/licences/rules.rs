//! The rules of changing a licence and its seats that need no storage, shared by every store:
//! checking a new or edited licence's fields, when a change is refused (an archived licence,
//! seats below those in use, a seat for someone who has left or who has one, no seat free,
//! archiving while seats are in use) and what each change's event records, the key masked.
//! The file's functions (`mod.rs`) call them, and so does the team register on PostgreSQL
//! (`register_pg::licences`), so both stores refuse the same changes in the same words and
//! record the same events. Nothing here reads or writes a database: reading the licence,
//! finding people and whether they hold a seat, and writing the rows stay with each store.

use super::model::{CostBasis, Licence, LicenceInput, Period, MAX_SEATS};
use crate::audit::{Action, Change, Entity, NewEvent};
use crate::error::{Error, Result};
use crate::values::{format_date, format_money, parse_date, parse_money, text, Money};

/// A licence's fields as they are to be stored: trimmed, typed, empty text as `None`, the key
/// in clear (only the store and these rules see it; events and lists get it masked).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidLicence {
    /// The product (required, at most 200 characters).
    pub product: String,
    /// Who makes it.
    pub vendor: Option<String>,
    /// Seats bought: 1 to [`MAX_SEATS`], and not below the seats in use.
    pub seats: i64,
    /// The next renewal or the expiry, YYYY-MM-DD.
    pub renewal_date: Option<String>,
    /// Cost per period in minor units.
    pub cost: Option<i64>,
    /// Whether the cost is per seat or in total.
    pub cost_basis: CostBasis,
    /// How often the cost is paid.
    pub period: Period,
    /// Who sold it.
    pub supplier: Option<String>,
    /// The key as given (trimmed), at most 2000 characters.
    pub licence_key: Option<String>,
    /// Free text.
    pub notes: Option<String>,
}

/// The key as lists show it: the last four characters of a key of eight or more, else only dots.
pub fn mask_key(key: &str) -> String {
    let chars: Vec<char> = key.trim().chars().collect();
    if chars.len() >= 8 {
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("•••• {tail}")
    } else {
        "••••".to_string()
    }
}

/// What one period costs for the whole licence: `cost`, times the seats when it is per seat.
pub fn period_cost(cost: Option<Money>, basis: CostBasis, seats: i64) -> Option<Money> {
    cost.map(|c| match basis {
        CostBasis::Total => c,
        CostBasis::PerSeat => Money::from_minor(c.minor().saturating_mul(seats)),
    })
}

/// Checks what the window or the CLI sends for a licence with `seats_used` seats in use (0 for
/// a new one): every field is read, `None` as empty.
pub fn check_licence(input: &LicenceInput, seats_used: i64) -> Result<ValidLicence> {
    let s = |v: &Option<String>| v.as_deref().and_then(text);
    let product = s(&input.product)
        .ok_or_else(|| Error::invalid("product", "a licence needs a product name"))?;
    if product.chars().count() > 200 {
        return Err(Error::invalid(
            "product",
            "a product name is at most 200 characters",
        ));
    }
    let seats_text = s(&input.seats).ok_or_else(|| Error::invalid("seats", "how many seats?"))?;
    let seats: i64 = seats_text.parse().map_err(|_| {
        Error::invalid(
            "seats",
            format!("\"{seats_text}\" is not a whole number of seats"),
        )
    })?;
    if !(1..=MAX_SEATS).contains(&seats) {
        return Err(Error::invalid(
            "seats",
            format!("a licence has between 1 and {MAX_SEATS} seats"),
        ));
    }
    if seats < seats_used {
        return Err(Error::invalid(
            "seats",
            format!(
                "{seats_used} seats are in use; release {} before reducing to {seats}",
                seats_used - seats
            ),
        ));
    }
    let renewal_date =
        parse_date("renewal_date", input.renewal_date.as_deref().unwrap_or(""))?.map(format_date);
    let cost = parse_money("cost", input.cost.as_deref().unwrap_or(""))?;
    let cost_basis = CostBasis::parse(input.cost_basis.as_deref().unwrap_or(""))?;
    let period = Period::parse(input.period.as_deref().unwrap_or(""))?;
    let licence_key = s(&input.licence_key);
    if licence_key
        .as_ref()
        .is_some_and(|k| k.chars().count() > 2000)
    {
        return Err(Error::invalid(
            "licence_key",
            "a key is at most 2000 characters",
        ));
    }
    Ok(ValidLicence {
        product,
        vendor: s(&input.vendor),
        seats,
        renewal_date,
        cost,
        cost_basis,
        period,
        supplier: s(&input.supplier),
        licence_key,
        notes: s(&input.notes),
    })
}

/// What adding `v` records: every field given, the key masked.
pub fn licence_created(v: &ValidLicence) -> Vec<Change> {
    diff(None, v)
}

/// An edit of the stored licence `before` (archived or not, with `seats_used` seats in use) by
/// `patch`, whose `None` fields keep their value and `Some("")` clears one: the fields to store
/// and what changes (none: the edit writes and records nothing). Refuses an archived licence
/// and seats below those in use.
pub fn check_licence_edit(
    before: &ValidLicence,
    archived: bool,
    seats_used: i64,
    patch: &LicenceInput,
) -> Result<(ValidLicence, Vec<Change>)> {
    if archived {
        return Err(Error::Refused(format!(
            "{} is archived; it can no longer be edited",
            before.product
        )));
    }
    let keep = |new: &Option<String>, old: Option<String>| new.clone().or(old);
    let merged = LicenceInput {
        product: keep(&patch.product, Some(before.product.clone())),
        vendor: keep(&patch.vendor, before.vendor.clone()),
        seats: keep(&patch.seats, Some(before.seats.to_string())),
        renewal_date: keep(&patch.renewal_date, before.renewal_date.clone()),
        cost: keep(&patch.cost, before.cost.map(format_money)),
        cost_basis: keep(
            &patch.cost_basis,
            Some(before.cost_basis.as_str().to_string()),
        ),
        period: keep(&patch.period, Some(before.period.as_str().to_string())),
        supplier: keep(&patch.supplier, before.supplier.clone()),
        licence_key: keep(&patch.licence_key, before.licence_key.clone()),
        notes: keep(&patch.notes, before.notes.clone()),
    };
    let after = check_licence(&merged, seats_used)?;
    let changes = diff(Some(before), &after);
    Ok((after, changes))
}

/// The changes from `old` to `new` (all fields when `old` is `None`), the key masked.
fn diff(old: Option<&ValidLicence>, new: &ValidLicence) -> Vec<Change> {
    let o = |f: fn(&ValidLicence) -> Option<String>| old.and_then(f);
    let mut changes = vec![
        Change::new(
            "product",
            o(|f| Some(f.product.clone())),
            Some(new.product.clone()),
        ),
        Change::new("vendor", o(|f| f.vendor.clone()), new.vendor.clone()),
        Change::new(
            "seats",
            o(|f| Some(f.seats.to_string())),
            Some(new.seats.to_string()),
        ),
        Change::new(
            "renewal_date",
            o(|f| f.renewal_date.clone()),
            new.renewal_date.clone(),
        ),
        Change::new(
            "cost",
            o(|f| f.cost.map(format_money)),
            new.cost.map(format_money),
        ),
        // Recorded when it is per seat, or changes: "total" is what a cost always meant.
        Change::new(
            "cost_basis",
            o(|f| Some(f.cost_basis.as_str().to_string()))
                .or(Some(CostBasis::Total.as_str().to_string())),
            Some(new.cost_basis.as_str().to_string()),
        ),
        Change::new(
            "period",
            o(|f| Some(f.period.as_str().to_string())),
            Some(new.period.as_str().to_string()),
        ),
        Change::new("supplier", o(|f| f.supplier.clone()), new.supplier.clone()),
        Change::new("notes", o(|f| f.notes.clone()), new.notes.clone()),
    ];
    let old_key = old.and_then(|f| f.licence_key.clone());
    if old_key != new.licence_key {
        let old_mask = old_key.as_deref().map(mask_key);
        let mut new_mask = new.licence_key.as_deref().map(mask_key);
        if old_mask == new_mask {
            new_mask = new_mask.map(|m| format!("{m} (changed)"));
        }
        changes.push(Change::new("licence_key", old_mask, new_mask));
    }
    changes
        .into_iter()
        .filter(|c| c.old != c.new && (old.is_some() || c.new.is_some()))
        .collect()
}

/// The event of a change to the licence `id`, labelled with its product (as it was before the
/// change).
pub fn licence_event<'a>(
    id: i64,
    product: &'a str,
    action: Action,
    changes: Vec<Change>,
    note: Option<&'a str>,
) -> NewEvent<'a> {
    NewEvent::about(Entity::Licence, id, product, action, changes, note)
}

/// Refuses a change that needs a live licence once `l` is archived.
pub fn check_licence_live(l: &Licence) -> Result<()> {
    if l.archived {
        return Err(Error::Refused(format!("{} is archived", l.product)));
    }
    Ok(())
}

/// How a store answers what giving a seat asks, for one licence.
pub trait SeatHolders {
    /// The store's error, which carries the core's refusals.
    type Error: From<Error>;

    /// The person called `name` (id, name as stored), created with their own event when new;
    /// refuses someone who has left (`people::check_can_hold`).
    fn person(&mut self, name: &str) -> std::result::Result<(i64, String), Self::Error>;

    /// Whether the person `person_id` holds a seat of the licence.
    fn holds_seat(&mut self, person_id: i64) -> std::result::Result<bool, Self::Error>;
}

/// Who a seat change gives the seat to, and what its event records.
#[derive(Debug, Clone, PartialEq)]
pub struct SeatPlan {
    /// The person who gets the seat (id, name as stored).
    pub person: (i64, String),
    /// The event's changes: field `seat`, old holder → new holder.
    pub changes: Vec<Change>,
}

/// Giving a seat of `l` to the person called `person`. Refuses an archived licence and an
/// empty name (before anyone is looked up), someone who has left, someone who has a seat of
/// it, and a licence whose seats are all in use (`l.seats_used` must be read under the store's
/// lock on the licence, so two clients cannot both take its last seat).
pub fn plan_assign_seat<S: SeatHolders>(
    l: &Licence,
    person: &str,
    store: &mut S,
) -> std::result::Result<SeatPlan, S::Error> {
    check_licence_live(l)?;
    if text(person).is_none() {
        return Err(Error::invalid("person", "choose who gets the seat").into());
    }
    let p = store.person(person)?;
    if store.holds_seat(p.0)? {
        return Err(already_seated(&p.1, l).into());
    }
    if l.seats_used >= l.seats {
        return Err(Error::Refused(format!(
            "all {} seats of {} are in use; add seats or release one first",
            l.seats, l.product
        ))
        .into());
    }
    let changes = vec![Change::new("seat", None, Some(p.1.clone()))];
    Ok(SeatPlan { person: p, changes })
}

/// Moving the seat of `l` that `from` (id, name) holds (`from_holds`) to the person called
/// `to`. Refuses an archived licence, a `from` without a seat, an empty name, someone who has
/// left, and giving it to `from` or to someone who has a seat already.
pub fn plan_reassign_seat<S: SeatHolders>(
    l: &Licence,
    from: (i64, &str),
    from_holds: bool,
    to: &str,
    store: &mut S,
) -> std::result::Result<SeatPlan, S::Error> {
    check_licence_live(l)?;
    if !from_holds {
        return Err(no_seat(from.1, l).into());
    }
    if text(to).is_none() {
        return Err(Error::invalid("person", "choose who gets the seat").into());
    }
    let p = store.person(to)?;
    if p.0 == from.0 || store.holds_seat(p.0)? {
        return Err(already_seated(&p.1, l).into());
    }
    let changes = vec![Change::new(
        "seat",
        Some(from.1.to_string()),
        Some(p.1.clone()),
    )];
    Ok(SeatPlan { person: p, changes })
}

/// Taking back the seat of `l` that the person called `person` holds (`holds`): what its
/// event records. Refused when they hold none.
pub fn plan_release_seat(l: &Licence, person: &str, holds: bool) -> Result<Vec<Change>> {
    if !holds {
        return Err(no_seat(person, l));
    }
    Ok(vec![Change::new("seat", Some(person.to_string()), None)])
}

/// Archiving `l`: what its event records. Refused when it is archived already, and while
/// seats are in use: release them first, so nobody silently loses access on paper while still
/// using it.
pub fn plan_archive_licence(l: &Licence) -> Result<Vec<Change>> {
    check_licence_live(l)?;
    if l.seats_used > 0 {
        return Err(Error::Refused(format!(
            "{} still has {} seat{} in use; release {} before archiving it",
            l.product,
            l.seats_used,
            if l.seats_used == 1 { "" } else { "s" },
            if l.seats_used == 1 { "it" } else { "them" }
        )));
    }
    Ok(vec![Change::new("archived", None, Some("yes".into()))])
}

/// The licence a CLI user named by product (`key`), from every licence of that product
/// ignoring case, `named`, live ones first and then by id: the only one, else the only live
/// one; several are refused with their ids.
pub fn choose_named(key: &str, named: Vec<Licence>) -> Result<Licence> {
    let k = key.trim();
    if named.len() <= 1 {
        return named
            .into_iter()
            .next()
            .ok_or_else(|| Error::not_found("licence", k));
    }
    let ids: Vec<String> = named.iter().map(|l| format!("#{}", l.id)).collect();
    let mut live: Vec<Licence> = named.into_iter().filter(|l| !l.archived).collect();
    if live.len() == 1 {
        return Ok(live.remove(0));
    }
    Err(Error::Refused(format!(
        "several licences are called {k}; name one by its id: {}",
        ids.join(", ")
    )))
}

fn already_seated(person: &str, l: &Licence) -> Error {
    Error::Refused(format!("{person} already has a seat of {}", l.product))
}

fn no_seat(person: &str, l: &Licence) -> Error {
    Error::Refused(format!("{person} has no seat of {}", l.product))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store that knows one person, Sam (id 1), who holds a seat when `seated`, and counts
    /// its look-ups.
    struct Fixed {
        seated: bool,
        asked: usize,
    }

    impl SeatHolders for Fixed {
        type Error = Error;

        fn person(&mut self, name: &str) -> Result<(i64, String)> {
            self.asked += 1;
            match name.trim() {
                "Gone" => Err(Error::Refused("Gone has left the organisation".into())),
                _ => Ok((1, "Sam".into())),
            }
        }

        fn holds_seat(&mut self, _: i64) -> Result<bool> {
            Ok(self.seated)
        }
    }

    fn licence(seats: i64, used: i64, archived: bool) -> Licence {
        Licence {
            id: 3,
            product: "Figma".into(),
            vendor: None,
            seats,
            seats_used: used,
            renewal_date: None,
            cost: None,
            cost_basis: CostBasis::Total,
            period_cost: None,
            period: Period::Yearly,
            supplier: None,
            key_hint: None,
            notes: None,
            archived,
            document_count: 0,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn a_seat_is_refused_in_the_order_the_file_refuses_it() {
        let plan = |l: &Licence, who: &str, seated: bool| {
            let mut store = Fixed { seated, asked: 0 };
            let out = plan_assign_seat(l, who, &mut store).map_err(|e| e.to_string());
            (out, store.asked)
        };
        // Archived, or nobody named: refused before anyone is looked up (or created).
        let (out, asked) = plan(&licence(2, 0, true), "Sam", false);
        assert_eq!((out.unwrap_err(), asked), ("Figma is archived".into(), 0));
        let (out, asked) = plan(&licence(2, 0, false), "  ", false);
        assert_eq!(
            (out.unwrap_err(), asked),
            ("choose who gets the seat".into(), 0)
        );
        // A leaver is told so even when no seat is free; a holder is told they have one.
        let (out, _) = plan(&licence(1, 1, false), "Gone", false);
        assert!(out.unwrap_err().contains("has left"));
        let (out, _) = plan(&licence(1, 1, false), "Sam", true);
        assert_eq!(out.unwrap_err(), "Sam already has a seat of Figma");
        let (out, _) = plan(&licence(1, 1, false), "Sam", false);
        assert_eq!(
            out.unwrap_err(),
            "all 1 seats of Figma are in use; add seats or release one first"
        );
        let (out, _) = plan(&licence(2, 1, false), "sam", false);
        let p = out.unwrap();
        assert_eq!(p.person, (1, "Sam".to_string()));
        assert_eq!(
            p.changes,
            vec![Change::new("seat", None, Some("Sam".into()))]
        );
    }

    #[test]
    fn several_licences_of_one_product_need_an_id_unless_one_is_live() {
        let mut a = licence(1, 0, true);
        a.id = 1;
        let b = licence(1, 0, false);
        assert_eq!(
            choose_named("figma", vec![b.clone(), a.clone()])
                .unwrap()
                .id,
            3
        );
        let mut c = b.clone();
        c.id = 4;
        let e = choose_named(" figma ", vec![b, c, a]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "several licences are called figma; name one by its id: #3, #4, #1"
        );
        assert!(matches!(
            choose_named("Zoom", Vec::new()),
            Err(Error::NotFound { .. })
        ));
    }
}
