//! Controlled vocabulary (technologies, priority domains, end-user sectors, organisation kinds)
//! with French and English labels, and a forgiving normaliser for what users type.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// A dimension of the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Facet {
    Technology,
    Domain,
    Sector,
    Kind,
}

impl Facet {
    pub const ALL: [Facet; 4] = [Facet::Technology, Facet::Domain, Facet::Sector, Facet::Kind];

    pub fn as_str(self) -> &'static str {
        match self {
            Facet::Technology => "technology",
            Facet::Domain => "domain",
            Facet::Sector => "sector",
            Facet::Kind => "kind",
        }
    }

    pub fn terms(self) -> &'static [Term] {
        match self {
            Facet::Technology => &TECHNOLOGY,
            Facet::Domain => &DOMAIN,
            Facet::Sector => &SECTOR,
            Facet::Kind => &KIND,
        }
    }
}

/// One entry of the vocabulary: a stable id, its labels and the synonyms users may type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub id: &'static str,
    pub fr: &'static str,
    pub en: &'static str,
    pub synonyms: &'static [&'static str],
}

impl Term {
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fr => self.fr,
            Lang::En => self.en,
        }
    }
}

/// Display language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    /// The first of French or English in q-value order; English when neither is acceptable.
    pub fn parse_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for entry in header.split(',') {
            let mut parts = entry.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let primary = tag.split('-').next().unwrap_or_default();
            let lang = if primary.eq_ignore_ascii_case("fr") {
                Lang::Fr
            } else if primary.eq_ignore_ascii_case("en") {
                Lang::En
            } else {
                continue;
            };
            let mut q = 1.0_f32;
            for param in parts {
                if let Some((key, value)) = param.split_once('=')
                    && key.trim().eq_ignore_ascii_case("q")
                {
                    // A malformed weight must not promote a language over well-formed ones.
                    q = value.trim().parse().unwrap_or(0.0);
                }
            }
            // Strict `>` keeps the header's order among equal weights.
            if q > 0.0 && best.is_none_or(|(best_q, _)| q > best_q) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::En, |(_, lang)| lang)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}

