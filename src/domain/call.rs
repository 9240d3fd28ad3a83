//! Calls for proposals as data: dates kept as instants beside the call's IANA time zone, the funding frame, and the
//! consortium's roles with their rules (kinds, counts, countries, SME declaration, sectors, independence). Also the
//! check of a set of organisations against those rules, answered rule by rule in French or English.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::entity::{Entity, SameEntity, same_legal_entity};
use super::organisation::{Kind, Profile};
use super::taxonomy::{Facet, Lang};
use super::validation::{Errors, FieldError, optional_text, required_text};
use super::{country, language, tags};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Names {
    pub fr: String,
    pub en: String,
}

impl Names {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    #[serde(default)]
    pub max_per_project_eur: Option<u64>,
    #[serde(default)]
    pub max_projects: Option<u32>,
    /// The largest share of costs the programme funds, as a fraction (0.5 for 50 %).
    #[serde(default)]
    pub max_rate: Option<f64>,
}

/// One place in a consortium and who may fill it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallRole {
    pub role: String,
    pub kinds: Vec<Kind>,
    pub min: u32,
    /// `None`: no upper bound.
    #[serde(default)]
    pub max: Option<u32>,
    /// Eligible countries (ISO 3166-1 alpha-2); `None`: any country.
    #[serde(default)]
    pub countries: Option<Vec<String>>,
    #[serde(default)]
    pub sme_required: bool,
    /// The organisation must work in one of these sectors (e.g. a local authority, a hospital or a port).
    #[serde(default)]
    pub sectors: Option<Vec<String>>,
}

/// A call as stored (everything but its id, slug and flags).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallBody {
    pub name: Names,
    pub programme: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: Option<DateTime<Utc>>,
    pub time_zone: String,
    pub funding: Funding,
    pub duration_months: Option<u32>,
    pub roles: Vec<CallRole>,
    pub independent_partners: bool,
    pub technologies: Vec<String>,
    pub domains: Vec<String>,
    pub languages: Vec<String>,
    #[serde(default)]
    pub practice: bool,
    #[serde(default)]
    pub source: Option<String>,
}

/// What a client sends to create a call, or the merged document of an update.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallInput {
    pub slug: String,
    pub name: Names,
    pub programme: String,
    pub opens_at: DateTime<Utc>,
    #[serde(default)]
    pub closes_at: Option<DateTime<Utc>>,
    pub time_zone: String,
    #[serde(default)]
    pub funding: Funding,
    #[serde(default)]
    pub duration_months: Option<u32>,
    pub roles: Vec<CallRole>,
    #[serde(default = "yes")]
    pub independent_partners: bool,
    #[serde(default)]
    pub technologies: Vec<String>,
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub practice: bool,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default = "yes")]
    pub published: bool,
    #[serde(default)]
    pub archived: bool,
    // Read-only fields a client may send back unchanged from a GET.
    #[serde(default, rename = "id")]
    pub _id: Option<serde_json::Value>,
    #[serde(default, rename = "version")]
    pub _version: Option<serde_json::Value>,
    #[serde(default, rename = "created_at")]
    pub _created_at: Option<serde_json::Value>,
    #[serde(default, rename = "updated_at")]
    pub _updated_at: Option<serde_json::Value>,
}

fn yes() -> bool {
    true
}

/// A validated call, ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub slug: String,
    pub body: CallBody,
    pub published: bool,
    pub archived: bool,
}

const MAX_ROLES: usize = 10;

