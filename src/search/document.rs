//! From stored records to index documents: one for the organisation, one per offer and need. Every document carries
//! its organisation's kind, country and published flag, so that filters apply to offers and needs too.
use serde_json::json;
use tantivy::TantivyDocument;

use super::facets;
use super::schema::Fields;
use crate::domain::catalog::{Need, Offer};
use crate::domain::organisation::Profile;
use crate::domain::taxonomy::Facet;
use crate::store::{ItemRecord, OrganisationRecord};

/// An organisation with everything it owns, as the indexer loads it.
#[derive(Clone)]
pub struct Bundle {
    pub organisation: OrganisationRecord,
    pub offers: Vec<ItemRecord>,
    pub needs: Vec<ItemRecord>,
}

/// The ids of a document's tags as words (`iot_sensors` as "iot sensors"). Their labels are left out on purpose:
/// generic words such as "security" would make every tagged document match; cross-language matches go through the
/// taxonomy at query time instead.
fn labels(tags: &[(Facet, &[String])]) -> String {
    let mut out = String::new();
    for (_, ids) in tags {
        for id in *ids {
            out.push_str(&id.replace('_', " "));
            out.push_str(" . ");
        }
    }
    out
}

struct Text<'a> {
    fr: Vec<&'a str>,
    en: Vec<&'a str>,
}

impl<'a> Text<'a> {
    /// A text in a known language goes to that language's field; in an unknown one, to both.
    fn add(&mut self, language: Option<&str>, text: &'a str) {
        if text.is_empty() {
            return;
        }
        match language {
            Some("fr") => self.fr.push(text),
            Some("en") => self.en.push(text),
            _ => {
                self.fr.push(text);
                self.en.push(text);
            }
        }
    }
}

fn base(fields: &Fields, profile: &Profile, id: &str, doc_type: &str, organisation_id: &str) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, id);
    doc.add_text(fields.doc_type, doc_type);
    doc.add_text(fields.organisation_id, organisation_id);
    doc.add_text(fields.kind, profile.kind.as_str());
    doc.add_text(fields.country, &profile.country);
    doc.add_bool(fields.published, profile.published);
    doc
}

/// A document's tags, and what else its packed facet value holds.
struct Tagged<'a> {
    doc_type: &'a str,
    technologies: &'a [String],
    domains: &'a [String],
    sectors: &'a [String],
    trl: Option<u8>,
}

fn add_tags(doc: &mut TantivyDocument, fields: &Fields, profile: &Profile, tagged: Tagged<'_>) {
    let Tagged { doc_type, technologies, domains, sectors, trl } = tagged;
    let tags = [(Facet::Technology, technologies), (Facet::Domain, domains), (Facet::Sector, sectors)];
    let tags = tags.iter().flat_map(|(facet, ids)| ids.iter().map(|id| (*facet, id.as_str())));
    let kind = [(Facet::Kind, profile.kind.as_str())];
    let what = facets::Packed { country: &profile.country, doc_type, published: profile.published, trl };
    doc.add_u64(fields.facets, facets::pack(tags.chain(kind), what));
    if let Some(trl) = trl {
        doc.add_u64(fields.trl, u64::from(trl));
    }
    for t in technologies {
        doc.add_text(fields.technology, t);
    }
    for d in domains {
        doc.add_text(fields.domain, d);
    }
    for s in sectors {
        doc.add_text(fields.sector, s);
    }
}

fn add_text(doc: &mut TantivyDocument, fields: &Fields, name: &str, text: &Text<'_>) {
    doc.add_text(fields.name, name);
    doc.add_text(fields.text_all, name);
    for t in &text.fr {
        doc.add_text(fields.text_fr, t);
        doc.add_text(fields.text_all, t);
    }
    for t in text.en.iter().filter(|t| !text.fr.contains(t)) {
        doc.add_text(fields.text_all, t);
    }
    for t in &text.en {
        doc.add_text(fields.text_en, t);
    }
}

