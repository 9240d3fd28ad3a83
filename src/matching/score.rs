//! The score of one SME–end-user pair: parts in [0, 1], each with its weight and a reason in the reader's language;
//! the total is the sum of weight × value. The score does not depend on which side asks (so that whole-call
//! pairings can use it), except for the congestion discount added by the caller.
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::analysis::Concepts;
use crate::config::MatchingWeights;
use crate::domain::catalog::{Need, Offer};
use crate::domain::taxonomy::Lang;
use crate::store::OrganisationRecord;

pub struct Item<T> {
    pub id: String,
    pub body: T,
    pub concepts: Concepts,
}

/// One organisation as matching sees it: its offers or needs analysed, and its description as a fallback.
pub struct Side<'a> {
    pub record: &'a OrganisationRecord,
    pub offers: Vec<Item<Offer>>,
    pub needs: Vec<Item<Need>>,
    pub description: Concepts,
}

#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub name: &'static str,
    pub weight: f64,
    pub value: f64,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PairScore {
    pub offer_id: String,
    pub need_id: String,
    pub score: f64,
}

#[derive(Debug, Clone)]
pub struct Scored {
    pub score: f64,
    pub parts: Vec<Part>,
    pub matched_terms: Vec<String>,
    pub pairs: Vec<PairScore>,
}

impl Scored {
    /// Adds a part and its contribution to the total.
    pub fn push(&mut self, part: Part) {
        self.score += part.weight * part.value;
        self.parts.push(part);
    }
}

