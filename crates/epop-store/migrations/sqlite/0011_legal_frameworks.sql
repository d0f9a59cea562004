-- The rules of legal and payment frameworks that an administrator edited
-- (the others are the defaults written in the domain crate), and the
-- framework chosen for each request with the peer's situations.
CREATE TABLE legal_rules (
    situation TEXT NOT NULL,
    framework TEXT NOT NULL,
    verdict TEXT NOT NULL,
    requirements TEXT NOT NULL,
    warnings TEXT NOT NULL,
    warnings_easy TEXT NOT NULL,
    whom_to_ask TEXT NOT NULL,
    source TEXT NOT NULL,
    checked_on TEXT NOT NULL,
    updated_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (situation, framework)
);
ALTER TABLE intervention_requests ADD COLUMN framework TEXT;
ALTER TABLE intervention_requests ADD COLUMN situations TEXT;
