-- Brokerage days: time slots, each organisation's availability, the meetings to place and where they went.
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    slot_minutes INTEGER NOT NULL,
    slots INTEGER NOT NULL,
    location TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    scheduled_at TIMESTAMPTZ
);
CREATE INDEX events_call ON events (call_id);

-- No row: available in every slot.
CREATE TABLE event_availability (
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    slots TEXT NOT NULL,
    PRIMARY KEY (event_id, organisation_id)
);

-- (organisation_a, organisation_b) is the unordered pair, organisation_a < organisation_b. After scheduling,
-- `slot` holds the meeting's slot, or `reason` why it could not be placed.
CREATE TABLE event_meetings (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    organisation_a TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    organisation_b TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    source TEXT NOT NULL CHECK (source IN ('introduction', 'broker')),
    slot INTEGER,
    reason TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (event_id, organisation_a, organisation_b),
    CHECK (organisation_a < organisation_b)
);
