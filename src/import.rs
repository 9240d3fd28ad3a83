//! Bulk import of JSON Lines: one organisation a line, with its `offers` and `needs`. A bad line is reported with
//! its number and skipped (or, with `strict`, the whole file is refused); a line is written whole or not at all.
use std::io::BufRead;

use serde_json::Value;

use crate::api::extract::{from_value, parse_json};
use crate::domain::catalog::{Need, NeedInput, Offer, OfferInput};
use crate::domain::organisation::{Organisation, OrganisationInput};
use crate::domain::validation::FieldError;
use crate::store::{ImportItem, Store};

const BATCH: usize = 500;

#[derive(Debug, Clone)]
pub struct LineError {
    pub line: usize,
    pub errors: Vec<FieldError>,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fields: Vec<String> = self.errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
        write!(f, "line {}: {}", self.line, fields.join("; "))
    }
}

#[derive(Debug, Default)]
pub struct Report {
    pub imported: usize,
    pub rejected: Vec<LineError>,
    pub ids: Vec<String>,
}

/// Parses one line into an organisation with its offers and needs.
pub fn parse_line(text: &str) -> Result<ImportItem, Vec<FieldError>> {
    let mut value: Value = parse_json(text.as_bytes()).map_err(|e| e.errors().to_vec()).and_then(|v: Value| {
        if v.is_object() { Ok(v) } else { Err(vec![FieldError::new("body", "a line is one JSON object")]) }
    })?;
    let offers = take_list(&mut value, "offers")?;
    let needs = take_list(&mut value, "needs")?;
    let organisation =
        from_value::<OrganisationInput>(value).map_err(|e| e.errors().to_vec()).and_then(Organisation::parse)?;
    let mut errors = Vec::new();
    let posts_needs = organisation.profile.kind.posts_needs();
    if posts_needs && !offers.is_empty() {
        errors.push(FieldError::new("offers", "end users post needs, not offers"));
    }
    if !posts_needs && !needs.is_empty() {
        errors.push(FieldError::new("needs", "only end users post needs"));
    }
    let offers = parse_items(offers, "offers", &mut errors, |v| {
        Offer::parse(from_value::<OfferInput>(v).map_err(|e| e.errors().to_vec())?)
    });
    let needs = parse_items(needs, "needs", &mut errors, |v| {
        Need::parse(from_value::<NeedInput>(v).map_err(|e| e.errors().to_vec())?)
    });
    if errors.is_empty() { Ok(ImportItem { organisation, offers, needs }) } else { Err(errors) }
}

fn take_list(value: &mut Value, key: &str) -> Result<Vec<Value>, Vec<FieldError>> {
    match value.as_object_mut().and_then(|o| o.remove(key)) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) if items.len() <= 50 => Ok(items),
        Some(Value::Array(_)) => Err(vec![FieldError::new(key, "at most 50 entries a line")]),
        Some(_) => Err(vec![FieldError::new(key, "must be a list")]),
    }
}

fn parse_items<T>(
    items: Vec<Value>,
    field: &str,
    errors: &mut Vec<FieldError>,
    parse: impl Fn(Value) -> Result<T, Vec<FieldError>>,
) -> Vec<T> {
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        match parse(item) {
            Ok(parsed) => out.push(parsed),
            Err(item_errors) => errors.extend(
                item_errors.into_iter().map(|e| FieldError { field: format!("{field}[{i}].{}", e.field), ..e }),
            ),
        }
    }
    out
}

/// Imports every line of `reader`. `progress` is told the bytes consumed so far.
pub async fn import(
    store: &Store,
    reader: impl BufRead,
    strict: bool,
    owner: Option<&str>,
    mut progress: impl FnMut(u64),
) -> anyhow::Result<Report> {
    let mut report = Report::default();
    let mut batch = Vec::with_capacity(BATCH);
    let mut consumed = 0u64;
    for (index, line) in reader.lines().enumerate() {
        let line = line?;
        consumed += line.len() as u64 + 1;
        progress(consumed);
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(&line) {
            Ok(item) => batch.push(item),
            Err(errors) => report.rejected.push(LineError { line: index + 1, errors }),
        }
        if !strict && batch.len() >= BATCH {
            report.ids.extend(store.import(&batch, owner).await?);
            batch.clear();
        }
    }
    if strict && !report.rejected.is_empty() {
        return Ok(report);
    }
    if !batch.is_empty() {
        report.ids.extend(store.import(&batch, owner).await?);
    }
    report.imported = report.ids.len();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_with_a_bad_offer_names_it() {
        let line = r#"{"legal_name": "Vigie SAS", "kind": "sme", "country": "FR",
            "offers": [{"title": "Radar", "trl": 4}, {"title": "Drone", "trl": 12}]}"#;
        let errors = parse_line(&line.replace('\n', " ")).err().expect("rejected");
        assert_eq!(errors[0].field, "offers[1].trl");
    }

    #[test]
    fn an_end_user_line_cannot_carry_offers() {
        let line = r#"{"legal_name": "Ville de Brest", "kind": "end_user", "country": "FR", "offers": [{"title": "x", "trl": 5}]}"#;
        assert_eq!(parse_line(line).err().expect("rejected")[0].field, "offers");
    }
}
