//! ISO 639-1 language codes.
use super::validation::FieldError;

pub fn parse_all(field: &str, values: &[String]) -> Result<Vec<String>, FieldError> {
    if values.len() > 10 {
        return Err(FieldError::new(field, "at most 10 languages"));
    }
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for (i, value) in values.iter().enumerate() {
        let code = parse(&format!("{field}[{i}]"), value)?;
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
}

pub fn parse(field: &str, value: &str) -> Result<String, FieldError> {
    let code = value.trim().to_ascii_lowercase();
    match isolang::Language::from_639_1(&code) {
        Some(_) => Ok(code),
        None => Err(FieldError::new(field, format!("`{value}` is not an ISO 639-1 language code, such as fr or en"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_lower_cased_and_deduplicated() {
        let parsed = parse_all("languages", &["FR".into(), "en".into(), "fr".into()]);
        assert_eq!(parsed, Ok(vec!["fr".to_owned(), "en".to_owned()]));
        assert_eq!(parse_all("languages", &["xx".into()]).unwrap_err().field, "languages[0]");
    }
}