impl Call {
    pub fn parse(input: CallInput) -> Result<Call, Vec<FieldError>> {
        let mut errors = Errors::default();
        let slug = errors.check(parse_slug(&input.slug));
        let fr = errors.check(required_text("name.fr", &input.name.fr, 300));
        let en = errors.check(required_text("name.en", &input.name.en, 300));
        let programme = errors.check(required_text("programme", &input.programme, 300));
        if input.time_zone.parse::<chrono_tz::Tz>().is_err() {
            errors.push("time_zone", format!("`{}` is not an IANA time zone such as Europe/Brussels", input.time_zone));
        }
        if let Some(closes_at) = input.closes_at
            && closes_at <= input.opens_at
        {
            errors.push("closes_at", "must come after opens_at");
        }
        if let Some(rate) = input.funding.max_rate
            && !(rate > 0.0 && rate <= 1.0)
        {
            errors.push("funding.max_rate", "is a fraction between 0 (excluded) and 1, e.g. 0.5 for 50 %");
        }
        if input.duration_months == Some(0) {
            errors.push("duration_months", "must be at least 1");
        }
        let roles = errors.check(parse_roles(input.roles));
        let technologies = errors.check(tags::parse("technologies", Facet::Technology, &input.technologies));
        let domains = errors.check(tags::parse("domains", Facet::Domain, &input.domains));
        let languages = errors.check(language::parse_all("languages", &input.languages));
        let source = errors.check(optional_text("source", input.source.as_deref(), 500));
        errors.finish(|| Call {
            slug: slug.unwrap_or_default(),
            body: CallBody {
                name: Names { fr: fr.unwrap_or_default(), en: en.unwrap_or_default() },
                programme: programme.unwrap_or_default(),
                opens_at: input.opens_at,
                closes_at: input.closes_at,
                time_zone: input.time_zone,
                funding: input.funding,
                duration_months: input.duration_months,
                roles: roles.unwrap_or_default(),
                independent_partners: input.independent_partners,
                technologies: technologies.unwrap_or_default(),
                domains: domains.unwrap_or_default(),
                languages: languages.unwrap_or_default(),
                practice: input.practice,
                source: source.flatten(),
            },
            published: input.published,
            archived: input.archived,
        })
    }
}

fn parse_slug(slug: &str) -> Result<String, FieldError> {
    let valid = !slug.is_empty()
        && slug.len() <= 80
        && slug
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
        && slug.bytes().any(|b| b.is_ascii_lowercase());
    if valid {
        Ok(slug.to_owned())
    } else {
        Err(FieldError::new(
            "slug",
            "lower-case letters and digits in words joined by single hyphens (at most 80 characters), e.g. citadel-oc1",
        ))
    }
}

fn parse_roles(roles: Vec<CallRole>) -> Result<Vec<CallRole>, FieldError> {
    if roles.is_empty() || roles.len() > MAX_ROLES {
        return Err(FieldError::new("roles", format!("a call has between 1 and {MAX_ROLES} consortium roles")));
    }
    let mut parsed: Vec<CallRole> = Vec::with_capacity(roles.len());
    for (i, mut role) in roles.into_iter().enumerate() {
        let at = |field: &str| format!("roles[{i}].{field}");
        role.role = required_text(&at("role"), &role.role, 60)?;
        if parsed.iter().any(|r| r.role == role.role) {
            return Err(FieldError::new(at("role"), format!("`{}` is named twice", role.role)));
        }
        if role.kinds.is_empty() {
            return Err(FieldError::new(at("kinds"), "name at least one organisation kind"));
        }
        if role.max == Some(0) || role.max.is_some_and(|max| max < role.min) {
            return Err(FieldError::new(at("max"), "must be at least 1 and at least min"));
        }
        if let Some(countries) = &role.countries {
            let mut codes = Vec::with_capacity(countries.len());
            for (j, code) in countries.iter().enumerate() {
                let code = country::parse(&format!("roles[{i}].countries[{j}]"), code)?;
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
            role.countries = Some(codes);
        }
        if let Some(sectors) = &role.sectors {
            role.sectors = Some(tags::parse(&at("sectors"), Facet::Sector, sectors)?);
        }
        parsed.push(role);
    }
    if parsed.iter().all(|r| r.min == 0) {
        return Err(FieldError::new("roles", "at least one role needs min of 1 or more"));
    }
    Ok(parsed)
}

/// Why a call takes no new opt-ins, introductions or consortia now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Closed {
    NotOpenYet { opens_at: String },
    Deadline { closes_at: String },
    Archived,
}

impl Closed {
    pub fn message(&self) -> String {
        match self {
            Closed::NotOpenYet { opens_at } => format!("the call opens on {opens_at}"),
            Closed::Deadline { closes_at } => format!("the call closed on {closes_at}"),
            Closed::Archived => "the call is archived and takes no new opt-ins, introductions or consortia".to_owned(),
        }
    }
}

