//! Deterministic synthetic marketplace generator.
//!
//! Produces a realistic but entirely invented population of organisations (digital SMEs,
//! security end users, a few research labs, large companies, clusters and associations) as
//! JSON import lines, one per organisation, and the list of *planted pairings* used as ground
//! truth for the matching ranker.
//!
//! # How it works
//!
//! 1. A compact **plan** (a few bytes per organisation) fixes, for every index, the kind of
//!    organisation, its country, whether it is published, and the naming rank used to give it a
//!    unique legal name. Proportions are exact quotas (largest remainder) shuffled with a seeded
//!    ChaCha8 generator, so they are stable at any size.
//! 2. The plan then builds the ground truth: for about 60 % of the (published, eligible) end
//!    users, one need is drawn from a **scenario** (see [`SCENARIO_IDS`]) compatible with the
//!    end user's sector; one or two published, eligible SMEs receive an offer drawn from the
//!    same scenario, with an offer TRL at least the need's minimum TRL and the scenario's core
//!    technology in both technology lists. The offer is written from a different phrase bank
//!    (and often in the other language) than the need. Each such link is a [`PlantedPair`].
//!    The truth depends only on this construction, never on any scoring function.
//! 3. Organisations are then rendered one by one, in index order, each from its own RNG seeded
//!    from `(seed, index)`, and handed to the caller: memory stays bounded by the plan, so one
//!    million organisations stream comfortably.
//!
//! All other offers and needs are drawn from random scenarios with no planted partner: they
//! share vocabulary with the planted ones and act as distractors.
//!
//! # Near-duplicate legal entities
//!
//! About 0.5 % of the organisations (at least 2 from 100 organisations upwards) are a second
//! profile of an existing SME: same country, same website, the same legal name up to accents,
//! case and legal form (e.g. `Sentinelle Numérique SAS` / `SENTINELLE NUMERIQUE`), a different
//! registration id. They are never part of a planted pair. To recognise them, fold legal names
//! (lowercase, strip accents, keep letters and digits as space-separated tokens, drop a trailing
//! legal form such as `sas`, `gmbh`, `s r l`, `sp z o o`): every organisation's folded name is
//! unique, except for exactly these pairs, which share country and folded name and are both of
//! kind `sme`.
//!
//! # Invented data only
//!
//! Legal names, person names, registration ids, e-mail addresses (`*.example`), websites
//! (`https://*.example`) and phone numbers (all-zero blocks) are synthetic. Place names are
//! composed from phrase banks; pilot sites are explicitly marked as fictional.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value, json};

/// Size and seed of a synthetic marketplace.
#[derive(Debug, Clone, Copy)]
pub struct DemoSpec {
    pub organisations: usize,
    pub seed: u64,
}

/// One planted (ground-truth) pairing: an SME offer written to answer an end-user need.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PlantedPair {
    /// `registration_id` of the SME.
    pub sme: String,
    /// `registration_id` of the end user.
    pub end_user: String,
    /// Short id of the shared scenario (one of [`SCENARIO_IDS`]).
    pub scenario: String,
    /// One English sentence explaining the pairing.
    pub reason: String,
}

/// Collects every line in memory; use [`stream`] for large sizes.
pub fn generate(spec: &DemoSpec) -> (Vec<Value>, Vec<PlantedPair>) {
    let mut lines = Vec::with_capacity(spec.organisations);
    let pairs = stream(spec, |line| lines.push(line));
    (lines, pairs)
}

/// Calls `emit` once per organisation, in a deterministic order, with the JSON import line,
/// and returns the planted pairs. The same spec always yields byte-identical output.
pub fn stream(spec: &DemoSpec, mut emit: impl FnMut(Value)) -> Vec<PlantedPair> {
    let plan = Plan::build(spec);
    let mut need_cursor = 0usize;
    let mut offer_cursor = 0usize;
    for i in 0..plan.slots.len() {
        let idx = i as u32;
        let need_start = need_cursor;
        while need_cursor < plan.needs.len() && plan.needs[need_cursor].eu == idx {
            need_cursor += 1;
        }
        let offer_start = offer_cursor;
        while offer_cursor < plan.offers.len() && plan.offers[offer_cursor].sme == idx {
            offer_cursor += 1;
        }
        emit(plan.render(i, &plan.needs[need_start..need_cursor], &plan.offers[offer_start..offer_cursor]));
    }
    plan.pairs
}

/// Ids of the scenarios around which the marketplace is built (the `scenario` of planted pairs).
pub const SCENARIO_IDS: [&str; 25] = {
    let mut ids = [""; 25];
    let mut i = 0;
    while i < 25 {
        ids[i] = SCENARIOS[i].id;
        i += 1;
    }
    ids
};

// ---------------------------------------------------------------------------------------------
// Taxonomy
// ---------------------------------------------------------------------------------------------

type P = (&'static str, &'static str);

const TECH_IDS: [&str; 6] =
    ["ai", "cybersecurity", "iot_sensors", "data_analytics", "critical_infrastructure_solutions", "crisis_management"];
const AI: u8 = 0;
const CYB: u8 = 1;
const IOT: u8 = 2;
const DAT: u8 = 3;
const CIS: u8 = 4;
const CRI: u8 = 5;

/// (French with article, English) labels of the technologies.
const TECH_LABELS: [P; 6] = [
    ("l'intelligence artificielle", "artificial intelligence"),
    ("la cybersécurité", "cybersecurity"),
    ("les capteurs et l'IoT", "sensors and IoT"),
    ("l'analyse de données", "data analytics"),
    ("la protection des infrastructures critiques", "critical infrastructure protection"),
    ("la gestion de crise", "crisis management"),
];

const DOMAIN_IDS: [&str; 4] =
    ["critical_infrastructure", "disaster_resilience", "urban_security", "digital_green_transition"];
const CI: u8 = 0;
const DR: u8 = 1;
const US: u8 = 2;
const DG: u8 = 3;

const SECTOR_IDS: [&str; 15] = [
    "energy",
    "transport",
    "banking",
    "financial_market_infrastructure",
    "health",
    "drinking_water",
    "waste_water",
    "digital_infrastructure",
    "public_administration",
    "space",
    "food",
    "local_authority",
    "port",
    "emergency_services",
    "law_enforcement",
];
const ENERGY: u8 = 0;
const TRANSPORT: u8 = 1;
const BANKING: u8 = 2;
const FMI: u8 = 3;
const HEALTH: u8 = 4;
const DWATER: u8 = 5;
const WWATER: u8 = 6;
const DIGINFRA: u8 = 7;
const PUBADMIN: u8 = 8;
const SPACE: u8 = 9;
const FOOD: u8 = 10;
const LOCAL: u8 = 11;
const PORT: u8 = 12;
const EMERG: u8 = 13;
const POLICE: u8 = 14;

/// Two ways to say "for <sector>" in offer titles (French, English).
const SECTOR_FOR: [[P; 2]; 15] = [
    [
        ("pour les opérateurs d'énergie", "for energy operators"),
        ("pour postes électriques et centrales", "for substations and power plants"),
    ],
    [
        ("pour les opérateurs de transport", "for transport operators"),
        ("pour gares, aéroports et réseaux ferrés", "for stations, airports and rail networks"),
    ],
    [("pour les banques", "for banks"), ("pour les établissements bancaires", "for retail and cooperative banks")],
    [
        ("pour les infrastructures de marchés financiers", "for financial market infrastructures"),
        ("pour chambres de compensation et dépositaires", "for clearing houses and depositories"),
    ],
    [("pour les hôpitaux", "for hospitals"), ("pour établissements de santé", "for healthcare facilities")],
    [
        ("pour les services d'eau potable", "for drinking water utilities"),
        ("pour usines et réseaux d'eau potable", "for water treatment plants and networks"),
    ],
    [
        ("pour l'assainissement", "for wastewater utilities"),
        ("pour stations d'épuration et réseaux d'eaux usées", "for treatment plants and sewer networks"),
    ],
    [
        ("pour les centres de données", "for data centres"),
        ("pour opérateurs d'infrastructures numériques", "for digital infrastructure operators"),
    ],
    [
        ("pour les administrations publiques", "for public administrations"),
        ("pour services de l'État", "for government agencies"),
    ],
    [
        ("pour le secteur spatial", "for the space sector"),
        ("pour stations sol et opérateurs de satellites", "for ground stations and satellite operators"),
    ],
    [("pour l'agroalimentaire", "for the food industry"), ("pour la logistique alimentaire", "for food logistics")],
    [
        ("pour les collectivités", "for local authorities"),
        ("pour villes et métropoles", "for cities and metropolitan areas"),
    ],
    [("pour les ports", "for ports"), ("pour terminaux portuaires", "for port terminals")],
    [
        ("pour les services de secours", "for emergency services"),
        ("pour pompiers et SAMU", "for fire and ambulance services"),
    ],
    [("pour les forces de l'ordre", "for law enforcement"), ("pour police et gendarmerie", "for police forces")],
];

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------

/// A recurring security problem. Placeholders: `{de}`/`{le}` French asset of the end user
/// (with "de"/"le" article), `{a}` English asset, `{s}` sector phrase ("pour les ports"),
/// numbers `{n}` (2–12), `{c}` (20–900), `{m}` (2–30), `{y}` (2018–2025), `{p}` (15–60),
/// `{k}` (1–15), `{h}` (24/48/72).
struct Scenario {
    id: &'static str,
    gist: P,
    /// First entry is the core technology, present in every need and offer of the scenario.
    techs: &'static [u8],
    /// First entry is the core domain.
    domains: &'static [u8],
    sectors: &'static [u8],
    need_titles: &'static [P],
    offer_titles: &'static [P],
    problems: &'static [P],
    expects: &'static [P],
    capabilities: &'static [P],
}

