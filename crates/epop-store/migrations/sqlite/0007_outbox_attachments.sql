-- One optional text attachment per message (an event's .ics file): its file
-- name, its MIME type, and its text. All three are set, or none.
ALTER TABLE outbox ADD COLUMN attachment_name TEXT;
ALTER TABLE outbox ADD COLUMN attachment_type TEXT;
ALTER TABLE outbox ADD COLUMN attachment_body TEXT;
