//! Whether two profiles are the same legal entity: the same registration or VAT id, or near-identical names in the
//! same country once case, accents and legal forms are set aside. Matching never pairs them, and a call that wants
//! independent partners refuses them.
use super::taxonomy::fold;

/// Legal forms, folded, dropped from names before comparing them.
const LEGAL_FORMS: &[&str] = &[
    "sa", "sas", "sasu", "sarl", "eurl", "sca", "scop", "sci", "snc", "gie", "gmbh", "ug", "ag", "kg", "ohg", "ev",
    "ltd", "limited", "plc", "llp", "llc", "inc", "corp", "co", "spa", "s p a", "srl", "s r l", "sl", "s l", "sau",
    "bv", "b v", "nv", "n v", "vzw", "asbl", "sprl", "srl", "oy", "oyj", "ab", "as", "a s", "aps", "sp z o o", "spzoo",
    "s a", "lda", "sro", "s r o", "as", "kft", "zrt", "doo", "d o o", "ad", "eood", "ood", "ou", "uab", "sia", "ehf",
    "hf", "se", "group", "groupe",
];

/// The name as compared: folded, legal forms and punctuation removed.
pub fn comparable_name(name: &str) -> String {
    let mut folded = format!(" {} ", fold(name));
    // Longest forms first, so that "s p a" goes before "sa" could eat part of it.
    let mut forms: Vec<&str> = LEGAL_FORMS.to_vec();
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    for form in forms {
        let pattern = format!(" {form} ");
        while let Some(at) = folded.find(&pattern) {
            folded.replace_range(at..at + pattern.len(), " ");
        }
    }
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A registration or VAT id as compared: letters and digits only, upper case.
pub fn comparable_id(id: &str) -> String {
    id.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// The facts the rule looks at.
pub struct Entity<'a> {
    pub legal_name: &'a str,
    pub country: &'a str,
    pub registration_id: Option<&'a str>,
}

/// Why two profiles are taken for one legal entity, if they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameEntity {
    RegistrationId,
    Name,
}

pub fn same_legal_entity(a: &Entity<'_>, b: &Entity<'_>) -> Option<SameEntity> {
    if let (Some(x), Some(y)) = (a.registration_id, b.registration_id) {
        let (x, y) = (comparable_id(x), comparable_id(y));
        if !x.is_empty() && x == y {
            return Some(SameEntity::RegistrationId);
        }
    }
    if !a.country.eq_ignore_ascii_case(b.country) {
        return None;
    }
    let (x, y) = (comparable_name(a.legal_name), comparable_name(b.legal_name));
    if x.is_empty() || y.is_empty() {
        return None;
    }
    let close = x == y || (x.len().min(y.len()) >= 6 && strsim::normalized_damerau_levenshtein(&x, &y) >= 0.92);
    close.then_some(SameEntity::Name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity<'a>(legal_name: &'a str, country: &'a str, registration_id: Option<&'a str>) -> Entity<'a> {
        Entity { legal_name, country, registration_id }
    }

    #[test]
    fn legal_forms_case_and_accents_are_set_aside() {
        assert_eq!(comparable_name("Sentinelle Numérique SAS"), "sentinelle numerique");
        assert_eq!(comparable_name("SENTINELLE NUMERIQUE"), "sentinelle numerique");
        assert_eq!(comparable_name("Acme S.p.A."), "acme");
        assert_eq!(comparable_name("Cirrix GmbH"), comparable_name("Cirrix UG"));
        assert_eq!(comparable_name("Polska Sp. z o.o."), "polska");
    }

    #[test]
    fn near_identical_names_in_one_country_are_one_entity() {
        let a = entity("Sentinelle Numérique SAS", "FR", Some("FR1"));
        assert_eq!(same_legal_entity(&a, &entity("SENTINELLE NUMERIQUE", "FR", None)), Some(SameEntity::Name));
        assert_eq!(
            same_legal_entity(&a, &entity("Sentinelle Numerique SARL", "fr", Some("FR2"))),
            Some(SameEntity::Name)
        );
        assert_eq!(same_legal_entity(&a, &entity("Sentinelle Numérique SAS", "BE", None)), None);
        assert_eq!(same_legal_entity(&a, &entity("Vigie Numérique SAS", "FR", None)), None);
    }

    #[test]
    fn the_same_registration_id_is_one_entity_anywhere() {
        let a = entity("Alpha", "FR", Some("FR 40 123 456 789"));
        let b = entity("Beta", "DE", Some("fr40123456789"));
        assert_eq!(same_legal_entity(&a, &b), Some(SameEntity::RegistrationId));
    }
}
