//! Field-level validation errors, collected so that a client learns about every bad field at once.
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub closest: Vec<String>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into(), closest: Vec::new() }
    }
}

/// Collects field errors while a document is parsed.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    pub fn push_error(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// Runs a parser, keeping its error and returning its value when it succeeded.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }

    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() { Ok(value()) } else { Err(self.0) }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Trims a required text and checks its length in characters.
pub fn required_text(field: &str, value: &str, max_chars: usize) -> Result<String, FieldError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    bounded(field, trimmed, max_chars)
}

/// Trims an optional text; an empty one counts as absent.
pub fn optional_text(field: &str, value: Option<&str>, max_chars: usize) -> Result<Option<String>, FieldError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => bounded(field, text, max_chars).map(Some),
    }
}

fn bounded(field: &str, text: &str, max_chars: usize) -> Result<String, FieldError> {
    let count = text.chars().count();
    if count > max_chars {
        return Err(FieldError::new(field, format!("is {count} characters long; the maximum is {max_chars}")));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(FieldError::new(field, "contains control characters"));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_is_trimmed_and_bounded() {
        assert_eq!(required_text("name", "  Tandem ", 10), Ok("Tandem".to_owned()));
        assert!(required_text("name", "   ", 10).is_err());
        let err = required_text("name", &"é".repeat(11), 10).unwrap_err();
        assert_eq!(err.field, "name");
        assert!(err.message.contains("maximum is 10"));
    }

    #[test]
    fn optional_text_treats_blank_as_absent() {
        assert_eq!(optional_text("region", Some("  "), 10), Ok(None));
        assert_eq!(optional_text("region", None, 10), Ok(None));
        assert!(optional_text("region", Some("a\u{0}b"), 10).is_err());
    }
}
