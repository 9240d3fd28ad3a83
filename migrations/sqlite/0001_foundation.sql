-- Accounts, sessions, organisations with their offers and needs, memberships, and the change log.
CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('user', 'broker', 'admin')),
    language TEXT NOT NULL DEFAULT 'en',
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    country TEXT NOT NULL,
    legal_name TEXT NOT NULL,
    registration_id TEXT,
    is_sme BOOLEAN NOT NULL,
    published BOOLEAN NOT NULL,
    profile TEXT NOT NULL,
    contact TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX organisations_kind_country ON organisations (kind, country);
CREATE INDEX organisations_registration ON organisations (registration_id);

CREATE TABLE organisation_tags (
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    facet TEXT NOT NULL,
    tag TEXT NOT NULL,
    PRIMARY KEY (organisation_id, facet, tag)
);
CREATE INDEX organisation_tags_lookup ON organisation_tags (facet, tag, organisation_id);

CREATE TABLE memberships (
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'member')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (organisation_id, account_id)
);
CREATE INDEX memberships_account ON memberships (account_id);

CREATE TABLE offers (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX offers_organisation ON offers (organisation_id, id);

CREATE TABLE needs (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX needs_organisation ON needs (organisation_id, id);

CREATE TABLE change_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),
    at TEXT NOT NULL
);
