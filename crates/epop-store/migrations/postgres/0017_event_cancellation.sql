-- An organiser may cancel an event as a whole, with a reason.
ALTER TABLE events ADD COLUMN cancelled_at BIGINT;
ALTER TABLE events ADD COLUMN cancel_reason TEXT;
