-- Trainings: programmes, sessions of half-days, applications with the
-- coordinator's decisions, attendance per half-day; and the accompaniment
-- after training (milestones, follow-up notes seen only by coordinators).
CREATE TABLE training_programmes (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    audience TEXT NOT NULL,
    description TEXT NOT NULL,
    description_easy TEXT NOT NULL,
    duration TEXT NOT NULL,
    hours INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE training_sessions (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    programme_id INTEGER NOT NULL REFERENCES training_programmes(id),
    title TEXT NOT NULL,
    place TEXT NOT NULL,
    department_code TEXT NOT NULL REFERENCES departments(code),
    capacity INTEGER NOT NULL,
    places_taken INTEGER NOT NULL,
    trainers TEXT NOT NULL,
    peer_trainers TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE training_half_days (
    id INTEGER PRIMARY KEY NOT NULL,
    session_id INTEGER NOT NULL REFERENCES training_sessions(id) ON DELETE CASCADE,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL
);
CREATE INDEX training_half_days_session ON training_half_days(session_id, starts_at);
CREATE TABLE training_applications (
    id INTEGER PRIMARY KEY NOT NULL,
    public_id TEXT NOT NULL UNIQUE,
    session_id INTEGER NOT NULL REFERENCES training_sessions(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    motivation TEXT NOT NULL,
    needs TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    decided_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    decided_at INTEGER,
    completed_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX training_applications_open ON training_applications(session_id, account_id)
    WHERE status NOT IN ('declined', 'withdrawn');
CREATE TABLE training_attendance (
    application_id INTEGER NOT NULL REFERENCES training_applications(id) ON DELETE CASCADE,
    half_day_id INTEGER NOT NULL REFERENCES training_half_days(id) ON DELETE CASCADE,
    present INTEGER NOT NULL,
    PRIMARY KEY (application_id, half_day_id)
);
CREATE TABLE accompaniment_milestones (
    id INTEGER PRIMARY KEY NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    milestone TEXT NOT NULL,
    reached_on TEXT NOT NULL,
    recorded_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (account_id, milestone)
);
CREATE TABLE follow_up_notes (
    id INTEGER PRIMARY KEY NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX follow_up_notes_account ON follow_up_notes(account_id, created_at);
-- Practice-analysis groups: events open only to trained peer workers.
ALTER TABLE events ADD COLUMN trained_peers_only INTEGER NOT NULL DEFAULT 0;