const SCENARIOS: [Scenario; 25] = [
    Scenario {
        id: "port_drone_detection",
        gist: (
            "la détection de drones malveillants au-dessus des sites sensibles",
            "detecting hostile drones (UAV) over sensitive sites",
        ),
        techs: &[IOT, AI, CIS],
        domains: &[CI, US],
        sectors: &[PORT, ENERGY, TRANSPORT, SPACE],
        need_titles: &[
            ("Détection de drones malveillants au-dessus {de}", "Detection of hostile drones above the {a}"),
            ("Surveillance de l'espace aérien basse altitude {de}", "Low-altitude airspace surveillance for the {a}"),
            (
                "Alerte sur les survols non autorisés de drones {de}",
                "Alerting on unauthorised UAV overflights of the {a}",
            ),
        ],
        offer_titles: &[
            (
                "Système de détection et d'identification de drones par fusion radar et radiofréquence {s}",
                "Counter-UAV detection fusing radar and RF sensing {s}",
            ),
            (
                "Réseau de capteurs acoustiques et IA pour repérer les drones hostiles {s}",
                "Acoustic sensor mesh with AI to spot rogue drones {s}",
            ),
            ("Plateforme anti-drones (C-UAS) clé en main {s}", "Turnkey C-UAS drone detection platform {s}"),
        ],
        problems: &[
            (
                "Depuis {y}, plusieurs survols de drones non identifiés ont été signalés au-dessus {de}, sans moyen fiable de les détecter ni de localiser le télépilote.",
                "Since {y}, several unidentified drone overflights of the {a} have been reported, with no reliable way to detect them or locate the pilot.",
            ),
            (
                "Nos agents de sûreté repèrent aujourd'hui les drones à l'œil nu, souvent trop tard pour prévenir les forces de l'ordre.",
                "Our security staff currently spot UAVs by eye, often too late to alert law enforcement.",
            ),
            (
                "Le survol {de} par des drones de loisir ou malveillants crée un risque pour la sécurité des opérations et des personnes.",
                "Recreational or malicious drones flying over the {a} create a risk for operations and for people on site.",
            ),
        ],
        expects: &[
            (
                "Nous attendons une détection à plus de {k} km, une classification drone/oiseau et une alerte au poste de sûreté en moins de {m} minutes.",
                "We expect detection beyond {k} km, drone/bird classification and an alert to the security desk within {m} minutes.",
            ),
            (
                "La solution doit rester passive (aucun brouillage) et respecter la réglementation sur les fréquences.",
                "The solution must remain passive (no jamming) and comply with spectrum regulations.",
            ),
        ],
        capabilities: &[
            (
                "Notre système combine radar, goniométrie radiofréquence et caméras thermiques pour détecter, suivre et classer les drones jusqu'à {k} km.",
                "Our system combines radar, RF direction finding and thermal cameras to detect, track and classify drones up to {k} km away.",
            ),
            (
                "Un modèle d'IA entraîné sur plus de {c} 000 trajectoires distingue drones, oiseaux et aéronefs et réduit les fausses alarmes de {p} %.",
                "An AI model trained on more than {c},000 flight tracks tells drones from birds and aircraft and cuts false alarms by {p}%.",
            ),
            (
                "La position du télépilote est estimée en temps réel et transmise aux forces de l'ordre via une interface web.",
                "The pilot's position is estimated in real time and shared with law enforcement through a web interface.",
            ),
        ],
    },
    Scenario {
        id: "hospital_ransomware",
        gist: (
            "la protection des systèmes d'information hospitaliers contre les rançongiciels",
            "protecting hospital information systems against ransomware",
        ),
        techs: &[CYB, AI, DAT],
        domains: &[CI],
        sectors: &[HEALTH],
        need_titles: &[
            ("Protection {de} contre les rançongiciels", "Ransomware protection for the {a}"),
            ("Détection précoce des cyberattaques visant {le}", "Early detection of cyberattacks targeting the {a}"),
            (
                "Continuité d'activité {de} face à une attaque par ransomware",
                "Business continuity of the {a} in the face of a ransomware attack",
            ),
        ],
        offer_titles: &[
            ("Détection et réponse (EDR/XDR) pilotée par IA {s}", "AI-driven detection and response (EDR/XDR) {s}"),
            ("SOC managé 24/7 spécialisé santé {s}", "24/7 managed SOC with healthcare playbooks {s}"),
            (
                "Sauvegardes immuables et restauration rapide après rançongiciel {s}",
                "Immutable backups and rapid ransomware recovery {s}",
            ),
        ],
        problems: &[
            (
                "Un établissement voisin a été paralysé {h} heures par un rançongiciel en {y} et nous devons réduire notre exposition.",
                "A neighbouring hospital was paralysed for {h} hours by ransomware in {y}, and we need to reduce our own exposure.",
            ),
            (
                "Notre équipe informatique de {n} personnes ne peut pas surveiller seule les alertes de sécurité la nuit et le week-end.",
                "Our IT team of {n} people cannot monitor security alerts alone at night and at weekends.",
            ),
            (
                "De nombreux équipements biomédicaux anciens ne peuvent pas être mis à jour et exposent le réseau {de}.",
                "Many legacy biomedical devices cannot be patched and expose the network of the {a}.",
            ),
        ],
        expects: &[
            (
                "Nous cherchons une détection des comportements de chiffrement anormaux et un confinement automatique en moins de {m} minutes.",
                "We are looking for detection of abnormal encryption behaviour and automatic containment within {m} minutes.",
            ),
            (
                "La solution doit être compatible avec l'hébergement de données de santé (HDS) et nos contraintes de disponibilité 24/7.",
                "The solution must comply with health-data hosting rules and our 24/7 availability constraints.",
            ),
        ],
        capabilities: &[
            (
                "Nos agents analysent en continu les processus et bloquent le chiffrement massif de fichiers avant propagation.",
                "Our agents continuously analyse processes and block mass file encryption before it spreads.",
            ),
            (
                "Un SOC basé en Europe surveille les alertes jour et nuit avec des scénarios de réponse adaptés aux hôpitaux.",
                "A Europe-based SOC watches alerts day and night with response playbooks tailored to hospitals.",
            ),
            (
                "La restauration des serveurs critiques depuis des sauvegardes immuables prend moins de {h} heures.",
                "Critical servers are restored from immutable backups in under {h} hours.",
            ),
        ],
    },
    Scenario {
        id: "flood_early_warning",
        gist: ("l'alerte précoce aux crues et inondations", "early warning of floods and river surges"),
        techs: &[IOT, DAT, CRI, AI],
        domains: &[DR, DG],
        sectors: &[LOCAL, WWATER, DWATER, PUBADMIN, TRANSPORT],
        need_titles: &[
            ("Alerte précoce aux crues pour {le}", "Early flood warning for the {a}"),
            ("Anticipation des inondations par ruissellement autour {de}", "Anticipating flash floods around the {a}"),
            ("Suivi en temps réel des niveaux d'eau près {de}", "Real-time water level monitoring near the {a}"),
        ],
        offer_titles: &[
            (
                "Capteurs hydrométriques connectés et modèle de prévision des crues {s}",
                "Connected river gauges and flood forecasting model {s}",
            ),
            (
                "Jumeau numérique hydrologique pour anticiper les inondations {s}",
                "Hydrological digital twin to anticipate flooding {s}",
            ),
            ("Système d'alerte inondation multicanal {s}", "Multi-channel flood alert system {s}"),
        ],
        problems: &[
            (
                "Lors de la crue de {y}, l'alerte est arrivée moins d'une heure avant le débordement et {n} quartiers ont été inondés.",
                "During the {y} flood, the warning came less than an hour before the river overflowed and {n} districts were flooded.",
            ),
            (
                "Les épisodes de pluies intenses se multiplient et nos réseaux d'eaux pluviales saturent en quelques minutes.",
                "Intense rainfall episodes are becoming more frequent and our stormwater network saturates within minutes.",
            ),
            (
                "Nous ne disposons que de {n} stations de mesure, trop espacées pour anticiper les inondations locales.",
                "We only have {n} gauging stations, too far apart to anticipate local flooding.",
            ),
        ],
        expects: &[
            (
                "Nous souhaitons gagner au moins {h} heures d'anticipation grâce à des capteurs de hauteur d'eau et à la prévision.",
                "We want to gain at least {h} hours of lead time through water-level sensors and forecasting.",
            ),
            (
                "Les alertes doivent alimenter notre plan communal de sauvegarde et prévenir la population par SMS.",
                "Alerts must feed our emergency response plan and warn residents by text message.",
            ),
        ],
        capabilities: &[
            (
                "Nos capteurs radar sans contact mesurent la hauteur d'eau toutes les {m} minutes et transmettent par LoRaWAN ou satellite.",
                "Our non-contact radar sensors measure water levels every {m} minutes and transmit over LoRaWAN or satellite.",
            ),
            (
                "Un modèle hydrologique couplé à l'IA prévoit les crues avec {h} heures d'avance et produit une carte des zones inondables.",
                "A hydrological model coupled with AI forecasts floods {h} hours ahead and maps the areas at risk.",
            ),
            (
                "Le tableau de bord déclenche automatiquement les alertes par SMS, sirènes et réseaux sociaux.",
                "The dashboard automatically triggers alerts by SMS, sirens and social media.",
            ),
        ],
    },
    Scenario {
        id: "scada_water_intrusion",
        gist: (
            "la détection d'intrusions sur les réseaux SCADA et OT des services d'eau et d'énergie",
            "intrusion detection on SCADA/OT networks of water and energy utilities",
        ),
        techs: &[CYB, CIS, AI],
        domains: &[CI],
        sectors: &[DWATER, WWATER, ENERGY],
        need_titles: &[
            ("Détection d'intrusions sur le réseau SCADA {de}", "Intrusion detection on the SCADA network of the {a}"),
            (
                "Cartographie et surveillance des automates OT {de}",
                "Mapping and monitoring of OT controllers at the {a}",
            ),
            (
                "Sécurisation des accès distants à la supervision {de}",
                "Securing remote access to the control system of the {a}",
            ),
        ],
        offer_titles: &[
            (
                "Sonde de détection d'anomalies pour réseaux OT industriels {s}",
                "Passive anomaly detection probe for industrial OT networks {s}",
            ),
            (
                "Supervision cybersécurité des systèmes SCADA et automates {s}",
                "Cybersecurity monitoring of SCADA systems and PLCs {s}",
            ),
            (
                "Bastion d'accès distant zéro confiance pour la télégestion {s}",
                "Zero-trust remote access gateway for telemetry and control {s}",
            ),
        ],
        problems: &[
            (
                "Nos {c} automates de télégestion communiquent avec des protocoles anciens (Modbus, DNP3) sans chiffrement ni authentification.",
                "Our {c} remote-control PLCs talk legacy protocols (Modbus, DNP3) with no encryption or authentication.",
            ),
            (
                "Des prestataires se connectent à distance à la supervision {de} sans traçabilité suffisante.",
                "Contractors connect remotely to the control system of the {a} without adequate traceability.",
            ),
            (
                "La directive NIS2 nous impose désormais de détecter et signaler les incidents touchant nos installations.",
                "The NIS2 directive now requires us to detect and report incidents affecting our installations.",
            ),
        ],
        expects: &[
            (
                "Nous recherchons une sonde passive qui apprend le fonctionnement normal et signale toute commande inhabituelle.",
                "We are looking for a passive probe that learns normal behaviour and flags any unusual command.",
            ),
            (
                "Aucun impact sur la production n'est acceptable : l'outil ne doit jamais bloquer un automate.",
                "No impact on operations is acceptable: the tool must never block a controller.",
            ),
        ],
        capabilities: &[
            (
                "Notre sonde passive décode plus de {n}0 protocoles industriels et construit automatiquement l'inventaire des actifs OT.",
                "Our passive probe decodes more than {n}0 industrial protocols and builds the OT asset inventory automatically.",
            ),
            (
                "Des modèles d'apprentissage détectent les commandes anormales et les écarts de consigne sans interrompre le process.",
                "Machine-learning models detect abnormal commands and setpoint deviations without disrupting the process.",
            ),
            (
                "Les alertes sont corrélées avec le SOC de l'exploitant et cartographiées selon MITRE ATT&CK for ICS.",
                "Alerts are correlated with the operator's SOC and mapped to MITRE ATT&CK for ICS.",
            ),
        ],
    },
    Scenario {
        id: "urban_crowd_monitoring",
        gist: (
            "la mesure de la densité de foule lors des grands événements",
            "crowd density monitoring at large public events",
        ),
        techs: &[AI, DAT, IOT],
        domains: &[US],
        sectors: &[LOCAL, POLICE, TRANSPORT, EMERG],
        need_titles: &[
            (
                "Mesure de la densité de foule lors des grands événements {de}",
                "Crowd density measurement during large events at the {a}",
            ),
            ("Prévention des mouvements de foule {de}", "Preventing crowd crushes at the {a}"),
            ("Gestion des flux de visiteurs {de} en temps réel", "Real-time visitor flow management at the {a}"),
        ],
        offer_titles: &[
            (
                "Comptage anonyme de foule par vision par ordinateur {s}",
                "Anonymous crowd counting with computer vision {s}",
            ),
            ("Capteurs de flux et carte de chaleur des densités {s}", "Flow sensors and live density heat map {s}"),
            ("Outil de simulation et de pilotage des flux de foule {s}", "Crowd flow simulation and control tool {s}"),
        ],
        problems: &[
            (
                "Nos festivals et marchés attirent jusqu'à {c} 000 personnes et les points de congestion sont identifiés trop tard.",
                "Our festivals and markets draw up to {c},000 people and bottlenecks are spotted too late.",
            ),
            (
                "Les agents sur le terrain n'ont pas de vision globale de la densité de foule {de}.",
                "Officers on the ground have no overall view of crowd density at the {a}.",
            ),
            (
                "Après une bousculade en {y}, les autorités nous demandent un dispositif de mesure objectif.",
                "After a crowd surge incident in {y}, the authorities asked us for an objective measurement system.",
            ),
        ],
        expects: &[
            (
                "La solution doit respecter le RGPD : aucune reconnaissance faciale, uniquement des comptages anonymes.",
                "The solution must be GDPR-compliant: no facial recognition, only anonymous counts.",
            ),
            (
                "Nous voulons une alerte dès que la densité dépasse 4 personnes par m² dans une zone.",
                "We want an alert as soon as density exceeds 4 people per square metre in any zone.",
            ),
        ],
        capabilities: &[
            (
                "Nos algorithmes estiment la densité à partir des caméras existantes, sans stocker d'images ni identifier les personnes.",
                "Our algorithms estimate density from existing cameras without storing images or identifying anyone.",
            ),
            (
                "Une carte de chaleur actualisée toutes les {m} secondes signale les zones saturées aux opérateurs.",
                "A heat map refreshed every {m} seconds flags saturated zones to operators.",
            ),
            (
                "Le module de simulation teste à l'avance les plans de circulation et d'évacuation.",
                "The simulation module tests traffic and evacuation plans in advance.",
            ),
        ],
    },
    Scenario {
        id: "wildfire_detection",
        gist: ("la détection précoce des feux de forêt", "early detection of wildfires"),
        techs: &[IOT, AI, CRI],
        domains: &[DR, DG],
        sectors: &[LOCAL, EMERG, ENERGY, PUBADMIN],
        need_titles: &[
            ("Détection précoce des feux de forêt autour {de}", "Early wildfire detection around the {a}"),
            (
                "Surveillance des départs de feu dans les massifs proches {de}",
                "Monitoring fire outbreaks in woodland near the {a}",
            ),
            (
                "Aide à la décision face aux incendies de végétation près {de}",
                "Decision support for vegetation fires near the {a}",
            ),
        ],
        offer_titles: &[
            ("Caméras intelligentes de détection de fumée par IA {s}", "AI smoke-detection cameras {s}"),
            (
                "Capteurs de gaz connectés pour la détection des feux de forêt {s}",
                "Connected gas sensors for wildfire detection {s}",
            ),
            (
                "Modèle de propagation des incendies et cartographie du risque {s}",
                "Wildfire spread modelling and risk mapping {s}",
            ),
        ],
        problems: &[
            (
                "L'été {y}, un incendie a parcouru {c} hectares à proximité {de} avant d'être signalé.",
                "In summer {y}, a fire burned {c} hectares close to the {a} before it was reported.",
            ),
            (
                "Les épisodes de sécheresse allongent la saison des feux et nos guetteurs ne couvrent pas tout le territoire.",
                "Droughts are lengthening the fire season and our lookouts cannot cover the whole area.",
            ),
            (
                "Les départs de feu la nuit ou en zone isolée sont détectés avec un retard important.",
                "Fires that start at night or in remote areas are detected with a long delay.",
            ),
        ],
        expects: &[
            (
                "Nous attendons une détection en moins de {m} minutes et une géolocalisation transmise au centre de traitement de l'alerte.",
                "We expect detection within {m} minutes and geolocation sent to the emergency call centre.",
            ),
            (
                "Les équipements doivent fonctionner en autonomie solaire dans des zones sans réseau.",
                "Equipment must run on solar power in areas without grid or network coverage.",
            ),
        ],
        capabilities: &[
            (
                "Des caméras panoramiques analysent l'horizon en continu et détectent les panaches de fumée à plus de {k} km.",
                "Panoramic cameras scan the horizon continuously and detect smoke plumes more than {k} km away.",
            ),
            (
                "Nos capteurs mesurent CO, COV et température au sol et alertent dès les premières minutes d'un départ de feu.",
                "Our sensors measure CO, VOCs and ground temperature and raise an alert in the first minutes of a fire.",
            ),
            (
                "Le modèle de propagation combine vent, relief et végétation pour guider le positionnement des moyens.",
                "The spread model combines wind, terrain and vegetation to guide the deployment of firefighting resources.",
            ),
        ],
    },
    Scenario {
        id: "energy_grid_anomaly",
        gist: (
            "la détection d'anomalies sur les réseaux d'électricité et de chaleur",
            "anomaly detection on electricity and heat networks",
        ),
        techs: &[DAT, AI, CIS, IOT],
        domains: &[CI, DG],
        sectors: &[ENERGY],
        need_titles: &[
            (
                "Détection d'anomalies sur le réseau de distribution {de}",
                "Anomaly detection on the distribution network of the {a}",
            ),
            ("Maintenance prédictive des équipements {de}", "Predictive maintenance for equipment at the {a}"),
            (
                "Repérage des défaillances et fraudes sur les compteurs communicants {de}",
                "Spotting failures and tampering on smart meters at the {a}",
            ),
        ],
        offer_titles: &[
            (
                "Analyse des données de réseau électrique par apprentissage automatique {s}",
                "Machine-learning analytics for power grid data {s}",
            ),
            (
                "Jumeau numérique du réseau pour la maintenance prédictive {s}",
                "Grid digital twin for predictive maintenance {s}",
            ),
            (
                "Détection d'anomalies temps réel sur séries temporelles industrielles {s}",
                "Real-time anomaly detection on industrial time series {s}",
            ),
        ],
        problems: &[
            (
                "Notre réseau compte {c} postes et les pannes sont encore détectées par les appels des clients.",
                "Our network has {c} substations and outages are still detected from customer calls.",
            ),
            (
                "L'intégration de la production solaire et éolienne rend les flux plus variables et les anomalies plus difficiles à repérer.",
                "Integrating solar and wind generation makes power flows more variable and anomalies harder to spot.",
            ),
            (
                "Les données des capteurs et compteurs {de} sont stockées mais presque pas exploitées.",
                "Data from sensors and meters at the {a} is stored but hardly used.",
            ),
        ],
        expects: &[
            (
                "Nous voulons réduire de {p} % les interventions non planifiées grâce à la détection précoce des défauts.",
                "We want to cut unplanned interventions by {p}% through early fault detection.",
            ),
            (
                "L'outil doit s'intégrer à notre SCADA et à notre système d'information géographique.",
                "The tool must integrate with our SCADA and our geographic information system.",
            ),
        ],
        capabilities: &[
            (
                "Nos modèles apprennent le comportement normal de chaque équipement et signalent les dérives plusieurs jours avant la panne.",
                "Our models learn the normal behaviour of each asset and flag drifts several days before a failure.",
            ),
            (
                "Le jumeau numérique simule la charge du réseau et aide à prioriser les investissements.",
                "The digital twin simulates network load and helps prioritise investment.",
            ),
            (
                "Le traitement en périphérie analyse {c} mesures par seconde sans envoyer les données brutes dans le cloud.",
                "Edge processing analyses {c} measurements per second without sending raw data to the cloud.",
            ),
        ],
    },
    Scenario {
        id: "emergency_dispatch_coordination",
        gist: (
            "la coordination de l'engagement des secours entre services",
            "coordinating emergency dispatch across services",
        ),
        techs: &[CRI, DAT, AI],
        domains: &[DR],
        sectors: &[EMERG, HEALTH, POLICE],
        need_titles: &[
            (
                "Coordination des moyens de secours entre services {de}",
                "Coordinating rescue resources across services at the {a}",
            ),
            (
                "Partage de la situation opérationnelle entre pompiers, SAMU et police {de}",
                "Sharing a common operational picture between fire, ambulance and police at the {a}",
            ),
            (
                "Optimisation de l'envoi des équipes d'intervention depuis {le}",
                "Optimising the dispatch of response teams from the {a}",
            ),
        ],
        offer_titles: &[
            (
                "Plateforme collaborative de gestion de crise multi-services {s}",
                "Multi-agency collaborative crisis management platform {s}",
            ),
            (
                "Aide à la décision pour l'engagement des moyens de secours {s}",
                "Decision support for dispatching emergency resources {s}",
            ),
            (
                "Main courante numérique et carte opérationnelle partagée {s}",
                "Digital incident log and shared operational map {s}",
            ),
        ],
        problems: &[
            (
                "Lors des interventions complexes, chaque service utilise ses propres outils et les informations circulent par téléphone.",
                "During complex incidents each service uses its own tools and information travels by phone.",
            ),
            (
                "Nous traitons {c} 000 appels par an et le choix du moyen disponible le plus proche reste manuel.",
                "We handle {c},000 calls a year and choosing the nearest available unit is still manual.",
            ),
            (
                "Le retour d'expérience de la crise de {y} a montré des pertes d'information entre le terrain et le centre de commandement.",
                "The debrief of the {y} crisis revealed information lost between the field and the command centre.",
            ),
        ],
        expects: &[
            (
                "Nous souhaitons une carte partagée en temps réel, accessible sur tablette par les chefs d'agrès.",
                "We want a shared real-time map that crew commanders can use on tablets.",
            ),
            (
                "La solution doit s'interfacer avec nos logiciels d'alerte et respecter les règles d'hébergement des données sensibles.",
                "The solution must interface with our dispatch software and meet sensitive-data hosting rules.",
            ),
        ],
        capabilities: &[
            (
                "Notre plateforme réunit tous les acteurs d'une crise sur une carte commune, avec une main courante horodatée.",
                "Our platform brings every party of a crisis onto one common map with a time-stamped incident log.",
            ),
            (
                "Un moteur d'optimisation propose en {m} secondes les moyens à engager selon la disponibilité et les temps de trajet.",
                "An optimisation engine proposes which units to dispatch within {m} seconds, based on availability and travel times.",
            ),
            (
                "L'application fonctionne hors connexion et se synchronise dès que le réseau revient.",
                "The app works offline and resynchronises as soon as the network returns.",
            ),
        ],
    },
    Scenario {
        id: "port_ot_intrusion",
        gist: (
            "la détection des cyberattaques sur les systèmes OT des ports et terminaux",
            "cyber intrusion detection on port and terminal operational technology",
        ),
        techs: &[CYB, AI],
        domains: &[CI],
        sectors: &[PORT, TRANSPORT],
        need_titles: &[
            ("Détection des intrusions sur les réseaux OT {de}", "Intrusion detection on OT networks at the {a}"),
            (
                "Surveillance cyber des grues et systèmes d'exploitation {de}",
                "Cyber monitoring of cranes and operating systems at the {a}",
            ),
            (
                "Protection du système de gestion {de} contre les cyberattaques",
                "Protecting the management system of the {a} against cyberattacks",
            ),
        ],
        offer_titles: &[
            (
                "Plateforme de détection d'intrusions par IA pour réseaux OT portuaires",
                "AI intrusion detection for port OT networks",
            ),
            (
                "Centre opérationnel de sécurité (SOC) dédié aux terminaux et à la logistique {s}",
                "Security operations centre (SOC) for terminals and logistics {s}",
            ),
            ("Audit et segmentation des réseaux industriels {s}", "Industrial network audit and segmentation {s}"),
        ],
        problems: &[
            (
                "Les grues, portiques et systèmes d'exploitation {de} sont reliés au réseau bureautique sans segmentation suffisante.",
                "Cranes, gantries and operating systems at the {a} are connected to the office network without adequate segmentation.",
            ),
            (
                "Une cyberattaque en {y} a bloqué la logistique d'un port voisin pendant {n} jours.",
                "A cyberattack in {y} halted logistics at a nearby port for {n} days.",
            ),
            (
                "Nous ne savons pas détecter une intrusion sur nos équipements OT hétérogènes.",
                "We cannot detect an intrusion on our heterogeneous OT equipment.",
            ),
        ],
        expects: &[
            (
                "Nous attendons une visibilité complète sur les flux OT et des alertes exploitables par notre SOC.",
                "We expect full visibility of OT traffic and actionable alerts for our SOC.",
            ),
            (
                "La solution doit être conforme à NIS2 et au code ISPS.",
                "The solution must comply with NIS2 and the ISPS Code.",
            ),
        ],
        capabilities: &[
            (
                "Nos sondes analysent le trafic des équipements portuaires et détectent les comportements anormaux par apprentissage automatique.",
                "Our probes analyse port equipment traffic and detect abnormal behaviour using machine learning.",
            ),
            (
                "Notre SOC connaît les protocoles des terminaux et escalade les incidents en moins de {m} minutes.",
                "Our SOC knows terminal protocols and escalates incidents within {m} minutes.",
            ),
            (
                "Nous livrons une cartographie des actifs OT et un plan de segmentation priorisé.",
                "We deliver an OT asset map and a prioritised segmentation plan.",
            ),
        ],
    },
    Scenario {
        id: "cctv_video_analytics",
        gist: ("l'analyse intelligente des images de vidéoprotection", "video analytics for public-space CCTV"),
        techs: &[AI, IOT],
        domains: &[US],
        sectors: &[LOCAL, POLICE, TRANSPORT],
        need_titles: &[
            ("Exploitation intelligente des caméras de vidéoprotection {de}", "Smarter use of CCTV cameras at the {a}"),
            ("Aide à la relecture des images de vidéoprotection {de}", "Assisted review of CCTV footage at the {a}"),
            (
                "Détection d'événements anormaux sur les flux vidéo {de}",
                "Detection of abnormal events in video feeds at the {a}",
            ),
        ],
        offer_titles: &[
            ("Analyse vidéo intelligente respectueuse de la vie privée {s}", "Privacy-preserving video analytics {s}"),
            ("Recherche rapide dans les archives de vidéoprotection {s}", "Fast search across CCTV archives {s}"),
            (
                "Détection automatique d'objets abandonnés et d'intrusions {s}",
                "Automatic detection of abandoned objects and intrusions {s}",
            ),
        ],
        problems: &[
            (
                "Notre centre de supervision gère {c} caméras pour seulement {n} opérateurs.",
                "Our monitoring centre runs {c} cameras with only {n} operators.",
            ),
            (
                "Les réquisitions judiciaires imposent des heures de relecture manuelle des enregistrements.",
                "Judicial requests require hours of manual review of recordings.",
            ),
            (
                "Les incidents {de} sont souvent repérés après coup, faute d'alerte automatique.",
                "Incidents at the {a} are often noticed after the fact because there is no automatic alert.",
            ),
        ],
        expects: &[
            (
                "Nous voulons des alertes sur intrusion, objet abandonné ou chute de personne, sans reconnaissance faciale.",
                "We want alerts on intrusion, abandoned objects or people falling, without facial recognition.",
            ),
            (
                "La solution doit fonctionner avec nos caméras existantes et respecter le cadre légal de la vidéoprotection.",
                "It must work with our existing cameras and respect the legal framework for CCTV.",
            ),
        ],
        capabilities: &[
            (
                "Nos algorithmes tournent sur les enregistreurs existants et floutent automatiquement les visages.",
                "Our algorithms run on existing recorders and blur faces automatically.",
            ),
            (
                "La recherche par attributs (couleur, type de véhicule, direction) réduit le temps de relecture de {p} %.",
                "Attribute search (colour, vehicle type, direction) cuts review time by {p}%.",
            ),
            (
                "Les alertes sont vérifiées par un opérateur avant toute action, avec journal d'audit complet.",
                "Alerts are checked by an operator before any action, with a full audit log.",
            ),
        ],
    },
    Scenario {
        id: "soc_for_local_authorities",
        gist: (
            "un centre opérationnel de sécurité (SOC) mutualisé pour les acteurs publics",
            "a shared security operations centre (SOC) for public bodies",
        ),
        techs: &[CYB, DAT],
        domains: &[CI, US],
        sectors: &[LOCAL, PUBADMIN],
        need_titles: &[
            ("Mise en place d'un SOC mutualisé pour {le}", "Shared SOC service for the {a}"),
            (
                "Surveillance de la sécurité informatique {de} 24 h/24",
                "Round-the-clock IT security monitoring for the {a}",
            ),
            ("Réponse aux incidents cyber touchant {le}", "Cyber incident response for the {a}"),
        ],
        offer_titles: &[
            (
                "SOC souverain mutualisé pour collectivités et établissements publics",
                "Sovereign shared SOC for municipalities and public bodies",
            ),
            (
                "Supervision de sécurité et gestion des journaux (SIEM) clé en main {s}",
                "Turnkey security monitoring and log management (SIEM) {s}",
            ),
            (
                "Service de réponse à incident et d'investigation numérique {s}",
                "Incident response and digital forensics service {s}",
            ),
        ],
        problems: &[
            (
                "Nous ne disposons pas d'un responsable sécurité à temps plein et nos {c} postes de travail ne sont pas surveillés.",
                "We have no full-time security officer and our {c} workstations are not monitored.",
            ),
            (
                "Plusieurs collectivités de notre département ont subi des cyberattaques depuis {y}.",
                "Several local authorities in our area have suffered cyberattacks since {y}.",
            ),
            (
                "Nos services au public (état civil, paiement en ligne) doivent rester disponibles en cas d'attaque.",
                "Our public services (civil registry, online payments) must stay available during an attack.",
            ),
        ],
        expects: &[
            (
                "Nous cherchons un service abordable, mutualisable entre {n} collectivités, avec des rapports compréhensibles par les élus.",
                "We want an affordable service that {n} public bodies can share, with reports elected officials can understand.",
            ),
            (
                "Les données de journalisation doivent rester hébergées dans l'Union européenne.",
                "Log data must stay hosted in the European Union.",
            ),
        ],
        capabilities: &[
            (
                "Notre SOC collecte les journaux de vos équipements et qualifie les alertes 24 h/24, 7 j/7.",
                "Our SOC collects logs from your systems and triages alerts 24/7.",
            ),
            (
                "La tarification mutualisée rend le service accessible aux communes de moins de {c} 000 habitants.",
                "Pooled pricing makes the service affordable for towns under {c},000 inhabitants.",
            ),
            (
                "En cas d'incident, une équipe de réponse intervient à distance en moins de {h} heures.",
                "If an incident occurs, a response team steps in remotely within {h} hours.",
            ),
        ],
    },
    Scenario {
        id: "bank_fraud_detection",
        gist: (
            "la détection en temps réel de la fraude et de la cyberfraude financière",
            "real-time fraud and cyber-fraud detection for financial services",
        ),
        techs: &[AI, DAT, CYB],
        domains: &[CI],
        sectors: &[BANKING, FMI],
        need_titles: &[
            ("Détection en temps réel des fraudes aux virements {de}", "Real-time payment fraud detection at the {a}"),
            (
                "Lutte contre la fraude au président et l'usurpation d'identité {de}",
                "Countering CEO fraud and identity spoofing at the {a}",
            ),
            ("Repérage des transactions suspectes {de}", "Flagging suspicious transactions at the {a}"),
        ],
        offer_titles: &[
            (
                "Moteur de scoring de fraude par apprentissage automatique {s}",
                "Machine-learning fraud scoring engine {s}",
            ),
            (
                "Analyse comportementale des sessions contre la prise de contrôle de comptes {s}",
                "Behavioural session analytics against account takeover {s}",
            ),
            (
                "Graphe de transactions pour détecter les réseaux de mules {s}",
                "Transaction graph analytics to expose money-mule networks {s}",
            ),
        ],
        problems: &[
            (
                "Les tentatives de fraude par ingénierie sociale ont augmenté de {p} % depuis {y}.",
                "Social-engineering fraud attempts have risen by {p}% since {y}.",
            ),
            (
                "Nos règles statiques génèrent trop de faux positifs et bloquent des clients légitimes.",
                "Our static rules produce too many false positives and block legitimate customers.",
            ),
            (
                "Le virement instantané laisse moins de {m} secondes pour décider de bloquer une opération.",
                "Instant payments leave less than {m} seconds to decide whether to block a transaction.",
            ),
        ],
        expects: &[
            (
                "Nous attendons une décision en temps réel, explicable pour nos analystes et nos autorités de contrôle.",
                "We expect real-time, explainable decisions for our analysts and supervisors.",
            ),
            (
                "Le pilote doit respecter DORA et se faire sur des données pseudonymisées.",
                "The pilot must comply with DORA and run on pseudonymised data.",
            ),
        ],
        capabilities: &[
            (
                "Notre moteur évalue chaque transaction en moins de 50 millisecondes et explique les facteurs de risque.",
                "Our engine scores each transaction in under 50 milliseconds and explains the risk factors.",
            ),
            (
                "L'analyse de graphe relie comptes, appareils et bénéficiaires pour révéler les réseaux organisés.",
                "Graph analytics links accounts, devices and payees to reveal organised networks.",
            ),
            (
                "Les modèles sont réentraînés chaque semaine et réduisent les faux positifs de {p} %.",
                "Models are retrained weekly and cut false positives by {p}%.",
            ),
        ],
    },
    Scenario {
        id: "water_quality_sensing",
        gist: (
            "la surveillance continue de la qualité de l'eau et des contaminations",
            "continuous monitoring of water quality and contamination",
        ),
        techs: &[IOT, DAT, AI],
        domains: &[CI, DG],
        sectors: &[DWATER, FOOD, HEALTH],
        need_titles: &[
            ("Surveillance en continu de la qualité de l'eau {de}", "Continuous water quality monitoring at the {a}"),
            ("Détection rapide d'une contamination {de}", "Rapid contamination detection at the {a}"),
            (
                "Capteurs multiparamètres pour sécuriser l'eau {de}",
                "Multi-parameter sensors to secure water at the {a}",
            ),
        ],
        offer_titles: &[
            (
                "Sondes connectées multiparamètres et détection d'anomalies de qualité d'eau {s}",
                "Connected multi-parameter probes with water quality anomaly detection {s}",
            ),
            (
                "Biocapteurs d'alerte précoce contre les pollutions {s}",
                "Early-warning biosensors against contamination {s}",
            ),
            (
                "Plateforme d'analyse des données qualité et de conformité sanitaire {s}",
                "Water quality analytics and compliance platform {s}",
            ),
        ],
        problems: &[
            (
                "Nos analyses sont réalisées en laboratoire et les résultats arrivent {h} heures après le prélèvement.",
                "Our analyses are done in a lab and results arrive {h} hours after sampling.",
            ),
            (
                "Un acte de malveillance ou une pollution accidentelle {de} serait détecté trop tard.",
                "Malicious contamination or an accidental pollution at the {a} would be detected too late.",
            ),
            (
                "Nous devons surveiller {n} points de captage dispersés sur le territoire.",
                "We have to monitor {n} water abstraction points spread over the area.",
            ),
        ],
        expects: &[
            (
                "Nous voulons une alerte en moins de {m} minutes sur chlore, turbidité, conductivité et pH.",
                "We want an alert within {m} minutes on chlorine, turbidity, conductivity and pH.",
            ),
            (
                "Les capteurs doivent être autonomes plusieurs mois et s'intégrer à notre supervision.",
                "Sensors must run autonomously for months and integrate with our supervision system.",
            ),
        ],
        capabilities: &[
            (
                "Nos sondes mesurent {n} paramètres en continu et transmettent les données toutes les {m} minutes.",
                "Our probes measure {n} parameters continuously and transmit data every {m} minutes.",
            ),
            (
                "Un algorithme de détection d'anomalies distingue une pollution réelle d'une dérive de capteur.",
                "An anomaly detection algorithm tells real contamination from sensor drift.",
            ),
            (
                "Les rapports de conformité sanitaire sont générés automatiquement pour l'autorité de santé.",
                "Compliance reports for the health authority are generated automatically.",
            ),
        ],
    },
    Scenario {
        id: "critical_site_digital_twin",
        gist: (
            "un jumeau numérique de site critique pour préparer les crises",
            "a digital twin of a critical site for resilience planning",
        ),
        techs: &[DAT, CIS, IOT, AI],
        domains: &[CI, DR],
        sectors: &[ENERGY, TRANSPORT, PORT, WWATER, DIGINFRA],
        need_titles: &[
            ("Jumeau numérique {de} pour la gestion des risques", "Digital twin of the {a} for risk management"),
            ("Modélisation 3D et simulation de crise {de}", "3D modelling and crisis simulation of the {a}"),
            ("Vision unifiée des capteurs et équipements {de}", "Unified view of sensors and equipment at the {a}"),
        ],
        offer_titles: &[
            (
                "Jumeau numérique d'infrastructure critique alimenté par l'IoT {s}",
                "IoT-fed digital twin of critical infrastructure {s}",
            ),
            ("Simulation de scénarios de crise sur modèle 3D {s}", "Crisis scenario simulation on a 3D model {s}"),
            ("Hyperviseur de données de sites industriels {s}", "Data hypervisor for industrial sites {s}"),
        ],
        problems: &[
            (
                "Nos données (plans, capteurs, maintenance) sont dispersées dans {n} outils différents.",
                "Our data (plans, sensors, maintenance) is spread across {n} different tools.",
            ),
            (
                "Nous ne pouvons pas tester l'effet d'une inondation ou d'une coupure d'électricité sur {le} avant qu'elle ne survienne.",
                "We cannot test the effect of a flood or power cut on the {a} before it happens.",
            ),
            (
                "Les exercices de crise reposent sur des plans papier obsolètes.",
                "Crisis exercises rely on outdated paper plans.",
            ),
        ],
        expects: &[
            (
                "Nous attendons une maquette numérique exploitable par nos équipes d'exploitation et de sûreté.",
                "We expect a digital model that our operations and security teams can actually use.",
            ),
            (
                "Le jumeau doit intégrer nos données temps réel et permettre de simuler au moins {n} scénarios de crise.",
                "The twin must ingest our real-time data and simulate at least {n} crisis scenarios.",
            ),
        ],
        capabilities: &[
            (
                "Notre jumeau numérique fusionne maquette BIM, données de capteurs et historique de maintenance.",
                "Our digital twin merges the BIM model, sensor data and maintenance history.",
            ),
            (
                "Le moteur de simulation évalue les effets en cascade d'une panne ou d'une crue sur l'ensemble du site.",
                "The simulation engine assesses cascading effects of a failure or flood across the whole site.",
            ),
            (
                "Les opérateurs disposent d'une vue 3D partagée, accessible depuis le poste de commandement.",
                "Operators get a shared 3D view, available from the command post.",
            ),
        ],
    },
    Scenario {
        id: "perimeter_intrusion_detection",
        gist: (
            "la détection d'intrusion sur de longs périmètres et voies",
            "detecting intrusions along long site perimeters and tracks",
        ),
        techs: &[IOT, AI],
        domains: &[CI, US],
        sectors: &[TRANSPORT, ENERGY, SPACE, DIGINFRA, FOOD],
        need_titles: &[
            ("Détection d'intrusion sur le périmètre {de}", "Perimeter intrusion detection at the {a}"),
            ("Protection des clôtures et accès isolés {de}", "Protecting fences and remote access points at the {a}"),
            (
                "Lutte contre les vols de câbles et les intrusions {de}",
                "Preventing cable theft and trespassing at the {a}",
            ),
        ],
        offer_titles: &[
            (
                "Détection d'intrusion par fibre optique acoustique (DAS) {s}",
                "Fibre-optic acoustic intrusion detection (DAS) {s}",
            ),
            (
                "Capteurs radar et caméras thermiques pour périmètres étendus {s}",
                "Radar sensors and thermal cameras for long perimeters {s}",
            ),
            ("Levée de doute vidéo automatisée par IA {s}", "AI-automated video verification of alarms {s}"),
        ],
        problems: &[
            (
                "Le site s'étend sur {k} km de clôture et les intrusions ne sont découvertes qu'à la ronde suivante.",
                "The site has {k} km of fencing and intrusions are only discovered on the next patrol.",
            ),
            (
                "Les vols de câbles de cuivre ont provoqué {n} interruptions de service en {y}.",
                "Copper cable theft caused {n} service interruptions in {y}.",
            ),
            (
                "Les détecteurs actuels {de} génèrent de nombreuses fausses alarmes dues aux animaux et à la météo.",
                "Current detectors at the {a} trigger many false alarms due to animals and weather.",
            ),
        ],
        expects: &[
            (
                "Nous cherchons une détection localisée à {n}0 mètres près, avec levée de doute à distance.",
                "We need detection located to within {n}0 metres, with remote alarm verification.",
            ),
            (
                "Moins d'une fausse alarme par semaine et par kilomètre est attendue.",
                "We expect fewer than one false alarm per week per kilometre.",
            ),
        ],
        capabilities: &[
            (
                "La fibre optique posée le long de la clôture devient un capteur continu qui localise les vibrations suspectes.",
                "Fibre laid along the fence becomes a continuous sensor that locates suspicious vibrations.",
            ),
            (
                "L'IA classe les événements (escalade, creusement, véhicule, animal) et réduit les fausses alarmes de {p} %.",
                "AI classifies events (climbing, digging, vehicle, animal) and cuts false alarms by {p}%.",
            ),
            (
                "Chaque alarme est accompagnée d'un extrait vidéo thermique envoyé au poste de sécurité.",
                "Each alarm comes with a thermal video clip sent to the security desk.",
            ),
        ],
    },
    Scenario {
        id: "public_alert_communication",
        gist: (
            "l'alerte et l'information de la population en situation de crise",
            "alerting and informing the population during a crisis",
        ),
        techs: &[CRI, DAT],
        domains: &[DR, US],
        sectors: &[LOCAL, PUBADMIN, EMERG],
        need_titles: &[
            (
                "Alerte et information de la population en cas de crise autour {de}",
                "Alerting and informing residents during a crisis around the {a}",
            ),
            ("Diffusion d'alertes géolocalisées autour {de}", "Geo-targeted alerts around the {a}"),
            ("Gestion de la communication de crise {de}", "Crisis communication management for the {a}"),
        ],
        offer_titles: &[
            (
                "Plateforme d'alerte multicanal (SMS, appels, applications, sirènes) {s}",
                "Multi-channel alerting platform (SMS, voice, apps, sirens) {s}",
            ),
            (
                "Veille des réseaux sociaux et détection des signaux faibles en crise {s}",
                "Social media monitoring and weak-signal detection in crises {s}",
            ),
            (
                "Cellule de crise numérique et modèles de messages prêts à l'emploi {s}",
                "Digital crisis cell with ready-to-use message templates {s}",
            ),
        ],
        problems: &[
            (
                "Notre dispositif d'alerte repose encore sur des sirènes et des appels téléphoniques manuels.",
                "Our alert system still relies on sirens and manual phone calls.",
            ),
            (
                "Lors de l'épisode de {y}, des rumeurs sur les réseaux sociaux ont compliqué la gestion de la crise.",
                "During the {y} event, rumours on social media made crisis management harder.",
            ),
            (
                "Nous devons toucher rapidement {c} 000 habitants, dont des personnes vulnérables et des touristes.",
                "We must quickly reach {c},000 people, including vulnerable residents and tourists.",
            ),
        ],
        expects: &[
            (
                "Nous souhaitons envoyer une alerte ciblée par zone en moins de {m} minutes et suivre sa bonne réception.",
                "We want to send zone-targeted alerts within {m} minutes and track delivery.",
            ),
            (
                "L'outil doit être compatible avec FR-Alert et utilisable par nos agents d'astreinte.",
                "The tool must work alongside national cell-broadcast alerts and be usable by on-call staff.",
            ),
        ],
        capabilities: &[
            (
                "Notre plateforme diffuse un message sur tous les canaux en un clic, avec ciblage cartographique.",
                "Our platform sends one message on every channel in a single click, with map-based targeting.",
            ),
            (
                "Un module d'analyse détecte les rumeurs et les signalements citoyens sur les réseaux sociaux.",
                "An analytics module spots rumours and citizen reports on social media.",
            ),
            (
                "Des modèles de messages validés accélèrent la communication pendant les premières minutes de crise.",
                "Pre-approved message templates speed up communication in the first minutes of a crisis.",
            ),
        ],
    },
    Scenario {
        id: "datacenter_resilience",
        gist: (
            "la résilience et l'efficacité énergétique des centres de données",
            "resilience and energy efficiency of data centres",
        ),
        techs: &[CIS, CYB, DAT, IOT],
        domains: &[CI, DG],
        sectors: &[DIGINFRA, FMI, SPACE, BANKING],
        need_titles: &[
            ("Résilience et continuité d'activité {de}", "Resilience and business continuity of the {a}"),
            ("Surveillance environnementale et énergétique {de}", "Environmental and energy monitoring of the {a}"),
            (
                "Détection précoce des défaillances de refroidissement {de}",
                "Early detection of cooling failures at the {a}",
            ),
        ],
        offer_titles: &[
            (
                "Supervision DCIM et maintenance prédictive des salles informatiques {s}",
                "DCIM monitoring and predictive maintenance for server rooms {s}",
            ),
            (
                "Tests de résilience et plans de reprise automatisés {s}",
                "Automated resilience testing and disaster recovery plans {s}",
            ),
            (
                "Capteurs thermiques sans fil et optimisation énergétique {s}",
                "Wireless thermal sensors and energy optimisation {s}",
            ),
        ],
        problems: &[
            (
                "Une panne de climatisation en {y} a provoqué l'arrêt de {n} baies pendant plusieurs heures.",
                "A cooling failure in {y} shut down {n} racks for several hours.",
            ),
            (
                "Nos obligations de résilience (DORA, NIS2) imposent des tests réguliers de notre plan de reprise.",
                "Our resilience obligations (DORA, NIS2) require regular testing of our recovery plan.",
            ),
            (
                "La consommation électrique {de} augmente et nous devons réduire notre PUE.",
                "Power consumption at the {a} keeps growing and we must reduce our PUE.",
            ),
        ],
        expects: &[
            (
                "Nous voulons anticiper les défaillances d'au moins {h} heures et documenter nos tests de reprise.",
                "We want to anticipate failures at least {h} hours ahead and document our recovery tests.",
            ),
            (
                "La solution doit réduire notre consommation d'au moins {n} % sans compromettre la disponibilité.",
                "The solution should cut energy use by at least {n}% without compromising availability.",
            ),
        ],
        capabilities: &[
            (
                "Nos capteurs sans fil cartographient température et humidité baie par baie et alimentent un modèle prédictif.",
                "Our wireless sensors map temperature and humidity rack by rack and feed a predictive model.",
            ),
            (
                "Les exercices de bascule sont orchestrés automatiquement et produisent un rapport d'audit.",
                "Failover drills are orchestrated automatically and produce an audit report.",
            ),
            (
                "L'optimisation pilotée par les données réduit la facture énergétique sans risque pour la disponibilité.",
                "Data-driven optimisation cuts the energy bill without risk to availability.",
            ),
        ],
    },
    Scenario {
        id: "satellite_ground_segment_security",
        gist: (
            "la cybersécurité des segments sol satellitaires et la détection du brouillage GNSS",
            "cybersecurity of satellite ground segments and GNSS jamming detection",
        ),
        techs: &[CYB, DAT],
        domains: &[CI],
        sectors: &[SPACE, DIGINFRA],
        need_titles: &[
            ("Sécurisation du segment sol {de}", "Securing the ground segment of the {a}"),
            ("Détection du brouillage et de l'usurpation GNSS {de}", "Detecting GNSS jamming and spoofing at the {a}"),
            (
                "Surveillance cyber des liaisons de contrôle satellitaire {de}",
                "Cyber monitoring of satellite command links at the {a}",
            ),
        ],
        offer_titles: &[
            (
                "Détection d'anomalies sur les flux de télémesure et de télécommande {s}",
                "Anomaly detection on telemetry and telecommand streams {s}",
            ),
            ("Capteur d'interférences et de brouillage GNSS {s}", "GNSS interference and jamming sensor {s}"),
            (
                "Durcissement et tests d'intrusion des stations sol {s}",
                "Ground station hardening and penetration testing {s}",
            ),
        ],
        problems: &[
            (
                "Nos antennes et serveurs de contrôle ont été conçus sans prise en compte des menaces cyber actuelles.",
                "Our antennas and control servers were designed without today's cyber threats in mind.",
            ),
            (
                "Des épisodes de brouillage GNSS ont perturbé nos opérations à {n} reprises depuis {y}.",
                "GNSS jamming episodes have disrupted our operations {n} times since {y}.",
            ),
            (
                "Nous devons démontrer la sécurité des liaisons {de} à nos clients institutionnels.",
                "We must demonstrate the security of the {a} links to institutional customers.",
            ),
        ],
        expects: &[
            (
                "Nous cherchons une détection en temps réel des commandes anormales et des interférences.",
                "We are looking for real-time detection of abnormal commands and interference.",
            ),
            (
                "Le pilote doit s'adapter à un environnement classifié et à des réseaux isolés.",
                "The pilot must fit a classified environment and air-gapped networks.",
            ),
        ],
        capabilities: &[
            (
                "Nos modèles apprennent le profil normal des télécommandes et signalent toute séquence inhabituelle.",
                "Our models learn the normal telecommand profile and flag any unusual sequence.",
            ),
            (
                "Le capteur RF localise les sources de brouillage et d'usurpation GNSS dans un rayon de {k} km.",
                "The RF sensor locates GNSS jamming and spoofing sources within {k} km.",
            ),
            (
                "Nos experts réalisent des tests d'intrusion spécifiques aux stations sol et proposent un plan de durcissement.",
                "Our experts run ground-station-specific penetration tests and propose a hardening plan.",
            ),
        ],
    },
    Scenario {
        id: "food_supply_chain_traceability",
        gist: (
            "la traçabilité de la chaîne alimentaire et de la chaîne du froid",
            "food supply chain and cold-chain traceability",
        ),
        techs: &[IOT, DAT, CYB],
        domains: &[CI, DG],
        sectors: &[FOOD, TRANSPORT],
        need_titles: &[
            (
                "Traçabilité de bout en bout de la chaîne alimentaire {de}",
                "End-to-end food supply chain traceability at the {a}",
            ),
            ("Suivi de la chaîne du froid {de}", "Cold-chain monitoring at the {a}"),
            ("Détection des ruptures d'approvisionnement {de}", "Detecting supply disruptions at the {a}"),
        ],
        offer_titles: &[
            (
                "Enregistreurs de température connectés et alertes chaîne du froid {s}",
                "Connected temperature loggers and cold-chain alerts {s}",
            ),
            ("Registre sécurisé de traçabilité des lots {s}", "Tamper-proof batch traceability ledger {s}"),
            ("Tableau de bord de résilience des approvisionnements {s}", "Supply resilience dashboard {s}"),
        ],
        problems: &[
            (
                "Un rappel de produits en {y} nous a demandé {n} jours pour identifier les lots concernés.",
                "A product recall in {y} took us {n} days to identify the affected batches.",
            ),
            (
                "Les ruptures de la chaîne du froid pendant le transport ne sont découvertes qu'à la réception.",
                "Cold-chain breaks during transport are only discovered on delivery.",
            ),
            (
                "En cas de crise, nous devons garantir l'approvisionnement de {c} 000 habitants.",
                "In a crisis we must secure supplies for {c},000 people.",
            ),
        ],
        expects: &[
            (
                "Nous souhaitons retrouver l'origine d'un lot en moins d'une heure.",
                "We want to trace any batch back to its origin in under an hour.",
            ),
            (
                "Les capteurs doivent être réutilisables et compatibles avec les transporteurs partenaires.",
                "Sensors must be reusable and work with partner carriers.",
            ),
        ],
        capabilities: &[
            (
                "Nos enregistreurs transmettent la température toutes les {m} minutes et alertent dès qu'un seuil est dépassé.",
                "Our loggers report temperature every {m} minutes and alert as soon as a threshold is crossed.",
            ),
            (
                "Chaque lot reçoit un identifiant infalsifiable, consultable par tous les maillons de la chaîne.",
                "Each batch gets a tamper-proof identifier that every link in the chain can check.",
            ),
            (
                "Le tableau de bord simule l'impact d'une rupture et propose des fournisseurs de repli.",
                "The dashboard simulates the impact of a disruption and suggests fallback suppliers.",
            ),
        ],
    },
    Scenario {
        id: "investigation_data_analytics",
        gist: ("l'analyse de données au service des enquêtes", "data analytics to support criminal investigations"),
        techs: &[AI, DAT],
        domains: &[US],
        sectors: &[POLICE],
        need_titles: &[
            (
                "Analyse de grands volumes de données d'enquête {de}",
                "Analysing large volumes of investigation data at the {a}",
            ),
            (
                "Aide à l'exploitation des sources ouvertes (OSINT) pour {le}",
                "Open-source intelligence (OSINT) support for the {a}",
            ),
            (
                "Rapprochement automatique des faits et des procédures {de}",
                "Automatic linking of cases and reports at the {a}",
            ),
        ],
        offer_titles: &[
            (
                "Plateforme d'analyse criminelle et de visualisation de liens {s}",
                "Criminal analysis and link-visualisation platform {s}",
            ),
            ("Outil d'investigation en sources ouvertes (OSINT) {s}", "OSINT investigation toolkit {s}"),
            (
                "Traitement automatique de la langue pour les procédures judiciaires {s}",
                "Natural language processing for case files {s}",
            ),
        ],
        problems: &[
            (
                "Nos enquêteurs passent des jours à exploiter manuellement téléphones, factures et relevés.",
                "Our investigators spend days manually processing phones, invoices and records.",
            ),
            (
                "Les liens entre affaires traitées par différents services restent invisibles.",
                "Links between cases handled by different units remain invisible.",
            ),
            (
                "Le volume de données saisies a été multiplié par {n} depuis {y}.",
                "The volume of seized data has grown {n}-fold since {y}.",
            ),
        ],
        expects: &[
            (
                "Nous attendons un outil explicable, traçable et conforme au cadre légal des traitements de police.",
                "We expect an explainable, auditable tool compliant with the legal framework for police data.",
            ),
            (
                "L'outil doit fonctionner sur nos serveurs internes, sans envoi de données à l'extérieur.",
                "It must run on our internal servers with no data leaving the premises.",
            ),
        ],
        capabilities: &[
            (
                "Notre plateforme extrait entités, lieux et dates des documents et construit un graphe de relations.",
                "Our platform extracts entities, places and dates from documents and builds a relationship graph.",
            ),
            (
                "Les analystes visualisent chronologies et réseaux et partagent leurs hypothèses en toute traçabilité.",
                "Analysts visualise timelines and networks and share hypotheses with full traceability.",
            ),
            (
                "Le déploiement se fait sur site, sans connexion internet.",
                "Deployment is on premises with no internet connection.",
            ),
        ],
    },
    Scenario {
        id: "first_responder_awareness",
        gist: (
            "la localisation et la sécurité des intervenants sur le terrain",
            "situational awareness and safety of first responders in the field",
        ),
        techs: &[IOT, CRI, AI],
        domains: &[DR],
        sectors: &[EMERG, POLICE],
        need_titles: &[
            (
                "Localisation et suivi des intervenants sur le terrain pour {le}",
                "Tracking responders in the field for the {a}",
            ),
            (
                "Capteurs portés pour la sécurité des équipes d'intervention {de}",
                "Wearable sensors for the safety of response teams at the {a}",
            ),
            (
                "Vision tactique partagée en intervention pour {le}",
                "Shared tactical picture during operations for the {a}",
            ),
        ],
        offer_titles: &[
            (
                "Capteurs physiologiques portés et balises de localisation intérieure {s}",
                "Wearable physiological sensors and indoor positioning beacons {s}",
            ),
            (
                "Drone captif de reconnaissance avec retour vidéo thermique {s}",
                "Tethered reconnaissance drone with thermal video feed {s}",
            ),
            (
                "Réseau maillé de communication tactique résilient {s}",
                "Resilient tactical mesh communication network {s}",
            ),
        ],
        problems: &[
            (
                "En feu de bâtiment, le chef d'agrès perd la position de ses équipes dès qu'elles entrent dans la structure.",
                "In building fires, crew commanders lose track of their teams as soon as they go inside.",
            ),
            (
                "Plusieurs malaises liés à la chaleur ont touché nos agents depuis {y}.",
                "Several heat-related collapses have affected our staff since {y}.",
            ),
            (
                "Les communications radio sont saturées ou coupées dans les sous-sols et les tunnels.",
                "Radio communications are saturated or cut off in basements and tunnels.",
            ),
        ],
        expects: &[
            (
                "Nous voulons connaître en permanence la position et l'état de chaque intervenant, même sans GPS.",
                "We want to know the position and condition of every responder at all times, even without GPS.",
            ),
            (
                "Les équipements doivent être légers, robustes et autonomes pendant au moins {h} heures.",
                "Equipment must be light, rugged and run for at least {h} hours on battery.",
            ),
        ],
        capabilities: &[
            (
                "Nos capteurs portés suivent fréquence cardiaque, température et immobilité et alertent le poste de commandement.",
                "Our wearables track heart rate, temperature and immobility and alert the command post.",
            ),
            (
                "Des balises déposées à l'entrée assurent une localisation intérieure à {n} mètres près.",
                "Beacons dropped at the entrance provide indoor positioning within {n} metres.",
            ),
            (
                "Le réseau maillé se déploie en {m} minutes et relaie voix, données et vidéo sans infrastructure.",
                "The mesh network deploys in {m} minutes and relays voice, data and video with no infrastructure.",
            ),
        ],
    },
    Scenario {
        id: "heatwave_vulnerable_people",
        gist: (
            "la protection des personnes vulnérables pendant les canicules",
            "protecting vulnerable people during heatwaves",
        ),
        techs: &[DAT, CRI, IOT],
        domains: &[DR, DG],
        sectors: &[HEALTH, LOCAL, PUBADMIN],
        need_titles: &[
            (
                "Prévention des risques liés aux canicules pour les personnes vulnérables {de}",
                "Heatwave risk prevention for vulnerable people at the {a}",
            ),
            ("Cartographie des îlots de chaleur autour {de}", "Mapping urban heat islands around the {a}"),
            (
                "Suivi des personnes isolées pendant les vagues de chaleur {de}",
                "Checking on isolated people during heatwaves at the {a}",
            ),
        ],
        offer_titles: &[
            (
                "Capteurs de température intérieure et alertes canicule {s}",
                "Indoor temperature sensors and heatwave alerts {s}",
            ),
            (
                "Cartographie des îlots de chaleur par imagerie satellite {s}",
                "Satellite-based urban heat island mapping {s}",
            ),
            (
                "Plateforme de coordination des appels aux personnes fragiles {s}",
                "Coordination platform for calling at-risk residents {s}",
            ),
        ],
        problems: &[
            (
                "Lors de la canicule de {y}, nous avons enregistré une hausse de {p} % des passages aux urgences.",
                "During the {y} heatwave we saw a {p}% rise in emergency admissions.",
            ),
            (
                "Le registre des personnes vulnérables est tenu sur tableur et les appels sont passés à la main.",
                "The register of vulnerable people is kept in a spreadsheet and calls are made by hand.",
            ),
            (
                "Certaines résidences et écoles dépassent 35 °C en intérieur pendant plusieurs jours.",
                "Some residences and schools exceed 35 °C indoors for several days.",
            ),
        ],
        expects: &[
            (
                "Nous souhaitons prioriser les visites selon la température mesurée chez les personnes fragiles.",
                "We want to prioritise home visits based on temperatures measured at vulnerable people's homes.",
            ),
            (
                "Les données de santé doivent être traitées dans le respect du RGPD.",
                "Health data must be processed in line with the GDPR.",
            ),
        ],
        capabilities: &[
            (
                "Nos capteurs discrets mesurent température et humidité à domicile et alertent l'aidant au-delà d'un seuil.",
                "Our discreet sensors measure temperature and humidity at home and alert carers above a threshold.",
            ),
            (
                "L'imagerie satellite permet de cartographier les îlots de chaleur à l'échelle de la rue.",
                "Satellite imagery maps heat islands down to street level.",
            ),
            (
                "La plateforme organise les appels et les visites et trace chaque contact pendant l'alerte.",
                "The platform organises calls and visits and logs every contact during the alert.",
            ),
        ],
    },
    Scenario {
        id: "medical_device_security",
        gist: ("la sécurité des dispositifs médicaux connectés", "security of connected medical devices"),
        techs: &[CYB, IOT],
        domains: &[CI],
        sectors: &[HEALTH],
        need_titles: &[
            (
                "Inventaire et sécurisation des dispositifs médicaux connectés {de}",
                "Inventory and security of connected medical devices at the {a}",
            ),
            (
                "Surveillance des équipements biomédicaux en réseau {de}",
                "Monitoring networked biomedical equipment at the {a}",
            ),
            (
                "Segmentation du réseau des équipements médicaux {de}",
                "Network segmentation for medical equipment at the {a}",
            ),
        ],
        offer_titles: &[
            (
                "Découverte passive et profilage des objets connectés médicaux {s}",
                "Passive discovery and profiling of connected medical devices {s}",
            ),
            (
                "Micro-segmentation automatisée des réseaux biomédicaux {s}",
                "Automated micro-segmentation for biomedical networks {s}",
            ),
            (
                "Évaluation de vulnérabilités des dispositifs médicaux (IoMT) {s}",
                "Vulnerability assessment for medical IoT (IoMT) devices {s}",
            ),
        ],
        problems: &[
            (
                "Nous estimons à {c} le nombre d'équipements biomédicaux connectés, sans inventaire fiable.",
                "We estimate we have {c} connected biomedical devices, with no reliable inventory.",
            ),
            (
                "Pompes à perfusion, moniteurs et scanners utilisent des systèmes d'exploitation obsolètes.",
                "Infusion pumps, monitors and scanners run outdated operating systems.",
            ),
            (
                "Le service biomédical et la DSI n'ont pas de vision commune des risques {de}.",
                "Clinical engineering and IT have no shared view of the risks at the {a}.",
            ),
        ],
        expects: &[
            (
                "Nous attendons un inventaire automatique et des alertes sans perturber les soins.",
                "We expect an automatic inventory and alerts without disrupting patient care.",
            ),
            (
                "L'outil doit être adapté à un usage en établissement de santé.",
                "The tool must be suitable for use in healthcare facilities.",
            ),
        ],
        capabilities: &[
            (
                "Notre sonde identifie passivement chaque dispositif médical, son fabricant et ses vulnérabilités connues.",
                "Our probe passively identifies each medical device, its manufacturer and its known vulnerabilities.",
            ),
            (
                "Des politiques de segmentation sont proposées automatiquement et appliquées sur les commutateurs existants.",
                "Segmentation policies are suggested automatically and enforced on existing switches.",
            ),
            (
                "Le tableau de bord partagé aligne le service biomédical et la DSI sur les priorités de correction.",
                "A shared dashboard aligns clinical engineering and IT on remediation priorities.",
            ),
        ],
    },
    Scenario {
        id: "phishing_defence",
        gist: ("la protection des agents contre l'hameçonnage", "defending staff against phishing"),
        techs: &[CYB, AI],
        domains: &[CI, US],
        sectors: &[PUBADMIN, LOCAL, BANKING],
        need_titles: &[
            ("Protection des agents {de} contre l'hameçonnage", "Protecting staff at the {a} against phishing"),
            (
                "Sensibilisation des équipes {de} aux cybermenaces",
                "Cyber-threat awareness training for staff at the {a}",
            ),
            ("Filtrage avancé des courriels malveillants {de}", "Advanced filtering of malicious email at the {a}"),
        ],
        offer_titles: &[
            ("Détection des courriels d'hameçonnage par IA {s}", "AI phishing email detection {s}"),
            (
                "Campagnes de simulation de phishing et micro-formations {s}",
                "Phishing simulation campaigns and micro-learning {s}",
            ),
            (
                "Bouton de signalement et analyse automatisée des courriels suspects {s}",
                "Report button and automated analysis of suspicious emails {s}",
            ),
        ],
        problems: &[
            (
                "{p} % de nos incidents de sécurité commencent par un courriel piégé.",
                "{p}% of our security incidents start with a malicious email.",
            ),
            (
                "Nos {c} agents reçoivent chaque semaine des tentatives d'usurpation de plus en plus crédibles.",
                "Our {c} staff receive increasingly convincing impersonation attempts every week.",
            ),
            (
                "La messagerie {de} n'est protégée que par un filtre antispam basique.",
                "Email at the {a} is only protected by a basic spam filter.",
            ),
        ],
        expects: &[
            (
                "Nous cherchons à réduire le taux de clic sur les liens piégés sous {n} %.",
                "We aim to bring the click rate on malicious links below {n}%.",
            ),
            (
                "La solution doit s'intégrer à notre messagerie sans changer les habitudes des agents.",
                "The solution must plug into our email system without changing how staff work.",
            ),
        ],
        capabilities: &[
            (
                "Nos modèles de langue détectent l'usurpation d'identité et les liens malveillants avant la remise du courriel.",
                "Our language models detect impersonation and malicious links before the email is delivered.",
            ),
            (
                "Des campagnes de simulation adaptées au secteur public mesurent les progrès service par service.",
                "Simulation campaigns tailored to public bodies measure progress team by team.",
            ),
            (
                "Chaque courriel signalé est analysé automatiquement et la réponse est renvoyée à l'agent en quelques minutes.",
                "Every reported email is analysed automatically and the verdict sent back to the user within minutes.",
            ),
        ],
    },
    Scenario {
        id: "wastewater_network_monitoring",
        gist: (
            "la surveillance des réseaux d'assainissement et des eaux usées",
            "monitoring sewer networks for overflows and health signals",
        ),
        techs: &[IOT, DAT, AI],
        domains: &[DG, DR],
        sectors: &[WWATER, LOCAL, HEALTH],
        need_titles: &[
            ("Surveillance des déversements du réseau d'assainissement {de}", "Monitoring sewer overflows at the {a}"),
            ("Suivi épidémiologique par les eaux usées {de}", "Wastewater-based epidemiological monitoring at the {a}"),
            ("Prévention des débordements par temps de pluie {de}", "Preventing wet-weather overflows at the {a}"),
        ],
        offer_titles: &[
            (
                "Capteurs de niveau et de débit pour réseaux d'eaux usées {s}",
                "Level and flow sensors for sewer networks {s}",
            ),
            (
                "Analyse prédictive des débordements par temps de pluie {s}",
                "Predictive analytics for wet-weather overflows {s}",
            ),
            ("Plateforme de surveillance sanitaire des eaux usées {s}", "Wastewater health surveillance platform {s}"),
        ],
        problems: &[
            (
                "Nos {n}0 déversoirs d'orage ne sont pas instrumentés et les rejets au milieu naturel sont seulement estimés.",
                "Our {n}0 storm overflows are not instrumented and discharges into rivers are only estimated.",
            ),
            (
                "Les autorités sanitaires souhaitent suivre les virus circulants à partir de nos eaux usées.",
                "Health authorities want to track circulating viruses using our wastewater.",
            ),
            (
                "Par fortes pluies, la station d'épuration sature et déverse des eaux non traitées.",
                "In heavy rain the treatment plant saturates and releases untreated water.",
            ),
        ],
        expects: &[
            (
                "Nous voulons anticiper les débordements {h} heures à l'avance et réduire les rejets de {p} %.",
                "We want to anticipate overflows {h} hours ahead and cut discharges by {p}%.",
            ),
            (
                "Les capteurs doivent résister aux milieux corrosifs et transmettre sans alimentation électrique.",
                "Sensors must withstand corrosive environments and transmit without mains power.",
            ),
        ],
        capabilities: &[
            (
                "Nos capteurs radar mesurent niveau et débit en continu et transmettent par réseau bas débit.",
                "Our radar sensors measure level and flow continuously and transmit over low-power networks.",
            ),
            (
                "Un modèle prédictif combine prévisions de pluie et historique pour piloter les bassins de stockage.",
                "A predictive model combines rainfall forecasts and history to manage storage basins.",
            ),
            (
                "La plateforme partage des indicateurs sanitaires anonymisés avec l'autorité de santé.",
                "The platform shares anonymised health indicators with the health authority.",
            ),
        ],
    },
];

