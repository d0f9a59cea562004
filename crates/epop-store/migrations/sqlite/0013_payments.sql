-- What a peer worker is owed for an intervention: the fee, who pays, when,
-- and its state (due, paid, declined by the peer); and the expenses they
-- declare with their receipts (files in the data folder).
CREATE TABLE request_payments (
    request_id INTEGER PRIMARY KEY NOT NULL REFERENCES intervention_requests(id) ON DELETE CASCADE,
    fee_cents INTEGER,
    payer TEXT NOT NULL,
    due_on TEXT,
    status TEXT NOT NULL,
    paid_on TEXT,
    updated_at INTEGER NOT NULL
);
CREATE TABLE request_expenses (
    id INTEGER PRIMARY KEY NOT NULL,
    public_id TEXT NOT NULL UNIQUE,
    request_id INTEGER NOT NULL REFERENCES intervention_requests(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    receipt_file TEXT,
    receipt_type TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX request_expenses_request ON request_expenses(request_id, id);
