//! The EPoP program's own parts: configuration, the background worker that
//! sends the outbox, and the demo data. `main.rs` only parses the command.

pub mod backup;
pub mod bench;
pub mod bench_indicators;
pub mod config;
pub mod demo;
mod demo_candidate;
pub mod mailer;
pub mod synthetic;
pub mod worker;
