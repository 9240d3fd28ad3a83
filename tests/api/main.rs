//! The service's integration tests: one binary, one module per resource; every test runs on SQLite and PostgreSQL.
mod helpers;

mod accounts;
mod bad_input;
mod cli;
mod consistency;
mod health;
mod items;
mod matching;
mod organisations;
mod search;
