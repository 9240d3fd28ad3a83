//! Offers (an SME's solutions) and needs (an end user's operational needs).
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::organisation::{MAX_DESCRIPTION, MAX_NAME};
use super::taxonomy::Facet;
use super::validation::{Errors, FieldError, optional_text, required_text};
use super::{language, tags};

/// Technology readiness level, 1 to 9.
fn parse_trl(field: &str, value: u8) -> Result<u8, FieldError> {
    if (1..=9).contains(&value) {
        Ok(value)
    } else {
        Err(FieldError::new(field, format!("{value} is not a technology readiness level (1 to 9)")))
    }
}

fn parse_text_language(value: Option<&str>) -> Result<Option<String>, FieldError> {
    match value {
        None => Ok(None),
        Some(code) => match language::parse("language", code)?.as_str() {
            lang @ ("fr" | "en") => Ok(Some(lang.to_owned())),
            _ => Err(FieldError::new("language", "texts are written in French (fr) or English (en)")),
        },
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub technologies: Vec<String>,
    #[serde(default)]
    pub domains: Vec<String>,
    pub trl: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub title: String,
    pub description: String,
    pub language: Option<String>,
    pub technologies: Vec<String>,
    pub domains: Vec<String>,
    pub trl: u8,
}

impl Offer {
    pub fn parse(input: OfferInput) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let title = errors.check(required_text("title", &input.title, MAX_NAME));
        let description = errors.check(optional_text("description", Some(&input.description), MAX_DESCRIPTION));
        let language = errors.check(parse_text_language(input.language.as_deref()));
        let technologies = errors.check(tags::parse("technologies", Facet::Technology, &input.technologies));
        let domains = errors.check(tags::parse("domains", Facet::Domain, &input.domains));
        let trl = errors.check(parse_trl("trl", input.trl));
        errors.finish(|| Offer {
            title: title.unwrap_or_default(),
            description: description.flatten().unwrap_or_default(),
            language: language.flatten(),
            technologies: technologies.unwrap_or_default(),
            domains: domains.unwrap_or_default(),
            trl: trl.unwrap_or_default(),
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub technologies: Vec<String>,
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub min_trl: Option<u8>,
    #[serde(default)]
    pub pilot_site: Option<String>,
    #[serde(default)]
    pub deadline: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    pub title: String,
    pub description: String,
    pub language: Option<String>,
    pub technologies: Vec<String>,
    pub domains: Vec<String>,
    pub sectors: Vec<String>,
    pub min_trl: Option<u8>,
    pub pilot_site: Option<String>,
    pub deadline: Option<NaiveDate>,
}

impl Need {
    pub fn parse(input: NeedInput) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let title = errors.check(required_text("title", &input.title, MAX_NAME));
        let description = errors.check(optional_text("description", Some(&input.description), MAX_DESCRIPTION));
        let language = errors.check(parse_text_language(input.language.as_deref()));
        let technologies = errors.check(tags::parse("technologies", Facet::Technology, &input.technologies));
        let domains = errors.check(tags::parse("domains", Facet::Domain, &input.domains));
        let sectors = errors.check(tags::parse("sectors", Facet::Sector, &input.sectors));
        let min_trl = input.min_trl.map(|t| errors.check(parse_trl("min_trl", t)));
        let pilot_site = errors.check(optional_text("pilot_site", input.pilot_site.as_deref(), MAX_NAME));
        errors.finish(|| Need {
            title: title.unwrap_or_default(),
            description: description.flatten().unwrap_or_default(),
            language: language.flatten(),
            technologies: technologies.unwrap_or_default(),
            domains: domains.unwrap_or_default(),
            sectors: sectors.unwrap_or_default(),
            min_trl: min_trl.flatten(),
            pilot_site: pilot_site.flatten(),
            deadline: input.deadline,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offer_outside_the_trl_scale_is_refused() {
        let input: OfferInput =
            serde_json::from_value(serde_json::json!({"title": "Drone radar", "trl": 10})).expect("well-typed");
        assert_eq!(Offer::parse(input).unwrap_err()[0].field, "trl");
    }

    #[test]
    fn a_need_keeps_its_tags_as_taxonomy_ids() {
        let input: NeedInput = serde_json::from_value(serde_json::json!({
            "title": "Détection de drones", "sectors": ["ports"], "technologies": ["capteurs IoT"], "min_trl": 6,
            "deadline": "2027-03-31"
        }))
        .expect("well-typed");
        let need = Need::parse(input).expect("valid");
        assert_eq!(need.sectors, ["port"]);
        assert_eq!(need.technologies, ["iot_sensors"]);
        assert_eq!(need.deadline, NaiveDate::from_ymd_opt(2027, 3, 31));
    }
}