const fn term(id: &'static str, fr: &'static str, en: &'static str, synonyms: &'static [&'static str]) -> Term {
    Term { id, fr, en, synonyms }
}

#[rustfmt::skip]
static TECHNOLOGY: [Term; 6] = [
    term("ai", "Intelligence artificielle appliquée à la sécurité", "AI applied to security", &[
        "IA", "AI", "intelligence artificielle", "artificial intelligence", "machine learning",
        "apprentissage automatique", "deep learning", "apprentissage profond",
        "vision par ordinateur", "computer vision", "réseaux de neurones", "neural networks",
        "IA générative", "generative AI", "IA de confiance", "trustworthy AI",
        "traitement automatique du langage", "natural language processing", "NLP", "LLM",
    ]),
    term("cybersecurity", "Cybersécurité et protection des systèmes critiques",
        "Cybersecurity and protection of critical systems", &[
        "cyber", "cybersécurité", "cyber-sécurité", "cyber security", "sécurité informatique",
        "IT security", "sécurité de l'information", "information security", "infosec", "SOC",
        "ransomware", "rançongiciel", "ransomware protection",
        "protection contre les rançongiciels", "cyberdéfense", "cyber defence", "cyber defense",
        "détection d'intrusion", "intrusion detection", "test d'intrusion", "pentest",
        "cryptographie", "cryptography", "sécurité des réseaux", "network security",
        "renseignement sur les menaces", "threat intelligence",
    ]),
    term("iot_sensors", "IoT et capteurs intelligents", "IoT and smart sensors", &[
        "IoT", "IIoT", "internet des objets", "internet of things", "objets connectés",
        "connected objects", "connected devices", "capteurs", "sensors", "capteurs intelligents",
        "smart sensors", "capteurs IoT", "IoT sensors", "IoT industriel", "industrial IoT",
        "réseaux de capteurs", "sensor networks", "LoRaWAN", "systèmes embarqués",
        "embedded systems", "edge computing",
    ]),
    term("data_analytics", "Analyse de données et systèmes prédictifs",
        "Data analytics and predictive systems", &[
        "big data", "data science", "science des données", "analyse de données",
        "analyse des données", "data analysis", "analytique", "analytics",
        "analyse prédictive", "predictive analytics", "systèmes prédictifs", "predictive systems",
        "maintenance prédictive", "predictive maintenance", "modélisation prédictive",
        "predictive modelling", "fusion de données", "data fusion", "visualisation de données",
        "data visualisation", "OSINT",
    ]),
    term("critical_infrastructure_solutions",
        "Solutions numériques pour la protection des infrastructures critiques",
        "Digital solutions for critical infrastructure protection", &[
        "SCADA security", "sécurité SCADA", "OT security", "sécurité OT",
        "sécurité des systèmes industriels", "industrial control systems security",
        "ICS security", "sécurité ICS", "jumeau numérique", "digital twin",
        "supervision des infrastructures", "infrastructure monitoring", "contrôle d'accès",
        "access control", "protection périmétrique", "perimeter protection",
    ]),
    term("crisis_management", "Outils de gestion de crise", "Crisis management tools", &[
        "gestion de crise", "gestion des crises", "crisis management", "outils de gestion de crise",
        "alerte", "alerting", "alerte précoce", "early warning", "système d'alerte",
        "warning system", "gestion des urgences", "emergency management",
        "conscience situationnelle", "situational awareness", "aide à la décision",
        "decision support", "commandement et contrôle", "command and control", "C2",
        "communication de crise", "crisis communication",
    ]),
];

#[rustfmt::skip]
static DOMAIN: [Term; 4] = [
    term("critical_infrastructure", "Protection des infrastructures critiques",
        "Critical infrastructure protection", &[
        "infrastructures critiques", "infrastructure critique", "critical infrastructure",
        "critical infrastructures", "CIP", "opérateurs d'importance vitale", "OIV",
        "entités critiques", "critical entities", "résilience des entités critiques", "CER",
        "infrastructures vitales", "vital infrastructure",
    ]),
    term("disaster_resilience", "Résilience aux catastrophes naturelles et technologiques",
        "Resilience to natural and technological disasters", &[
        "résilience aux catastrophes", "disaster resilience", "catastrophes naturelles",
        "natural disasters", "risques naturels", "natural hazards", "risques technologiques",
        "technological hazards", "risques industriels", "industrial accidents", "inondations",
        "floods", "feux de forêt", "incendies de forêt", "wildfires", "séismes", "earthquakes",
        "réduction des risques de catastrophe", "disaster risk reduction", "DRR",
        "adaptation au changement climatique", "climate adaptation",
    ]),
    term("urban_security", "Sécurité des environnements urbains", "Security of urban environments", &[
        "sécurité urbaine", "sûreté urbaine", "urban security", "sécurité des villes",
        "ville sûre", "safe city", "smart city security", "sécurité de la ville intelligente",
        "espaces publics", "public spaces", "protection des espaces publics",
        "protection of public spaces", "grands événements", "major events",
        "rassemblements de masse", "mass gatherings", "vidéoprotection", "vidéosurveillance",
        "video surveillance",
    ]),
    term("digital_green_transition", "À l'interface des transitions numérique et verte",
        "At the interface of the digital and green transitions", &[
        "transition numérique et verte", "transitions numérique et écologique",
        "double transition", "twin transition", "digital and green transition",
        "green and digital transition", "transition écologique", "green transition",
        "transition énergétique", "energy transition", "numérique responsable",
        "sustainable digital", "sobriété numérique", "green IT",
    ]),
];

#[rustfmt::skip]
static SECTOR: [Term; 15] = [
    term("energy", "Énergie", "Energy", &[
        "électricité", "electricity", "réseau électrique", "power grid", "pétrole et gaz",
        "oil and gas", "nucléaire", "nuclear", "hydrogène", "hydrogen",
    ]),
    term("transport", "Transports", "Transport", &[
        "transportation", "mobilité", "mobility", "ferroviaire", "rail", "railway", "aérien",
        "aviation", "aéroport", "airport", "transport maritime", "maritime transport",
        "transport routier", "road transport", "logistique", "logistics",
    ]),
    term("banking", "Secteur bancaire", "Banking", &[
        "banque", "banques", "bank", "banks", "établissement de crédit", "credit institution",
    ]),
    term("financial_market_infrastructure", "Infrastructures des marchés financiers",
        "Financial market infrastructure", &[
        "marchés financiers", "financial markets", "bourse", "stock exchange",
        "plateforme de négociation", "trading venue", "chambre de compensation",
        "clearing house", "contrepartie centrale", "central counterparty", "CCP",
    ]),
    term("health", "Santé", "Health", &[
        "healthcare", "hôpital", "hôpitaux", "hospital", "hospitals", "clinique", "clinic",
        "CHU", "établissement de santé", "médical", "medical",
    ]),
    term("drinking_water", "Eau potable", "Drinking water", &[
        "potable water", "eau destinée à la consommation humaine", "distribution d'eau",
        "adduction d'eau", "water supply",
    ]),
    term("waste_water", "Eaux usées", "Waste water", &[
        "wastewater", "assainissement", "sanitation", "station d'épuration", "STEP",
        "traitement des eaux usées", "sewage", "sewerage",
    ]),
    term("digital_infrastructure", "Infrastructures numériques", "Digital infrastructure", &[
        "infrastructure numérique", "centre de données", "centres de données", "data centre",
        "data centres", "data center", "data centers", "cloud",
        "télécommunications", "telecommunications", "télécoms", "telecom",
        "réseaux de communication", "DNS", "IXP",
    ]),
    term("public_administration", "Administration publique", "Public administration", &[
        "administration", "secteur public", "public sector", "ministère", "ministry",
        "gouvernement", "government", "service public", "administration centrale",
    ]),
    term("space", "Spatial", "Space", &[
        "secteur spatial", "space sector", "satellite", "satellites", "segment sol",
        "ground segment",
    ]),
    term("food", "Production, transformation et distribution alimentaires",
        "Food production, processing and distribution", &[
        "alimentation", "alimentaire", "agroalimentaire", "agri-food", "food",
        "food industry", "food supply chain", "agriculture",
    ]),
    term("local_authority", "Collectivité territoriale", "Local authority", &[
        "collectivités territoriales", "collectivité", "collectivités", "collectivité locale",
        "collectivités locales", "local authorities", "local government", "municipalité",
        "municipality", "municipalities", "mairie", "commune", "city council",
        "intercommunalité", "métropole", "conseil départemental", "conseil régional",
    ]),
    term("port", "Infrastructure portuaire", "Port", &[
        "ports", "portuaire", "harbour", "harbor", "seaport", "grand port maritime",
    ]),
    term("emergency_services", "Services d'urgence", "Emergency services", &[
        "secours", "pompiers", "sapeurs-pompiers", "firefighters", "fire brigade",
        "fire service", "SDIS", "SAMU", "sécurité civile", "protection civile",
        "civil protection", "first responders", "primo-intervenants",
    ]),
    term("law_enforcement", "Forces de l'ordre", "Law enforcement", &[
        "police", "gendarmerie", "police nationale", "police municipale", "douane", "douanes",
        "customs", "forces de sécurité intérieure", "LEA",
    ]),
];

#[rustfmt::skip]
static KIND: [Term; 6] = [
    term("sme", "PME du numérique", "Digital SME", &[
        "PME", "SME", "PME numérique", "petite et moyenne entreprise",
        "small and medium enterprise", "small and medium-sized enterprise", "TPE",
        "start-up", "jeune pousse", "scale-up", "entreprise du numérique", "éditeur de logiciel",
        "software vendor",
    ]),
    term("end_user", "Utilisateur final de sécurité", "Security end user", &[
        "utilisateur final", "utilisateurs finaux", "end users", "praticien", "praticiens",
        "practitioner", "practitioners", "opérateur", "operator", "acheteur public",
        "public buyer",
    ]),
    term("research", "Organisme de recherche", "Research organisation", &[
        "recherche", "laboratoire", "laboratory", "lab", "labo", "université", "university",
        "école d'ingénieurs", "engineering school", "centre de recherche", "research centre",
        "research center", "research organization", "RTO", "académique", "academic",
        "academia",
    ]),
    term("large_company", "Grande entreprise", "Large company", &[
        "grand groupe", "grands groupes", "grandes entreprises", "large enterprise",
        "large corporation", "corporate", "groupe industriel", "industrial group",
        "maître d'œuvre", "prime contractor",
    ]),
    term("cluster", "Pôle ou cluster", "Cluster", &[
        "pôle", "pôle de compétitivité", "competitiveness cluster", "grappe d'entreprises",
        "réseau d'entreprises", "business network", "association professionnelle",
        "trade association", "EDIH", "digital innovation hub", "innovation hub",
    ]),
    term("other", "Autre", "Other", &[
        "autres", "others", "association", "ONG", "NGO", "fondation", "foundation",
        "investisseur", "investor", "consultant", "cabinet de conseil",
    ]),
];

/// Exact lookup by id.
pub fn find(facet: Facet, id: &str) -> Option<&'static Term> {
    facet.terms().iter().find(|t| t.id == id)
}

