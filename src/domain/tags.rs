//! Tag lists as users type them, mapped onto the taxonomy; free keywords kept as they are.
use super::taxonomy::{self, Facet};
use super::validation::FieldError;

pub const MAX_TAGS: usize = 20;

/// Normalises every entry onto the facet's ids; the first one not close enough is reported with the closest ids.
pub fn parse(field: &str, facet: Facet, values: &[String]) -> Result<Vec<String>, FieldError> {
    if values.len() > MAX_TAGS {
        return Err(FieldError::new(field, format!("at most {MAX_TAGS} entries")));
    }
    match taxonomy::normalise_all(facet, values) {
        Ok(ids) => Ok(ids.into_iter().map(str::to_owned).collect()),
        Err((index, unmatched)) => Err(FieldError {
            field: format!("{field}[{index}]"),
            message: format!(
                "`{}` is not a known {}; closest: {}",
                unmatched.input,
                facet.as_str(),
                unmatched.closest.join(", ")
            ),
            closest: unmatched.closest.iter().map(|s| (*s).to_owned()).collect(),
        }),
    }
}

/// One value of a facet, as a filter: the same forgiving rules as tag lists.
pub fn parse_one(field: &str, facet: Facet, value: &str) -> Result<String, FieldError> {
    parse(field, facet, &[value.to_owned()])
        .map(|mut ids| ids.pop().unwrap_or_default())
        .map_err(|e| FieldError { field: field.to_owned(), ..e })
}

pub fn keywords(field: &str, values: &[String]) -> Result<Vec<String>, FieldError> {
    if values.len() > 30 {
        return Err(FieldError::new(field, "at most 30 keywords"));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let keyword = super::validation::required_text(&format!("{field}[{i}]"), value, 60)?;
        if !out.iter().any(|k| k.eq_ignore_ascii_case(&keyword)) {
            out.push(keyword);
        }
    }
    Ok(out)
}