pub fn documents(bundle: &Bundle, fields: &Fields) -> Vec<TantivyDocument> {
    let record = &bundle.organisation;
    let profile = &record.profile.0;
    let org_id = record.id.as_str();
    let mut docs = Vec::with_capacity(1 + bundle.offers.len() + bundle.needs.len());

    let offers: Vec<(&ItemRecord, Offer)> =
        bundle.offers.iter().filter_map(|r| Some((r, serde_json::from_value(r.body.0.clone()).ok()?))).collect();
    let needs: Vec<(&ItemRecord, Need)> =
        bundle.needs.iter().filter_map(|r| Some((r, serde_json::from_value(r.body.0.clone()).ok()?))).collect();

    let mut doc = base(fields, profile, org_id, "organisation", org_id);
    let mut text = Text { fr: Vec::new(), en: Vec::new() };
    text.add(Some("fr"), profile.description.fr.as_deref().unwrap_or_default());
    text.add(Some("en"), profile.description.en.as_deref().unwrap_or_default());
    add_text(&mut doc, fields, &profile.legal_name, &text);
    let tags = [
        (Facet::Technology, profile.technologies.as_slice()),
        (Facet::Domain, profile.domains.as_slice()),
        (Facet::Sector, profile.sectors.as_slice()),
    ];
    doc.add_text(fields.keywords, format!("{} {}", profile.keywords.join(" . "), labels(&tags)));
    let tagged = Tagged {
        doc_type: "organisation",
        technologies: &profile.technologies,
        domains: &profile.domains,
        sectors: &profile.sectors,
        trl: offers.iter().map(|(_, o)| o.trl).max(),
    };
    add_tags(&mut doc, fields, profile, tagged);
    doc.add_text(
        fields.summary,
        json!({
            "legal_name": profile.legal_name, "kind": profile.kind, "country": profile.country, "region": profile.region,
            "is_sme": profile.is_sme, "technologies": profile.technologies, "domains": profile.domains,
            "sectors": profile.sectors, "offers": offers.len(), "needs": needs.len(),
        })
        .to_string(),
    );
    docs.push(doc);

    for (item, offer) in &offers {
        let mut doc = base(fields, profile, &item.id, "offer", org_id);
        let mut text = Text { fr: Vec::new(), en: Vec::new() };
        text.add(offer.language.as_deref(), &offer.title);
        text.add(offer.language.as_deref(), &offer.description);
        add_text(&mut doc, fields, &offer.title, &text);
        let tags = [(Facet::Technology, offer.technologies.as_slice()), (Facet::Domain, offer.domains.as_slice())];
        doc.add_text(fields.keywords, format!("{} {}", profile.legal_name, labels(&tags)));
        let tagged = Tagged {
            doc_type: "offer",
            technologies: &offer.technologies,
            domains: &offer.domains,
            sectors: &profile.sectors,
            trl: Some(offer.trl),
        };
        add_tags(&mut doc, fields, profile, tagged);
        doc.add_text(
            fields.summary,
            json!({
                "title": offer.title, "organisation_name": profile.legal_name, "kind": profile.kind,
                "country": profile.country, "technologies": offer.technologies, "domains": offer.domains, "trl": offer.trl,
            })
            .to_string(),
        );
        docs.push(doc);
    }

    for (item, need) in &needs {
        let mut doc = base(fields, profile, &item.id, "need", org_id);
        let mut text = Text { fr: Vec::new(), en: Vec::new() };
        text.add(need.language.as_deref(), &need.title);
        text.add(need.language.as_deref(), &need.description);
        text.add(need.language.as_deref(), need.pilot_site.as_deref().unwrap_or_default());
        add_text(&mut doc, fields, &need.title, &text);
        let sectors = if need.sectors.is_empty() { &profile.sectors } else { &need.sectors };
        let tags = [
            (Facet::Technology, need.technologies.as_slice()),
            (Facet::Domain, need.domains.as_slice()),
            (Facet::Sector, sectors.as_slice()),
        ];
        doc.add_text(fields.keywords, format!("{} {}", profile.legal_name, labels(&tags)));
        let tagged = Tagged {
            doc_type: "need",
            technologies: &need.technologies,
            domains: &need.domains,
            sectors,
            trl: need.min_trl,
        };
        add_tags(&mut doc, fields, profile, tagged);
        doc.add_text(
            fields.summary,
            json!({
                "title": need.title, "organisation_name": profile.legal_name, "kind": profile.kind,
                "country": profile.country, "technologies": need.technologies, "domains": need.domains,
                "sectors": sectors, "min_trl": need.min_trl, "pilot_site": need.pilot_site, "deadline": need.deadline,
            })
            .to_string(),
        );
        docs.push(doc);
    }
    docs
}
