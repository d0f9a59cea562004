-- Intervention requests from organisations. A draft keeps the form as typed
-- (`form`, URL-encoded); on submission the checked values fill the typed
-- columns. Every change of status is recorded in request_transitions
-- (who, when, why).
CREATE TABLE intervention_requests (
    id INTEGER PRIMARY KEY NOT NULL,
    public_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    form TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    token_hash TEXT UNIQUE,
    kind TEXT,
    subject TEXT,
    department_code TEXT REFERENCES departments(code),
    remote INTEGER,
    date_from TEXT,
    date_to TEXT,
    fee_cents INTEGER,
    organisation_id INTEGER REFERENCES organisations(id),
    requester_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    submitted_at INTEGER
);
CREATE INDEX intervention_requests_territory ON intervention_requests(department_code, status);
CREATE TABLE request_transitions (
    id INTEGER PRIMARY KEY NOT NULL,
    request_id INTEGER NOT NULL REFERENCES intervention_requests(id) ON DELETE CASCADE,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    reason TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX request_transitions_request ON request_transitions(request_id, id);