impl Call {
    /// The instant written in the call's own time zone, e.g. `2026-05-05 17:00 CEST (Europe/Brussels)`.
    pub fn local_time(body: &CallBody, at: DateTime<Utc>) -> String {
        match body.time_zone.parse::<chrono_tz::Tz>() {
            Ok(tz) => format!("{} ({})", at.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z"), body.time_zone),
            Err(_) => at.format("%Y-%m-%d %H:%M UTC").to_string(),
        }
    }

    /// Whether the call takes new opt-ins, introductions and consortia at `now`: not once archived or past its
    /// deadline. Before it opens, partners may already opt in and meet.
    pub fn open_at(body: &CallBody, archived: bool, now: DateTime<Utc>) -> Result<(), Closed> {
        if archived {
            return Err(Closed::Archived);
        }
        match body.closes_at {
            Some(closes_at) if now >= closes_at => {
                Err(Closed::Deadline { closes_at: Call::local_time(body, closes_at) })
            }
            _ => Ok(()),
        }
    }
}

/// A participant as the rules see it.
pub struct Candidate<'a> {
    pub id: &'a str,
    pub profile: &'a Profile,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResult {
    pub rule: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub passed: bool,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Eligibility {
    pub eligible: bool,
    pub rules: Vec<RuleResult>,
    /// Which role each organisation was placed in (organisation id, role), when one fits.
    pub placement: Vec<(String, Option<String>)>,
}

fn tr(lang: Lang, fr: String, en: String) -> String {
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

fn kind_label(kind: Kind, lang: Lang) -> &'static str {
    super::taxonomy::find(Facet::Kind, kind.as_str()).map_or(kind.as_str(), |t| t.label(lang))
}

/// Places each organisation in the first role whose kinds (and sectors, when the role names some) it fits; an
/// organisation that fits a role's kind but not its sectors still goes there, so that the sector rule can say why.
fn place(roles: &[CallRole], orgs: &[Candidate<'_>]) -> Vec<Option<usize>> {
    let mut counts = vec![0u32; roles.len()];
    orgs.iter()
        .map(|org| {
            let fitting: Vec<usize> =
                (0..roles.len()).filter(|&r| roles[r].kinds.contains(&org.profile.kind)).collect();
            let sector_fit = |r: &usize| {
                roles[*r].sectors.as_ref().is_none_or(|s| s.iter().any(|x| org.profile.sectors.contains(x)))
            };
            let room = |r: &usize| roles[*r].max.is_none_or(|max| counts[*r] < max);
            let chosen = fitting
                .iter()
                .copied()
                .find(|r| sector_fit(r) && room(r))
                .or_else(|| fitting.iter().copied().find(sector_fit))
                .or_else(|| fitting.first().copied());
            if let Some(r) = chosen {
                counts[r] += 1;
            }
            chosen
        })
        .collect()
}

/// Checks a set of organisations against every rule of the call.
pub fn check(body: &CallBody, orgs: &[Candidate<'_>], lang: Lang) -> Eligibility {
    evaluate(body, orgs, place(&body.roles, orgs), lang, false)
}

/// Checks a consortium whose partners declared their roles (`roles[i]` names the role of `orgs[i]`; an unknown
/// name counts as no role).
pub fn check_declared(body: &CallBody, orgs: &[Candidate<'_>], roles: &[&str], lang: Lang) -> Eligibility {
    let placed = roles.iter().map(|name| body.roles.iter().position(|r| r.role == *name)).collect();
    evaluate(body, orgs, placed, lang, false)
}

/// Whether two organisations can together be (the core of) a valid consortium: every rule passes on the pair, a
/// role still below its minimum counting as passed while it has room (a France Relance demonstrator may add more
/// companies).
pub fn pair_possible(body: &CallBody, a: &Candidate<'_>, b: &Candidate<'_>, lang: Lang) -> Eligibility {
    let pair = [Candidate { id: a.id, profile: a.profile }, Candidate { id: b.id, profile: b.profile }];
    let placed = place(&body.roles, &pair);
    evaluate(body, &pair, placed, lang, true)
}

fn evaluate(
    body: &CallBody,
    orgs: &[Candidate<'_>],
    placed: Vec<Option<usize>>,
    lang: Lang,
    partial: bool,
) -> Eligibility {
    let mut rules = Vec::new();
    let name = |i: usize| orgs[i].profile.legal_name.clone();

    // An organisation fits when it has a role whose kinds include its own.
    let unplaced: Vec<usize> = (0..orgs.len())
        .filter(|&i| placed[i].is_none_or(|r| !body.roles[r].kinds.contains(&orgs[i].profile.kind)))
        .collect();
    let kinds_reason = if unplaced.is_empty() {
        tr(
            lang,
            "chaque organisation occupe un rôle de l'appel".to_owned(),
            "every organisation fills one of the call's roles".to_owned(),
        )
    } else {
        let list = |lang| {
            unplaced
                .iter()
                .map(|&i| format!("{} ({})", name(i), kind_label(orgs[i].profile.kind, lang)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        tr(
            lang,
            format!("aucun rôle de l'appel n'accepte : {}", list(Lang::Fr)),
            format!("no role of the call accepts: {}", list(Lang::En)),
        )
    };
    rules.push(RuleResult { rule: "kinds", role: None, passed: unplaced.is_empty(), reason: kinds_reason });

    for (r, role) in body.roles.iter().enumerate() {
        let members: Vec<usize> = (0..orgs.len()).filter(|&i| placed[i] == Some(r)).collect();
        let count = members.len() as u32;
        let passed = (partial || count >= role.min) && role.max.is_none_or(|max| count <= max);
        let wanted_en = match role.max {
            Some(max) if max == role.min => format!("exactly {max}"),
            Some(max) => format!("between {} and {max}", role.min),
            None => format!("at least {}", role.min),
        };
        let wanted_fr = match role.max {
            Some(max) if max == role.min => format!("exactement {max}"),
            Some(max) => format!("entre {} et {max}", role.min),
            None => format!("au moins {}", role.min),
        };
        rules.push(RuleResult {
            rule: "role_count",
            role: Some(role.role.clone()),
            passed,
            reason: tr(
                lang,
                format!("rôle « {} » : {count} organisation(s), il en faut {wanted_fr}", role.role),
                format!("role `{}`: {count} organisation(s), {wanted_en} required", role.role),
            ),
        });
        if let Some(countries) = &role.countries {
            let outside: Vec<usize> =
                members.iter().copied().filter(|&i| !countries.contains(&orgs[i].profile.country)).collect();
            let list =
                outside.iter().map(|&i| format!("{} ({})", name(i), orgs[i].profile.country)).collect::<Vec<_>>();
            rules.push(RuleResult {
                rule: "countries",
                role: Some(role.role.clone()),
                passed: outside.is_empty(),
                reason: if outside.is_empty() {
                    tr(
                        lang,
                        format!("rôle « {} » : établi(s) dans un pays éligible", role.role),
                        format!("role `{}`: established in an eligible country", role.role),
                    )
                } else {
                    tr(
                        lang,
                        format!("rôle « {} » : {} hors des pays éligibles pour ce rôle", role.role, list.join(", ")),
                        format!(
                            "role `{}`: {} outside the countries eligible for this role",
                            role.role,
                            list.join(", ")
                        ),
                    )
                },
            });
        }
        if role.sme_required {
            let missing: Vec<String> = members.iter().filter(|&&i| !orgs[i].profile.is_sme).map(|&i| name(i)).collect();
            rules.push(RuleResult {
                rule: "sme_declaration",
                role: Some(role.role.clone()),
                passed: missing.is_empty(),
                reason: if missing.is_empty() {
                    tr(
                        lang,
                        format!("rôle « {} » : déclaration PME présente", role.role),
                        format!("role `{}`: SME declaration present", role.role),
                    )
                } else {
                    tr(
                        lang,
                        format!("rôle « {} » : pas de déclaration PME pour {}", role.role, missing.join(", ")),
                        format!("role `{}`: no SME declaration for {}", role.role, missing.join(", ")),
                    )
                },
            });
        }
        if let Some(sectors) = &role.sectors {
            let missing: Vec<String> = members
                .iter()
                .filter(|&&i| !sectors.iter().any(|s| orgs[i].profile.sectors.contains(s)))
                .map(|&i| name(i))
                .collect();
            let labels = |lang| {
                sectors
                    .iter()
                    .map(|s| super::taxonomy::find(Facet::Sector, s).map_or(s.as_str(), |t| t.label(lang)))
                    .collect::<Vec<_>>()
            };
            rules.push(RuleResult {
                rule: "sectors",
                role: Some(role.role.clone()),
                passed: missing.is_empty(),
                reason: if missing.is_empty() {
                    tr(
                        lang,
                        format!("rôle « {} » : secteur attendu ({})", role.role, labels(Lang::Fr).join(", ")),
                        format!("role `{}`: expected sector ({})", role.role, labels(Lang::En).join(", ")),
                    )
                } else {
                    tr(
                        lang,
                        format!(
                            "rôle « {} » : {} n'est pas de ce type ({})",
                            role.role,
                            missing.join(", "),
                            labels(Lang::Fr).join(", ")
                        ),
                        format!(
                            "role `{}`: {} is not of this type ({})",
                            role.role,
                            missing.join(", "),
                            labels(Lang::En).join(", ")
                        ),
                    )
                },
            });
        }
    }

    if body.independent_partners {
        let mut same: Vec<(usize, usize, Option<SameEntity>)> = Vec::new();
        for i in 0..orgs.len() {
            for j in i + 1..orgs.len() {
                if orgs[i].id == orgs[j].id {
                    same.push((i, j, None));
                    continue;
                }
                let entity = |k: usize| Entity {
                    legal_name: &orgs[k].profile.legal_name,
                    country: &orgs[k].profile.country,
                    registration_id: orgs[k].profile.registration_id.as_deref(),
                };
                if let Some(why) = same_legal_entity(&entity(i), &entity(j)) {
                    same.push((i, j, Some(why)));
                }
            }
        }
        let describe = |lang: Lang| {
            same.iter()
                .map(|&(i, j, why)| match (why, lang) {
                    (None, Lang::Fr) => format!("{} figure deux fois", name(i)),
                    (None, Lang::En) => format!("{} is listed twice", name(i)),
                    (Some(SameEntity::RegistrationId), Lang::Fr) => {
                        format!("{} et {} ont le même numéro d'immatriculation", name(i), name(j))
                    }
                    (Some(SameEntity::RegistrationId), Lang::En) => {
                        format!("{} and {} share a registration id", name(i), name(j))
                    }
                    (Some(SameEntity::Name), Lang::Fr) => {
                        format!("{} et {} : même nom et même pays", name(i), name(j))
                    }
                    (Some(SameEntity::Name), Lang::En) => {
                        format!("{} and {}: the same name in the same country", name(i), name(j))
                    }
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        rules.push(RuleResult {
            rule: "independence",
            role: None,
            passed: same.is_empty(),
            reason: if same.is_empty() {
                tr(
                    lang,
                    "les partenaires sont des entités juridiques indépendantes".to_owned(),
                    "the partners are independent legal entities".to_owned(),
                )
            } else {
                tr(
                    lang,
                    format!("partenaires non indépendants : {}", describe(Lang::Fr)),
                    format!("partners not independent: {}", describe(Lang::En)),
                )
            },
        });
    }

    let eligible = rules.iter().all(|r| r.passed);
    let placement =
        orgs.iter().zip(&placed).map(|(org, r)| (org.id.to_owned(), r.map(|r| body.roles[r].role.clone()))).collect();
    Eligibility { eligible, rules, placement }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::organisation::Description;

    fn citadel() -> CallBody {
        CallBody {
            name: Names { fr: "Appel".into(), en: "Call".into() },
            programme: "SMP".into(),
            opens_at: "2026-02-23T23:00:00Z".parse().unwrap(),
            closes_at: Some("2026-05-05T15:00:00Z".parse().unwrap()),
            time_zone: "Europe/Brussels".into(),
            funding: Funding::default(),
            duration_months: Some(9),
            roles: vec![
                CallRole {
                    role: "digital_sme".into(),
                    kinds: vec![Kind::Sme],
                    min: 1,
                    max: Some(1),
                    countries: Some(vec!["FR".into(), "DE".into()]),
                    sme_required: true,
                    sectors: None,
                },
                CallRole {
                    role: "security_end_user".into(),
                    kinds: vec![Kind::EndUser],
                    min: 1,
                    max: Some(1),
                    countries: None,
                    sme_required: false,
                    sectors: None,
                },
            ],
            independent_partners: true,
            technologies: vec![],
            domains: vec![],
            languages: vec![],
            practice: false,
            source: None,
        }
    }

    fn profile(name: &str, kind: Kind, country: &str) -> Profile {
        Profile {
            legal_name: name.into(),
            kind,
            country: country.into(),
            region: None,
            is_sme: kind == Kind::Sme,
            registration_id: None,
            website: None,
            languages: vec![],
            description: Description::default(),
            technologies: vec![],
            domains: vec![],
            sectors: vec![],
            keywords: vec![],
            published: true,
        }
    }

    fn run(orgs: &[(&str, Profile)], lang: Lang) -> Eligibility {
        let candidates: Vec<Candidate<'_>> = orgs.iter().map(|(id, p)| Candidate { id, profile: p }).collect();
        check(&citadel(), &candidates, lang)
    }

    fn failed(e: &Eligibility) -> Vec<&'static str> {
        e.rules.iter().filter(|r| !r.passed).map(|r| r.rule).collect()
    }

    #[test]
    fn an_sme_and_an_end_user_pass() {
        let e =
            run(&[("a", profile("Cyb SAS", Kind::Sme, "FR")), ("b", profile("Ville", Kind::EndUser, "FR"))], Lang::En);
        assert!(e.eligible, "{e:?}");
        assert_eq!(e.placement[0].1.as_deref(), Some("digital_sme"));
    }

    #[test]
    fn failures_name_the_rule_in_both_languages() {
        let two_smes = [("a", profile("Un", Kind::Sme, "FR")), ("b", profile("Deux", Kind::Sme, "FR"))];
        let e = run(&two_smes, Lang::En);
        assert!(!e.eligible);
        assert!(failed(&e).contains(&"role_count"));
        assert!(e.rules.iter().any(|r| r.reason.contains("exactly 1 required")), "{e:?}");
        let e = run(&two_smes, Lang::Fr);
        assert!(e.rules.iter().any(|r| r.reason.contains("il en faut exactement 1")), "{e:?}");

        let outside = [("a", profile("Swiss AG", Kind::Sme, "CH")), ("b", profile("Ville", Kind::EndUser, "FR"))];
        let e = run(&outside, Lang::En);
        assert_eq!(failed(&e), vec!["countries"]);
        assert!(e.rules.iter().any(|r| r.reason.contains("Swiss AG (CH)")));

        let same =
            [("a", profile("Sentinelle SAS", Kind::Sme, "FR")), ("b", profile("Sentinelle", Kind::EndUser, "FR"))];
        let e = run(&same, Lang::Fr);
        assert_eq!(failed(&e), vec!["independence"]);
        assert!(e.rules.iter().any(|r| r.reason.contains("même nom et même pays")));

        let research = [("a", profile("Labo", Kind::Research, "FR"))];
        let e = run(&research, Lang::En);
        assert!(failed(&e).contains(&"kinds"));
    }

    #[test]
    fn the_deadline_is_told_in_the_call_time_zone() {
        let body = citadel();
        let after = "2026-05-05T15:00:01Z".parse().unwrap();
        let closed = Call::open_at(&body, false, after).unwrap_err();
        assert_eq!(closed.message(), "the call closed on 2026-05-05 17:00 CEST (Europe/Brussels)");
        assert!(Call::open_at(&body, false, "2026-05-05T14:59:59Z".parse().unwrap()).is_ok());
        assert_eq!(Call::open_at(&body, true, "2026-03-01T00:00:00Z".parse().unwrap()), Err(Closed::Archived));
    }
}
