-- Applications to become a peer worker or a référent, made without an
-- account, one question per page: a draft found by the hash of a random
-- token in its URL, then sent and confirmed by an e-mailed link (also
-- hashed); confirming attaches the account. Each step of the person's path
-- is kept with its date in `candidate_steps`.
CREATE TABLE candidate_applications (
    id INTEGER PRIMARY KEY NOT NULL,
    public_id TEXT NOT NULL UNIQUE,
    audience TEXT NOT NULL,
    status TEXT NOT NULL,
    draft_token_hash TEXT UNIQUE,
    confirm_token_hash TEXT UNIQUE,
    name TEXT NOT NULL,
    department_code TEXT REFERENCES departments(code),
    email TEXT,
    phone TEXT,
    actions TEXT NOT NULL,
    needs TEXT NOT NULL,
    consent_at INTEGER,
    account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
    close_reason TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX candidate_applications_status ON candidate_applications(status, department_code);
CREATE INDEX candidate_applications_account ON candidate_applications(account_id);
CREATE TABLE candidate_steps (
    id INTEGER PRIMARY KEY NOT NULL,
    application_id INTEGER NOT NULL REFERENCES candidate_applications(id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    detail TEXT NOT NULL,
    actor_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    at INTEGER NOT NULL
);
CREATE INDEX candidate_steps_application ON candidate_steps(application_id, at);
-- Information meetings for people who want to become peer workers or
-- référents (shown on the « devenir » pages).
ALTER TABLE events ADD COLUMN information_meeting INTEGER NOT NULL DEFAULT 0;
