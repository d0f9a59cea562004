-- The host's référent for a request, and the readiness checklist they fill.
ALTER TABLE intervention_requests ADD COLUMN referent_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL;
CREATE TABLE request_readiness (
    request_id INTEGER PRIMARY KEY NOT NULL REFERENCES intervention_requests(id) ON DELETE CASCADE,
    team_told INTEGER NOT NULL,
    place_accessible INTEGER NOT NULL,
    accommodations_ready INTEGER NOT NULL,
    mission_sheet_written INTEGER NOT NULL,
    notes TEXT,
    updated_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    updated_at INTEGER NOT NULL
);
