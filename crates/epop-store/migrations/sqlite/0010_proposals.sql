-- Proposals of a request to peer workers, each with an answer deadline.
-- The first acceptance takes the place: the request's row lock orders the
-- answers, and this partial unique index refuses a second acceptance.
CREATE TABLE request_proposals (
    id INTEGER PRIMARY KEY NOT NULL,
    public_id TEXT NOT NULL UNIQUE,
    request_id INTEGER NOT NULL REFERENCES intervention_requests(id) ON DELETE CASCADE,
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    deadline INTEGER NOT NULL,
    reason TEXT,
    created_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    answered_at INTEGER
);
CREATE UNIQUE INDEX request_proposals_one_accepted ON request_proposals(request_id)
    WHERE status = 'accepted';
CREATE INDEX request_proposals_by_account ON request_proposals(account_id, created_at);
CREATE INDEX request_proposals_by_request ON request_proposals(request_id, status);
