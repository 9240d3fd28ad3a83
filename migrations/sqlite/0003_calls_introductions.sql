-- Calls (their rules are data), participation, double-opt-in introductions with their history, and the
-- transactional outbox that the notifier turns into in-app notifications, e-mails and webhook deliveries.
CREATE TABLE calls (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    published BOOLEAN NOT NULL,
    archived BOOLEAN NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE call_participants (
    call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    added_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (call_id, organisation_id)
);
CREATE INDEX call_participants_organisation ON call_participants (organisation_id);

-- `call_key` is the call's id, or '' for an introduction outside any call; (organisation_a, organisation_b) is
-- the unordered pair, organisation_a < organisation_b. Times that the timer compares are Unix milliseconds.
CREATE TABLE introductions (
    id TEXT PRIMARY KEY,
    call_key TEXT NOT NULL,
    from_org TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    to_org TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    organisation_a TEXT NOT NULL,
    organisation_b TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    by_broker BOOLEAN NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('proposed', 'connected', 'declined', 'withdrawn', 'expired')),
    accepted_by TEXT NOT NULL,
    message TEXT NOT NULL,
    decline_reason TEXT,
    decline_text TEXT,
    declined_by TEXT,
    expires_at_ms INTEGER NOT NULL,
    remind_at_ms INTEGER NOT NULL,
    reminded BOOLEAN NOT NULL,
    answered_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (organisation_a < organisation_b)
);
CREATE UNIQUE INDEX introductions_open_pair ON introductions (organisation_a, organisation_b, call_key)
    WHERE state IN ('proposed', 'connected');
CREATE INDEX introductions_from ON introductions (from_org, state);
CREATE INDEX introductions_to ON introductions (to_org, state);
CREATE INDEX introductions_due ON introductions (state, remind_at_ms, expires_at_ms);

CREATE TABLE introduction_history (
    introduction_id TEXT NOT NULL REFERENCES introductions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    at TEXT NOT NULL,
    by_account TEXT,
    by_organisation TEXT,
    action TEXT NOT NULL,
    PRIMARY KEY (introduction_id, position)
);

-- One row per event, written in the transaction of the change it reports.
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    introduction_id TEXT NOT NULL,
    organisations TEXT NOT NULL,
    audience TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    dispatched BOOLEAN NOT NULL
);
CREATE INDEX outbox_pending ON outbox (dispatched, seq);

CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    read BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (account_id, event_id)
);
CREATE INDEX notifications_account ON notifications (account_id, id);

CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    organisation_id TEXT REFERENCES organisations (id) ON DELETE CASCADE,
    created_by TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);

-- One e-mail or webhook delivery of one event, retried until it succeeds or gives up.
CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    target TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL,
    next_attempt_ms INTEGER NOT NULL,
    lease_until_ms INTEGER NOT NULL,
    first_attempt_ms INTEGER,
    created_at TEXT NOT NULL,
    UNIQUE (event_id, channel, target)
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_ms);
CREATE INDEX deliveries_target ON deliveries (target, event_id);

CREATE TABLE delivery_attempts (
    delivery_id TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    status TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);

-- The two calls from their public texts. CITADEL's SME countries: EU-27 and the countries associated to the
-- Single Market Programme (from COSME's participating countries); administrators edit the list as data.
INSERT INTO calls (id, slug, body, published, archived, version, created_at, updated_at) VALUES
    ('01960000-0000-7000-8000-00000000c001', 'citadel-oc1', '{"name": {"fr": "CITADEL Eurocluster — appel ouvert n° 1 : technologies de sécurité et numériques", "en": "CITADEL Eurocluster Open Call 1: security and digital technologies"}, "programme": "Single Market Programme — Euroclusters (CITADEL)", "opens_at": "2026-02-23T23:00:00Z", "closes_at": "2026-05-05T15:00:00Z", "time_zone": "Europe/Brussels", "funding": {"max_per_project_eur": 60000, "max_projects": 17, "max_rate": null}, "duration_months": 9, "roles": [{"role": "digital_sme", "kinds": ["sme"], "min": 1, "max": 1, "countries": ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "ME", "MK", "MD", "TR", "AL", "RS", "AM", "UA", "BA"], "sme_required": true, "sectors": null}, {"role": "security_end_user", "kinds": ["end_user"], "min": 1, "max": 1, "countries": null, "sme_required": false, "sectors": null}], "independent_partners": true, "technologies": ["ai", "cybersecurity", "iot_sensors", "data_analytics", "critical_infrastructure_solutions", "crisis_management"], "domains": ["critical_infrastructure", "disaster_resilience", "urban_security", "digital_green_transition"], "languages": ["en"], "practice": false, "source": "CITADEL Open Call 1 guide for applicants"}', 1, 0, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
INSERT INTO calls (id, slug, body, published, archived, version, created_at, updated_at) VALUES
    ('01960000-0000-7000-8000-00000000c002', 'france-relance-cyber-territoires', '{"name": {"fr": "France Relance — démonstrateurs territoriaux de cybersécurité", "en": "France Relance — territorial cybersecurity demonstrators"}, "programme": "France Relance", "opens_at": "2021-03-24T23:00:00Z", "closes_at": null, "time_zone": "Europe/Paris", "funding": {"max_per_project_eur": null, "max_projects": null, "max_rate": 0.5}, "duration_months": null, "roles": [{"role": "end_user", "kinds": ["end_user"], "min": 1, "max": 1, "countries": ["FR"], "sme_required": false, "sectors": ["local_authority", "health", "port"]}, {"role": "company", "kinds": ["sme", "large_company"], "min": 1, "max": null, "countries": null, "sme_required": false, "sectors": null}], "independent_partners": true, "technologies": ["cybersecurity"], "domains": ["critical_infrastructure"], "languages": ["fr"], "practice": false, "source": "Press release of 2021-03-25 (France Relance, territorial cybersecurity demonstrators)"}', 1, 1, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
