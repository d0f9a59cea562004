//! Files the platform produces for people to open elsewhere: CSV for French
//! spreadsheet software, XLSX, the directory spreadsheet parser, and ICS
//! (iCalendar) for events; tagged PDF comes with the feature that needs it.

pub mod csv_export;
pub mod directory_export;
pub mod directory_import;
pub mod ics;
