//! The register's content: every table with its text columns, who its rows
//! are about, how it is erased and how long it is kept, one file per part
//! of the platform (a new feature adds its tables to its part, or a part).

use std::sync::LazyLock;

use super::Table;

mod access;
mod activities;
mod directory;
mod figures;
mod news;
mod people;
mod reference;
mod reviews;
mod toolbox;

/// The parts in erasure order.
const PARTS: &[&[Table]] = &[
    reference::TABLES,
    access::TABLES,
    directory::TABLES,
    activities::TABLES,
    toolbox::TABLES,
    reviews::TABLES,
    news::TABLES,
    people::TABLES,
    figures::TABLES,
];

/// Every table of the schema. Erasure walks it in this order: a table whose
/// `whose` reads another table's personal columns comes before it.
pub static REGISTER: LazyLock<Vec<&'static Table>> =
    LazyLock::new(|| PARTS.iter().flat_map(|p| p.iter()).collect());
