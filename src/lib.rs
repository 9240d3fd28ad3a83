#![forbid(unsafe_code)]
//! Tandem: matchmaking for security-innovation consortia. See `docs/ARCHITECTURE.md` for the code map.
pub mod api;
pub mod auth;
pub mod broker;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod import;
pub mod matching;
pub mod notify;
pub mod search;
pub mod startup;
pub mod store;
pub mod telemetry;
