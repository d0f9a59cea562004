-- Intervention requests from organisations. A draft keeps the form as typed
-- (`form`, URL-encoded); on submission the checked values fill the typed
-- columns. Every change of status is recorded in request_transitions
-- (who, when, why).
CREATE TABLE intervention_requests (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    form TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    token_hash TEXT UNIQUE,
    kind TEXT,
    subject TEXT,
    department_code TEXT REFERENCES departments(code),
    remote BIGINT,
    date_from TEXT,
    date_to TEXT,
    fee_cents BIGINT,
    organisation_id BIGINT REFERENCES organisations(id),
    requester_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT
);
CREATE INDEX intervention_requests_territory ON intervention_requests(department_code, status);
CREATE TABLE request_transitions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES intervention_requests(id) ON DELETE CASCADE,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    reason TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX request_transitions_request ON request_transitions(request_id, id);