// ---------------------------------------------------------------------------------------------
// Organisation categories
// ---------------------------------------------------------------------------------------------

const SME: u8 = 0;
const RESEARCH: u8 = 1;
const LARGE: u8 = 2;
const CLUSTER: u8 = 3;
const OTHER: u8 = 4;
/// First end-user category; categories `FIRST_EU..NCAT` index [`EU_CATS`].
const FIRST_EU: u8 = 5;
const NCAT: usize = 20;

/// Share of each category, per thousand organisations (sums to 1000).
const CAT_WEIGHTS: [u32; NCAT] = [
    565, 15, 10, 5, 5, // sme, research, large_company, cluster, other
    80, 60, 30, 35, 25, 15, 35, 30, 30, 10, 5, 15, 5, 10, 15, // end users
];

const fn kind_of(cat: u8) -> &'static str {
    match cat {
        SME => "sme",
        RESEARCH => "research",
        LARGE => "large_company",
        CLUSTER => "cluster",
        OTHER => "other",
        _ => "end_user",
    }
}

/// (French with article "le", French with "de", English) description of a place an end user runs.
type Asset = (&'static str, &'static str, &'static str);

struct EuCat {
    /// First is the primary sector; the second one, when present, is added half of the time.
    sectors: &'static [u8],
    fr_names: &'static [&'static str],
    en_names: &'static [&'static str],
    assets: &'static [Asset],
    about: &'static [P],
    sites: &'static [P],
}

