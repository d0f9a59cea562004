-- An information meeting may present a training programme: once it has
-- ended, each person who had a seat (and was not marked absent) is offered
-- the application, once (`followup_sent_at`, set in the transaction that
-- writes the e-mail).
ALTER TABLE events ADD COLUMN training_programme_id INTEGER REFERENCES training_programmes(id) ON DELETE SET NULL;
CREATE INDEX events_training_programme ON events(training_programme_id);
ALTER TABLE event_registrations ADD COLUMN followup_sent_at INTEGER;
