//! An organisation's public profile and its private contact, parsed from what a client sends.
use serde::{Deserialize, Serialize};

use super::taxonomy::Facet;
use super::validation::{Errors, FieldError, optional_text, required_text};
use super::{country, language, tags};

pub const MAX_NAME: usize = 200;
pub const MAX_DESCRIPTION: usize = 5000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Sme,
    EndUser,
    Research,
    LargeCompany,
    Cluster,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 6] =
        [Kind::Sme, Kind::EndUser, Kind::Research, Kind::LargeCompany, Kind::Cluster, Kind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Sme => "sme",
            Kind::EndUser => "end_user",
            Kind::Research => "research",
            Kind::LargeCompany => "large_company",
            Kind::Cluster => "cluster",
            Kind::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// End users post needs; every other kind posts offers (solutions).
    pub fn posts_needs(self) -> bool {
        self == Kind::EndUser
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Description {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// What a client sends to create an organisation (and, merged with the stored profile, to update one).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationInput {
    pub legal_name: String,
    pub kind: Kind,
    pub country: String,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub is_sme: bool,
    #[serde(default)]
    pub registration_id: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub description: Description,
    #[serde(default)]
    pub technologies: Vec<String>,
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub contact: Option<Contact>,
    #[serde(default = "published_by_default")]
    pub published: bool,
}

fn published_by_default() -> bool {
    true
}

/// A valid profile: tags are taxonomy ids, the country an ISO 3166-1 alpha-2 code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub legal_name: String,
    pub kind: Kind,
    pub country: String,
    pub region: Option<String>,
    pub is_sme: bool,
    pub registration_id: Option<String>,
    pub website: Option<String>,
    pub languages: Vec<String>,
    pub description: Description,
    pub technologies: Vec<String>,
    pub domains: Vec<String>,
    pub sectors: Vec<String>,
    pub keywords: Vec<String>,
    pub published: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub profile: Profile,
    pub contact: Option<Contact>,
}

impl Organisation {
    pub fn parse(input: OrganisationInput) -> Result<Self, Vec<FieldError>> {
        let mut errors = Errors::default();
        let legal_name = errors.check(required_text("legal_name", &input.legal_name, MAX_NAME));
        let country = errors.check(country::parse("country", &input.country));
        let region = errors.check(optional_text("region", input.region.as_deref(), 100));
        let registration_id = errors.check(optional_text("registration_id", input.registration_id.as_deref(), 50));
        let website = errors.check(parse_website(input.website.as_deref()));
        let languages = errors.check(language::parse_all("languages", &input.languages));
        let description = Description {
            fr: errors
                .check(optional_text("description.fr", input.description.fr.as_deref(), MAX_DESCRIPTION))
                .flatten(),
            en: errors
                .check(optional_text("description.en", input.description.en.as_deref(), MAX_DESCRIPTION))
                .flatten(),
        };
        let technologies = errors.check(tags::parse("technologies", Facet::Technology, &input.technologies));
        let domains = errors.check(tags::parse("domains", Facet::Domain, &input.domains));
        let sectors = errors.check(tags::parse("sectors", Facet::Sector, &input.sectors));
        let keywords = errors.check(tags::keywords("keywords", &input.keywords));
        let contact = input.contact.map(|c| errors.check(parse_contact(c)));
        if input.is_sme && input.kind == Kind::EndUser {
            errors.push("is_sme", "an end user cannot declare itself a digital SME; use kind `sme` instead");
        }
        errors.finish(|| Organisation {
            profile: Profile {
                legal_name: legal_name.unwrap_or_default(),
                kind: input.kind,
                country: country.unwrap_or_default(),
                region: region.flatten(),
                is_sme: input.is_sme,
                registration_id: registration_id.flatten(),
                website: website.flatten(),
                languages: languages.unwrap_or_default(),
                description,
                technologies: technologies.unwrap_or_default(),
                domains: domains.unwrap_or_default(),
                sectors: sectors.unwrap_or_default(),
                keywords: keywords.unwrap_or_default(),
                published: input.published,
            },
            contact: contact.flatten(),
        })
    }

    /// The tags to index for filtering, as (facet, id) pairs.
    pub fn tag_rows(&self) -> impl Iterator<Item = (Facet, &str)> {
        let p = &self.profile;
        let tech = p.technologies.iter().map(|t| (Facet::Technology, t.as_str()));
        let domains = p.domains.iter().map(|t| (Facet::Domain, t.as_str()));
        tech.chain(domains).chain(p.sectors.iter().map(|t| (Facet::Sector, t.as_str())))
    }
}

fn parse_website(value: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(text) = optional_text("website", value, 300)? else {
        return Ok(None);
    };
    match url::Url::parse(&text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(Some(text)),
        _ => Err(FieldError::new("website", "must be an http:// or https:// address")),
    }
}

fn parse_contact(contact: Contact) -> Result<Contact, FieldError> {
    let name = required_text("contact.name", &contact.name, 100)?;
    let email = super::account::parse_email("contact.email", &contact.email)?;
    let phone = optional_text("contact.phone", contact.phone.as_deref(), 40)?;
    if let Some(phone) = &phone {
        let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c);
        if !phone.chars().all(allowed) || phone.chars().filter(char::is_ascii_digit).count() < 6 {
            return Err(FieldError::new("contact.phone", "must be a phone number: digits, spaces, + - ( ) ."));
        }
    }
    Ok(Contact { name, email, phone })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> serde_json::Value {
        serde_json::json!({
            "legal_name": " Sentinelle Numérique SAS ", "kind": "sme", "country": "fr", "is_sme": true,
            "languages": ["FR", "en"], "technologies": ["Cyber-sécurité", "IA"], "domains": ["infrastructures critiques"],
            "website": "https://sentinelle.example",
            "contact": {"name": "Camille Martin", "email": "camille@sentinelle.example", "phone": "+33 2 00 00 00 00"}
        })
    }

    fn parse(value: serde_json::Value) -> Result<Organisation, Vec<FieldError>> {
        Organisation::parse(serde_json::from_value(value).expect("well-typed input"))
    }

    #[test]
    fn a_profile_is_normalised_onto_the_taxonomy() {
        let org = parse(input()).expect("valid");
        assert_eq!(org.profile.legal_name, "Sentinelle Numérique SAS");
        assert_eq!(org.profile.country, "FR");
        assert_eq!(org.profile.languages, ["fr", "en"]);
        assert_eq!(org.profile.technologies, ["cybersecurity", "ai"]);
        assert_eq!(org.profile.domains, ["critical_infrastructure"]);
        assert!(org.profile.published);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let mut bad = input();
        bad["country"] = "Frankreich".into();
        bad["website"] = "ftp://x".into();
        bad["technologies"] = serde_json::json!(["blockchain"]);
        bad["contact"]["email"] = "not-an-email".into();
        let errors = parse(bad).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["country", "website", "technologies[0]", "contact.email"]);
        assert!(!errors[2].closest.is_empty());
    }

    #[test]
    fn an_end_user_cannot_declare_sme_status() {
        let mut bad = input();
        bad["kind"] = "end_user".into();
        assert_eq!(parse(bad).unwrap_err()[0].field, "is_sme");
    }
}