pub fn is_known(facet: Facet, id: &str) -> bool {
    find(facet, id).is_some()
}

/// Lower-case, fold accents (deunicode), turn every non-alphanumeric run into one space, trim.
/// "Cyber-Sécurité" -> "cyber securite"; "IoT & capteurs" -> "iot capteurs"
pub fn fold(text: &str) -> String {
    fold_case(text, true)
}

fn fold_case(text: &str, lower: bool) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut gap = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(if lower { c.to_ascii_lowercase() } else { c });
        } else {
            gap = true;
        }
    }
    out
}

/// A user input that matched no term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmatched {
    pub input: String,
    /// Up to 3 ids, best first.
    pub closest: Vec<&'static str>,
}

/// Fuzzy matching is off below this many letters: short strings are all "close" to each other.
const MIN_FUZZY_LEN: usize = 5;
/// One edit is tolerated when both strings have at least this many letters ("cyberx" must not
/// become "cyber").
const ONE_EDIT_MIN_LEN: usize = 6;
const TWO_EDITS_MIN_LEN: usize = 9;
const MIN_SIMILARITY: f64 = 0.85;
/// Words ignored when ranking suggestions by shared words.
const STOPWORDS: &[&str] = &[
    "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "and", "for", "in", "of",
    "on", "the", "to",
];
/// Forms too common in ordinary prose ("je recherche", "une autre") to count as mentions.
/// "alimentation" is as often a power supply as food.
const MENTION_STOPLIST: &[&str] = &["autre", "autres", "other", "others", "recherche", "commune", "alimentation"];

