//! The register's tables that move between a file and a team register, column by column, and
//! reading and writing their rows on either side. Owns only the correspondence of columns and
//! types (the file's text dates and instants, the server's DATE and TIMESTAMPTZ); what may move
//! and when is `move_in`'s and `export`'s. Events are not here: they move as stored events
//! (`register_core::audit::copy_stored`, `crate::audit::copy_stored`).

use postgres::types::ToSql;
use postgres::GenericClient;
use register_core::Connection;

use crate::error::Result;

/// How a column is kept: the file's type, and the server's when they differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An integer (BIGINT or INTEGER on the server).
    Int,
    /// Text in both.
    Text,
    /// `YYYY-MM-DD` text in the file, DATE on the server.
    Date,
    /// RFC 3339 UTC text with microseconds in the file, TIMESTAMPTZ on the server.
    Instant,
    /// 0 or 1 in the file, BOOLEAN on the server.
    Bool,
}

/// One table as both stores hold it.
pub(crate) struct Table {
    /// Its name in both stores.
    pub(crate) name: &'static str,
    columns: &'static [(&'static str, Kind)],
    order: &'static str,
}

use Kind::{Bool, Date, Instant, Int, Text};

/// Every table that moves, in an order that inserts what is referred to first.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "people",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("email", Text),
            ("department", Text),
            ("left_on", Date),
            ("created_at", Instant),
        ],
        order: "id",
    },
    Table {
        name: "locations",
        columns: &[("id", Int), ("name", Text), ("created_at", Instant)],
        order: "id",
    },
    Table {
        name: "categories",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("created_at", Instant),
            ("depreciation", Text),
            ("life_months", Int),
            ("residual", Int),
            ("rate_bp", Int),
            ("replacement_months", Int),
            ("replace_with", Int),
        ],
        order: "id",
    },
    Table {
        name: "assets",
        columns: &[
            ("id", Int),
            ("asset_tag", Text),
            ("name", Text),
            ("category_id", Int),
            ("make", Text),
            ("model", Text),
            ("serial_number", Text),
            ("serial_key", Text),
            ("purchase_date", Date),
            ("purchase_cost", Int),
            ("supplier", Text),
            ("warranty_expires", Date),
            ("notes", Text),
            ("status", Text),
            ("person_id", Int),
            ("location_id", Int),
            ("category_name", Text),
            ("person_name", Text),
            ("location_name", Text),
            ("depreciation", Text),
            ("life_months", Int),
            ("residual", Int),
            ("rate_bp", Int),
            ("replacement_months", Int),
            ("last_seen", Date),
            ("archived_at", Instant),
            ("created_at", Instant),
            ("updated_at", Instant),
        ],
        order: "id",
    },
    Table {
        name: "licences",
        columns: &[
            ("id", Int),
            ("product", Text),
            ("vendor", Text),
            ("seats", Int),
            ("renewal_date", Date),
            ("cost", Int),
            ("period", Text),
            ("supplier", Text),
            ("licence_key", Text),
            ("notes", Text),
            ("archived_at", Instant),
            ("created_at", Instant),
            ("updated_at", Instant),
            ("cost_basis", Text),
        ],
        order: "id",
    },
    Table {
        name: "licence_seats",
        columns: &[
            ("licence_id", Int),
            ("person_id", Int),
            ("assigned_at", Instant),
        ],
        order: "licence_id, person_id",
    },
    Table {
        name: "documents",
        columns: &[
            ("id", Int),
            ("asset_id", Int),
            ("licence_id", Int),
            ("name", Text),
            ("kind", Text),
            ("size", Int),
            ("sha256", Text),
            ("added_at", Instant),
        ],
        order: "id",
    },
    Table {
        name: "stocktakes",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("on_date", Date),
            ("counted_by", Text),
            ("all_locations", Bool),
            ("started_at", Instant),
            ("finished_at", Instant),
            ("start_event_count", Int),
            ("start_head", Text),
            ("finish_event_count", Int),
            ("finish_head", Text),
            ("cancelled", Bool),
        ],
        order: "id",
    },
    Table {
        name: "stocktake_locations",
        columns: &[("stocktake_id", Int), ("location_id", Int)],
        order: "stocktake_id, location_id",
    },
    Table {
        name: "stocktake_items",
        columns: &[
            ("id", Int),
            ("stocktake_id", Int),
            ("asset_id", Int),
            ("tag", Text),
            ("name", Text),
            ("expected", Bool),
            ("expected_location", Text),
            ("outcome", Text),
            ("seen_at", Instant),
            ("seen_location", Text),
            ("moved", Bool),
            ("marked_lost", Bool),
            ("note", Text),
        ],
        order: "id",
    },
    // Who started an offboarding and who resolved an item (the server's `started_by`,
    // `resolved_by`) are not in the file: moved in, they name the login that moved them.
    Table {
        name: "offboardings",
        columns: &[
            ("id", Int),
            ("person_id", Int),
            ("leaving_on", Date),
            ("started_at", Instant),
            ("finished_at", Instant),
        ],
        order: "id",
    },
    Table {
        name: "offboarding_items",
        columns: &[
            ("offboarding_id", Int),
            ("kind", Text),
            ("ref_id", Int),
            ("label", Text),
            ("outcome", Text),
            ("detail", Text),
            ("resolved_at", Instant),
        ],
        order: "offboarding_id, kind, ref_id",
    },
    // Who recorded a disposal (the server's `recorded_by`) is not in the file: moved in, it
    // names the login that moved it. After documents: a record names its certificate.
    Table {
        name: "disposals",
        columns: &[
            ("asset_id", Int),
            ("method", Text),
            ("disposed_on", Date),
            ("recipient", Text),
            ("wipe_method", Text),
            ("wiped_by", Text),
            ("certificate_number", Text),
            ("certificate_id", Int),
            ("note", Text),
            ("recorded_at", Instant),
        ],
        order: "asset_id",
    },
];

