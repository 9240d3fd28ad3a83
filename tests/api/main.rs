//! The service's integration tests: one binary, one module per resource; every test runs on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test
mod helpers;

mod accounts;
mod bad_input;
mod broker;
mod calls;
mod cli;
mod consistency;
mod consortia;
mod health;
mod introductions;
mod items;
mod matching;
mod organisations;
mod search;
