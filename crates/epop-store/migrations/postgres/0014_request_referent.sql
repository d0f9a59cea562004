-- The host's référent for a request, and the readiness checklist they fill.
ALTER TABLE intervention_requests ADD COLUMN referent_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL;
CREATE TABLE request_readiness (
    request_id BIGINT PRIMARY KEY NOT NULL REFERENCES intervention_requests(id) ON DELETE CASCADE,
    team_told BIGINT NOT NULL,
    place_accessible BIGINT NOT NULL,
    accommodations_ready BIGINT NOT NULL,
    mission_sheet_written BIGINT NOT NULL,
    notes TEXT,
    updated_by BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    updated_at BIGINT NOT NULL
);
