//! Files the platform produces for people to open elsewhere. For now CSV
//! for French spreadsheet software; ICS, XLSX and tagged PDF come with the
//! features that need them.

pub mod csv_export;
pub mod directory_export;
pub mod directory_import;
