//! Pure types and rules: no IO, no `sqlx`, `tantivy` or `actix_web` here.
pub mod account;
pub mod call;
pub mod catalog;
pub mod country;
pub mod entity;
pub mod introduction;
pub mod language;
pub mod organisation;
pub mod tags;
pub mod taxonomy;
pub mod validation;