struct Candidate {
    id: &'static str,
    spaced: String,
    compact: String,
    /// Case-preserving forms (padded with spaces) for acronyms, which collide with plain words in prose
    /// ("AI" vs "j'ai", "STEP" vs "step"); `None` when case does not matter.
    acronym: Option<Vec<String>>,
}

struct Index {
    by_compact: HashMap<String, &'static str>,
    candidates: Vec<Candidate>,
}

impl Index {
    fn build(facet: Facet) -> Index {
        let mut candidates: Vec<Candidate> = Vec::new();
        for term in facet.terms() {
            let sources = [term.id, term.fr, term.en].into_iter().chain(term.synonyms.iter().copied());
            for source in sources {
                let spaced = fold(source);
                if spaced.is_empty() {
                    continue;
                }
                let compact = spaced.replace(' ', "");
                let acronym = acronym_forms(source, &compact);
                // Duplicates (an id equal to its label) are harmless: ties compare ids.
                candidates.push(Candidate { id: term.id, spaced, compact, acronym });
            }
        }
        let mut by_compact = HashMap::new();
        for c in &candidates {
            by_compact.entry(c.compact.clone()).or_insert(c.id);
        }
        Index { by_compact, candidates }
    }
}

fn acronym_forms(source: &str, compact: &str) -> Option<Vec<String>> {
    let all_caps = source.chars().any(char::is_alphabetic) && !source.chars().any(char::is_lowercase);
    if !all_caps && compact.len() > 3 {
        return None;
    }
    let cased = fold_case(source, false);
    let upper = cased.to_ascii_uppercase();
    let mut forms = vec![format!(" {upper} ")];
    // Mixed case as written ("IoT") also counts, but never all lower case ("ai").
    if cased != upper && cased.bytes().any(|b| b.is_ascii_uppercase()) {
        forms.push(format!(" {cased} "));
    }
    Some(forms)
}

static INDEXES: LazyLock<[Index; 4]> = LazyLock::new(|| Facet::ALL.map(Index::build));

fn index(facet: Facet) -> &'static Index {
    // `Facet::ALL` lists the variants in declaration order, so the discriminant is the slot.
    &INDEXES[facet as usize]
}

struct Scored {
    id: &'static str,
    similarity: f64,
    accepted: bool,
}

