//! ISO 3166-1 alpha-2 country codes.
use super::validation::FieldError;

/// Upper-cases and checks a country code; the EU's own codes `EL` (Greece) and `UK` are accepted and mapped to
/// their ISO codes, since programme data (CORDIS, call texts) use them.
pub fn parse(field: &str, value: &str) -> Result<String, FieldError> {
    let code = value.trim().to_ascii_uppercase();
    let code = match code.as_str() {
        "EL" => "GR".to_owned(),
        "UK" => "GB".to_owned(),
        _ => code,
    };
    match isocountry::CountryCode::for_alpha2(&code) {
        Ok(_) => Ok(code),
        Err(_) => Err(FieldError::new(
            field,
            format!("`{value}` is not an ISO 3166-1 alpha-2 country code, such as FR or DE"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_upper_cased_and_eu_codes_mapped() {
        assert_eq!(parse("country", "fr").as_deref(), Ok("FR"));
        assert_eq!(parse("country", "EL").as_deref(), Ok("GR"));
        assert_eq!(parse("country", "UK").as_deref(), Ok("GB"));
        assert!(parse("country", "XX").is_err());
        assert!(parse("country", "France").is_err());
    }
}