fn round(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

fn pct(value: f64) -> u32 {
    (value * 100.0).round() as u32
}

/// The reason in the reader's language; only that one is formatted (scores are computed by the hundred thousand).
macro_rules! say {
    ($lang:expr, $fr:expr, $en:expr $(,)?) => {
        match $lang {
            Lang::Fr => $fr,
            Lang::En => $en,
        }
    };
}

/// Text fit in one direction: each text of `from` is covered as well as any text of `to` covers it; the mean over
/// `from`'s texts, softened by a square root so that partial overlaps of long texts still count.
fn direction(from: &[&Concepts], to: &[&Concepts]) -> (f64, Option<(usize, usize)>) {
    if from.is_empty() || to.is_empty() {
        return (0.0, None);
    }
    let mut sum = 0.0;
    let mut best: Option<(f64, usize, usize)> = None;
    for (i, a) in from.iter().enumerate() {
        let (j, cover) = to
            .iter()
            .enumerate()
            .map(|(j, b)| (j, a.covered_by(b)))
            .max_by(|x, y| x.1.total_cmp(&y.1))
            .unwrap_or((0, 0.0));
        sum += cover;
        if best.is_none_or(|(c, _, _)| cover > c) {
            best = Some((cover, i, j));
        }
    }
    ((sum / from.len() as f64).sqrt(), best.map(|(_, i, j)| (i, j)))
}

fn overlap(wanted: &[&String], offered: &[&String]) -> Option<f64> {
    if wanted.is_empty() || offered.is_empty() {
        return None;
    }
    let shared = wanted.iter().filter(|w| offered.contains(w)).count();
    Some(shared as f64 / wanted.len() as f64)
}

fn dedup(mut values: Vec<&String>) -> Vec<&String> {
    values.sort();
    values.dedup();
    values
}

fn completeness(record: &OrganisationRecord, items: usize, now: DateTime<Utc>) -> f64 {
    let p = &record.profile.0;
    let filled = [
        p.description.fr.is_some() || p.description.en.is_some(),
        p.description.fr.is_some() && p.description.en.is_some(),
        p.website.is_some(),
        p.region.is_some(),
        !p.technologies.is_empty(),
        !p.domains.is_empty(),
        !p.languages.is_empty(),
        items > 0,
    ];
    let complete = filled.iter().filter(|f| **f).count() as f64 / filled.len() as f64;
    let age_days = (now - record.updated_at).num_days().max(0) as f64;
    let fresh = if age_days <= 180.0 { 1.0 } else { (1.0 - (age_days - 180.0) / 550.0).max(0.3) };
    0.7 * complete + 0.3 * fresh
}

pub fn score(sme: &Side<'_>, end_user: &Side<'_>, weights: &MatchingWeights, lang: Lang, now: DateTime<Utc>) -> Scored {
    let offers: Vec<&Concepts> =
        if sme.offers.is_empty() { vec![&sme.description] } else { sme.offers.iter().map(|o| &o.concepts).collect() };
    let needs: Vec<&Concepts> = if end_user.needs.is_empty() {
        vec![&end_user.description]
    } else {
        end_user.needs.iter().map(|n| &n.concepts).collect()
    };
    let mut scored = Scored { score: 0.0, parts: Vec::new(), matched_terms: Vec::new(), pairs: Vec::new() };

    // Both directions of text fit, and how balanced they are.
    let (forward, forward_best) = direction(&needs, &offers);
    let (backward, _) = direction(&offers, &needs);
    let need_title = |i: usize| end_user.needs.get(i).map(|n| n.body.title.clone());
    let offer_title = |j: usize| sme.offers.get(j).map(|o| o.body.title.clone());
    let best = forward_best.and_then(|(i, j)| Some((need_title(i)?, offer_title(j)?)));
    let example_fr = best.as_ref().map(|(n, o)| format!(" ; le meilleur : « {o} » pour « {n} »")).unwrap_or_default();
    let example_en = best.as_ref().map(|(n, o)| format!("; best: “{o}” for “{n}”")).unwrap_or_default();
    scored.push(Part {
        name: "offers_fit_needs",
        weight: weights.offers_fit_needs,
        value: round(forward),
        reason: say!(
            lang,
            format!(
                "Les offres de la PME couvrent les besoins de l'utilisateur final à {} %{example_fr}.",
                pct(forward)
            ),
            format!("The SME's offers cover the end user's needs at {}%{example_en}.", pct(forward)),
        ),
    });
    scored.push(Part {
        name: "needs_fit_offers",
        weight: weights.needs_fit_offers,
        value: round(backward),
        reason: say!(
            lang,
            format!("Les besoins de l'utilisateur final trouvent un usage aux offres de la PME à {} %.", pct(backward)),
            format!("The end user's needs make use of the SME's offers at {}%.", pct(backward)),
        ),
    });
    let reciprocity = if forward + backward > 0.0 { 2.0 * forward * backward / (forward + backward) } else { 0.0 };
    scored.push(Part {
        name: "reciprocity",
        weight: weights.reciprocity,
        value: round(reciprocity),
        reason: say!(
            lang,
            format!(
                "L'intérêt est réciproque à {} % (moyenne harmonique des deux sens : une adéquation à sens unique compte peu).",
                pct(reciprocity)
            ),
            format!(
                "The interest is mutual at {}% (harmonic mean of both directions: a one-sided fit counts little).",
                pct(reciprocity)
            ),
        ),
    });

    // Shared taxonomy.
    let wanted_tech = dedup(
        end_user
            .record
            .profile
            .0
            .technologies
            .iter()
            .chain(end_user.needs.iter().flat_map(|n| &n.body.technologies))
            .collect(),
    );
    let offered_tech = dedup(
        sme.record.profile.0.technologies.iter().chain(sme.offers.iter().flat_map(|o| &o.body.technologies)).collect(),
    );
    let user_domains = dedup(
        end_user.record.profile.0.domains.iter().chain(end_user.needs.iter().flat_map(|n| &n.body.domains)).collect(),
    );
    let sme_domains =
        dedup(sme.record.profile.0.domains.iter().chain(sme.offers.iter().flat_map(|o| &o.body.domains)).collect());
    let user_sectors = dedup(
        end_user.record.profile.0.sectors.iter().chain(end_user.needs.iter().flat_map(|n| &n.body.sectors)).collect(),
    );
    let sme_sectors = dedup(sme.record.profile.0.sectors.iter().collect());
    let tech = overlap(&wanted_tech, &offered_tech);
    let domain = overlap(&user_domains, &sme_domains);
    let sector = overlap(&user_sectors, &sme_sectors);
    let taxonomy = 0.5 * tech.unwrap_or(0.0) + 0.3 * domain.unwrap_or(0.0) + 0.2 * sector.unwrap_or(0.5);
    let shared: Vec<String> = wanted_tech
        .iter()
        .filter(|t| offered_tech.contains(t))
        .chain(user_domains.iter().filter(|d| sme_domains.contains(d)))
        .chain(user_sectors.iter().filter(|s| sme_sectors.contains(s)))
        .map(|s| (*s).clone())
        .collect();
    let list = if shared.is_empty() { "—".to_owned() } else { shared.join(", ") };
    scored.push(Part {
        name: "taxonomy",
        weight: weights.taxonomy,
        value: round(taxonomy),
        reason: say!(
            lang,
            format!("Technologies, domaines et secteurs en commun : {list}."),
            format!("Technologies, domains and sectors in common: {list}."),
        ),
    });

    // Maturity: each need against the offer that fits it best.
    let mut fits = Vec::new();
    for need in &end_user.needs {
        let best = sme
            .offers
            .iter()
            .max_by(|a, b| need.concepts.covered_by(&a.concepts).total_cmp(&need.concepts.covered_by(&b.concepts)));
        if let Some(offer) = best {
            let fit = match need.body.min_trl {
                Some(min) if offer.body.trl < min => (1.0 - f64::from(min - offer.body.trl) / 3.0).max(0.0),
                _ => 1.0,
            };
            fits.push((fit, offer, need));
        }
    }
    let maturity = if fits.is_empty() { 0.5 } else { fits.iter().map(|f| f.0).sum::<f64>() / fits.len() as f64 };
    let short = fits.iter().filter(|f| f.0 < 1.0).count();
    scored.push(Part {
        name: "maturity",
        weight: weights.maturity,
        value: round(maturity),
        reason: if fits.is_empty() {
            say!(
                lang,
                "Pas encore d'offre face à un besoin pour comparer les TRL.".into(),
                "No offer faces a need yet to compare TRLs.".into(),
            )
        } else if short == 0 {
            say!(
                lang,
                "Chaque besoin trouve une offre au TRL au moins égal au minimum demandé.".into(),
                "Every need meets an offer at or above its minimum TRL.".into(),
            )
        } else {
            say!(
                lang,
                format!("{short} besoin(s) sur {} trouvent une offre sous le TRL minimum demandé.", fits.len()),
                format!("{short} of {} need(s) meet an offer below the minimum TRL asked.", fits.len()),
            )
        },
    });

    // Geography and language.
    let (a, b) = (&sme.record.profile.0, &end_user.record.profile.0);
    let same_country = a.country == b.country;
    let languages = |p: &crate::domain::organisation::Profile| {
        let mut l = p.languages.clone();
        if p.description.fr.is_some() {
            l.push("fr".into());
        }
        if p.description.en.is_some() {
            l.push("en".into());
        }
        l
    };
    let (la, lb) = (languages(a), languages(b));
    let common: Vec<&String> = dedup(la.iter().filter(|l| lb.contains(l)).collect());
    let geography = 0.5 * if same_country { 1.0 } else { 0.5 } + 0.5 * if common.is_empty() { 0.2 } else { 1.0 };
    let tongues = common.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
    scored.push(Part {
        name: "geography_language",
        weight: weights.geography_language,
        value: round(geography),
        reason: match (same_country, common.is_empty()) {
            (true, false) => say!(
                lang,
                format!("Même pays ({}) et langue(s) commune(s) : {tongues}.", a.country),
                format!("Same country ({}) and common language(s): {tongues}.", a.country),
            ),
            (false, false) => say!(
                lang,
                format!("Pays différents ({} et {}), langue(s) commune(s) : {tongues}.", a.country, b.country),
                format!("Different countries ({} and {}), common language(s): {tongues}.", a.country, b.country),
            ),
            (true, true) => say!(
                lang,
                format!("Même pays ({}) mais aucune langue déclarée en commun.", a.country),
                format!("Same country ({}) but no declared language in common.", a.country),
            ),
            (false, true) => say!(
                lang,
                format!("Pays différents ({} et {}) et aucune langue déclarée en commun.", a.country, b.country),
                format!("Different countries ({} and {}) and no declared language in common.", a.country, b.country),
            ),
        },
    });

    let complete = 0.5 * completeness(sme.record, sme.offers.len(), now)
        + 0.5 * completeness(end_user.record, end_user.needs.len(), now);
    scored.push(Part {
        name: "completeness_freshness",
        weight: weights.completeness_freshness,
        value: round(complete),
        reason: say!(
            lang,
            format!("Profils complets et à jour à {} %.", pct(complete)),
            format!("Profiles are {}% complete and up to date.", pct(complete)),
        ),
    });

    // The offer↔need pairs behind the score, and the words they share.
    let mut pairs: Vec<PairScore> = Vec::new();
    for need in &end_user.needs {
        for offer in &sme.offers {
            let value = 0.5 * (need.concepts.covered_by(&offer.concepts) + offer.concepts.covered_by(&need.concepts));
            if value > 0.0 {
                pairs.push(PairScore { offer_id: offer.id.clone(), need_id: need.id.clone(), score: round(value) });
            }
        }
    }
    pairs.sort_by(|x, y| y.score.total_cmp(&x.score));
    pairs.truncate(3);
    let mut terms: Vec<String> = Vec::new();
    let best_pair = pairs.first().and_then(|p| {
        Some((end_user.needs.iter().find(|n| n.id == p.need_id)?, sme.offers.iter().find(|o| o.id == p.offer_id)?))
    });
    match best_pair {
        Some((need, offer)) => terms.extend(need.concepts.shared_words(&offer.concepts, 10)),
        None => terms.extend(
            needs.first().map(|n| n.shared_words(offers.first().copied().unwrap_or(n), 10)).unwrap_or_default(),
        ),
    }
    for t in shared {
        if !terms.contains(&t) {
            terms.push(t);
        }
    }
    scored.matched_terms = terms;
    scored.pairs = pairs;
    scored
}