const EU_CATS: [EuCat; 15] = [
    // local authority
    EuCat {
        sectors: &[LOCAL, PUBADMIN],
        fr_names: &[
            "Commune de {t}",
            "Ville de {t}",
            "Métropole de {t}",
            "Communauté d'agglomération de {t}",
            "Conseil départemental de {t}",
            "Région {R} – antenne territoriale de {t}",
        ],
        en_names: &["Municipality of {t}", "{t} City Council", "{t} County Council", "{t} Metropolitan Authority"],
        assets: &[
            ("le centre-ville", "du centre-ville", "city centre"),
            ("le quartier riverain", "du quartier riverain", "riverside district"),
            ("le territoire communal", "du territoire communal", "municipal area"),
            ("l'hôtel de ville", "de l'hôtel de ville", "town hall"),
            ("la zone d'activités", "de la zone d'activités", "business park"),
            ("le parc des expositions", "du parc des expositions", "exhibition centre"),
        ],
        about: &[
            (
                "Collectivité de {pop} 000 habitants, nous gérons les services de proximité, l'espace public et la sauvegarde de la population.",
                "A local authority of {pop},000 inhabitants, we run local services, public space and civil protection.",
            ),
            (
                "Notre territoire est exposé aux inondations, aux épisodes de chaleur et aux risques technologiques.",
                "Our area is exposed to floods, heatwaves and industrial hazards.",
            ),
            (
                "Nous accueillons chaque année de grands événements culturels et sportifs.",
                "We host major cultural and sporting events every year.",
            ),
        ],
        sites: &[
            ("Centre-ville de {t} (site fictif)", "{t} city centre (fictional site)"),
            ("Quartier des berges à {t} (site fictif)", "Riverside district of {t} (fictional site)"),
            ("Parc des expositions de {t} (site fictif)", "{t} exhibition grounds (fictional site)"),
        ],
    },
    // hospital
    EuCat {
        sectors: &[HEALTH],
        fr_names: &[
            "Centre hospitalier de {t}",
            "CHU de {t}",
            "Clinique de {t}",
            "Groupe hospitalier de {t}",
            "Hôpital de {t}",
        ],
        en_names: &["{t} University Hospital", "{t} General Hospital", "{t} Regional Medical Centre", "{t} Clinic"],
        assets: &[
            (
                "le système d'information hospitalier",
                "du système d'information hospitalier",
                "hospital information system",
            ),
            ("le plateau d'imagerie médicale", "du plateau d'imagerie médicale", "medical imaging department"),
            ("le service des urgences", "du service des urgences", "emergency department"),
            ("le bloc opératoire", "du bloc opératoire", "operating theatre"),
            ("le laboratoire de biologie", "du laboratoire de biologie", "clinical laboratory"),
        ],
        about: &[
            (
                "Établissement de {beds} lits répartis sur {n} sites, nous employons {staff}00 professionnels de santé.",
                "With {beds} beds across {n} sites, we employ {staff}00 healthcare professionals.",
            ),
            (
                "Notre service d'urgences accueille plus de {k}0 000 passages par an.",
                "Our emergency department handles more than {k}0,000 visits a year.",
            ),
            (
                "La continuité des soins et la protection des données de santé sont au cœur de notre stratégie numérique.",
                "Continuity of care and health data protection are at the heart of our digital strategy.",
            ),
        ],
        sites: &[
            ("Site principal du centre hospitalier de {t} (site fictif)", "Main campus, {t} hospital (fictional site)"),
            (
                "Service des urgences de l'hôpital de {t} (site fictif)",
                "Emergency department, {t} hospital (fictional site)",
            ),
        ],
    },
    // port
    EuCat {
        sectors: &[PORT, TRANSPORT],
        fr_names: &[
            "Port de {t}",
            "Grand port maritime de {t}",
            "Port fluvial de {t}",
            "Syndicat mixte du port de {t}",
        ],
        en_names: &["Port of {t}", "{t} Port Authority", "{t} Inland Port"],
        assets: &[
            ("le terminal à conteneurs", "du terminal à conteneurs", "container terminal"),
            ("le terminal roulier", "du terminal roulier", "ro-ro terminal"),
            ("la gare maritime", "de la gare maritime", "passenger terminal"),
            ("le terminal pétrolier", "du terminal pétrolier", "oil terminal"),
            ("la zone logistique portuaire", "de la zone logistique portuaire", "port logistics area"),
        ],
        about: &[
            (
                "Port de commerce et de passagers, nous traitons {k} millions de tonnes de marchandises par an.",
                "A cargo and passenger port, we handle {k} million tonnes of goods a year.",
            ),
            (
                "Le port accueille des terminaux à conteneurs, vrac et passagers ainsi qu'une zone industrielle classée.",
                "The port hosts container, bulk and passenger terminals and a hazardous industrial zone.",
            ),
        ],
        sites: &[
            (
                "Terminal à conteneurs nord du port de {t} (terminal fictif)",
                "North container terminal, Port of {t} (fictional terminal)",
            ),
            ("Quai roulier du port de {t} (site fictif)", "Ro-ro quay, Port of {t} (fictional site)"),
        ],
    },
    // energy
    EuCat {
        sectors: &[ENERGY, DIGINFRA],
        fr_names: &[
            "Régie d'électricité de {t}",
            "Gaz et Électricité de {t}",
            "Énergies de {t}",
            "Réseau de chaleur urbain de {t}",
        ],
        en_names: &["{t} Energy", "{t} Power Grid Operator", "{t} District Heating", "{t} Hydro"],
        assets: &[
            ("le poste source", "du poste source", "primary substation"),
            ("la centrale hydroélectrique", "de la centrale hydroélectrique", "hydroelectric plant"),
            ("le réseau de chaleur", "du réseau de chaleur", "district heating network"),
            ("le parc éolien", "du parc éolien", "wind farm"),
            ("le dépôt de gaz", "du dépôt de gaz", "gas storage site"),
        ],
        about: &[
            (
                "Opérateur d'énergie local, nous desservons {c} 000 clients en électricité et en chaleur.",
                "A local energy operator, we supply {c},000 customers with electricity and heat.",
            ),
            (
                "Plusieurs de nos installations sont classées d'importance vitale.",
                "Several of our installations are designated as critical infrastructure.",
            ),
        ],
        sites: &[
            ("Poste source de {t} (site fictif)", "{t} primary substation (fictional site)"),
            ("Centrale hydroélectrique de {t} (site fictif)", "{t} hydroelectric plant (fictional site)"),
        ],
    },
    // drinking water
    EuCat {
        sectors: &[DWATER, WWATER],
        fr_names: &["Régie des eaux de {t}", "Syndicat des eaux de {t}", "Eau potable de {t}"],
        en_names: &["{t} Water", "{t} Waterworks", "{t} Water Supply Company"],
        assets: &[
            ("l'usine de production d'eau potable", "de l'usine de production d'eau potable", "drinking water plant"),
            ("le réservoir principal", "du réservoir principal", "main reservoir"),
            ("le champ captant", "du champ captant", "wellfield"),
            ("le réseau de distribution", "du réseau de distribution", "distribution network"),
        ],
        about: &[
            (
                "Nous produisons et distribuons l'eau potable de {pop} 000 habitants.",
                "We produce and distribute drinking water for {pop},000 people.",
            ),
            (
                "Notre réseau compte {c}0 km de canalisations et {n} réservoirs.",
                "Our network has {c}0 km of pipes and {n} reservoirs.",
            ),
        ],
        sites: &[
            ("Usine d'eau potable de {t} (site fictif)", "{t} drinking water plant (fictional site)"),
            ("Réservoir principal de {t} (site fictif)", "{t} main reservoir (fictional site)"),
        ],
    },
    // waste water
    EuCat {
        sectors: &[WWATER],
        fr_names: &[
            "Syndicat d'assainissement de {t}",
            "Régie d'assainissement de {t}",
            "Station d'épuration intercommunale de {t}",
        ],
        en_names: &["{t} Wastewater Authority", "{t} Sewerage Services", "{t} Water Treatment Plant"],
        assets: &[
            ("la station d'épuration", "de la station d'épuration", "wastewater treatment plant"),
            ("le réseau d'assainissement", "du réseau d'assainissement", "sewer network"),
            ("le poste de relèvement", "du poste de relèvement", "pumping station"),
            ("le bassin d'orage", "du bassin d'orage", "stormwater basin"),
        ],
        about: &[
            (
                "Nous assurons la collecte et le traitement des eaux usées de {pop} 000 habitants.",
                "We collect and treat wastewater for {pop},000 people.",
            ),
            (
                "Nos {n} stations d'épuration doivent respecter des normes de rejet strictes.",
                "Our {n} treatment plants must meet strict discharge standards.",
            ),
        ],
        sites: &[
            ("Station d'épuration de {t} (site fictif)", "{t} wastewater treatment plant (fictional site)"),
            ("Bassin d'orage des berges de {t} (site fictif)", "{t} riverside stormwater basin (fictional site)"),
        ],
    },
    // emergency services
    EuCat {
        sectors: &[EMERG, HEALTH],
        fr_names: &[
            "Service départemental d'incendie et de secours de {t}",
            "Centre de secours de {t}",
            "SAMU – Centre 15 de {t}",
            "Ambulances de {t}",
        ],
        en_names: &["{t} Fire and Rescue Service", "{t} Ambulance Service", "{t} Emergency Medical Services"],
        assets: &[
            ("le centre de traitement de l'alerte", "du centre de traitement de l'alerte", "emergency call centre"),
            ("le centre de secours principal", "du centre de secours principal", "main fire station"),
            ("le centre opérationnel", "du centre opérationnel", "operations centre"),
            ("la base d'ambulances", "de la base d'ambulances", "ambulance base"),
        ],
        about: &[
            (
                "Service de secours, nous réalisons {k}0 000 interventions par an avec {staff}0 sapeurs-pompiers et ambulanciers.",
                "As an emergency service, we respond to {k}0,000 incidents a year with {staff}0 firefighters and paramedics.",
            ),
            (
                "Nous coordonnons les secours sur un territoire exposé aux feux de forêt et aux inondations.",
                "We coordinate rescue operations in an area exposed to wildfires and floods.",
            ),
        ],
        sites: &[
            ("Centre de traitement de l'alerte de {t} (site fictif)", "{t} emergency call centre (fictional site)"),
            ("Centre de secours principal de {t} (site fictif)", "{t} main fire station (fictional site)"),
        ],
    },
    // police
    EuCat {
        sectors: &[POLICE],
        fr_names: &[
            "Police municipale de {t}",
            "Groupement de gendarmerie de {t}",
            "Commissariat de police de {t}",
            "Direction de la sécurité publique de {t}",
        ],
        en_names: &["{t} Police Department", "{t} Municipal Police", "{t} Police Directorate"],
        assets: &[
            ("le commissariat central", "du commissariat central", "central police station"),
            ("le centre de supervision urbain", "du centre de supervision urbain", "CCTV control room"),
            ("la brigade territoriale", "de la brigade territoriale", "local police unit"),
            ("le service d'enquête", "du service d'enquête", "investigation unit"),
        ],
        about: &[
            (
                "Unité de sécurité publique, nous assurons la tranquillité de {pop} 000 habitants.",
                "A public safety unit, we keep {pop},000 residents safe.",
            ),
            (
                "Nos missions : prévention, intervention, enquête et sécurisation des grands événements.",
                "Our missions: prevention, response, investigation and securing major events.",
            ),
        ],
        sites: &[
            ("Centre de supervision urbain de {t} (site fictif)", "{t} CCTV control room (fictional site)"),
            ("Commissariat central de {t} (site fictif)", "{t} central police station (fictional site)"),
        ],
    },
    // transport
    EuCat {
        sectors: &[TRANSPORT],
        fr_names: &[
            "Transports urbains de {t}",
            "Régie des transports de {t}",
            "Aéroport de {t}",
            "Réseau ferré régional de {t}",
        ],
        en_names: &["{t} Public Transport", "{t} Airport", "{t} Regional Railways", "{t} Metro"],
        assets: &[
            ("la gare centrale", "de la gare centrale", "central station"),
            ("le dépôt de tramways", "du dépôt de tramways", "tram depot"),
            ("l'aérogare", "de l'aérogare", "airport terminal"),
            ("la ligne ferroviaire régionale", "de la ligne ferroviaire régionale", "regional railway line"),
            ("le tunnel routier", "du tunnel routier", "road tunnel"),
        ],
        about: &[
            (
                "Opérateur de transport, nous transportons {k}0 millions de voyageurs par an.",
                "A transport operator, we carry {k}0 million passengers a year.",
            ),
            (
                "Notre réseau comprend gares, dépôts, tunnels et un poste central de commandement.",
                "Our network includes stations, depots, tunnels and a central control room.",
            ),
        ],
        sites: &[
            ("Gare centrale de {t} (site fictif)", "{t} central station (fictional site)"),
            ("Dépôt de tramways de {t} (site fictif)", "{t} tram depot (fictional site)"),
        ],
    },
    // bank
    EuCat {
        sectors: &[BANKING, FMI],
        fr_names: &["Banque régionale de {t}", "Banque coopérative de {t}", "Caisse de crédit de {t}"],
        en_names: &["{t} Savings Bank", "{t} Cooperative Bank", "Bank of {t}"],
        assets: &[
            ("le siège", "du siège", "head office"),
            ("la plateforme de paiements", "de la plateforme de paiements", "payments platform"),
            ("le réseau d'agences", "du réseau d'agences", "branch network"),
            ("le centre de services clients", "du centre de services clients", "customer service centre"),
        ],
        about: &[
            (
                "Banque régionale, nous servons {c} 000 clients particuliers et entreprises.",
                "A regional bank, we serve {c},000 retail and business customers.",
            ),
            (
                "La sécurité des paiements et la résilience opérationnelle (DORA) sont nos priorités.",
                "Payment security and operational resilience (DORA) are our priorities.",
            ),
        ],
        sites: &[
            ("Siège de la banque à {t} (site fictif)", "Head office in {t} (fictional site)"),
            (
                "Centre de traitement des paiements de {t} (site fictif)",
                "{t} payment processing centre (fictional site)",
            ),
        ],
    },
    // financial market infrastructure
    EuCat {
        sectors: &[FMI, BANKING],
        fr_names: &["Chambre de compensation de {t}", "Dépositaire central de titres de {t}", "Bourse de {t}"],
        en_names: &["{t} Clearing House", "{t} Securities Depository", "{t} Stock Exchange"],
        assets: &[
            ("la plateforme de règlement-livraison", "de la plateforme de règlement-livraison", "settlement platform"),
            ("le système de compensation", "du système de compensation", "clearing system"),
            ("le centre de données de secours", "du centre de données de secours", "backup data centre"),
        ],
        about: &[
            (
                "Infrastructure de marché, nous assurons la compensation et le règlement de titres pour {n}0 établissements.",
                "A market infrastructure, we clear and settle securities for {n}0 institutions.",
            ),
            (
                "Notre disponibilité est suivie de près par les autorités de supervision.",
                "Our availability is closely watched by supervisory authorities.",
            ),
        ],
        sites: &[("Centre de données de secours de {t} (site fictif)", "{t} backup data centre (fictional site)")],
    },
    // digital infrastructure
    EuCat {
        sectors: &[DIGINFRA],
        fr_names: &[
            "Centre de données de {t}",
            "Réseau très haut débit de {t}",
            "Opérateur d'infrastructures numériques de {t}",
        ],
        en_names: &["{t} Data Centre", "{t} Fibre Network", "{t} Internet Exchange"],
        assets: &[
            ("le centre de données", "du centre de données", "data centre"),
            ("le point d'échange internet", "du point d'échange internet", "internet exchange point"),
            ("le réseau de fibre optique", "du réseau de fibre optique", "fibre network"),
            ("le nœud de raccordement", "du nœud de raccordement", "network node"),
        ],
        about: &[
            (
                "Opérateur d'infrastructures numériques, nous exploitons {n} centres de données et {c}0 km de fibre.",
                "A digital infrastructure operator, we run {n} data centres and {c}0 km of fibre.",
            ),
            (
                "Nos clients comptent des hôpitaux, des collectivités et des opérateurs d'importance vitale.",
                "Our customers include hospitals, local authorities and critical infrastructure operators.",
            ),
        ],
        sites: &[
            ("Centre de données de {t} (site fictif)", "{t} data centre (fictional site)"),
            ("Nœud de raccordement optique de {t} (site fictif)", "{t} fibre network node (fictional site)"),
        ],
    },
    // space
    EuCat {
        sectors: &[SPACE, DIGINFRA],
        fr_names: &["Centre spatial de {t}", "Station sol satellitaire de {t}", "Téléport de {t}"],
        en_names: &["{t} Space Centre", "{t} Satellite Ground Station", "{t} Teleport"],
        assets: &[
            ("la station sol", "de la station sol", "ground station"),
            ("le centre de contrôle satellite", "du centre de contrôle satellite", "satellite control centre"),
            ("le téléport", "du téléport", "teleport"),
        ],
        about: &[
            (
                "Nous exploitons des stations sol et des services de contrôle pour {n} satellites.",
                "We operate ground stations and control services for {n} satellites.",
            ),
            (
                "Nos activités relèvent de la souveraineté et de la sécurité européennes.",
                "Our activities matter for European sovereignty and security.",
            ),
        ],
        sites: &[("Station sol de {t} (site fictif)", "{t} ground station (fictional site)")],
    },
    // food
    EuCat {
        sectors: &[FOOD, TRANSPORT],
        fr_names: &[
            "Coopérative agricole de {t}",
            "Marché d'intérêt national de {t}",
            "Laiterie de {t}",
            "Abattoir intercommunal de {t}",
        ],
        en_names: &["{t} Agricultural Cooperative", "{t} Dairy", "{t} Wholesale Food Market"],
        assets: &[
            ("l'entrepôt frigorifique", "de l'entrepôt frigorifique", "cold store"),
            ("la plateforme logistique", "de la plateforme logistique", "logistics hub"),
            ("l'usine de transformation", "de l'usine de transformation", "processing plant"),
            ("le marché de gros", "du marché de gros", "wholesale market"),
        ],
        about: &[
            (
                "Acteur de l'agroalimentaire, nous approvisionnons {c} points de vente dans la région.",
                "A food business, we supply {c} retail outlets across the region.",
            ),
            (
                "La sécurité sanitaire et la continuité de l'approvisionnement sont essentielles pour nos clients.",
                "Food safety and continuity of supply are essential for our customers.",
            ),
        ],
        sites: &[
            ("Entrepôt frigorifique de {t} (site fictif)", "{t} cold store (fictional site)"),
            ("Plateforme logistique de {t} (site fictif)", "{t} logistics hub (fictional site)"),
        ],
    },
    // public administration
    EuCat {
        sectors: &[PUBADMIN, LOCAL],
        fr_names: &[
            "Préfecture de {t}",
            "Sous-préfecture de {t}",
            "Direction départementale des territoires de {t}",
            "Rectorat de {t}",
        ],
        en_names: &["{t} Regional Administration", "{t} Civil Protection Directorate", "{t} Tax Office"],
        assets: &[
            ("la préfecture", "de la préfecture", "government offices"),
            ("le centre de gestion de crise", "du centre de gestion de crise", "crisis management centre"),
            ("le service des titres", "du service des titres", "identity documents office"),
            ("la cité administrative", "de la cité administrative", "administrative centre"),
        ],
        about: &[
            (
                "Administration publique, nous coordonnons la sécurité civile et la gestion de crise à l'échelle du territoire.",
                "A public administration, we coordinate civil protection and crisis management across the area.",
            ),
            ("Nos services traitent {c} 000 démarches par an.", "Our services handle {c},000 procedures a year."),
        ],
        sites: &[
            (
                "Centre opérationnel de gestion de crise de {t} (site fictif)",
                "{t} crisis management centre (fictional site)",
            ),
            ("Cité administrative de {t} (site fictif)", "{t} administrative centre (fictional site)"),
        ],
    },
];

/// Generic assets for organisations that are not end users (rarely used).
const GENERIC_ASSET: Asset = ("le site principal", "du site principal", "main site");

const RESEARCH_NAMES: (&[&str], &[&str]) = (
    &[
        "Institut de recherche en cybersécurité de {t}",
        "Laboratoire d'intelligence artificielle appliquée de {t}",
        "Centre d'études sur les risques et la résilience de {t}",
        "Université de {t} – laboratoire des systèmes critiques",
    ],
    &["{t} Institute of Technology", "University of {t} – Security Lab", "{t} Centre for Resilience Research"],
);
const CLUSTER_NAMES: (&[&str], &[&str]) = (
    &["Pôle sécurité numérique de {t}", "Cluster {t} Cyber et Résilience"],
    &["{t} Security Innovation Cluster", "{t} Safety and Security Hub"],
);
const OTHER_NAMES: (&[&str], &[&str]) = (
    &["Association {t} Prévention des risques", "Fondation {t} pour la sécurité civile"],
    &["{t} Civil Protection Volunteers", "{t} Resilience Foundation"],
);

/// Local-language templates for local authorities and hospitals (by town style).
fn local_names(style: usize, cat: u8) -> Option<&'static [&'static str]> {
    const LA: u8 = FIRST_EU;
    const HOSP: u8 = FIRST_EU + 1;
    match (style, cat) {
        (DE_S, LA) => Some(&["Stadt {t}", "Gemeinde {t}", "Landkreis {t}"]),
        (DE_S, HOSP) => Some(&["Klinikum {t}", "Kreiskrankenhaus {t}", "Universitätsklinikum {t}"]),
        (IT_S, LA) => Some(&["Comune di {t}", "Città metropolitana di {t}", "Provincia di {t}"]),
        (IT_S, HOSP) => Some(&["Azienda Ospedaliera di {t}", "Ospedale Civile di {t}"]),
        (ES_S, LA) => Some(&["Ayuntamiento de {t}", "Diputación de {t}", "Mancomunidad de {t}"]),
        (ES_S, HOSP) => Some(&["Hospital Universitario de {t}", "Hospital Comarcal de {t}"]),
        (PT_S, LA) => Some(&["Câmara Municipal de {t}", "Município de {t}", "Junta de Freguesia de {t}"]),
        (PT_S, HOSP) => Some(&["Hospital de {t}", "Centro Hospitalar de {t}"]),
        (NL_S, LA) => Some(&["Gemeente {t}", "Provincie {t}", "Waterschap {t}"]),
        (NL_S, HOSP) => Some(&["Ziekenhuis {t}", "Medisch Centrum {t}"]),
        (PL_S, LA) => Some(&["Urząd Miasta {t}", "Gmina {t}", "Starostwo Powiatowe {t}"]),
        (PL_S, HOSP) => Some(&["Szpital Wojewódzki {t}", "Szpital Miejski {t}"]),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Countries
// ---------------------------------------------------------------------------------------------

// Town-name styles (also name-group styles); INTL_S is only used for SME / large-company brands.
const FR_S: usize = 0;
const DE_S: usize = 1;
const IT_S: usize = 2;
const ES_S: usize = 3;
const PT_S: usize = 4;
const NL_S: usize = 5;
const PL_S: usize = 6;
const SLAV_S: usize = 7;
const NORD_S: usize = 8;
const ANGLO_S: usize = 9;
const GEN_S: usize = 10;
const INTL_S: usize = 11;
const NSTYLE: usize = 12;

// Person-name styles.
const PN_FR: u8 = 0;
const PN_DE: u8 = 1;
const PN_IT: u8 = 2;
const PN_ES: u8 = 3;
const PN_PT: u8 = 4;
const PN_NL: u8 = 5;
const PN_SL: u8 = 6;
const PN_NO: u8 = 7;
const PN_EN: u8 = 8;
const PN_GE: u8 = 9;

struct Country {
    code: &'static str,
    /// Weight out of about 10 000.
    weight: u32,
    calling: &'static str,
    en: &'static str,
    /// French "in <country>" ("en Allemagne", "aux Pays-Bas").
    fr_in: &'static str,
    regions: &'static [&'static str],
    /// Local languages (ISO 639-1), first is the main one.
    langs: &'static [&'static str],
    style: usize,
    people: u8,
    forms: &'static [&'static str],
    eligible: bool,
    /// 0: not francophone, 1: partly (BE, LU, CH), 2: France.
    franco: u8,
}

#[allow(clippy::too_many_arguments)]
const fn c(
    code: &'static str,
    weight: u32,
    calling: &'static str,
    en: &'static str,
    fr_in: &'static str,
    regions: &'static [&'static str],
    langs: &'static [&'static str],
    style: usize,
    people: u8,
    forms: &'static [&'static str],
    eligible: bool,
) -> Country {
    let franco = match code.as_bytes() {
        b"FR" => 2,
        b"BE" | b"LU" | b"CH" => 1,
        _ => 0,
    };
    Country { code, weight, calling, en, fr_in, regions, langs, style, people, forms, eligible, franco }
}

