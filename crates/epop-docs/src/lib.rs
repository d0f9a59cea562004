//! Files the platform produces for people to open elsewhere: CSV for French
//! spreadsheet software, XLSX, the directory spreadsheet parser, ICS
//! (iCalendar) for events, and tagged, accessible PDF (PDF/UA-1) for
//! certificates, attendance sheets and the other papers.

pub mod csv_export;
pub mod directory_export;
pub mod directory_import;
pub mod figures_export;
pub mod ics;
pub mod pdf;
