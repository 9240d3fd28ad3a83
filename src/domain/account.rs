//! Accounts: e-mail addresses, passwords, display names and roles.
use serde::{Deserialize, Serialize};

use super::validation::{Errors, FieldError, required_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Broker,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Broker => "broker",
            Role::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        [Role::User, Role::Broker, Role::Admin].into_iter().find(|r| r.as_str() == value)
    }

    /// Brokers (cluster staff) and administrators see the whole marketplace, contacts included.
    pub fn sees_whole_market(self) -> bool {
        matches!(self, Role::Broker | Role::Admin)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub email: String,
    pub password: String,
    pub name: String,
    #[serde(default)]
    pub language: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: String,
    pub name: String,
    pub password: String,
    pub language: String,
}

impl NewAccount {
    pub fn parse(input: Registration) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let email = errors.check(parse_email("email", &input.email));
        let name = errors.check(required_text("name", &input.name, 100));
        let password = errors.check(parse_password("password", input.password));
        let language = match input.language.as_deref().map(str::trim) {
            None | Some("") => "en".to_owned(),
            Some("fr") | Some("en") => input.language.unwrap_or_default().trim().to_owned(),
            Some(other) => {
                errors.push("language", format!("`{other}` is not supported; use fr or en"));
                String::new()
            }
        };
        errors.finish(|| NewAccount {
            email: email.unwrap_or_default(),
            name: name.unwrap_or_default(),
            password: password.unwrap_or_default(),
            language,
        })
    }
}

/// Trims and lower-cases an address and checks its syntax (RFC 5321/5322, through `email_address`).
pub fn parse_email(field: &str, value: &str) -> Result<String, FieldError> {
    let email = value.trim().to_lowercase();
    if email.len() > 254 || !email_address::EmailAddress::is_valid(&email) {
        return Err(FieldError::new(field, format!("`{value}` is not a valid e-mail address")));
    }
    Ok(email)
}

pub fn parse_password(field: &str, value: String) -> Result<String, FieldError> {
    let length = value.chars().count();
    if length < 10 {
        return Err(FieldError::new(field, "must be at least 10 characters long"));
    }
    if length > 128 {
        return Err(FieldError::new(field, "must be at most 128 characters long"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(parse_email("email", " Camille@Example.ORG ").as_deref(), Ok("camille@example.org"));
        assert!(parse_email("email", "camille@").is_err());
        assert!(parse_email("email", "no at sign").is_err());
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(parse_password("password", "short".into()).is_err());
        assert!(parse_password("password", "long enough pass".into()).is_ok());
    }
}