/// Tables that move after the events, because their rows name events (an import's summary
/// event): imports, what each did to which asset, and the mappings remembered for header sets.
pub(crate) const AFTER_EVENTS: &[Table] = &[
    Table {
        name: "imports",
        columns: &[
            ("id", Int),
            ("file_name", Text),
            ("sha256", Text),
            ("at", Instant),
            ("rows", Int),
            ("created", Int),
            ("updated", Int),
            ("skipped", Int),
            ("event_id", Int),
            ("undone_at", Instant),
        ],
        order: "id",
    },
    Table {
        name: "import_items",
        columns: &[
            ("import_id", Int),
            ("asset_id", Int),
            ("action", Text),
            ("before", Text),
        ],
        order: "import_id, asset_id",
    },
    Table {
        name: "import_mappings",
        columns: &[
            ("header_key", Text),
            ("mapping", Text),
            ("updated_at", Instant),
        ],
        order: "header_key",
    },
];

/// The tables whose ids come from a sequence on the server, moved past copied ids.
pub(crate) const NUMBERED: &[&str] = &[
    "people",
    "locations",
    "categories",
    "assets",
    "licences",
    "documents",
    "stocktakes",
    "stocktake_items",
    "offboardings",
];

/// Rows written per statement by `Table::write_server`.
const ROWS_PER_STATEMENT: usize = 2_000;

/// One value of a row, as the file types it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// An integer or NULL.
    Int(Option<i64>),
    /// Text (a date or an instant in the file's form) or NULL.
    Text(Option<String>),
}

impl Cell {
    /// The text, for a caller that knows the column is text (a document's SHA-256).
    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(t) => t.as_deref(),
            Cell::Int(_) => None,
        }
    }

    /// The integer, for a caller that knows the column is one (a document's size).
    pub(crate) fn int(&self) -> Option<i64> {
        match self {
            Cell::Int(i) => *i,
            Cell::Text(_) => None,
        }
    }
}

/// A table's rows, each with its columns in the table's order.
pub(crate) type Rows = Vec<Vec<Cell>>;

impl Table {
    fn column_list(&self) -> String {
        let names: Vec<&str> = self.columns.iter().map(|c| c.0).collect();
        names.join(", ")
    }

    /// Where the column `name` is in each row.
    pub(crate) fn index_of(&self, name: &str) -> usize {
        self.columns
            .iter()
            .position(|c| c.0 == name)
            .expect("a column of this table")
    }