fn score(compact: &str, c: &Candidate) -> Scored {
    // Optimal string alignment (Damerau-Levenshtein without re-edited substrings) is enough
    // for typos and, unlike strsim's unrestricted variant, needs no hash map per call.
    let distance = strsim::osa_distance(compact, &c.compact);
    let longer = compact.len().max(c.compact.len()).max(1);
    let shorter = compact.len().min(c.compact.len());
    let similarity = 1.0 - distance as f64 / longer as f64;
    let accepted = compact.len() >= MIN_FUZZY_LEN
        && ((distance <= 1 && shorter >= ONE_EDIT_MIN_LEN)
            || (distance <= 2 && shorter >= TWO_EDITS_MIN_LEN)
            || similarity >= MIN_SIMILARITY);
    Scored { id: c.id, similarity, accepted }
}

/// The term an input names exactly (id, label or synonym, in any case, with or without accents, hyphens or
/// spaces), without the typo search of [`normalise`]: cheap enough to run on every word of a search query.
pub fn exact(facet: Facet, input: &str) -> Option<&'static str> {
    let compact = fold(input).replace(' ', "");
    if compact.is_empty() {
        return None;
    }
    index(facet).by_compact.get(&compact).copied()
}

/// Maps what a user typed onto a term id: the id itself, a French or English label, or a synonym, in any case,
/// with or without accents, hyphens, spaces, or a small typo.
pub fn normalise(facet: Facet, input: &str) -> Result<&'static str, Unmatched> {
    let spaced = fold(input);
    if spaced.is_empty() {
        let closest = facet.terms().iter().take(3).map(|t| t.id).collect();
        return Err(Unmatched { input: input.to_owned(), closest });
    }
    let index = index(facet);
    let compact = spaced.replace(' ', "");
    if let Some(id) = index.by_compact.get(&compact) {
        return Ok(id);
    }
    let scored: Vec<Scored> = index.candidates.iter().map(|c| score(&compact, c)).collect();
    let best = scored.iter().filter(|s| s.accepted).max_by(|a, b| a.similarity.total_cmp(&b.similarity));
    if let Some(best) = best {
        // Equally close to two different terms ("water"-like inputs) is a guess, not a match.
        let tied =
            scored.iter().any(|s| s.accepted && s.id != best.id && (s.similarity - best.similarity).abs() < 1e-9);
        if !tied {
            return Ok(best.id);
        }
    }
    Err(Unmatched { input: input.to_owned(), closest: closest(facet, &spaced, &scored) })
}

fn closest(facet: Facet, spaced: &str, scored: &[Scored]) -> Vec<&'static str> {
    let candidates = &index(facet).candidates;
    let mut ranked: Vec<(&'static str, f64)> = facet.terms().iter().map(|t| (t.id, 0.0)).collect();
    for (s, c) in scored.iter().zip(candidates) {
        let rank = s.similarity.max(word_overlap(spaced, &c.spaced));
        if let Some(slot) = ranked.iter_mut().find(|(id, _)| *id == s.id) {
            slot.1 = slot.1.max(rank);
        }
    }
    // Stable sort: ties keep taxonomy order.
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked.into_iter().take(3).map(|(id, _)| id).collect()
}

/// Lets a partial input such as "water" rank the terms that contain it as a word.
fn word_overlap(a: &str, b: &str) -> f64 {
    fn words(s: &str) -> Vec<&str> {
        s.split(' ').filter(|w| !STOPWORDS.contains(w)).collect()
    }
    let (wa, wb) = (words(a), words(b));
    let common = wa.iter().filter(|w| wb.contains(w)).count();
    if common == 0 {
        return 0.0;
    }
    0.5 + 0.4 * common as f64 / wa.len().max(wb.len()) as f64
}

/// Normalises a list, de-duplicating while keeping first-seen order; on failure returns (index, Unmatched) of the first bad entry.
pub fn normalise_all(facet: Facet, inputs: &[String]) -> Result<Vec<&'static str>, (usize, Unmatched)> {
    let mut ids = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let id = normalise(facet, input).map_err(|e| (i, e))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// A label or synonym as a sequence of words, for [`mentions`].
struct Pattern {
    facet: Facet,
    /// The candidate's position in its facet's index.
    candidate: usize,
    words: Vec<String>,
    /// Acronyms match case-preserved words ("AI", never "ai").
    cased: bool,
}