const COUNTRIES: [Country; 35] = [
    c("FR", 5500, "33", "France", "en France", &[], &["fr"], FR_S, PN_FR, &["SAS", "SARL", "SA", "SASU"], true),
    c(
        "DE",
        700,
        "49",
        "Germany",
        "en Allemagne",
        &[
            "Baden-Württemberg",
            "Bayern",
            "Berlin",
            "Brandenburg",
            "Bremen",
            "Hamburg",
            "Hessen",
            "Mecklenburg-Vorpommern",
            "Niedersachsen",
            "Nordrhein-Westfalen",
            "Rheinland-Pfalz",
            "Saarland",
            "Sachsen",
            "Sachsen-Anhalt",
            "Schleswig-Holstein",
            "Thüringen",
        ],
        &["de"],
        DE_S,
        PN_DE,
        &["GmbH", "AG", "UG"],
        true,
    ),
    c(
        "IT",
        600,
        "39",
        "Italy",
        "en Italie",
        &[
            "Lombardia",
            "Lazio",
            "Campania",
            "Sicilia",
            "Veneto",
            "Emilia-Romagna",
            "Piemonte",
            "Puglia",
            "Toscana",
            "Liguria",
            "Sardegna",
            "Friuli-Venezia Giulia",
            "Marche",
            "Calabria",
            "Trentino-Alto Adige",
            "Abruzzo",
            "Umbria",
        ],
        &["it"],
        IT_S,
        PN_IT,
        &["S.r.l.", "S.p.A."],
        true,
    ),
    c(
        "ES",
        500,
        "34",
        "Spain",
        "en Espagne",
        &[
            "Andalucía",
            "Cataluña",
            "Comunidad de Madrid",
            "Comunitat Valenciana",
            "Galicia",
            "Castilla y León",
            "País Vasco",
            "Canarias",
            "Castilla-La Mancha",
            "Región de Murcia",
            "Aragón",
            "Illes Balears",
            "Extremadura",
            "Principado de Asturias",
            "Navarra",
            "Cantabria",
            "La Rioja",
        ],
        &["es"],
        ES_S,
        PN_ES,
        &["S.L.", "S.A."],
        true,
    ),
    c(
        "BE",
        400,
        "32",
        "Belgium",
        "en Belgique",
        &["Région de Bruxelles-Capitale", "Wallonie", "Vlaanderen"],
        &["nl", "fr"],
        FR_S,
        PN_NL,
        &["SRL", "SA", "BV", "NV"],
        true,
    ),
    c(
        "NL",
        300,
        "31",
        "Netherlands",
        "aux Pays-Bas",
        &[
            "Noord-Holland",
            "Zuid-Holland",
            "Utrecht",
            "Noord-Brabant",
            "Gelderland",
            "Overijssel",
            "Limburg",
            "Groningen",
            "Friesland",
            "Drenthe",
            "Flevoland",
            "Zeeland",
        ],
        &["nl"],
        NL_S,
        PN_NL,
        &["B.V.", "N.V."],
        true,
    ),
    c(
        "PT",
        250,
        "351",
        "Portugal",
        "au Portugal",
        &[
            "Norte",
            "Centro",
            "Área Metropolitana de Lisboa",
            "Alentejo",
            "Algarve",
            "Região Autónoma dos Açores",
            "Região Autónoma da Madeira",
        ],
        &["pt"],
        PT_S,
        PN_PT,
        &["Lda.", "S.A."],
        true,
    ),
    c(
        "PL",
        250,
        "48",
        "Poland",
        "en Pologne",
        &[
            "Mazowieckie",
            "Małopolskie",
            "Śląskie",
            "Wielkopolskie",
            "Pomorskie",
            "Dolnośląskie",
            "Łódzkie",
            "Zachodniopomorskie",
            "Lubelskie",
            "Podkarpackie",
        ],
        &["pl"],
        PL_S,
        PN_SL,
        &["Sp. z o.o.", "S.A."],
        true,
    ),
    c(
        "AT",
        150,
        "43",
        "Austria",
        "en Autriche",
        &[
            "Wien",
            "Niederösterreich",
            "Oberösterreich",
            "Steiermark",
            "Tirol",
            "Salzburg",
            "Kärnten",
            "Vorarlberg",
            "Burgenland",
        ],
        &["de"],
        DE_S,
        PN_DE,
        &["GmbH", "AG"],
        true,
    ),
    c(
        "SE",
        120,
        "46",
        "Sweden",
        "en Suède",
        &["Stockholms län", "Västra Götalands län", "Skåne län", "Uppsala län", "Östergötlands län", "Norrbottens län"],
        &["sv"],
        NORD_S,
        PN_NO,
        &["AB"],
        true,
    ),
    c(
        "FI",
        100,
        "358",
        "Finland",
        "en Finlande",
        &["Uusimaa", "Pirkanmaa", "Varsinais-Suomi", "Pohjois-Pohjanmaa", "Keski-Suomi", "Lappi"],
        &["fi", "sv"],
        NORD_S,
        PN_NO,
        &["Oy", "Oyj"],
        true,
    ),
    c(
        "DK",
        100,
        "45",
        "Denmark",
        "au Danemark",
        &["Region Hovedstaden", "Region Sjælland", "Region Syddanmark", "Region Midtjylland", "Region Nordjylland"],
        &["da"],
        NORD_S,
        PN_NO,
        &["ApS", "A/S"],
        true,
    ),
    c(
        "IE",
        100,
        "353",
        "Ireland",
        "en Irlande",
        &["Leinster", "Munster", "Connacht", "Ulster"],
        &["en", "ga"],
        ANGLO_S,
        PN_EN,
        &["Ltd", "DAC"],
        true,
    ),
    c(
        "GR",
        100,
        "30",
        "Greece",
        "en Grèce",
        &["Attiki", "Kentriki Makedonia", "Kriti", "Dytiki Ellada", "Thessalia", "Notio Aigaio"],
        &["el"],
        GEN_S,
        PN_GE,
        &["IKE", "S.A."],
        true,
    ),
    c(
        "CZ",
        100,
        "420",
        "Czechia",
        "en Tchéquie",
        &["Praha", "Středočeský kraj", "Jihomoravský kraj", "Moravskoslezský kraj", "Plzeňský kraj", "Ústecký kraj"],
        &["cs"],
        SLAV_S,
        PN_SL,
        &["s.r.o.", "a.s."],
        true,
    ),
    c(
        "RO",
        100,
        "40",
        "Romania",
        "en Roumanie",
        &["București-Ilfov", "Nord-Vest", "Centru", "Nord-Est", "Sud-Est", "Vest"],
        &["ro"],
        GEN_S,
        PN_GE,
        &["S.R.L.", "S.A."],
        true,
    ),
    c(
        "LU",
        60,
        "352",
        "Luxembourg",
        "au Luxembourg",
        &["Luxembourg", "Esch-sur-Alzette", "Diekirch", "Grevenmacher"],
        &["lb", "fr", "de"],
        FR_S,
        PN_FR,
        &["S.à r.l.", "S.A."],
        true,
    ),
    c(
        "EE",
        50,
        "372",
        "Estonia",
        "en Estonie",
        &["Harju maakond", "Tartu maakond", "Ida-Viru maakond", "Pärnu maakond"],
        &["et"],
        NORD_S,
        PN_NO,
        &["OÜ", "AS"],
        true,
    ),
    c(
        "HU",
        40,
        "36",
        "Hungary",
        "en Hongrie",
        &["Budapest", "Pest", "Győr-Moson-Sopron", "Hajdú-Bihar", "Csongrád-Csanád"],
        &["hu"],
        GEN_S,
        PN_GE,
        &["Kft.", "Zrt."],
        true,
    ),
    c(
        "SK",
        30,
        "421",
        "Slovakia",
        "en Slovaquie",
        &["Bratislavský kraj", "Košický kraj", "Žilinský kraj"],
        &["sk"],
        SLAV_S,
        PN_SL,
        &["s.r.o."],
        true,
    ),
    c(
        "SI",
        30,
        "386",
        "Slovenia",
        "en Slovénie",
        &["Osrednjeslovenska", "Podravska", "Obalno-kraška"],
        &["sl"],
        SLAV_S,
        PN_SL,
        &["d.o.o."],
        true,
    ),
    c(
        "LT",
        30,
        "370",
        "Lithuania",
        "en Lituanie",
        &["Vilniaus apskritis", "Kauno apskritis", "Klaipėdos apskritis"],
        &["lt"],
        NORD_S,
        PN_NO,
        &["UAB"],
        true,
    ),
    c(
        "LV",
        20,
        "371",
        "Latvia",
        "en Lettonie",
        &["Rīga", "Kurzeme", "Vidzeme", "Latgale"],
        &["lv"],
        NORD_S,
        PN_NO,
        &["SIA"],
        true,
    ),
    c(
        "HR",
        30,
        "385",
        "Croatia",
        "en Croatie",
        &["Grad Zagreb", "Splitsko-dalmatinska", "Primorsko-goranska", "Istarska"],
        &["hr"],
        SLAV_S,
        PN_SL,
        &["d.o.o."],
        true,
    ),
    c(
        "BG",
        30,
        "359",
        "Bulgaria",
        "en Bulgarie",
        &["Sofia City", "Plovdiv", "Varna", "Burgas"],
        &["bg"],
        SLAV_S,
        PN_SL,
        &["EOOD", "AD"],
        true,
    ),
    c(
        "CY",
        10,
        "357",
        "Cyprus",
        "à Chypre",
        &["Nicosia", "Limassol", "Larnaca"],
        &["el"],
        GEN_S,
        PN_GE,
        &["Ltd"],
        true,
    ),
    c("MT", 10, "356", "Malta", "à Malte", &["Malta", "Gozo"], &["mt"], GEN_S, PN_EN, &["Ltd"], true),
    c(
        "NO",
        50,
        "47",
        "Norway",
        "en Norvège",
        &["Oslo", "Vestland", "Akershus", "Rogaland", "Trøndelag", "Nordland"],
        &["no"],
        NORD_S,
        PN_NO,
        &["AS"],
        true,
    ),
    c(
        "IS",
        20,
        "354",
        "Iceland",
        "en Islande",
        &["Höfuðborgarsvæðið", "Suðurnes", "Norðurland eystra"],
        &["is"],
        NORD_S,
        PN_NO,
        &["ehf."],
        true,
    ),
    c(
        "UA",
        50,
        "380",
        "Ukraine",
        "en Ukraine",
        &["Kyivska oblast", "Lvivska oblast", "Odeska oblast", "Kharkivska oblast", "Dnipropetrovska oblast"],
        &["uk"],
        SLAV_S,
        PN_SL,
        &["LLC"],
        true,
    ),
    c(
        "RS",
        30,
        "381",
        "Serbia",
        "en Serbie",
        &["Beograd", "Vojvodina", "Šumadija i Zapadna Srbija", "Južna i Istočna Srbija"],
        &["sr"],
        SLAV_S,
        PN_SL,
        &["d.o.o."],
        true,
    ),
    c(
        "TR",
        40,
        "90",
        "Türkiye",
        "en Turquie",
        &["İstanbul", "Ankara", "İzmir", "Kocaeli", "Antalya"],
        &["tr"],
        GEN_S,
        PN_GE,
        &["A.Ş.", "Ltd. Şti."],
        true,
    ),
    c(
        "US",
        40,
        "1",
        "United States",
        "aux États-Unis",
        &["Virginia", "California", "Texas", "Massachusetts", "New York"],
        &["en"],
        ANGLO_S,
        PN_EN,
        &["Inc.", "LLC"],
        false,
    ),
    c(
        "GB",
        40,
        "44",
        "United Kingdom",
        "au Royaume-Uni",
        &["England", "Scotland", "Wales", "Northern Ireland"],
        &["en"],
        ANGLO_S,
        PN_EN,
        &["Ltd", "plc"],
        false,
    ),
    c(
        "CH",
        30,
        "41",
        "Switzerland",
        "en Suisse",
        &["Genève", "Vaud", "Zürich", "Bern", "Ticino"],
        &["de", "fr", "it"],
        FR_S,
        PN_DE,
        &["SA", "AG", "GmbH", "Sàrl"],
        false,
    ),
];

/// French régions: (name, "in <région>", weight).
const FR_REGIONS: [(&str, &str, u32); 18] = [
    ("Île-de-France", "en Île-de-France", 20),
    ("Auvergne-Rhône-Alpes", "en Auvergne-Rhône-Alpes", 12),
    ("Provence-Alpes-Côte d'Azur", "en Provence-Alpes-Côte d'Azur", 10),
    ("Occitanie", "en Occitanie", 9),
    ("Nouvelle-Aquitaine", "en Nouvelle-Aquitaine", 9),
    ("Bretagne", "en Bretagne", 8),
    ("Hauts-de-France", "dans les Hauts-de-France", 7),
    ("Grand Est", "dans le Grand Est", 6),
    ("Pays de la Loire", "dans les Pays de la Loire", 6),
    ("Normandie", "en Normandie", 5),
    ("Bourgogne-Franche-Comté", "en Bourgogne-Franche-Comté", 3),
    ("Centre-Val de Loire", "en Centre-Val de Loire", 3),
    ("Corse", "en Corse", 1),
    ("Guadeloupe", "en Guadeloupe", 1),
    ("Martinique", "en Martinique", 1),
    ("Guyane", "en Guyane", 1),
    ("La Réunion", "à La Réunion", 1),
    ("Mayotte", "à Mayotte", 1),
];

// ---------------------------------------------------------------------------------------------
// Name spaces: every name is a concatenation of one entry of each part of a form.
// ---------------------------------------------------------------------------------------------

