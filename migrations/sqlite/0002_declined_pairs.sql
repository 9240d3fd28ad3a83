-- A pair that one side declined: never suggested again (for that call, or at all when call_id is empty).
-- The pair is unordered: organisation_a < organisation_b.
CREATE TABLE declined_pairs (
    organisation_a TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    organisation_b TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    call_id TEXT NOT NULL DEFAULT '',
    declined_by TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organisation_a, organisation_b, call_id),
    CHECK (organisation_a < organisation_b)
);
CREATE INDEX declined_pairs_b ON declined_pairs (organisation_b);