/// Mention patterns by their first word (folded to lower case).
static PATTERNS: LazyLock<HashMap<String, Vec<Pattern>>> = LazyLock::new(|| {
    let mut by_first: HashMap<String, Vec<Pattern>> = HashMap::new();
    for facet in Facet::ALL {
        for (candidate, c) in index(facet).candidates.iter().enumerate() {
            if MENTION_STOPLIST.contains(&c.spaced.as_str()) {
                continue;
            }
            let forms: Vec<(&str, bool)> = match &c.acronym {
                None => vec![(c.spaced.as_str(), false)],
                Some(forms) => forms.iter().map(|f| (f.trim(), true)).collect(),
            };
            for (form, cased) in forms {
                let words: Vec<String> = form.split(' ').map(str::to_owned).collect();
                let first = words[0].to_ascii_lowercase();
                by_first.entry(first).or_default().push(Pattern { facet, candidate, words, cased });
            }
        }
    }
    by_first
});

/// Every (facet, id) whose label or synonym occurs in a free text as whole words (after fold); used later by search to
/// expand queries across languages. Example: "détection de drones sur un port" -> includes (Sector,"port").
pub fn mentions(text: &str) -> Vec<(Facet, &'static str)> {
    let folded = fold(text);
    let cased = fold_case(text, false);
    // Both folds cut the same words; only their case differs.
    let lower: Vec<&str> = folded.split(' ').collect();
    let upper: Vec<&str> = cased.split(' ').collect();
    let mut hit: Vec<Vec<bool>> = Facet::ALL.iter().map(|f| vec![false; index(*f).candidates.len()]).collect();
    for i in 0..lower.len() {
        for pattern in PATTERNS.get(lower[i]).map_or(&[][..], Vec::as_slice) {
            let words = if pattern.cased { &upper } else { &lower };
            let end = i + pattern.words.len();
            if end <= words.len() && words[i..end].iter().zip(&pattern.words).all(|(a, b)| a == b) {
                hit[pattern.facet as usize][pattern.candidate] = true;
            }
        }
    }
    let mut found = Vec::new();
    for facet in Facet::ALL {
        for (c, _) in index(facet).candidates.iter().zip(&hit[facet as usize]).filter(|(_, hit)| **hit) {
            if !found.contains(&(facet, c.id)) {
                found.push((facet, c.id));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unmatched(facet: Facet, input: &str) -> Unmatched {
        match normalise(facet, input) {
            Ok(id) => panic!("{input:?} unexpectedly matched {id}"),
            Err(e) => e,
        }
    }

    fn assert_maps(facet: Facet, cases: &[(&str, &str)]) {
        for (input, want) in cases {
            assert_eq!(normalise(facet, input), Ok(*want), "{} {input:?}", facet.as_str());
        }
    }

    #[test]
    fn fold_examples() {
        assert_eq!(fold("Cyber-Sécurité"), "cyber securite");
        assert_eq!(fold("  Hôpitaux  "), "hopitaux");
        assert_eq!(fold("IoT & capteurs"), "iot capteurs");
        assert_eq!(fold("maître d'œuvre"), "maitre d oeuvre");
        assert_eq!(fold(" -- "), "");
    }

    #[test]
    #[rustfmt::skip]
    fn technology_inputs() {
        assert_maps(Facet::Technology, &[
            ("Cyber-sécurité", "cybersecurity"), ("cybersécurité", "cybersecurity"),
            ("CYBERSECURITY", "cybersecurity"), ("cybersecurty", "cybersecurity"),
            ("cyber security", "cybersecurity"), ("intelligence artificielle", "ai"), ("IA", "ai"),
            ("AI", "ai"), ("ai", "ai"), ("artificial intelligence", "ai"), ("machine learning", "ai"),
            ("IoT sensors", "iot_sensors"), ("capteurs IoT", "iot_sensors"),
            ("internet des objets", "iot_sensors"), ("smart sensors", "iot_sensors"),
            ("big data", "data_analytics"), ("analyse de données", "data_analytics"),
            ("predictive analytics", "data_analytics"), ("gestion de crise", "crisis_management"),
            ("crisis management", "crisis_management"),
            ("critical_infrastructure_solutions", "critical_infrastructure_solutions"),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn domain_inputs() {
        assert_maps(Facet::Domain, &[
            ("infrastructures critiques", "critical_infrastructure"),
            ("critical infrastructure protection", "critical_infrastructure"),
            ("résilience aux catastrophes", "disaster_resilience"),
            ("sécurité urbaine", "urban_security"), ("smart city security", "urban_security"),
            ("transition numérique et verte", "digital_green_transition"),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn sector_inputs() {
        assert_maps(Facet::Sector, &[
            ("hôpital", "health"), ("hopitaux", "health"), ("santé", "health"),
            ("collectivité territoriale", "local_authority"), ("collectivités", "local_authority"),
            ("municipality", "local_authority"), ("port", "port"), ("ports", "port"),
            ("harbour", "port"), ("énergie", "energy"), ("eau potable", "drinking_water"),
            ("drinking water", "drinking_water"), ("eaux usées", "waste_water"),
            ("pompiers", "emergency_services"), ("SDIS", "emergency_services"),
            ("police", "law_enforcement"), ("gendarmerie", "law_enforcement"), ("banque", "banking"),
            ("spatial", "space"), ("alimentation", "food"), ("transports", "transport"),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn kind_inputs() {
        assert_maps(Facet::Kind, &[
            ("SME", "sme"), ("PME", "sme"), ("end user", "end_user"),
            ("utilisateur final", "end_user"), ("laboratoire", "research"),
            ("grand groupe", "large_company"), ("pôle de compétitivité", "cluster"),
        ]);
    }

    #[test]
    fn small_typos_are_forgiven() {
        assert_eq!(normalise(Facet::Sector, "gendarmrie"), Ok("law_enforcement"));
        assert_eq!(normalise(Facet::Sector, "polize"), Ok("law_enforcement"));
        assert_eq!(normalise(Facet::Technology, "capteur"), Ok("iot_sensors"));
        assert_eq!(normalise(Facet::Domain, "infrastructure critiqe"), Ok("critical_infrastructure"));
    }

    #[test]
    fn rejections() {
        for input in ["blockchain", "quantum computing", "zzzz", "", "xy", "cyberx"] {
            assert!(normalise(Facet::Technology, input).is_err(), "{input:?}");
        }
        assert!(normalise(Facet::Sector, "aerospace manufacturing").is_err());
        assert!(normalise(Facet::Kind, "xy").is_err());
    }

    #[test]
    fn water_alone_is_ambiguous() {
        // Deliberately rejected rather than guessed: drinking and waste water are distinct
        // sectors, so the caller gets both as suggestions.
        let err = unmatched(Facet::Sector, "water");
        assert_eq!(err.closest.len(), 3);
        assert!(err.closest[..2].contains(&"drinking_water"), "{err:?}");
        assert!(err.closest[..2].contains(&"waste_water"), "{err:?}");
    }

    #[test]
    fn unmatched_suggestions() {
        let err = unmatched(Facet::Technology, "cyberx");
        assert_eq!(err.input, "cyberx");
        assert_eq!(err.closest.first(), Some(&"cybersecurity"));
        assert_eq!(err.closest.len(), 3);
        let err = unmatched(Facet::Technology, "  ");
        assert_eq!(err.closest, ["ai", "cybersecurity", "iot_sensors"]);
    }

    #[test]
    fn every_id_label_and_synonym_maps_to_its_term() {
        for facet in Facet::ALL {
            for t in facet.terms() {
                for s in [t.id, t.fr, t.en].iter().chain(t.synonyms) {
                    assert_eq!(normalise(facet, s), Ok(t.id), "{} {s:?}", facet.as_str());
                }
            }
        }
    }

    #[test]
    fn no_folded_form_collides_within_a_facet() {
        for facet in Facet::ALL {
            let mut seen: HashMap<String, &str> = HashMap::new();
            for t in facet.terms() {
                for s in [t.id, t.fr, t.en].iter().chain(t.synonyms) {
                    let compact = fold(s).replace(' ', "");
                    let owner = *seen.entry(compact.clone()).or_insert(t.id);
                    assert_eq!(owner, t.id, "{} {compact:?}", facet.as_str());
                }
            }
        }
    }

    #[test]
    fn ids_are_as_specified() {
        let ids = |f: Facet| f.terms().iter().map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(
            ids(Facet::Technology),
            [
                "ai",
                "cybersecurity",
                "iot_sensors",
                "data_analytics",
                "critical_infrastructure_solutions",
                "crisis_management",
            ]
        );
        assert_eq!(
            ids(Facet::Domain),
            ["critical_infrastructure", "disaster_resilience", "urban_security", "digital_green_transition",]
        );
        assert_eq!(ids(Facet::Sector).len(), 15);
        assert_eq!(ids(Facet::Kind), ["sme", "end_user", "research", "large_company", "cluster", "other"]);
        assert!(is_known(Facet::Sector, "port"));
        assert!(!is_known(Facet::Sector, "Port"));
        assert_eq!(find(Facet::Kind, "sme").map(|t| t.label(Lang::Fr)), Some("PME du numérique"));
        assert_eq!(find(Facet::Kind, "sme").map(|t| t.label(Lang::En)), Some("Digital SME"));
    }

    #[test]
    fn normalise_all_dedups_and_reports_first_failure() {
        let list = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            normalise_all(Facet::Sector, &list(&["ports", "santé", "harbour", "hôpital"])),
            Ok(vec!["port", "health"])
        );
        let Err((at, err)) = normalise_all(Facet::Sector, &list(&["port", "zzz", "xy"])) else {
            panic!("\"zzz\" must be rejected");
        };
        assert_eq!(at, 1);
        assert_eq!(err.input, "zzz");
        assert_eq!(normalise_all(Facet::Sector, &[]), Ok(vec![]));
    }

    /// The straightforward definition of [`mentions`]: a padded substring search per candidate.
    fn mentions_by_substring(text: &str) -> Vec<(Facet, &'static str)> {
        let folded = format!(" {} ", fold(text));
        let cased = format!(" {} ", fold_case(text, false));
        let mut found = Vec::new();
        for facet in Facet::ALL {
            for c in &index(facet).candidates {
                if MENTION_STOPLIST.contains(&c.spaced.as_str()) || found.contains(&(facet, c.id)) {
                    continue;
                }
                let hit = match &c.acronym {
                    None => folded.contains(&format!(" {} ", c.spaced)),
                    Some(forms) => forms.iter().any(|f| cased.contains(f)),
                };
                if hit {
                    found.push((facet, c.id));
                }
            }
        }
        found
    }

    #[test]
    fn mentions_agree_with_a_substring_search() {
        let demo = include_str!("../demo/organisations.jsonl");
        let mut texts: Vec<&str> = demo.lines().collect();
        texts.extend(["", "  ", "IA", "j'ai l'IoT", "AI-based CCTV for the port of Brest", "eau potable; STEP"]);
        for text in texts {
            assert_eq!(mentions(text), mentions_by_substring(text), "{text}");
        }
    }

    #[test]
    fn mentions_in_free_text() {
        let m = mentions("ransomware à l'hôpital");
        assert!(m.contains(&(Facet::Sector, "health")), "{m:?}");
        assert!(m.contains(&(Facet::Technology, "cybersecurity")), "{m:?}");
        let m = mentions("drone detection for ports");
        assert!(m.contains(&(Facet::Sector, "port")), "{m:?}");
        let m = mentions("détection de drones sur un port");
        assert_eq!(m, [(Facet::Sector, "port")]);
        // Acronyms count only in capitals: "j'ai" is not AI, but "IA" is.
        assert!(!mentions("j'ai une autre question").contains(&(Facet::Technology, "ai")));
        assert!(mentions("IA pour la sécurité urbaine").contains(&(Facet::Technology, "ai")));
        assert!(mentions("IoT et vidéoprotection").contains(&(Facet::Technology, "iot_sensors")));
        assert!(mentions("je recherche un partenaire").is_empty());
    }

    #[test]
    fn accept_language() {
        assert_eq!(Lang::parse_accept_language("fr-FR,fr;q=0.9,en;q=0.8"), Lang::Fr);
        assert_eq!(Lang::parse_accept_language("en-GB"), Lang::En);
        assert_eq!(Lang::parse_accept_language("de"), Lang::En);
        assert_eq!(Lang::parse_accept_language("de, fr;q=0.5"), Lang::Fr);
        assert_eq!(Lang::parse_accept_language(""), Lang::En);
        assert_eq!(Lang::parse_accept_language("en;q=0.4, fr;q=0.6"), Lang::Fr);
        assert_eq!(Lang::parse_accept_language("fr;q=0, en"), Lang::En);
        assert_eq!(Lang::Fr.as_str(), "fr");
    }

    #[test]
    fn facet_names() {
        assert_eq!(Facet::ALL.map(Facet::as_str), ["technology", "domain", "sector", "kind"]);
    }
}
