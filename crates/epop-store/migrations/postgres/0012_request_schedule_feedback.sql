-- When a request's intervention takes place (Unix seconds), and the short
-- feedback of both sides once it is done (kept for the evaluation).
ALTER TABLE intervention_requests ADD COLUMN scheduled_start BIGINT;
ALTER TABLE intervention_requests ADD COLUMN scheduled_end BIGINT;
CREATE TABLE request_feedback (
    request_id BIGINT NOT NULL REFERENCES intervention_requests(id) ON DELETE CASCADE,
    side TEXT NOT NULL,
    account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    feeling BIGINT NOT NULL,
    useful BIGINT NOT NULL,
    again TEXT NOT NULL,
    comment TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (request_id, side)
);
