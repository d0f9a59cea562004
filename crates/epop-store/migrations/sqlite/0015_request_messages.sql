-- The message thread of a request between its coordinators and the
-- requesting organisation.
CREATE TABLE request_messages (
    id INTEGER PRIMARY KEY NOT NULL,
    request_id INTEGER NOT NULL REFERENCES intervention_requests(id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    from_coordination INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX request_messages_request ON request_messages(request_id, id);