type Form = &'static [&'static [&'static str]];
const SP: &[&str] = &[" "];

const FR_ROOTS: &[&str] = &[
    "Aubrelle",
    "Brévanne",
    "Castelnoir",
    "Chantemerle",
    "Corvignac",
    "Kervaux",
    "Montclar",
    "Rochebrune",
    "Valbrune",
    "Clairefont",
    "Estavel",
    "Hautrive",
    "Lagrange",
    "Malemort",
    "Marvejac",
    "Montsauve",
    "Noirval",
    "Orgeval",
    "Pradelles",
    "Puybrun",
    "Roquevaire",
    "Sablonnières",
    "Sauveterre",
    "Tourville",
    "Vauclair",
    "Villecroze",
    "Brisac",
    "Carvin",
    "Dolmont",
    "Escoublac",
    "Ferrals",
    "Gourdon",
    "Jarnac",
    "Lambesc",
    "Mirande",
    "Nérac",
    "Oloron",
    "Penvénan",
    "Quintin",
    "Rieumes",
    "Saugues",
    "Tournon",
    "Uzerche",
    "Vendres",
    "Ambrières",
    "Belcastel",
    "Cordemais",
    "Damvix",
    "Entraigues",
    "Florac",
    "Grignan",
    "Hennebont",
    "Josselin",
    "Lanvéoc",
    "Morlanne",
    "Nozeroy",
    "Ornans",
    "Plouvara",
    "Rosporden",
    "Salers",
    "Trégastel",
    "Varades",
    "Vézelay",
    "Yzeure",
    "Arlempdes",
    "Bonnieux",
    "Collobrières",
    "Duras",
    "Espalion",
    "Figeac",
    "Guérande",
    "Lectoure",
    "Marciac",
    "Navarrenx",
    "Olargues",
    "Pérouges",
    "Kerbriac",
    "Lanmérin",
    "Plouzévet",
    "Trévalec",
    "Montferrand",
    "Beaupréau",
    "Clairvaux",
    "Fontanès",
    "Gravelotte",
    "Lormeau",
    "Merville",
    "Pontorson",
    "Rocheval",
    "Vernassac",
];
const FR_PREF: &[&str] =
    &["Saint-", "Sainte-", "Le ", "La ", "Mont-", "Val-", "Pont-", "Bourg-", "Port-", "Villeneuve-", "Roche-", "Fort-"];
const FR_SUFF: &[&str] = &[
    "-sur-Mer",
    "-sur-Loire",
    "-sur-Rhône",
    "-en-Vallée",
    "-les-Bains",
    "-le-Château",
    "-la-Forêt",
    "-sur-Garonne",
    "-en-Bocage",
    "-des-Prés",
    "-la-Rivière",
    "-sur-Vire",
    "-en-Argonne",
    "-le-Vieux",
    "-les-Dunes",
    "-du-Lac",
    "-sur-Dordogne",
    "-en-Provence",
    "-la-Montagne",
    "-sur-Seine",
];
const FR_TOWNS: &[Form] = &[&[FR_ROOTS], &[FR_PREF, FR_ROOTS], &[FR_ROOTS, FR_SUFF], &[FR_PREF, FR_ROOTS, FR_SUFF]];

const DE_R: &[&str] = &[
    "Alt", "Bern", "Birk", "Dorn", "Eichen", "Falken", "Grün", "Hasel", "Kirch", "Linden", "Mühl", "Rosen", "Sonnen",
    "Stein", "Tann", "Wald", "Weiden", "Wolfs", "Lauter", "Eller", "Hohen", "Buchen", "Erlen", "Fichten", "Hirsch",
    "Kranich", "Lerchen", "Marien", "Otter", "Reh",
];
const DE_E: &[&str] = &[
    "burg", "hausen", "heim", "dorf", "feld", "bach", "stadt", "berg", "au", "ingen", "rode", "hagen", "furt", "brück",
    "see", "wald", "tal", "stedt", "lingen", "kirchen",
];
const DE_P: &[&str] = &["Bad ", "Groß-", "Klein-", "Markt ", "Neu-"];
const DE_Q: &[&str] =
    &[" am Main", " am Neckar", " an der Lahn", " am Rhein", " an der Ilm", " im Tal", " am See", " an der Weser"];
const DE_TOWNS: &[Form] = &[&[DE_R, DE_E], &[DE_P, DE_R, DE_E], &[DE_R, DE_E, DE_Q], &[DE_P, DE_R, DE_E, DE_Q]];

const IT_A: &[&str] = &[
    "Castel", "Monte", "Villa", "Borgo", "Rocca", "Poggio", "Colle", "Pieve", "Torre", "Porto", "Ponte", "Fonte",
    "Serra", "Casal", "Campo", "Lago",
];
const IT_B: &[&str] = &[
    "franco", "verde", "bello", "alto", "nuovo", "rosso", "fiore", "marino", "chiaro", "lungo", "dolce", "vecchio",
    "sereno", "grande", "piano", "santo", "luce", "mare",
];
const IT_Q: &[&str] = &[
    " di Sopra",
    " di Sotto",
    " Marittima",
    " Terme",
    " al Mare",
    " Scalo",
    " sul Po",
    " in Valle",
    " d'Arda",
    " Ligure",
    " Veneto",
    " Calabro",
    " Irpino",
    " Sabino",
    " Umbro",
];
const IT_SAN: &[&str] = &["San "];
const IT_SANTA: &[&str] = &["Santa "];
const IT_SM: &[&str] = &[
    "Giorgio", "Martino", "Lorenzo", "Vito", "Pietro", "Donato", "Mauro", "Felice", "Marco", "Biagio", "Cosimo",
    "Leucio", "Severino", "Gavino", "Romualdo",
];
const IT_SF: &[&str] =
    &["Lucia", "Marinella", "Agata", "Rosalia", "Teresa", "Cristina", "Severa", "Flavia", "Giusta", "Vittoria"];
const IT_TOWNS: &[Form] = &[
    &[IT_A, IT_B],
    &[IT_SAN, IT_SM],
    &[IT_SANTA, IT_SF],
    &[IT_A, IT_B, IT_Q],
    &[IT_SAN, IT_SM, IT_Q],
    &[IT_SANTA, IT_SF, IT_Q],
];

const ES_A: &[&str] = &[
    "Villa", "Torre", "Puebla", "Castro", "Fuente", "Valde", "Monte", "Vega", "Campo", "Puerto", "Peña", "Alba",
    "Cabeza", "Olivar",
];
const ES_B: &[&str] = &[
    "nueva", "alta", "rubia", "clara", "serena", "blanca", "seca", "mayor", "real", "hermosa", "dorada", "fría",
    "larga", "llana",
];
const ES_Q: &[&str] = &[
    " de la Sierra",
    " del Río",
    " de Campos",
    " de los Ríos",
    " del Mar",
    " de Arriba",
    " de Abajo",
    " del Monte",
    " de la Vega",
    " de Duero",
    " del Tajo",
    " de Segura",
    " del Campo",
    " de la Frontera",
];
const ES_SAN: &[&str] = &["San "];
const ES_SM: &[&str] =
    &["Martín", "Vicente", "Andrés", "Esteban", "Ildefonso", "Millán", "Cristóbal", "Bartolomé", "Julián", "Roque"];
const ES_TOWNS: &[Form] = &[&[ES_A, ES_B], &[ES_SAN, ES_SM], &[ES_A, ES_B, ES_Q], &[ES_SAN, ES_SM, ES_Q]];

const PT_A: &[&str] =
    &["Vila", "Torre", "Monte", "Porto", "Ponte", "Rio", "Castelo", "Quinta", "Serra", "Vale", "Alto", "Campo"];
const PT_B: &[&str] =
    &["Nova", "Verde", "Branca", "Alta", "Real", "Formosa", "Seca", "Grande", "Velha", "Longa", "Clara", "Bela"];
const PT_Q: &[&str] = &[
    " de Baixo",
    " de Cima",
    " do Mar",
    " da Serra",
    " do Douro",
    " do Tejo",
    " do Minho",
    " da Ribeira",
    " do Campo",
    " das Flores",
];
const PT_TOWNS: &[Form] = &[&[PT_A, SP, PT_B], &[PT_A, SP, PT_B, PT_Q]];

const NL_A: &[&str] = &[
    "Oost", "West", "Noord", "Zuid", "Hoog", "Nieuw", "Oud", "Groot", "Klein", "Berg", "Zand", "Water", "Veen",
    "Linde", "Eik", "Brug",
];
const NL_B: &[&str] = &[
    "dam", "hoven", "wijk", "veen", "horst", "broek", "dijk", "burg", "zand", "meer", "huizen", "drecht", "sloot",
    "kerk", "voort", "rode",
];
const NL_Q: &[&str] = &[" aan Zee", " aan de Rijn", " aan de Maas", " aan de IJssel", " op Zoom", " aan de Vecht"];
const NL_TOWNS: &[Form] = &[&[NL_A, NL_B], &[NL_A, NL_B, NL_Q]];

const PL_A: &[&str] = &[
    "Biało", "Czarno", "Zielono", "Nowo", "Staro", "Wysoko", "Dobro", "Jasno", "Krasno", "Sucho", "Lipo", "Brzezi",
    "Dębo", "Mało", "Wielo", "Grodzi",
];
const PL_B: &[&str] =
    &["gród", "wola", "pole", "brzeg", "górze", "las", "łęka", "bór", "dwór", "wice", "ków", "sko", "rzecze", "stok"];
const PL_Q: &[&str] =
    &[" Wielki", " Mały", " Górny", " Dolny", " nad Wisłą", " nad Odrą", " Śląski", " Pomorski", " Mazowiecki"];
const PL_TOWNS: &[Form] = &[&[PL_A, PL_B], &[PL_A, PL_B, PL_Q]];

const SL_A: &[&str] = &[
    "Bela", "Stara", "Nova", "Zlata", "Dobra", "Krasna", "Velika", "Mala", "Gorna", "Dolna", "Sveta", "Visoka", "Tiha",
    "Jasna",
];
const SL_B: &[&str] =
    &["Gora", "Reka", "Polje", "Voda", "Lipa", "Breza", "Dolina", "Vas", "Hrad", "Brod", "Selo", "Most", "Luka", "Ves"];
const SL_Q: &[&str] =
    &[" pri Savi", " na Dunavu", " nad Vltavou", " pod Tatrami", " na Moravi", " pri Dravi", " na Dnipru"];
const SLAV_TOWNS: &[Form] = &[&[SL_A, SP, SL_B], &[SL_A, SP, SL_B, SL_Q]];

const NO_A: &[&str] = &[
    "Björk", "Ek", "Lind", "Sjö", "Strand", "Fjell", "Vik", "Holm", "Ask", "Gran", "Hav", "Sol", "Norr", "Söder",
    "Väster", "Öster", "Lunde", "Kalla", "Järv", "Ulv",
];
const NO_B: &[&str] = &[
    "vik", "by", "holm", "berga", "sund", "dal", "fors", "köping", "strand", "nes", "lund", "havn", "fjord", "ö",
    "heimen", "stad", "rud", "vall",
];
const NO_Q: &[&str] = &[" Norra", " Södra", " Östra", " Västra", " Nya"];
const FI_A: &[&str] =
    &["Järvi", "Koski", "Mäki", "Salo", "Vuori", "Lahti", "Niemi", "Harju", "Kallio", "Metsä", "Rauta", "Kivi"];
const FI_B: &[&str] = &["nen", "la", "kylä", "koski", "järvi", "mäki", "niemi", "salmi", "ranta", "vaara"];
const FI_Q: &[&str] = &[" Pohjoinen", " Etelä", " Itä", " Länsi"];
const NORD_TOWNS: &[Form] = &[&[NO_A, NO_B], &[FI_A, FI_B], &[NO_A, NO_B, NO_Q], &[FI_A, FI_B, FI_Q]];

const AN_A: &[&str] = &[
    "Ash", "Brook", "Castle", "Elm", "Fair", "Glen", "Green", "Hay", "Hollow", "Kings", "Lark", "Mill", "North", "Oak",
    "Red", "Stan", "Thorn", "West", "Wick", "Wood",
];
const AN_B: &[&str] = &[
    "bridge", "bury", "field", "ford", "ham", "haven", "ley", "mouth", "port", "stead", "ton", "wich", "wood", "worth",
    "more", "dale",
];
const AN_Q: &[&str] = &[" upon Tyne", " on Sea", " Vale", " Falls", " Heights", " Springs"];
const ANGLO_TOWNS: &[Form] = &[&[AN_A, AN_B], &[AN_A, AN_B, AN_Q]];

const GE_A: &[&str] = &[
    "Kala", "Ano", "Neo", "Agia", "Platy", "Kato", "Paleo", "Lefko", "Argo", "Dravo", "Valea", "Satu", "Kara", "Baia",
    "Arda", "Szent", "Nagy", "Deli",
];
const GE_B: &[&str] = &[
    "polis", "nia", "ritsa", "kastro", "chori", "poli", "mare", "nesti", "ova", "kent", "lar", "vár", "falva", "hely",
    "ești", "dere",
];
const GE_Q: &[&str] = &[" Nou", " Vechi", " Anatoliki", " Dytiki", " Nea"];
const GEN_TOWNS: &[Form] = &[&[GE_A, GE_B], &[GE_A, GE_B, GE_Q]];

const TOWN_SPACES: [&[Form]; 11] = [
    FR_TOWNS,
    DE_TOWNS,
    IT_TOWNS,
    ES_TOWNS,
    PT_TOWNS,
    NL_TOWNS,
    PL_TOWNS,
    SLAV_TOWNS,
    NORD_TOWNS,
    ANGLO_TOWNS,
    GEN_TOWNS,
];

// SME brands.
const FR_W1: &[&str] = &[
    "Sentinelle",
    "Vigie",
    "Rempart",
    "Égide",
    "Phare",
    "Boussole",
    "Bastion",
    "Écluse",
    "Balise",
    "Sémaphore",
    "Horizon",
    "Vigilance",
    "Garde",
    "Armure",
    "Bouclier",
    "Clairvoie",
    "Lucarne",
    "Prisme",
    "Faisceau",
    "Onde",
    "Repère",
    "Alizé",
    "Mistral",
    "Azur",
    "Granit",
    "Silex",
    "Cobalt",
    "Argos",
    "Nautile",
    "Hermine",
    "Héron",
    "Faucon",
    "Lynx",
    "Chouette",
    "Castor",
    "Éclaireur",
    "Vigile",
    "Veilleur",
    "Tocsin",
    "Beffroi",
    "Donjon",
    "Créneau",
    "Herse",
    "Échauguette",
    "Falaise",
    "Estran",
    "Marée",
    "Boréal",
    "Zénith",
    "Méridien",
    "Orée",
    "Lisière",
    "Sillage",
    "Amarre",
    "Ancre",
    "Gouvernail",
    "Noroît",
    "Suroît",
    "Goéland",
    "Cormoran",
];
const FR_W2: &[&str] = &[
    "Numérique",
    "Systèmes",
    "Technologies",
    "Analytique",
    "Sécurité",
    "Données",
    "Solutions",
    "Réseaux",
    "Ingénierie",
    "Cyberdéfense",
    "Capteurs",
    "Intelligence",
    "Informatique",
    "Résilience",
    "Robotique",
    "Services",
    "Conseil",
    "Innovation",
    "Industrie",
    "Vision",
    "Détection",
    "Protection",
    "Télécom",
    "Signaux",
    "Électronique",
    "Logiciels",
    "Instruments",
    "Surveillance",
    "Défense",
    "Connectique",
];
const FR_Q: &[&str] = &[
    "Atlantique",
    "Méditerranée",
    "Alpes",
    "Armor",
    "Provence",
    "Grand Ouest",
    "Bretagne",
    "Normandie",
    "Rhône",
    "Loire",
    "Aquitaine",
    "Val de Seine",
    "Pyrénées",
    "Vosges",
    "Jura",
    "Champagne",
    "Flandres",
    "Auvergne",
    "Océan",
    "Sud",
];
const FR_CP: &[&str] = &[
    "Vigi", "Sécu", "Géo", "Hydro", "Pyro", "Thermo", "Sono", "Radio", "Télé", "Opti", "Neuro", "Ondi", "Kera", "Armo",
    "Lumi", "Sylva", "Aéro", "Carto", "Méca", "Électro", "Crypto", "Nano", "Clima", "Sismo", "Tecto", "Océa", "Marti",
    "Terra", "Dura", "Vala",
];
const FR_CS: &[&str] = &[
    "lys", "tek", "gard", "line", "nov", "sens", "flux", "log", "val", "ria", "cia", "nox", "rix", "tis", "dis", "ven",
    "lia", "mos", "vis", "zen",
];
const FR_BRANDS: &[Form] = &[
    &[FR_CP, FR_CS],
    &[FR_W1, SP, FR_W2],
    &[FR_CP, FR_CS, SP, FR_W2],
    &[FR_W1, SP, FR_W2, SP, FR_Q],
    &[FR_CP, FR_CS, SP, FR_W2, SP, FR_Q],
];

const IN_W1: &[&str] = &[
    "Aegis",
    "Sentinel",
    "Beacon",
    "Vigil",
    "Aurora",
    "Halo",
    "Nexus",
    "Argus",
    "Rampart",
    "Harbor",
    "Lumen",
    "Vector",
    "Quantum",
    "Polaris",
    "Falcon",
    "Kestrel",
    "Osprey",
    "Graphite",
    "Meridian",
    "Summit",
    "Apex",
    "Keystone",
    "Bulwark",
    "Watchtower",
    "Lighthouse",
    "Compass",
    "Anchor",
    "Tundra",
    "Fjord",
    "Delta",
    "Sigma",
    "Halcyon",
    "Spectra",
    "Ember",
    "Kinetic",
    "Cipher",
    "Cortex",
    "Northwind",
    "Bluewater",
    "Ironclad",
    "Redoubt",
    "Outpost",
    "Lodestar",
    "Skyline",
    "Stonewall",
    "Vanguard",
    "Paladin",
    "Aspen",
    "Cedar",
    "Basalt",
    "Obsidian",
    "Onyx",
    "Quartz",
    "Volta",
    "Photon",
    "Pulsar",
    "Quasar",
    "Nimbus",
    "Cirrus",
    "Stratus",
];
const IN_W2: &[&str] = &[
    "Security",
    "Systems",
    "Analytics",
    "Labs",
    "Dynamics",
    "Sensing",
    "Networks",
    "Robotics",
    "Shield",
    "Insight",
    "Defence",
    "Data",
    "Cyber",
    "Tech",
    "Software",
    "Platforms",
    "Devices",
    "Monitoring",
    "Optics",
    "Signals",
    "Engineering",
    "Automation",
    "Cloud",
    "Logic",
    "Guard",
    "Metrics",
    "Telematics",
    "Photonics",
    "Radar",
    "Forensics",
];
const IN_Q: &[&str] = &[
    "Europe",
    "Nordic",
    "Baltic",
    "Alpine",
    "Iberia",
    "Adriatic",
    "Danube",
    "Atlantic",
    "Rhine",
    "Carpathian",
    "Aegean",
    "Benelux",
    "Mediterranean",
    "Central",
    "North",
    "East",
    "West",
    "South",
    "International",
    "Partners",
];
const IN_CP: &[&str] = &[
    "Cyb", "Quan", "Sec", "Nex", "Ver", "Astr", "Zen", "Kry", "Vel", "Or", "Syn", "Omn", "Xen", "Ter", "Hex", "Ultr",
    "Ard", "Cirr", "Dyn", "Elev", "Flux", "Gryph", "Hel", "Inn", "Jun", "Kin", "Lum", "Mir", "Nov", "Prax",
];
const IN_CS: &[&str] = &[
    "ix", "on", "ora", "ex", "ium", "ify", "ica", "io", "ara", "is", "ion", "eon", "ar", "os", "um", "ity", "ia",
    "ent", "ax", "era",
];
const IN_BRANDS: &[Form] = &[
    &[IN_CP, IN_CS],
    &[IN_W1, SP, IN_W2],
    &[IN_CP, IN_CS, SP, IN_W2],
    &[IN_W1, SP, IN_W2, SP, IN_Q],
    &[IN_CP, IN_CS, SP, IN_W2, SP, IN_Q],
];

// Large-company brands.
const LG_GROUPE: &[&str] = &["Groupe "];
const LG_FR_P: &[&str] = &[
    "Astr", "Merid", "Atlan", "Hexag", "Sopr", "Vall", "Capt", "Arch", "Orph", "Cass", "Gall", "Lut", "Bor", "Sever",
    "Domin", "Aster",
];
const LG_FR_M: &[&str] = &["an", "el", "or", "ir", "ul", "en", "av", "ol"];
const LG_FR_S: &[&str] = &["ion", "ia", "ys", "éon", "ar", "is", "um", "ène", "or", "al"];
const LG_FR_T: &[&str] = &[" Industries", " Défense", " Systèmes", " Énergie", " Infrastructures", " Technologies"];
const LG_FR: &[Form] = &[
    &[LG_GROUPE, LG_FR_P, LG_FR_S],
    &[LG_FR_P, LG_FR_S, LG_FR_T],
    &[LG_GROUPE, LG_FR_P, LG_FR_M, LG_FR_S],
    &[LG_FR_P, LG_FR_M, LG_FR_S, LG_FR_T],
];
const LG_IN_P: &[&str] = &[
    "Ster", "Vorn", "Kald", "Brix", "Torv", "Hald", "Mark", "Wend", "Strat", "Fern", "Gald", "Rhen", "Morav", "Dunm",
    "Elb", "Oder",
];
const LG_IN_M: &[&str] = &["an", "el", "or", "ir", "ul", "en", "av", "ol"];
const LG_IN_S: &[&str] = &["ex", "ian", "ora", "is", "ar", "on", "ium", "ane", "eus", "ant"];
const LG_IN_T: &[&str] =
    &[" Group", " Industries", " Defence", " Systems", " Energy", " Infrastructure", " Technologies"];
const LG_IN: &[Form] = &[&[LG_IN_P, LG_IN_S, LG_IN_T], &[LG_IN_P, LG_IN_M, LG_IN_S, LG_IN_T]];

// Offer product names.
const PROD_A: &[&str] = &[
    "Sky", "Hydro", "Cyber", "Vigi", "Geo", "Aqua", "Pyro", "Crowd", "Grid", "Safe", "Trace", "Alert", "Sense",
    "Shield", "Twin", "Flux",
];
const PROD_B: &[&str] =
    &["Watch", "Guard", "Sense", "Scope", "Alert", "Link", "Eye", "Pulse", "Net", "Map", "Lens", "Track"];

// Person names by style (common first and last names, combined at random: no real person).
const FIRST: [&[&str]; 10] = [
    &[
        "Camille",
        "Julien",
        "Claire",
        "Nicolas",
        "Sophie",
        "Thomas",
        "Élodie",
        "Mathieu",
        "Isabelle",
        "Antoine",
        "Nathalie",
        "Guillaume",
        "Céline",
        "Sébastien",
        "Aurélie",
        "Hélène",
        "Pierre",
        "Marion",
        "Yann",
        "Gaëlle",
        "Laurent",
        "Anne",
        "Benoît",
        "Chloé",
        "François",
        "Léa",
        "Olivier",
        "Manon",
        "Rémi",
        "Inès",
    ],
    &[
        "Lukas",
        "Anna",
        "Jonas",
        "Laura",
        "Felix",
        "Katharina",
        "Maximilian",
        "Julia",
        "Tobias",
        "Lena",
        "Stefan",
        "Sabine",
        "Florian",
        "Miriam",
        "Jan",
        "Franziska",
    ],
    &[
        "Marco",
        "Giulia",
        "Alessandro",
        "Francesca",
        "Luca",
        "Chiara",
        "Matteo",
        "Sara",
        "Davide",
        "Elena",
        "Paolo",
        "Valentina",
        "Stefano",
        "Martina",
    ],
    &[
        "Javier",
        "Lucía",
        "Pablo",
        "Carmen",
        "Alejandro",
        "María",
        "Diego",
        "Elena",
        "Sergio",
        "Laura",
        "Álvaro",
        "Marta",
        "Jorge",
        "Nuria",
    ],
    &["João", "Ana", "Pedro", "Inês", "Tiago", "Mariana", "Rui", "Catarina", "Miguel", "Beatriz", "Nuno", "Sofia"],
    &[
        "Daan", "Sanne", "Bram", "Lotte", "Pieter", "Eva", "Thijs", "Femke", "Joost", "Anouk", "Wouter", "Lieke",
        "Maarten", "Sofie",
    ],
    &[
        "Piotr",
        "Anna",
        "Tomasz",
        "Katarzyna",
        "Marek",
        "Agnieszka",
        "Jakub",
        "Petra",
        "Ivan",
        "Jana",
        "Luka",
        "Marija",
        "Tomáš",
        "Olena",
        "Nikola",
        "Ewa",
    ],
    &[
        "Erik",
        "Anna",
        "Lars",
        "Ingrid",
        "Mikko",
        "Aino",
        "Johan",
        "Sara",
        "Henrik",
        "Maja",
        "Jonas",
        "Kaisa",
        "Oskar",
        "Liis",
        "Mārtiņš",
        "Rasa",
    ],
    &["James", "Emma", "Liam", "Olivia", "Conor", "Aoife", "Daniel", "Sarah", "Michael", "Grace", "David", "Hannah"],
    &[
        "Nikos", "Eleni", "Giorgos", "Maria", "Andrei", "Ioana", "Mihai", "Elena", "Zsófia", "Gábor", "Mehmet", "Ayşe",
        "Emre", "Zeynep", "Dimitra", "Bence",
    ],
];
const LAST: [&[&str]; 10] = [
    &[
        "Martin",
        "Bernard",
        "Dubois",
        "Thomas",
        "Robert",
        "Richard",
        "Petit",
        "Durand",
        "Leroy",
        "Moreau",
        "Simon",
        "Laurent",
        "Lefebvre",
        "Michel",
        "Garcia",
        "David",
        "Bertrand",
        "Roux",
        "Vincent",
        "Fournier",
        "Morel",
        "Girard",
        "André",
        "Mercier",
        "Dupont",
        "Lambert",
        "Bonnet",
        "François",
        "Le Gall",
        "Kerbrat",
        "Le Goff",
        "Guillou",
        "Fabre",
        "Chevalier",
        "Gauthier",
        "Perrin",
        "Masson",
        "Marchand",
        "Rolland",
        "Lemoine",
    ],
    &[
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Schulz",
        "Hoffmann",
        "Koch",
        "Richter",
        "Klein",
        "Wolf",
        "Neumann",
        "Braun",
        "Huber",
        "Gruber",
    ],
    &[
        "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno",
        "Gallo", "Conti", "De Luca", "Costa", "Fontana",
    ],
    &[
        "García",
        "Fernández",
        "González",
        "Rodríguez",
        "López",
        "Martínez",
        "Sánchez",
        "Pérez",
        "Gómez",
        "Ruiz",
        "Díaz",
        "Moreno",
        "Álvarez",
        "Romero",
        "Navarro",
        "Torres",
    ],
    &[
        "Silva",
        "Santos",
        "Ferreira",
        "Pereira",
        "Oliveira",
        "Costa",
        "Rodrigues",
        "Martins",
        "Sousa",
        "Fernandes",
        "Gonçalves",
        "Lopes",
    ],
    &[
        "de Jong",
        "Jansen",
        "de Vries",
        "van den Berg",
        "van Dijk",
        "Bakker",
        "Visser",
        "Smit",
        "Meijer",
        "Peeters",
        "Janssens",
        "Maes",
        "Claes",
        "Willems",
    ],
    &[
        "Nowak",
        "Kowalski",
        "Wiśniewski",
        "Wójcik",
        "Kowalczyk",
        "Novák",
        "Svoboda",
        "Horvat",
        "Kovačić",
        "Petrović",
        "Jovanović",
        "Ivanov",
        "Shevchenko",
        "Kovalenko",
        "Dvořák",
        "Zieliński",
    ],
    &[
        "Andersson",
        "Johansson",
        "Karlsson",
        "Nilsson",
        "Hansen",
        "Johansen",
        "Jensen",
        "Nielsen",
        "Virtanen",
        "Korhonen",
        "Mäkinen",
        "Tamm",
        "Saar",
        "Bērziņš",
        "Kazlauskas",
        "Jónsson",
    ],
    &[
        "Smith",
        "Jones",
        "Taylor",
        "Brown",
        "Murphy",
        "Kelly",
        "Walsh",
        "O'Brien",
        "Wilson",
        "Evans",
        "Byrne",
        "Clarke",
        "Borg",
        "Camilleri",
    ],
    &[
        "Papadopoulos",
        "Georgiou",
        "Nikolaidis",
        "Popescu",
        "Ionescu",
        "Popa",
        "Nagy",
        "Kovács",
        "Tóth",
        "Yılmaz",
        "Kaya",
        "Demir",
        "Christodoulou",
        "Constantinou",
        "Szabó",
        "Dumitru",
    ],
];

// ---------------------------------------------------------------------------------------------
// Generic phrase banks
// ---------------------------------------------------------------------------------------------

/// Per-technology sentences for offers and SME descriptions.
const TECH_BLURBS: [&[P]; 6] = [
    &[
        (
            "Nos modèles d'apprentissage automatique sont entraînés sur des données de terrain et restent explicables pour les opérateurs.",
            "Our machine-learning models are trained on field data and remain explainable to operators.",
        ),
        (
            "L'IA est embarquée en périphérie pour limiter la latence et les transferts de données.",
            "AI runs at the edge to limit latency and data transfers.",
        ),
        (
            "Nous appliquons les exigences de l'AI Act : documentation, supervision humaine et évaluation des biais.",
            "We follow AI Act requirements: documentation, human oversight and bias assessment.",
        ),
    ],
    &[
        (
            "Nos équipes suivent les référentiels ISO/IEC 27001 et les exigences de la directive NIS2.",
            "Our teams follow ISO/IEC 27001 and the requirements of the NIS2 directive.",
        ),
        (
            "Chaque déploiement inclut une analyse de risques et un durcissement des configurations.",
            "Every deployment includes a risk analysis and configuration hardening.",
        ),
        (
            "Les données sont chiffrées de bout en bout et hébergées en Europe.",
            "Data is encrypted end to end and hosted in Europe.",
        ),
    ],
    &[
        (
            "Nos capteurs basse consommation fonctionnent plusieurs années sur batterie et communiquent en LoRaWAN, NB-IoT ou 5G.",
            "Our low-power sensors run for years on battery and communicate over LoRaWAN, NB-IoT or 5G.",
        ),
        (
            "Le matériel est conçu et assemblé en Europe, avec des mises à jour sécurisées à distance.",
            "Hardware is designed and assembled in Europe, with secure over-the-air updates.",
        ),
        (
            "Les capteurs s'installent sans travaux lourds, en quelques heures par site.",
            "Sensors install without heavy works, in a few hours per site.",
        ),
    ],
    &[
        (
            "Notre plateforme d'analyse de données agrège des sources hétérogènes et produit des tableaux de bord en temps réel.",
            "Our data analytics platform aggregates heterogeneous sources into real-time dashboards.",
        ),
        (
            "Les données restent la propriété du client et sont exportables via des API ouvertes.",
            "Customers keep ownership of their data, which can be exported through open APIs.",
        ),
        (
            "Des indicateurs prédictifs aident les équipes à prioriser leurs actions.",
            "Predictive indicators help teams prioritise their actions.",
        ),
    ],
    &[
        (
            "Nos solutions répondent aux exigences des opérateurs d'importance vitale et de la directive sur la résilience des entités critiques (CER).",
            "Our solutions meet the requirements of critical infrastructure operators and the Critical Entities Resilience (CER) Directive.",
        ),
        (
            "Nous accompagnons l'intégration dans les systèmes de supervision existants sans interruption de service.",
            "We integrate with existing supervision systems without service interruption.",
        ),
        (
            "La redondance matérielle et logicielle garantit une disponibilité supérieure à 99,9 %.",
            "Hardware and software redundancy guarantees availability above 99.9%.",
        ),
    ],
    &[
        (
            "Nos outils suivent la doctrine de gestion de crise et s'adaptent aux plans ORSEC et aux plans communaux de sauvegarde.",
            "Our tools follow crisis-management doctrine and fit national and local emergency plans.",
        ),
        (
            "L'interface est pensée pour une prise en main en moins d'une heure par des équipes sous stress.",
            "The interface is designed so that teams under stress can learn it in under an hour.",
        ),
        (
            "Des exercices de simulation sont inclus pour entraîner les équipes avant une crise réelle.",
            "Simulation exercises are included to train teams before a real crisis.",
        ),
    ],
];

const OFFER_PROOF: &[P] = &[
    ("Solution déjà déployée chez {n} clients en Europe.", "Already deployed with {n} customers in Europe."),
    (
        "Démonstrateur validé en conditions réelles en {y} (TRL {trl}).",
        "Demonstrator validated in real conditions in {y} (TRL {trl}).",
    ),
    (
        "Lauréate d'un appel à projets d'innovation en {y}, la solution a été testée sur {n} sites.",
        "Winner of an innovation call in {y}, the solution has been tested at {n} sites.",
    ),
    (
        "Nous proposons un pilote de {mo} mois avec formation des équipes et accompagnement.",
        "We offer a pilot of {mo} months including staff training and support.",
    ),
    (
        "Prototype de laboratoire (TRL {trl}) prêt pour une première expérimentation sur site.",
        "Lab prototype (TRL {trl}) ready for a first on-site trial.",
    ),
];
const OFFER_EXTRA: &[P] = &[
    ("Déploiement sur site ou en cloud souverain, au choix.", "Deployment on premises or in a sovereign cloud."),
    (
        "Interopérable via des API ouvertes et des formats standards.",
        "Interoperable through open APIs and standard formats.",
    ),
    ("Tarification modulaire adaptée aux petites structures.", "Modular pricing suited to smaller organisations."),
    (
        "Support en français et en anglais, 24 h/24 pour les incidents critiques.",
        "Support in French and English, 24/7 for critical incidents.",
    ),
    (
        "Conforme au RGPD, avec analyse d'impact fournie.",
        "GDPR-compliant, with a data protection impact assessment provided.",
    ),
];
const NEED_PILOT: &[P] = &[
    (
        "Le pilote durera {mo} mois, avec un comité de suivi associant nos équipes opérationnelles.",
        "The pilot will last {mo} months, with a steering group involving our operational teams.",
    ),
    (
        "Nous mettons à disposition un site d'expérimentation et un référent opérationnel pendant {mo} mois.",
        "We provide a test site and an operational contact for {mo} months.",
    ),
    (
        "Une expérimentation de {mo} mois est envisagée, avec un retour d'expérience partagé avec d'autres utilisateurs finaux.",
        "A trial of {mo} months is planned, with lessons shared with other end users.",
    ),
];
const NEED_CONSTRAINT: &[P] = &[
    ("Les données doivent rester hébergées dans l'Union européenne.", "Data must stay hosted in the European Union."),
    ("Une formation de nos agents est attendue.", "Training for our staff is expected."),
    (
        "Le coût de fonctionnement après le pilote doit rester compatible avec un budget public.",
        "Running costs after the pilot must fit a public budget.",
    ),
    ("Nous privilégions les solutions interopérables et ouvertes.", "We favour interoperable, open solutions."),
    (
        "Une première démonstration à distance est souhaitée avant le lancement.",
        "A first remote demonstration is welcome before kick-off.",
    ),
];
const NEED_SUFFIX: &[P] = &[
    (" – appel à solutions", " – call for solutions"),
    (" (pilote 2027)", " (2027 pilot)"),
    (" : recherche de solutions innovantes", ": looking for innovative solutions"),
    (" – expérimentation", " – field trial"),
];

const SME_INTRO: &[P] = &[
    (
        "{name} est une PME fondée en {fy} et basée {where}, spécialisée dans {techs}.",
        "{name} is an SME founded in {fy} and based in {where}, specialising in {techs}.",
    ),
    (
        "Basée {where}, {name} conçoit des solutions de sécurité depuis {fy} ; ses domaines d'expertise : {techs}.",
        "Based in {where}, {name} has been building security solutions since {fy}, with expertise in {techs}.",
    ),
    (
        "Fondée en {fy}, {name} est une entreprise innovante implantée {where} qui met {techs} au service de la sécurité.",
        "Founded in {fy}, {name} is an innovative company based in {where}, applying {techs} to security.",
    ),
];
const SME_GIST: &[P] = &[
    ("Son produit phare répond à un besoin précis : {gist}.", "Its flagship product addresses one clear need: {gist}."),
    ("Notre cœur de métier : {gist}.", "Our core business: {gist}."),
];
const SME_TEAM: &[P] = &[
    (
        "L'équipe compte {staff} personnes, majoritairement ingénieurs et docteurs.",
        "The team counts {staff} people, mostly engineers and PhDs.",
    ),
    (
        "Nous sommes {staff} collaborateurs répartis entre R&D, intégration et support.",
        "We are {staff} people across R&D, integration and support.",
    ),
];
const SME_REFS: &[P] = &[
    (
        "Nos clients incluent des collectivités, des hôpitaux et des opérateurs d'importance vitale.",
        "Our customers include local authorities, hospitals and critical infrastructure operators.",
    ),
    (
        "Nous avons réalisé {n} déploiements en Europe depuis {y}.",
        "We have completed {n} deployments in Europe since {y}.",
    ),
    (
        "Certifiée ISO/IEC 27001, l'entreprise est membre d'un pôle de compétitivité sécurité.",
        "ISO/IEC 27001 certified, the company is a member of a security innovation cluster.",
    ),
];
const SME_AMBITION: &[P] = &[
    (
        "Nous cherchons des utilisateurs finaux pour co-construire des pilotes dans le cadre d'appels européens comme CITADEL.",
        "We are looking for end users to co-design pilots under European calls such as CITADEL.",
    ),
    (
        "Notre ambition : passer du démonstrateur au déploiement à l'échelle européenne.",
        "Our goal is to move from demonstrator to European-scale deployment.",
    ),
];
const EU_GENERIC: &[P] = &[
    (
        "Nous souhaitons expérimenter des solutions innovantes proposées par des PME européennes.",
        "We want to pilot innovative solutions from European SMEs.",
    ),
    (
        "Nous sommes prêts à accueillir un pilote dans le cadre de l'appel ouvert CITADEL.",
        "We are ready to host a pilot under the CITADEL open call.",
    ),
    (
        "Nos équipes opérationnelles participeront à la définition des besoins et à l'évaluation.",
        "Our operational teams will help define requirements and evaluate results.",
    ),
];
const RESEARCH_INTRO: &[P] = &[
    (
        "Laboratoire public de recherche basé {where}, nous travaillons sur {techs} avec {staff} chercheurs.",
        "A public research lab based in {where}, we work on {techs} with {staff} researchers.",
    ),
    (
        "Nos équipes transfèrent leurs résultats vers les PME et les utilisateurs finaux de la sécurité.",
        "Our teams transfer their results to SMEs and security end users.",
    ),
];
const LARGE_INTRO: &[P] = &[
    (
        "{name} est un groupe industriel présent dans {n} pays, qui intègre {techs} pour les infrastructures critiques.",
        "{name} is an industrial group active in {n} countries, integrating {techs} for critical infrastructure.",
    ),
    (
        "Le groupe s'associe volontiers à des PME innovantes pour des projets européens.",
        "The group readily partners with innovative SMEs on European projects.",
    ),
];
const CLUSTER_INTRO: &[P] = &[
    (
        "Cluster régional basé {where}, nous fédérons {c} PME, laboratoires et utilisateurs finaux de la sécurité.",
        "A regional cluster based in {where}, we bring together {c} SMEs, labs and security end users.",
    ),
    (
        "Nous accompagnons nos membres dans le montage de projets européens et la recherche de partenaires.",
        "We help our members build European projects and find partners.",
    ),
];
const OTHER_INTRO: &[P] = &[
    (
        "Association basée {where}, nous œuvrons pour la prévention des risques et la résilience des territoires.",
        "A non-profit based in {where}, we work on risk prevention and community resilience.",
    ),
    (
        "Nos bénévoles participent aux exercices de sécurité civile et à la sensibilisation du public.",
        "Our volunteers take part in civil protection exercises and public awareness campaigns.",
    ),
];

// ---------------------------------------------------------------------------------------------
// Small deterministic helpers
// ---------------------------------------------------------------------------------------------

type Rng8 = ChaCha8Rng;

const PLAN_SALT: u64 = 0x7A4D_E3C1_0B5F_9A21;
const ORG_SALT: u64 = 0x1F0C_2B7E_94D3_6A58;
const DUP_SALT: u64 = 0x5C3A_71E9_D2B8_0F46;
const REG_SALT: u64 = 0x0D9E_4F27_C6A1_B385;
const NAME_SALT: u64 = 0xB1E7_5A09_3C2D_F864;

const fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

const fn mix(a: u64, b: u64) -> u64 {
    splitmix(a ^ splitmix(b ^ 0x5851_F42D_4C95_7F2D))
}

/// Keyed bijection of `[0, domain)` (4-round Feistel network with cycle walking).
fn permute(x: u64, domain: u64, key: u64) -> u64 {
    if domain <= 1 {
        return 0;
    }
    let mut bits = 64 - (domain - 1).leading_zeros();
    bits = bits.max(2);
    if bits % 2 == 1 {
        bits += 1;
    }
    let half = bits / 2;
    let mask = (1u64 << half) - 1;
    let mut v = x % domain;
    loop {
        let mut l = v >> half;
        let mut r = v & mask;
        for round in 0..4u64 {
            let f = mix(key ^ round.wrapping_mul(0x0100_0000_01B3), r) & mask;
            let next = l ^ f;
            l = r;
            r = next;
        }
        v = (l << half) | r;
        if v < domain {
            return v;
        }
    }
}

fn below(rng: &mut Rng8, n: usize) -> usize {
    if n <= 1 { 0 } else { rng.random_range(0..n as u64) as usize }
}

fn pick<'a, T>(rng: &mut Rng8, xs: &'a [T]) -> &'a T {
    &xs[below(rng, xs.len())]
}

fn chance(rng: &mut Rng8, p: f64) -> bool {
    rng.random_bool(p)
}

fn between(rng: &mut Rng8, lo: u32, hi: u32) -> u32 {
    if hi <= lo { lo } else { rng.random_range(lo..=hi) }
}

fn shuffle<T>(rng: &mut Rng8, v: &mut [T]) {
    for i in (1..v.len()).rev() {
        let j = below(rng, i + 1);
        v.swap(i, j);
    }
}

/// Two distinct indices of `0..n` in random order (the second is `None` when `n < 2`).
fn two_distinct(rng: &mut Rng8, n: usize) -> (usize, Option<usize>) {
    let a = below(rng, n);
    if n < 2 {
        return (a, None);
    }
    (a, Some((a + 1 + below(rng, n - 1)) % n))
}

/// Exact integer quotas proportional to `weights` (largest remainder), summing to `n`.
fn quotas(n: usize, weights: &[u32]) -> Vec<usize> {
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum::<u64>().max(1);
    let n64 = n as u64;
    let mut counts: Vec<usize> = weights.iter().map(|&w| (n64 * u64::from(w) / total) as usize).collect();
    let assigned: usize = counts.iter().sum();
    let mut rest: Vec<(u64, usize)> =
        weights.iter().enumerate().map(|(i, &w)| ((n64 * u64::from(w)) % total, i)).collect();
    rest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in rest.iter().take(n.saturating_sub(assigned)) {
        counts[i] += 1;
    }
    counts
}

fn form_size(f: Form) -> u64 {
    f.iter().map(|p| p.len() as u64).product()
}

fn space_size(s: &[Form]) -> u64 {
    s.iter().map(|f| form_size(f)).sum()
}

/// Appends the `v`-th name of a space; within a form the longest part varies fastest.
fn decode_into(s: &[Form], mut v: u64, out: &mut String) {
    for f in s {
        let size = form_size(f);
        if v < size {
            let k = f.len().min(8);
            let mut order = [0usize, 1, 2, 3, 4, 5, 6, 7];
            order[..k].sort_unstable_by_key(|&j| (std::cmp::Reverse(f[j].len()), j));
            let mut idx = [0usize; 8];
            for &j in &order[..k] {
                let len = f[j].len() as u64;
                idx[j] = (v % len) as usize;
                v /= len;
            }
            for (j, part) in f.iter().take(k).enumerate() {
                out.push_str(part[idx[j]]);
            }
            return;
        }
        v -= size;
    }
}

// ---------------------------------------------------------------------------------------------
// Text folding (slugs, e-mail local parts, near-duplicate recognition)
// ---------------------------------------------------------------------------------------------

fn ascii_fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' | 'ă' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ą' | 'Ă' => {
            "a"
        }
        'æ' | 'Æ' => "ae",
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => "c",
        'ď' | 'đ' | 'ð' | 'Ď' | 'Đ' | 'Ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "e",
        'ğ' | 'ģ' | 'Ğ' | 'Ģ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'İ' => "i",
        'ķ' | 'Ķ' => "k",
        'ł' | 'ļ' | 'Ł' | 'Ļ' => "l",
        'ñ' | 'ń' | 'ň' | 'ņ' | 'Ñ' | 'Ń' | 'Ň' | 'Ņ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ő' => "o",
        'œ' | 'Œ' => "oe",
        'ř' | 'Ř' => "r",
        'ś' | 'š' | 'ş' | 'ș' | 'Ś' | 'Š' | 'Ş' | 'Ș' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' | 'Ť' | 'Ţ' | 'Ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => "u",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
        'þ' | 'Þ' => "th",
        _ => return None,
    })
}

/// Lowercase ASCII tokens of `s` (accents folded, every other character separates tokens).
fn fold_tokens(s: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut cur = String::new();
    for ch in s.chars() {
        if ch.is_ascii_alphanumeric() {
            cur.push(ch.to_ascii_lowercase());
        } else if let Some(rep) = ascii_fold(ch) {
            cur.push_str(rep);
        } else if !cur.is_empty() {
            tokens.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    tokens
}

/// `Écluse Données SAS` -> `ecluse-donnees-sas`, at most `max` characters, cut at a hyphen.
fn slug(s: &str, max: usize) -> String {
    let mut out = String::new();
    for t in fold_tokens(s) {
        if !out.is_empty() && out.len() + 1 + t.len() > max {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&t);
    }
    if out.is_empty() { "org".to_string() } else { out }
}

/// Website / e-mail domain label: at most 60 characters, without a dangling preposition.
fn site_slug(name: &str) -> String {
    let mut s = slug(name, 60);
    while let Some(pos) = s.rfind('-') {
        if matches!(&s[pos + 1..], "de" | "du" | "des" | "d" | "la" | "le" | "l" | "of" | "the" | "and" | "et") {
            s.truncate(pos);
        } else {
            break;
        }
    }
    s
}

/// French contractions after inserting a place name: `de Le X` -> `du X`, `de Aubrelle` -> `d'Aubrelle`.
fn fr_elide(s: &str) -> String {
    let s =
        s.replace(" de Le ", " du ").replace(" de Les ", " des ").replace(" à Le ", " au ").replace(" à Les ", " aux ");
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(pos) = rest.find(" de ") {
        let next = rest[pos + 4..].chars().next();
        out.push_str(&rest[..pos]);
        if next.is_some_and(|c| "AEIOUYÉÈÊÎÔÂÀŒ".contains(c)) {
            out.push_str(" d'");
        } else {
            out.push_str(" de ");
        }
        rest = &rest[pos + 4..];
    }
    out.push_str(rest);
    out
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn strip_fr_article(s: &str) -> &str {
    for article in ["le ", "la ", "les ", "l'"] {
        if let Some(rest) = s.strip_prefix(article) {
            return rest;
        }
    }
    s
}

/// Removes accents, keeping case: `Numérique` -> `Numerique`.
fn strip_accents(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ascii_fold(ch) {
            Some(rep) if ch.is_uppercase() => out.push_str(&rep.to_ascii_uppercase()),
            Some(rep) => out.push_str(rep),
            None => out.push(ch),
        }
    }
    out
}

/// Folded legal name: tokens of [`fold_tokens`] without a trailing legal form.
#[cfg(test)]
fn fold_legal_name(name: &str) -> String {
    static FORMS: std::sync::OnceLock<Vec<Vec<String>>> = std::sync::OnceLock::new();
    let forms = FORMS.get_or_init(|| COUNTRIES.iter().flat_map(|c| c.forms.iter().map(|f| fold_tokens(f))).collect());
    let mut tokens = fold_tokens(name);
    let mut best = 0usize;
    for ft in forms {
        if tokens.len() > ft.len() && tokens.ends_with(ft) {
            best = best.max(ft.len());
        }
    }
    tokens.truncate(tokens.len() - best);
    tokens.join(" ")
}

// ---------------------------------------------------------------------------------------------
// Text templates
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Default)]
struct Nums {
    n: u32,
    c: u32,
    m: u32,
    y: u32,
    p: u32,
    k: u32,
    h: u32,
    mo: u32,
    trl: u32,
    fy: u32,
    staff: u32,
    pop: u32,
    beds: u32,
}