    /// Every row of the table in the file register.
    pub(crate) fn read_file(&self, conn: &Connection) -> register_core::Result<Rows> {
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {}",
            self.column_list(),
            self.name,
            self.order
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut row = Vec::with_capacity(self.columns.len());
            for (i, (_, kind)) in self.columns.iter().enumerate() {
                row.push(match kind {
                    Int | Bool => Cell::Int(r.get(i)?),
                    _ => Cell::Text(r.get(i)?),
                });
            }
            out.push(row);
        }
        Ok(out)
    }

    /// Inserts `rows` into the file register, ids as they are (inside the caller's write,
    /// which must also copy the events that record them).
    pub(crate) fn write_file(&self, conn: &Connection, rows: &Rows) -> register_core::Result<()> {
        let marks: Vec<String> = (1..=self.columns.len()).map(|i| format!("?{i}")).collect();
        let mut stmt = conn.prepare(&format!(
            "INSERT INTO {} ({}) VALUES ({})",
            self.name,
            self.column_list(),
            marks.join(", ")
        ))?;
        for row in rows {
            stmt.execute(rusqlite::params_from_iter(row.iter().map(|c| match c {
                Cell::Int(i) => rusqlite::types::Value::from(*i),
                Cell::Text(t) => rusqlite::types::Value::from(t.clone()),
            })))?;
        }
        Ok(())
    }

    /// Every row of the table on the server, in the file's forms.
    pub(crate) fn read_server(&self, client: &mut impl GenericClient) -> Result<Rows> {
        let exprs: Vec<String> = self
            .columns
            .iter()
            .map(|(name, kind)| match kind {
                Int => format!("{name}::int8 AS {name}"),
                Bool => format!("{name}::int::int8 AS {name}"),
                Text => name.to_string(),
                Date => format!("to_char({name}, 'YYYY-MM-DD') AS {name}"),
                Instant => format!(
                    "to_char({name} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS {name}"
                ),
            })
            .collect();
        let sql = format!(
            "SELECT {} FROM public.{} ORDER BY {}",
            exprs.join(", "),
            self.name,
            self.order
        );
        let mut out = Vec::new();
        for r in client.query(&sql, &[])? {
            let mut row = Vec::with_capacity(self.columns.len());
            for (i, (_, kind)) in self.columns.iter().enumerate() {
                row.push(match kind {
                    Int | Bool => Cell::Int(r.try_get(i)?),
                    _ => Cell::Text(r.try_get(i)?),
                });
            }
            out.push(row);
        }
        Ok(out)
    }

    /// Inserts `rows` into the server's table, ids as they are.
    pub(crate) fn write_server(&self, client: &mut impl GenericClient, rows: &Rows) -> Result<()> {
        // One statement per [`ROWS_PER_STATEMENT`] rows: each column sent as an array and
        // unnested in order (one statement per row made a 100k-asset move take minutes).
        let n = self.columns.len();
        let arrays: Vec<String> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, (_, kind))| match kind {
                Int | Bool => format!("${}::int8[]", i + 1),
                _ => format!("${}::text[]", i + 1),
            })
            .collect();
        let names: Vec<String> = (1..=n).map(|i| format!("c{i}")).collect();
        let values: Vec<String> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, (_, kind))| match kind {
                Int | Text => format!("c{}", i + 1),
                Bool => format!("(c{} <> 0)", i + 1),
                Date => format!("c{}::date", i + 1),
                Instant => format!("c{}::timestamptz", i + 1),
            })
            .collect();
        let sql = format!(
            "INSERT INTO public.{} ({}) SELECT {} FROM unnest({}) AS t({})",
            self.name,
            self.column_list(),
            values.join(", "),
            arrays.join(", "),
            names.join(", ")
        );
        let stmt = client.prepare(&sql)?;
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let mut ints: Vec<Vec<Option<i64>>> = vec![Vec::new(); n];
            let mut texts: Vec<Vec<Option<String>>> = vec![Vec::new(); n];
            for row in chunk {
                for (i, c) in row.iter().enumerate() {
                    match c {
                        Cell::Int(v) => ints[i].push(*v),
                        Cell::Text(t) => texts[i].push(t.clone()),
                    }
                }
            }
            let params: Vec<&(dyn ToSql + Sync)> = self
                .columns
                .iter()
                .enumerate()
                .map(|(i, (_, kind))| match kind {
                    Int | Bool => &ints[i] as &(dyn ToSql + Sync),
                    _ => &texts[i] as &(dyn ToSql + Sync),
                })
                .collect();
            client.execute(&stmt, &params)?;
        }
        Ok(())
    }
}
