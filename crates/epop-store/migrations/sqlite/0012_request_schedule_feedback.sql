-- When a request's intervention takes place (Unix seconds), and the short
-- feedback of both sides once it is done (kept for the evaluation).
ALTER TABLE intervention_requests ADD COLUMN scheduled_start INTEGER;
ALTER TABLE intervention_requests ADD COLUMN scheduled_end INTEGER;
CREATE TABLE request_feedback (
    request_id INTEGER NOT NULL REFERENCES intervention_requests(id) ON DELETE CASCADE,
    side TEXT NOT NULL,
    account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    feeling INTEGER NOT NULL,
    useful INTEGER NOT NULL,
    again TEXT NOT NULL,
    comment TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (request_id, side)
);