impl Nums {
    fn draw(rng: &mut Rng8, trl: u32) -> Self {
        Nums {
            n: between(rng, 2, 12),
            c: between(rng, 20, 900),
            m: between(rng, 2, 30),
            y: between(rng, 2018, 2025),
            p: between(rng, 15, 60),
            k: between(rng, 1, 15),
            h: *pick(rng, &[24, 48, 72]),
            mo: *pick(rng, &[6, 9, 12, 12, 18]),
            trl,
            fy: between(rng, 1998, 2023),
            staff: between(rng, 5, 250),
            pop: between(rng, 3, 950),
            beds: between(rng, 150, 2500),
        }
    }
}

/// Values substituted into templates; pairs are (French, English).
#[derive(Clone, Copy)]
struct Vars<'a> {
    name: &'a str,
    t: &'a str,
    where_: (&'a str, &'a str),
    techs: (&'a str, &'a str),
    gist: P,
    asset: Asset,
    s: (&'a str, &'a str),
    nums: Nums,
}

impl<'a> Vars<'a> {
    fn new(nums: Nums) -> Self {
        Vars {
            name: "",
            t: "",
            where_: ("", ""),
            techs: ("", ""),
            gist: ("", ""),
            asset: GENERIC_ASSET,
            s: ("", ""),
            nums,
        }
    }

