-- Consortia: the partners of one application to a call, each in one of the call's roles. Their rule checks are
-- computed when read, so that they always reflect the partners' current profiles.
CREATE TABLE consortia (
    id TEXT PRIMARY KEY,
    call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_by TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX consortia_call ON consortia (call_id);

CREATE TABLE consortium_partners (
    consortium_id TEXT NOT NULL REFERENCES consortia (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (consortium_id, position)
);
CREATE INDEX consortium_partners_organisation ON consortium_partners (organisation_id);
