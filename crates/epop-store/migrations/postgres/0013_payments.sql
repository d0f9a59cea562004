-- What a peer worker is owed for an intervention: the fee, who pays, when,
-- and its state (due, paid, declined by the peer); and the expenses they
-- declare with their receipts (files in the data folder).
CREATE TABLE request_payments (
    request_id BIGINT PRIMARY KEY NOT NULL REFERENCES intervention_requests(id) ON DELETE CASCADE,
    fee_cents BIGINT,
    payer TEXT NOT NULL,
    due_on TEXT,
    status TEXT NOT NULL,
    paid_on TEXT,
    updated_at BIGINT NOT NULL
);
CREATE TABLE request_expenses (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    request_id BIGINT NOT NULL REFERENCES intervention_requests(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    receipt_file TEXT,
    receipt_type TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX request_expenses_request ON request_expenses(request_id, id);