    fn write(&self, key: &str, fr: bool, out: &mut String) {
        use std::fmt::Write as _;
        let lang = |p: (&'a str, &'a str)| if fr { p.0 } else { p.1 };
        let n = &self.nums;
        let num = match key {
            "n" => n.n,
            "c" => n.c,
            "m" => n.m,
            "y" => n.y,
            "p" => n.p,
            "k" => n.k,
            "h" => n.h,
            "mo" => n.mo,
            "trl" => n.trl,
            "fy" => n.fy,
            "staff" => n.staff,
            "pop" => n.pop,
            "beds" => n.beds,
            _ => {
                let text = match key {
                    "le" => self.asset.0,
                    "de" => self.asset.1,
                    "a" => self.asset.2,
                    "s" => lang(self.s),
                    "t" => self.t,
                    "name" => self.name,
                    "where" => lang(self.where_),
                    "techs" => lang(self.techs),
                    "gist" => lang(self.gist),
                    _ => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                        return;
                    }
                };
                out.push_str(text);
                return;
            }
        };
        let _ = write!(out, "{num}");
    }

    fn fill_into(&self, tpl: &str, fr: bool, out: &mut String) {
        let mut rest = tpl;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            match after.find('}') {
                Some(end) => {
                    self.write(&after[..end], fr, out);
                    rest = &after[end + 1..];
                }
                None => {
                    out.push_str(&rest[start..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
    }

    fn fill(&self, tpl: P, fr: bool) -> String {
        let mut out = String::with_capacity(96);
        self.fill_into(if fr { tpl.0 } else { tpl.1 }, fr, &mut out);
        out
    }

    fn compose(&self, sentences: &[P], fr: bool) -> String {
        let mut out = String::with_capacity(sentences.len() * 110);
        for (i, s) in sentences.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            self.fill_into(if fr { s.0 } else { s.1 }, fr, &mut out);
        }
        out
    }
}

/// Collapses runs of spaces and trims (used when `{s}` is left empty).
fn tidy(s: String) -> String {
    if !s.contains("  ") && !s.ends_with(' ') {
        return s;
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn tech_list(mask: u8, first: u8, fr: bool) -> String {
    let mut items: Vec<&str> = Vec::with_capacity(3);
    let pick_label = |t: u8| if fr { TECH_LABELS[t as usize].0 } else { TECH_LABELS[t as usize].1 };
    if mask & (1 << first) != 0 {
        items.push(pick_label(first));
    }
    for t in 0..6u8 {
        if t != first && mask & (1 << t) != 0 && items.len() < 3 {
            items.push(pick_label(t));
        }
    }
    match items.len() {
        0 => String::new(),
        1 => items[0].to_string(),
        k => {
            let and = if fr { " et " } else { " and " };
            format!("{}{}{}", items[..k - 1].join(", "), and, items[k - 1])
        }
    }
}

fn ids<T: Copy + Into<u32>>(mask: T, table: &[&'static str]) -> Vec<&'static str> {
    let m: u32 = mask.into();
    table.iter().enumerate().filter(|(i, _)| m & (1 << i) != 0).map(|(_, s)| *s).collect()
}

// ---------------------------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------------------------

const F_PUBLISHED: u8 = 1;
const F_EMPTY: u8 = 2;
const F_DUP: u8 = 4;

#[derive(Clone, Copy)]
struct Slot {
    cat: u8,
    country: u8,
    flags: u8,
    /// Rank within the slot's naming group.
    rank: u32,
}

#[derive(Clone, Copy)]
struct PlantedNeed {
    eu: u32,
    scenario: u8,
    min_trl: u8,
    fr: bool,
}

#[derive(Clone, Copy)]
struct PlantedOffer {
    sme: u32,
    scenario: u8,
    trl: u8,
    fr: bool,
}

struct Dup {
    dup: u32,
    orig: u32,
    variant: u8,
}

struct Plan {
    seed: u64,
    slots: Vec<Slot>,
    group_counts: Vec<u32>,
    group_totals: Vec<u64>,
    /// Sorted by end user.
    needs: Vec<PlantedNeed>,
    /// Sorted by SME.
    offers: Vec<PlantedOffer>,
    /// Sorted by `dup`.
    dups: Vec<Dup>,
    pairs: Vec<PlantedPair>,
    by_sector: Vec<Vec<u8>>,
    by_tech: Vec<Vec<u8>>,
}

/// A rendered name.
struct Named {
    legal: String,
    /// Brand (SMEs and large companies) or legal name.
    brand: String,
    form: &'static str,
    town: String,
}

enum NameSpace {
    Brand(&'static [Form]),
    Town(&'static [&'static str], &'static [Form]),
}

fn name_style(cat: u8, country: &Country) -> usize {
    if cat == SME || cat == LARGE { if country.style == FR_S { FR_S } else { INTL_S } } else { country.style }
}

fn name_space(style: usize, cat: u8) -> NameSpace {
    let fr = style == FR_S;
    let towns = TOWN_SPACES[style.min(GEN_S)];
    let pick_lang = |p: (&'static [&'static str], &'static [&'static str])| if fr { p.0 } else { p.1 };
    match cat {
        SME => NameSpace::Brand(if fr { FR_BRANDS } else { IN_BRANDS }),
        LARGE => NameSpace::Brand(if fr { LG_FR } else { LG_IN }),
        RESEARCH => NameSpace::Town(pick_lang(RESEARCH_NAMES), towns),
        CLUSTER => NameSpace::Town(pick_lang(CLUSTER_NAMES), towns),
        OTHER => NameSpace::Town(pick_lang(OTHER_NAMES), towns),
        _ => {
            let eu = &EU_CATS[usize::from(cat.saturating_sub(FIRST_EU)).min(EU_CATS.len() - 1)];
            let templates = local_names(style, cat).unwrap_or(if fr { eu.fr_names } else { eu.en_names });
            NameSpace::Town(templates, towns)
        }
    }
}

fn space_total(style: usize, cat: u8) -> u64 {
    match name_space(style, cat) {
        NameSpace::Brand(forms) => space_size(forms),
        NameSpace::Town(templates, towns) => templates.len() as u64 * space_size(towns),
    }
    .max(1)
}

fn eligible_slot(s: &Slot) -> bool {
    COUNTRIES[usize::from(s.country)].eligible
}

/// Country prefix and digits. The 9-digit core is a keyed bijection of the index (unique for up to 900 million
/// organisations) and always appears whole: French ids are VAT-style (`FR` + 2-digit key + SIREN-like core).
fn registration_id(seed: u64, index: usize, country: &Country) -> String {
    let core = 100_000_000 + permute(index as u64, 900_000_000, mix(seed, REG_SALT));
    match country.code {
        "FR" => format!("FR{:02}{core}", (12 + 3 * (core % 97)) % 97),
        "BE" => format!("BE0{core}"),
        "IT" => format!("IT{core}{:02}", core % 89),
        "NL" => format!("NL{core}{:02}", 1 + core % 9),
        code => format!("{code}{core}"),
    }
}

fn near_duplicate_count(n: usize) -> usize {
    if n >= 100 {
        ((n as f64 * 0.005).round() as usize).max(2)
    } else if n >= 20 {
        1
    } else {
        0
    }
}

const MIN_TRLS: [u8; 10] = [5, 5, 6, 6, 6, 7, 7, 7, 8, 8];
const SME_TRLS: [u8; 20] = [3, 4, 5, 5, 6, 6, 6, 7, 7, 7, 7, 8, 8, 8, 9, 9, 9, 6, 7, 8];
const ITEM_COUNTS: [usize; 6] = [1, 1, 1, 2, 2, 3];

/// Is an offer or need of this organisation written in French?
fn item_in_french(rng: &mut Rng8, country: &Country) -> bool {
    match country.franco {
        2 => chance(rng, 0.8),
        1 => chance(rng, 0.4),
        _ => chance(rng, 0.03),
    }
}

impl Plan {
    fn build(spec: &DemoSpec) -> Plan {
        let n = spec.organisations;
        let seed = spec.seed;
        let mut rng = Rng8::seed_from_u64(mix(seed, PLAN_SALT));

        let mut cats: Vec<u8> = Vec::with_capacity(n);
        for (cat, &k) in quotas(n, &CAT_WEIGHTS).iter().enumerate() {
            cats.extend(std::iter::repeat_n(cat as u8, k));
        }
        shuffle(&mut rng, &mut cats);
        let weights: Vec<u32> = COUNTRIES.iter().map(|c| c.weight).collect();
        let mut countries: Vec<u8> = Vec::with_capacity(n);
        for (ci, &k) in quotas(n, &weights).iter().enumerate() {
            countries.extend(std::iter::repeat_n(ci as u8, k));
        }
        shuffle(&mut rng, &mut countries);

        let mut slots: Vec<Slot> = Vec::with_capacity(n);
        for (&cat, &country) in cats.iter().zip(&countries) {
            let mut flags = 0;
            if !chance(&mut rng, 0.05) {
                flags |= F_PUBLISHED;
            }
            if cat != CLUSTER && cat != OTHER && chance(&mut rng, 0.05) {
                flags |= F_EMPTY;
            }
            slots.push(Slot { cat, country, flags, rank: 0 });
        }
        drop(cats);
        drop(countries);

        // Near-duplicate SME profiles.
        let mut smes: Vec<u32> = (0..n as u32).filter(|&i| slots[i as usize].cat == SME).collect();
        let want = near_duplicate_count(n).min(smes.len() / 2);
        for j in 0..(2 * want) {
            let r = j + below(&mut rng, smes.len() - j);
            smes.swap(j, r);
        }
        let mut dups: Vec<Dup> = Vec::with_capacity(want);
        for j in 0..want {
            let (orig, dup) = (smes[j], smes[want + j]);
            let country = slots[orig as usize].country;
            let d = &mut slots[dup as usize];
            d.country = country;
            d.flags |= F_DUP;
            dups.push(Dup { dup, orig, variant: below(&mut rng, 4) as u8 });
        }
        dups.sort_by_key(|d| d.dup);
        drop(smes);

        // Naming ranks.
        let mut group_counts = vec![0u32; NSTYLE * NCAT];
        for s in slots.iter_mut() {
            let g = name_style(s.cat, &COUNTRIES[usize::from(s.country)]) * NCAT + usize::from(s.cat);
            s.rank = group_counts[g];
            group_counts[g] += 1;
        }
        let group_totals = (0..NSTYLE * NCAT)
            .map(|g| if group_counts[g] == 0 { 1 } else { space_total(g / NCAT, (g % NCAT) as u8) })
            .collect();

        let by_sector: Vec<Vec<u8>> = (0..SECTOR_IDS.len() as u8)
            .map(|sec| {
                (0..SCENARIOS.len() as u8).filter(|&s| SCENARIOS[usize::from(s)].sectors.contains(&sec)).collect()
            })
            .collect();
        let by_tech: Vec<Vec<u8>> = (0..TECH_IDS.len() as u8)
            .map(|t| (0..SCENARIOS.len() as u8).filter(|&s| SCENARIOS[usize::from(s)].techs.contains(&t)).collect())
            .collect();

        // Ground truth.
        let pool: Vec<u32> = (0..n as u32)
            .filter(|&i| {
                let s = &slots[i as usize];
                s.cat == SME && s.flags & F_PUBLISHED != 0 && s.flags & (F_EMPTY | F_DUP) == 0 && eligible_slot(s)
            })
            .collect();
        let mut planted_per_sme = vec![0u8; n];
        let mut needs = Vec::new();
        let mut offers = Vec::new();
        let mut pairs = Vec::new();
        if !pool.is_empty() {
            for (i, s) in slots.iter().enumerate() {
                if s.cat < FIRST_EU
                    || s.flags & F_PUBLISHED == 0
                    || s.flags & F_EMPTY != 0
                    || !eligible_slot(s)
                    || !chance(&mut rng, 0.65)
                {
                    continue;
                }
                let eu_cat = &EU_CATS[usize::from(s.cat - FIRST_EU)];
                let compatible = &by_sector[usize::from(eu_cat.sectors[0])];
                if compatible.is_empty() {
                    continue;
                }
                let scenario = *pick(&mut rng, compatible);
                let sc = &SCENARIOS[usize::from(scenario)];
                let min_trl = *pick(&mut rng, &MIN_TRLS);
                let need_fr = item_in_french(&mut rng, &COUNTRIES[usize::from(s.country)]);
                let wanted = if chance(&mut rng, 0.35) { 2 } else { 1 };
                let mut chosen = [0u32; 2];
                let mut got = 0usize;
                for _ in 0..32 {
                    if got == wanted {
                        break;
                    }
                    let cand = *pick(&mut rng, &pool);
                    if planted_per_sme[cand as usize] >= 2 || chosen[..got].contains(&cand) {
                        continue;
                    }
                    chosen[got] = cand;
                    got += 1;
                }
                if got == 0 {
                    continue;
                }
                needs.push(PlantedNeed { eu: i as u32, scenario, min_trl, fr: need_fr });
                let eu_id = registration_id(seed, i, &COUNTRIES[usize::from(s.country)]);
                for &sme in &chosen[..got] {
                    planted_per_sme[sme as usize] += 1;
                    let trl = (min_trl + *pick(&mut rng, &[0u8, 1, 1, 2, 2, 3])).min(9);
                    let sme_country = &COUNTRIES[usize::from(slots[sme as usize].country)];
                    // Often the other language than the need, when the SME can write it.
                    let offer_fr = match (sme_country.franco, need_fr) {
                        (2, true) => chance(&mut rng, 0.55),
                        (2, false) => chance(&mut rng, 0.5),
                        (1, true) => chance(&mut rng, 0.4),
                        (1, false) => chance(&mut rng, 0.3),
                        _ => chance(&mut rng, 0.03),
                    };
                    offers.push((sme, i as u32, PlantedOffer { sme, scenario, trl, fr: offer_fr }));
                    pairs.push(PlantedPair {
                        sme: registration_id(seed, sme as usize, sme_country),
                        end_user: eu_id.clone(),
                        scenario: sc.id.to_string(),
                        reason: format!(
                            "Planted for scenario {}: the SME's offer was written to answer this end user's need on {}, \
                             shares its core technology ({}) and has TRL {} against a required minimum of {}.",
                            sc.id, sc.gist.1, TECH_IDS[usize::from(sc.techs[0])], trl, min_trl
                        ),
                    });
                }
            }
        }
        offers.sort_by_key(|&(sme, eu, _)| (sme, eu));
        let offers = offers.into_iter().map(|(_, _, o)| o).collect();

        Plan { seed, slots, group_counts, group_totals, needs, offers, dups, pairs, by_sector, by_tech }
    }

    fn org_rng(&self, i: usize, salt: u64) -> Rng8 {
        Rng8::seed_from_u64(mix(self.seed ^ salt, i as u64))
    }

    /// Unique name of slot `slot` (region is used by a few French templates).
    fn name(&self, slot: &Slot, country: &Country, region: &str) -> Named {
        let style = name_style(slot.cat, country);
        let g = style * NCAT + usize::from(slot.cat);
        let total = self.group_totals[g];
        let count = u64::from(self.group_counts[g]).max(1);
        let domain = total * count.div_ceil(total).max(1);
        let d = domain.min((count * 8).max(64));
        let v = permute(u64::from(slot.rank), d, mix(self.seed ^ NAME_SALT, g as u64));
        let (base, rep) = (v % total, v / total);
        let mut town = String::new();
        match name_space(style, slot.cat) {
            NameSpace::Brand(forms) => {
                let mut brand = String::with_capacity(32);
                decode_into(forms, base, &mut brand);
                if rep > 0 {
                    brand.push_str(&format!(" {}", rep + 1));
                }
                let form_idx = (mix(self.seed, u64::from(slot.rank) ^ g as u64) % country.forms.len() as u64) as usize;
                let form = country.forms[form_idx];
                Named { legal: format!("{brand} {form}"), brand, form, town }
            }
            NameSpace::Town(templates, towns) => {
                let t = templates.len() as u64;
                decode_into(towns, base / t, &mut town);
                if rep > 0 {
                    town.push_str(&format!(" {}", rep + 1));
                }
                let mut legal = templates[(base % t) as usize].replace("{t}", &town).replace("{R}", region);
                if style == FR_S {
                    legal = fr_elide(&legal);
                }
                Named { brand: legal.clone(), legal, form: "", town }
            }
        }
    }

    fn render(&self, i: usize, needs: &[PlantedNeed], offers: &[PlantedOffer]) -> Value {
        if self.slots[i].flags & F_DUP != 0
            && let Ok(k) = self.dups.binary_search_by_key(&(i as u32), |d| d.dup)
        {
            return self.render_duplicate(i, &self.dups[k]);
        }
        self.render_org(i, needs, offers).0
    }

    /// A second profile of SME `d.orig`: same content, name variant, own id, contact and status.
    fn render_duplicate(&self, i: usize, d: &Dup) -> Value {
        let (mut value, named) = self.render_org(d.orig as usize, &[], &[]);
        let slot = self.slots[i];
        let country = &COUNTRIES[usize::from(slot.country)];
        let plain = strip_accents(&named.brand);
        let other_form = country.forms.iter().find(|f| **f != named.form);
        let legal = match (d.variant, other_form) {
            (1, Some(f)) => format!("{} {f}", named.brand),
            (2, _) if plain != named.brand => format!("{plain} {}", named.form),
            (3, _) => format!("{} {}", named.brand.to_uppercase(), named.form),
            _ => plain.to_uppercase(),
        };
        let mut rng = self.org_rng(i, DUP_SALT);
        let domain = site_slug(&named.brand);
        if let Value::Object(map) = &mut value {
            map.insert("legal_name".into(), Value::String(legal));
            map.insert("registration_id".into(), Value::String(registration_id(self.seed, i, country)));
            map.insert("contact".into(), contact(&mut rng, country, &domain));
            map.insert("published".into(), Value::Bool(slot.flags & F_PUBLISHED != 0));
        }
        value
    }

    fn render_org(&self, i: usize, planted_needs: &[PlantedNeed], planted_offers: &[PlantedOffer]) -> (Value, Named) {
        let slot = self.slots[i];
        let country = &COUNTRIES[usize::from(slot.country)];
        let mut rng = self.org_rng(i, ORG_SALT);
        let cat = slot.cat;

        let (region, where_fr, where_en) = if country.franco == 2 {
            let total: u32 = FR_REGIONS.iter().map(|r| r.2).sum();
            let mut x = between(&mut rng, 0, total - 1);
            let mut chosen = FR_REGIONS[0];
            for r in FR_REGIONS {
                if x < r.2 {
                    chosen = r;
                    break;
                }
                x -= r.2;
            }
            (chosen.0, chosen.1.to_string(), format!("{}, France", chosen.0))
        } else {
            let region = *pick(&mut rng, country.regions);
            (region, country.fr_in.to_string(), format!("{region}, {}", country.en))
        };
        let named = self.name(&slot, country, region);
        let domain = site_slug(&named.brand);

        let (d_fr, d_en) = {
            let x = between(&mut rng, 0, 99);
            match country.franco {
                2 => (x < 95, !(75..95).contains(&x)),
                1 => (x < 70, !(50..70).contains(&x)),
                _ => (x >= 85, true),
            }
        };
        let mut used_fr = d_fr;
        let mut used_en = d_en;
        let mut tech_mask = 0u8;
        let mut dom_mask = 0u8;
        let mut sector_mask = 0u16;
        let mut offers: Vec<Value> = Vec::new();
        let mut needs: Vec<Value> = Vec::new();
        let empty = slot.flags & F_EMPTY != 0;
        let focus_tech = below(&mut rng, TECH_IDS.len()) as u8;
        let mut focus_scenario = *pick(&mut rng, &self.by_tech[usize::from(focus_tech)]);

        if cat == SME || cat == RESEARCH || cat == LARGE {
            let wanted = if empty {
                0
            } else if cat == RESEARCH {
                below(&mut rng, 2) + 1
            } else {
                *pick(&mut rng, &ITEM_COUNTS)
            };
            let total = wanted.max(planted_offers.len());
            let mut used: Vec<u8> = Vec::with_capacity(total);
            for o in planted_offers {
                let (v, t, d) = offer(&mut rng, usize::from(o.scenario), o.fr, o.trl);
                offers.push(v);
                tech_mask |= t;
                dom_mask |= d;
                used_fr |= o.fr;
                used_en |= !o.fr;
                used.push(o.scenario);
            }
            while offers.len() < total {
                let candidates = &self.by_tech[usize::from(focus_tech)];
                let mut sc = *pick(&mut rng, candidates);
                for _ in 0..8 {
                    if !used.contains(&sc) {
                        break;
                    }
                    sc = below(&mut rng, SCENARIOS.len()) as u8;
                }
                let fr = item_in_french(&mut rng, country);
                let trl = match cat {
                    RESEARCH => between(&mut rng, 3, 6) as u8,
                    LARGE => between(&mut rng, 7, 9) as u8,
                    _ => *pick(&mut rng, &SME_TRLS),
                };
                let (v, t, d) = offer(&mut rng, usize::from(sc), fr, trl);
                offers.push(v);
                tech_mask |= t;
                dom_mask |= d;
                used_fr |= fr;
                used_en |= !fr;
                used.push(sc);
            }
            shuffle(&mut rng, &mut offers);
            if let Some(&first) = used.first() {
                focus_scenario = first;
            }
            tech_mask |= 1 << focus_tech;
            if dom_mask == 0 {
                dom_mask |= 1 << SCENARIOS[usize::from(focus_scenario)].domains[0];
            }
            if cat == SME && chance(&mut rng, 0.35) {
                let secs = SCENARIOS[usize::from(focus_scenario)].sectors;
                let (a, b) = two_distinct(&mut rng, secs.len());
                sector_mask |= 1 << secs[a];
                if let Some(b) = b.filter(|_| chance(&mut rng, 0.4)) {
                    sector_mask |= 1 << secs[b];
                }
            }
        } else if cat >= FIRST_EU {
            let eu_cat = &EU_CATS[usize::from(cat - FIRST_EU)];
            sector_mask |= 1 << eu_cat.sectors[0];
            if eu_cat.sectors.len() > 1 && chance(&mut rng, 0.5) {
                sector_mask |= 1 << eu_cat.sectors[1];
            }
            let mut compatible: Vec<u8> = Vec::with_capacity(12);
            for (sec, list) in self.by_sector.iter().enumerate() {
                if sector_mask & (1 << sec) != 0 {
                    for &s in list {
                        if !compatible.contains(&s) {
                            compatible.push(s);
                        }
                    }
                }
            }
            let wanted = if empty { 0 } else { *pick(&mut rng, &ITEM_COUNTS) };
            let total = wanted.max(planted_needs.len());
            let mut used: Vec<u8> = Vec::with_capacity(total);
            let ctx = NeedCtx { eu: eu_cat, town: &named.town, legal: &named.legal, sector_mask };
            for p in planted_needs {
                let (v, t, d) = need(&mut rng, usize::from(p.scenario), p.fr, p.min_trl, &ctx);
                needs.push(v);
                tech_mask |= t;
                dom_mask |= d;
                used_fr |= p.fr;
                used_en |= !p.fr;
                used.push(p.scenario);
            }
            for _ in 0..(4 * total) {
                if needs.len() >= total || compatible.is_empty() {
                    break;
                }
                let sc = *pick(&mut rng, &compatible);
                if used.contains(&sc) {
                    continue;
                }
                let fr = item_in_french(&mut rng, country);
                let min_trl = *pick(&mut rng, &MIN_TRLS);
                let (v, t, d) = need(&mut rng, usize::from(sc), fr, min_trl, &ctx);
                needs.push(v);
                tech_mask |= t;
                dom_mask |= d;
                used_fr |= fr;
                used_en |= !fr;
                used.push(sc);
            }
            shuffle(&mut rng, &mut needs);
            if let Some(&first) = used.first() {
                focus_scenario = first;
            } else if let Some(&s) = compatible.first() {
                focus_scenario = s;
            }
            if tech_mask == 0 {
                tech_mask |= 1 << SCENARIOS[usize::from(focus_scenario)].techs[0];
            }
            if dom_mask == 0 {
                dom_mask |= 1 << SCENARIOS[usize::from(focus_scenario)].domains[0];
            }
        } else {
            // Clusters and associations: broad interests, no offers or needs.
            tech_mask |= (1 << focus_tech) | (1 << below(&mut rng, TECH_IDS.len()));
            dom_mask |= 1 << below(&mut rng, DOMAIN_IDS.len());
            dom_mask |= 1 << SCENARIOS[usize::from(focus_scenario)].domains[0];
        }

        // Description.
        let tl_fr = tech_list(tech_mask, focus_tech, true);
        let tl_en = tech_list(tech_mask, focus_tech, false);
        let mut vars = Vars::new(Nums::draw(&mut rng, 0));
        vars.name = &named.brand;
        vars.where_ = (&where_fr, &where_en);
        vars.techs = (&tl_fr, &tl_en);
        vars.gist = SCENARIOS[usize::from(focus_scenario)].gist;
        let blurb = *pick(&mut rng, TECH_BLURBS[usize::from(focus_tech)]);
        let mut sentences: Vec<P> = Vec::with_capacity(7);
        match cat {
            SME => {
                sentences.push(*pick(&mut rng, SME_INTRO));
                if chance(&mut rng, 0.8) {
                    sentences.push(*pick(&mut rng, SME_GIST));
                }
                sentences.push(blurb);
                sentences.push(*pick(&mut rng, SME_TEAM));
                if chance(&mut rng, 0.6) {
                    sentences.push(*pick(&mut rng, SME_REFS));
                }
                if chance(&mut rng, 0.7) {
                    sentences.push(*pick(&mut rng, SME_AMBITION));
                }
            }
            RESEARCH => {
                sentences.extend_from_slice(RESEARCH_INTRO);
                sentences.push(blurb);
            }
            LARGE => {
                sentences.extend_from_slice(LARGE_INTRO);
                sentences.push(blurb);
            }
            CLUSTER => sentences.extend_from_slice(CLUSTER_INTRO),
            OTHER => sentences.extend_from_slice(OTHER_INTRO),
            _ => {
                let eu_cat = &EU_CATS[usize::from(cat - FIRST_EU)];
                let (a, b) = two_distinct(&mut rng, eu_cat.about.len());
                sentences.push(eu_cat.about[a]);
                if let Some(b) = b.filter(|_| chance(&mut rng, 0.6)) {
                    sentences.push(eu_cat.about[b]);
                }
                let (a, b) = two_distinct(&mut rng, EU_GENERIC.len());
                sentences.push(EU_GENERIC[a]);
                if let Some(b) = b.filter(|_| chance(&mut rng, 0.4)) {
                    sentences.push(EU_GENERIC[b]);
                }
            }
        }
        let mut description = Map::new();
        if d_fr {
            description.insert("fr".into(), Value::String(vars.compose(&sentences, true)));
        }
        if d_en {
            description.insert("en".into(), Value::String(vars.compose(&sentences, false)));
        }

        // Languages: local ones first, then the languages actually written.
        let mut languages: Vec<&str> = vec![country.langs[0]];
        if country.langs.len() > 1 && chance(&mut rng, 0.5) {
            languages.push(country.langs[1]);
        }
        if used_fr {
            languages.push("fr");
        }
        if used_en || chance(&mut rng, 0.6) {
            languages.push("en");
        }
        let mut seen: Vec<&str> = Vec::with_capacity(languages.len());
        languages.retain(|l| {
            let fresh = !seen.contains(l);
            seen.push(l);
            fresh
        });

        let contact_value = contact(&mut rng, country, &domain);
        let value = json!({
            "legal_name": named.legal,
            "kind": kind_of(cat),
            "country": country.code,
            "region": region,
            "is_sme": cat == SME,
            "registration_id": registration_id(self.seed, i, country),
            "website": format!("https://{domain}.example"),
            "languages": languages,
            "description": description,
            "technologies": ids(tech_mask, &TECH_IDS),
            "domains": ids(dom_mask, &DOMAIN_IDS),
            "sectors": ids(sector_mask, &SECTOR_IDS),
            "contact": contact_value,
            "published": slot.flags & F_PUBLISHED != 0,
            "offers": offers,
            "needs": needs,
        });
        (value, named)
    }
}

fn contact(rng: &mut Rng8, country: &Country, domain: &str) -> Value {
    let style = if chance(rng, 0.1) { below(rng, FIRST.len()) } else { usize::from(country.people) };
    let first = *pick(rng, FIRST[style]);
    let last = *pick(rng, LAST[style]);
    let local = if chance(rng, 0.8) {
        format!("{}.{}", slug(first, 24), slug(last, 24))
    } else {
        format!("{}{}", slug(first, 24).chars().next().unwrap_or('x'), slug(last, 24))
    };
    let phone = if country.code == "FR" {
        format!("+33 {} 00 00 {:02} {:02}", between(rng, 1, 5), below(rng, 100), below(rng, 100))
    } else {
        format!("+{} 0 0000 {:02}{:02}", country.calling, below(rng, 100), below(rng, 100))
    };
    json!({ "name": format!("{first} {last}"), "email": format!("{local}@{domain}.example"), "phone": phone })
}

/// Technologies of an item: the scenario's core technology plus each other one half of the time.
fn item_masks(rng: &mut Rng8, sc: &Scenario) -> (u8, u8) {
    let mut t = 1u8 << sc.techs[0];
    for &x in &sc.techs[1..] {
        if chance(rng, 0.5) {
            t |= 1 << x;
        }
    }
    let mut d = 1u8 << sc.domains[0];
    for &x in &sc.domains[1..] {
        if chance(rng, 0.4) {
            d |= 1 << x;
        }
    }
    (t, d)
}

fn offer(rng: &mut Rng8, scenario: usize, fr: bool, trl: u8) -> (Value, u8, u8) {
    let sc = &SCENARIOS[scenario];
    let (tmask, dmask) = item_masks(rng, sc);
    let mut vars = Vars::new(Nums::draw(rng, u32::from(trl)));
    let sector = usize::from(*pick(rng, sc.sectors));
    vars.s = if chance(rng, 0.25) { ("", "") } else { *pick(rng, &SECTOR_FOR[sector]) };
    let mut title = tidy(vars.fill(*pick(rng, sc.offer_titles), fr));
    if chance(rng, 0.3) {
        title = format!("{}{} – {title}", pick(rng, PROD_A), pick(rng, PROD_B));
    }
    let mut sentences: Vec<P> = Vec::with_capacity(6);
    let (a, b) = two_distinct(rng, sc.capabilities.len());
    sentences.push(sc.capabilities[a]);
    if let Some(b) = b {
        sentences.push(sc.capabilities[b]);
    }
    let techs: Vec<u8> = (0..6u8).filter(|t| tmask & (1 << t) != 0).collect();
    let tech = usize::from(*pick(rng, &techs));
    sentences.push(*pick(rng, TECH_BLURBS[tech]));
    sentences.push(if trl <= 4 { OFFER_PROOF[4] } else { OFFER_PROOF[below(rng, 4)] });
    if chance(rng, 0.6) {
        sentences.push(*pick(rng, OFFER_EXTRA));
    }
    let value = json!({
        "title": title,
        "description": vars.compose(&sentences, fr),
        "language": if fr { "fr" } else { "en" },
        "technologies": ids(tmask, &TECH_IDS),
        "domains": ids(dmask, &DOMAIN_IDS),
        "trl": trl,
    });
    (value, tmask, dmask)
}

struct NeedCtx<'a> {
    eu: &'a EuCat,
    town: &'a str,
    legal: &'a str,
    sector_mask: u16,
}

const MONTH_DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

fn need(rng: &mut Rng8, scenario: usize, fr: bool, min_trl: u8, ctx: &NeedCtx<'_>) -> (Value, u8, u8) {
    let sc = &SCENARIOS[scenario];
    let (tmask, dmask) = item_masks(rng, sc);
    let mut secs = 0u16;
    for &s in sc.sectors {
        if ctx.sector_mask & (1 << s) != 0 {
            secs |= 1 << s;
        }
    }
    let mut vars = Vars::new(Nums::draw(rng, u32::from(min_trl)));
    vars.asset = *pick(rng, ctx.eu.assets);
    vars.t = ctx.town;
    let mut title = vars.fill(*pick(rng, sc.need_titles), fr);
    if chance(rng, 0.3) {
        let suffix = *pick(rng, NEED_SUFFIX);
        title.push_str(if fr { suffix.0 } else { suffix.1 });
    }
    let mut sentences: Vec<P> = Vec::with_capacity(7);
    if chance(rng, 0.35) {
        sentences.push(*pick(rng, ctx.eu.about));
    }
    let (a, b) = two_distinct(rng, sc.problems.len());
    sentences.push(sc.problems[a]);
    if let Some(b) = b.filter(|_| chance(rng, 0.4)) {
        sentences.push(sc.problems[b]);
    }
    let (a, b) = two_distinct(rng, sc.expects.len());
    sentences.push(sc.expects[a]);
    if let Some(b) = b.filter(|_| chance(rng, 0.5)) {
        sentences.push(sc.expects[b]);
    }
    sentences.push(*pick(rng, NEED_PILOT));
    if chance(rng, 0.5) {
        sentences.push(*pick(rng, NEED_CONSTRAINT));
    }
    // Pilot site: usually the asset named in the need, at the end user's (fictional) premises.
    let site = if chance(rng, 0.7) {
        if fr {
            format!("{}, {} (site fictif)", capitalize(strip_fr_article(vars.asset.0)), ctx.legal)
        } else {
            format!("{}, {} (fictional site)", capitalize(vars.asset.2), ctx.legal)
        }
    } else if fr {
        fr_elide(&vars.fill(*pick(rng, ctx.eu.sites), true))
    } else {
        vars.fill(*pick(rng, ctx.eu.sites), false)
    };
    let month = between(rng, 1, 12);
    let day = if chance(rng, 0.5) { MONTH_DAYS[(month - 1) as usize] } else { 15 };
    let value = json!({
        "title": title,
        "description": vars.compose(&sentences, fr),
        "language": if fr { "fr" } else { "en" },
        "technologies": ids(tmask, &TECH_IDS),
        "domains": ids(dmask, &DOMAIN_IDS),
        "sectors": ids(secs, &SECTOR_IDS),
        "min_trl": min_trl,
        "pilot_site": site,
        "deadline": format!("2027-{month:02}-{day:02}"),
    });
    (value, tmask, dmask)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    fn demo(n: usize, seed: u64) -> (Vec<Value>, Vec<PlantedPair>) {
        generate(&DemoSpec { organisations: n, seed })
    }

    fn as_str<'a>(v: &'a Value, key: &str) -> &'a str {
        v[key].as_str().unwrap_or_else(|| panic!("{key} is not a string in {v}"))
    }

    fn strings(v: &Value) -> Vec<&str> {
        v.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
    }

    fn serialised(lines: &[Value]) -> Vec<String> {
        lines.iter().map(|l| serde_json::to_string(l).expect("serialisable")).collect()
    }

    #[test]
    fn same_seed_same_bytes_other_seed_differs() {
        let (a, pa) = demo(400, 42);
        let (b, pb) = demo(400, 42);
        assert_eq!(serialised(&a), serialised(&b));
        assert_eq!(pa, pb);
        let (c, pc) = demo(400, 43);
        assert_ne!(serialised(&a), serialised(&c));
        assert_ne!(pa, pc);
        // stream and generate agree
        let mut streamed = Vec::new();
        let ps = stream(&DemoSpec { organisations: 400, seed: 42 }, |v| streamed.push(v));
        assert_eq!(serialised(&streamed), serialised(&a));
        assert_eq!(ps, pa);
    }

    fn check_proportions(n: usize) {
        let (lines, _) = demo(n, 42);
        assert_eq!(lines.len(), n);
        let share = |pred: &dyn Fn(&Value) -> bool| lines.iter().filter(|l| pred(l)).count() as f64 / n as f64;
        let sme = share(&|l| l["kind"] == "sme");
        let eu = share(&|l| l["kind"] == "end_user");
        let fr = share(&|l| l["country"] == "FR");
        assert!((0.55..=0.65).contains(&sme), "sme share {sme}");
        assert!((0.35..=0.45).contains(&eu), "end-user share {eu}");
        assert!((0.5..=0.6).contains(&fr), "FR share {fr}");
        let countries: HashSet<&str> = lines.iter().map(|l| as_str(l, "country")).collect();
        assert!(countries.len() >= 15, "{} countries", countries.len());
        for code in ["US", "GB", "NO", "UA"] {
            assert!(n < 1000 || countries.contains(code), "missing {code}");
        }
        let unpublished = share(&|l| l["published"] == false);
        assert!((0.02..=0.09).contains(&unpublished), "unpublished {unpublished}");
        for l in &lines {
            let kind = as_str(l, "kind");
            assert_eq!(l["is_sme"] == true, kind == "sme", "is_sme mismatch for {kind}");
            let sectors = strings(&l["sectors"]);
            if kind == "end_user" {
                assert!((1..=2).contains(&sectors.len()), "end user sectors {sectors:?}");
            }
        }
    }

    #[test]
    fn proportions_at_400() {
        check_proportions(400);
    }

    #[test]
    fn proportions_at_10k() {
        check_proportions(10_000);
    }

    #[test]
    fn every_taxonomy_id_and_kind_appears_at_400() {
        let (lines, _) = demo(400, 42);
        let mut techs = HashSet::new();
        let mut domains = HashSet::new();
        let mut sectors = HashSet::new();
        let mut kinds = HashSet::new();
        for l in &lines {
            kinds.insert(as_str(l, "kind"));
            techs.extend(strings(&l["technologies"]));
            domains.extend(strings(&l["domains"]));
            sectors.extend(strings(&l["sectors"]));
            for item in l["offers"].as_array().into_iter().flatten().chain(l["needs"].as_array().into_iter().flatten())
            {
                techs.extend(strings(&item["technologies"]));
                domains.extend(strings(&item["domains"]));
                sectors.extend(strings(&item["sectors"]));
            }
        }
        for id in TECH_IDS {
            assert!(techs.contains(id), "technology {id} missing");
        }
        for id in DOMAIN_IDS {
            assert!(domains.contains(id), "domain {id} missing");
        }
        for id in SECTOR_IDS {
            assert!(sectors.contains(id), "sector {id} missing");
        }
        for kind in ["sme", "end_user", "research", "large_company", "cluster", "other"] {
            assert!(kinds.contains(kind), "kind {kind} missing");
        }
        let all: HashSet<&str> = TECH_IDS.iter().chain(&DOMAIN_IDS).chain(&SECTOR_IDS).copied().collect();
        assert!(techs.iter().chain(&domains).chain(&sectors).all(|id| all.contains(id)));
    }

    #[test]
    fn registration_ids_unique_and_prefixed() {
        for n in [400, 10_000] {
            let (lines, _) = demo(n, 7);
            let mut seen = HashSet::new();
            for l in &lines {
                let id = as_str(l, "registration_id");
                let country = as_str(l, "country");
                assert!(id.starts_with(country), "{id} for {country}");
                assert!(id[2..].chars().all(|c| c.is_ascii_digit()), "{id}");
                assert!(seen.insert(id.to_string()), "duplicate id {id}");
            }
        }
    }

    #[test]
    fn planted_pairs_are_consistent() {
        let (lines, pairs) = demo(400, 42);
        let by_id: HashMap<&str, &Value> = lines.iter().map(|l| (as_str(l, "registration_id"), l)).collect();
        let end_users = lines.iter().filter(|l| l["kind"] == "end_user").count();
        let planted_eus: HashSet<&str> = pairs.iter().map(|p| p.end_user.as_str()).collect();
        let ratio = planted_eus.len() as f64 / end_users as f64;
        assert!((0.45..=0.7).contains(&ratio), "planted end-user share {ratio}");
        assert!(pairs.len() > planted_eus.len(), "some needs have two planted SMEs");
        let mut seen = HashSet::new();
        for p in &pairs {
            assert!(seen.insert((p.sme.clone(), p.end_user.clone())), "duplicate pair");
            assert!(SCENARIO_IDS.contains(&p.scenario.as_str()));
            assert!(p.reason.ends_with('.') && p.reason.contains(&p.scenario));
            let sme = by_id.get(p.sme.as_str()).unwrap_or_else(|| panic!("unknown SME {}", p.sme));
            let eu = by_id.get(p.end_user.as_str()).unwrap_or_else(|| panic!("unknown end user {}", p.end_user));
            assert_eq!(sme["kind"], "sme");
            assert_eq!(eu["kind"], "end_user");
            assert_eq!(sme["published"], true);
            assert_eq!(eu["published"], true);
            // Some offer of the SME fits some need of the end user: TRL and technologies.
            let fits = sme["offers"].as_array().into_iter().flatten().any(|o| {
                eu["needs"].as_array().into_iter().flatten().any(|nd| {
                    let ot: HashSet<&str> = strings(&o["technologies"]).into_iter().collect();
                    o["trl"].as_u64() >= nd["min_trl"].as_u64()
                        && strings(&nd["technologies"]).iter().any(|t| ot.contains(t))
                })
            });
            assert!(fits, "no compatible offer/need for {p:?}");
        }
        // Pairs of the same seed are stable when serialised.
        let json = serde_json::to_string(&pairs).expect("serialisable pairs");
        let back: Vec<PlantedPair> = serde_json::from_str(&json).expect("pairs round-trip");
        assert_eq!(back, pairs);
    }

    #[test]
    fn contacts_and_websites_are_fictional() {
        let (lines, _) = demo(2_000, 42);
        for l in &lines {
            let email = as_str(&l["contact"], "email");
            assert!(email.ends_with(".example") && email.contains('@'), "{email}");
            assert!(email.is_ascii(), "{email}");
            let website = as_str(l, "website");
            assert!(website.starts_with("https://") && website.ends_with(".example"), "{website}");
            let domain = email.split('@').nth(1).unwrap_or_default();
            assert_eq!(format!("https://{domain}"), website);
            let phone = as_str(&l["contact"], "phone");
            assert!(phone.starts_with('+') && phone.contains(" 00"), "{phone}");
        }
    }

    #[test]
    fn lines_have_required_keys_and_types() {
        let (lines, _) = demo(1_000, 3);
        let languages: HashSet<&str> =
            COUNTRIES.iter().flat_map(|c| c.langs.iter().copied()).chain(["fr", "en"]).collect();
        for l in &lines {
            for key in ["legal_name", "kind", "country", "region", "registration_id", "website"] {
                assert!(!as_str(l, key).is_empty(), "{key}");
            }
            assert_eq!(as_str(l, "country").len(), 2);
            assert!(l["is_sme"].is_boolean() && l["published"].is_boolean());
            for key in ["languages", "technologies", "domains", "sectors", "offers", "needs"] {
                assert!(l[key].is_array(), "{key} in {l}");
            }
            assert!(strings(&l["languages"]).iter().all(|x| languages.contains(x)));
            assert!(!strings(&l["technologies"]).is_empty() && !strings(&l["domains"]).is_empty());
            let desc = l["description"].as_object().unwrap_or_else(|| panic!("description in {l}"));
            assert!(!desc.is_empty() && desc.keys().all(|k| k == "fr" || k == "en"));
            assert!(desc.values().all(|v| v.as_str().is_some_and(|s| !s.is_empty() && s.len() <= 4000)));
            for key in ["name", "email", "phone"] {
                assert!(!as_str(&l["contact"], key).is_empty());
            }
            assert!(as_str(l, "legal_name").chars().count() <= 200);
            for o in l["offers"].as_array().into_iter().flatten() {
                assert!(as_str(o, "title").chars().count() <= 200);
                assert!(as_str(o, "description").chars().count() <= 4000);
                assert!(["fr", "en"].contains(&as_str(o, "language")));
                assert!(!strings(&o["technologies"]).is_empty() && !strings(&o["domains"]).is_empty());
                let trl = o["trl"].as_u64().unwrap_or(0);
                assert!((3..=9).contains(&trl), "trl {trl}");
            }
            for nd in l["needs"].as_array().into_iter().flatten() {
                assert!(as_str(nd, "title").chars().count() <= 200);
                assert!(as_str(nd, "description").chars().count() <= 4000);
                assert!(["fr", "en"].contains(&as_str(nd, "language")));
                assert!(!strings(&nd["technologies"]).is_empty() && !strings(&nd["domains"]).is_empty());
                assert!(!strings(&nd["sectors"]).is_empty());
                let min_trl = nd["min_trl"].as_u64().unwrap_or(0);
                assert!((5..=8).contains(&min_trl), "min_trl {min_trl}");
                let site = as_str(nd, "pilot_site");
                assert!(!site.is_empty() && site.chars().count() <= 200, "{site}");
                assert!(site.contains("fictif") || site.contains("fictional"), "{site}");
                let deadline = as_str(nd, "deadline");
                assert!(deadline.len() == 10 && deadline.starts_with("2027-"), "{deadline}");
            }
            if l["kind"] == "end_user" || l["kind"] == "cluster" || l["kind"] == "other" {
                assert!(l["offers"].as_array().is_some_and(Vec::is_empty));
            } else {
                assert!(l["needs"].as_array().is_some_and(Vec::is_empty));
            }
        }
    }

    #[test]
    fn no_unfilled_placeholders() {
        let (lines, _) = demo(2_000, 11);
        for l in &lines {
            fn walk(v: &Value) {
                match v {
                    Value::String(s) => {
                        assert!(!s.contains('{') && !s.contains('}') && !s.contains("  "), "bad text: {s}")
                    }
                    Value::Array(a) => a.iter().for_each(walk),
                    Value::Object(o) => o.values().for_each(walk),
                    _ => {}
                }
            }
            walk(l);
        }
    }

    #[test]
    fn some_empty_profiles_and_varied_text() {
        let (lines, _) = demo(10_000, 5);
        let smes: Vec<&Value> = lines.iter().filter(|l| l["kind"] == "sme").collect();
        let eus: Vec<&Value> = lines.iter().filter(|l| l["kind"] == "end_user").collect();
        let no_offer = smes.iter().filter(|l| l["offers"].as_array().is_some_and(Vec::is_empty)).count() as f64
            / smes.len() as f64;
        let no_need =
            eus.iter().filter(|l| l["needs"].as_array().is_some_and(Vec::is_empty)).count() as f64 / eus.len() as f64;
        assert!((0.02..=0.1).contains(&no_offer), "SMEs without offer {no_offer}");
        assert!((0.02..=0.1).contains(&no_need), "end users without need {no_need}");
        let mut descriptions = HashSet::new();
        let mut total = 0usize;
        let mut fr_items = 0usize;
        for l in &lines {
            for item in l["offers"].as_array().into_iter().flatten().chain(l["needs"].as_array().into_iter().flatten())
            {
                total += 1;
                descriptions.insert(as_str(item, "description").to_string());
                fr_items += usize::from(item["language"] == "fr");
            }
        }
        assert!(descriptions.len() as f64 > 0.97 * total as f64, "{} distinct of {total}", descriptions.len());
        let fr_share = fr_items as f64 / total as f64;
        assert!((0.3..=0.6).contains(&fr_share), "French items {fr_share}");
        let text = serialised(&lines).join("\n").to_lowercase();
        for term in [
            "drone",
            "uav",
            "ransomware",
            "rançongiciel",
            "scada",
            " ot ",
            "vidéoprotection",
            "cctv",
            "inondation",
            "flood",
            "feux de forêt",
            "wildfire",
            "crue",
            "cyberattaque",
            "hôpita",
            "hospital",
            "port",
            "soc",
            "détection d'anomalies",
            "anomaly detection",
            "jumeau numérique",
            "digital twin",
            "alerte précoce",
            "early warning",
            "capteurs",
            "sensors",
        ] {
            assert!(text.contains(term), "missing search term {term}");
        }
    }

    #[test]
    fn near_duplicates_are_planted_and_recognisable() {
        for (n, min) in [(400usize, 2usize), (10_000, 40)] {
            let (lines, pairs) = demo(n, 42);
            let mut groups: HashMap<(String, String), Vec<&Value>> = HashMap::new();
            for l in &lines {
                let key = (as_str(l, "country").to_string(), fold_legal_name(as_str(l, "legal_name")));
                groups.entry(key).or_default().push(l);
            }
            let dups: Vec<&Vec<&Value>> = groups.values().filter(|g| g.len() > 1).collect();
            assert!(dups.len() >= min, "{} near-duplicate groups at {n}", dups.len());
            let planted: HashSet<(&str, &str)> = pairs.iter().map(|p| (p.sme.as_str(), p.end_user.as_str())).collect();
            for g in dups {
                assert_eq!(g.len(), 2, "group of {}", g.len());
                let (a, b) = (g[0], g[1]);
                assert_eq!(a["kind"], "sme");
                assert_eq!(b["kind"], "sme");
                assert_ne!(a["legal_name"], b["legal_name"]);
                assert_ne!(a["registration_id"], b["registration_id"]);
                assert_eq!(a["website"], b["website"]);
                let (ia, ib) = (as_str(a, "registration_id"), as_str(b, "registration_id"));
                assert!(!planted.contains(&(ia, ib)) && !planted.contains(&(ib, ia)));
                // The copy is never part of the ground truth.
                assert!(
                    pairs.iter().filter(|p| p.sme == ia || p.sme == ib).map(|p| &p.sme).collect::<HashSet<_>>().len()
                        <= 1
                );
            }
            // Folded names are otherwise unique across countries too.
            let mut by_name: HashMap<String, usize> = HashMap::new();
            for l in &lines {
                *by_name.entry(fold_legal_name(as_str(l, "legal_name"))).or_default() += 1;
            }
            assert!(by_name.values().all(|&c| c <= 2));
        }
    }

    #[test]
    fn name_spaces_are_collision_free() {
        // Brands of SMEs and large companies (French and international) never collide once folded.
        let mut seen = HashSet::new();
        for space in [FR_BRANDS, IN_BRANDS, LG_FR, LG_IN] {
            let total = space_size(space);
            for v in 0..total {
                let mut s = String::new();
                decode_into(space, v, &mut s);
                assert!(seen.insert(fold_legal_name(&s)), "brand collision: {s}");
            }
        }
        // Town names are unique within and across styles (English templates are shared by styles).
        let mut towns = HashSet::new();
        for space in TOWN_SPACES {
            for v in 0..space_size(space) {
                let mut s = String::new();
                decode_into(space, v, &mut s);
                assert!(towns.insert(fold_tokens(&s).join(" ")), "town collision: {s}");
            }
        }
        // Group spaces are large enough for a million organisations without numbered fallbacks.
        for style in 0..NSTYLE {
            for cat in 0..NCAT as u8 {
                let expected = 1_000_000.0 * f64::from(CAT_WEIGHTS[usize::from(cat)]) / 1000.0;
                let share: f64 = COUNTRIES
                    .iter()
                    .filter(|c| name_style(cat, c) == style)
                    .map(|c| f64::from(c.weight) / 10_010.0)
                    .sum();
                if share > 0.0 {
                    let needed = expected * share * 1.2;
                    assert!(
                        space_total(style, cat) as f64 >= needed,
                        "style {style} cat {cat}: {} < {needed}",
                        space_total(style, cat)
                    );
                }
            }
        }
    }

    #[test]
    fn permutation_is_a_bijection() {
        for domain in [1u64, 2, 3, 10, 97, 1000, 4097] {
            let mut seen = HashSet::new();
            for x in 0..domain {
                let y = permute(x, domain, 12345);
                assert!(y < domain);
                assert!(seen.insert(y));
            }
        }
    }

    #[test]
    fn tiny_sizes_do_not_panic() {
        for n in [0usize, 1, 2, 5, 19, 20, 37, 99, 100] {
            let (lines, pairs) = demo(n, 1);
            assert_eq!(lines.len(), n);
            let ids: HashSet<&str> = lines.iter().map(|l| as_str(l, "registration_id")).collect();
            assert_eq!(ids.len(), n);
            assert!(pairs.iter().all(|p| ids.contains(p.sme.as_str()) && ids.contains(p.end_user.as_str())));
        }
    }

    #[test]
    fn french_text_uses_elision() {
        assert_eq!(fr_elide("Commune de Aubrelle"), "Commune d'Aubrelle");
        assert_eq!(fr_elide("Port de Le Kervaux"), "Port du Kervaux");
        assert_eq!(fr_elide("Quartier des berges à Les Dunes"), "Quartier des berges aux Dunes");
        assert_eq!(fr_elide("CHU de Brisac"), "CHU de Brisac");
        let (lines, _) = demo(2_000, 42);
        for l in &lines {
            let name = as_str(l, "legal_name");
            assert!(!name.contains(" de Le ") && !name.contains(" de Les "), "{name}");
        }
    }
}
