-- Trainings: programmes, sessions of half-days, applications with the
-- coordinator's decisions, attendance per half-day; and the accompaniment
-- after training (milestones, follow-up notes seen only by coordinators).
CREATE TABLE training_programmes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    audience TEXT NOT NULL,
    description TEXT NOT NULL,
    description_easy TEXT NOT NULL,
    duration TEXT NOT NULL,
    hours BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE training_sessions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    programme_id BIGINT NOT NULL REFERENCES training_programmes(id),
    title TEXT NOT NULL,
    place TEXT NOT NULL,
    department_code TEXT NOT NULL REFERENCES departments(code),
    capacity BIGINT NOT NULL,
    places_taken BIGINT NOT NULL,
    trainers TEXT NOT NULL,
    peer_trainers TEXT NOT NULL,
    created_by BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE training_half_days (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES training_sessions(id) ON DELETE CASCADE,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL
);
CREATE INDEX training_half_days_session ON training_half_days(session_id, starts_at);
CREATE TABLE training_applications (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    session_id BIGINT NOT NULL REFERENCES training_sessions(id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    motivation TEXT NOT NULL,
    needs TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    decided_by BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    decided_at BIGINT,
    completed_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX training_applications_open ON training_applications(session_id, account_id)
    WHERE status NOT IN ('declined', 'withdrawn');
CREATE TABLE training_attendance (
    application_id BIGINT NOT NULL REFERENCES training_applications(id) ON DELETE CASCADE,
    half_day_id BIGINT NOT NULL REFERENCES training_half_days(id) ON DELETE CASCADE,
    present BIGINT NOT NULL,
    PRIMARY KEY (application_id, half_day_id)
);
CREATE TABLE accompaniment_milestones (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    milestone TEXT NOT NULL,
    reached_on TEXT NOT NULL,
    recorded_by BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (account_id, milestone)
);
CREATE TABLE follow_up_notes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX follow_up_notes_account ON follow_up_notes(account_id, created_at);
-- Practice-analysis groups: events open only to trained peer workers.
ALTER TABLE events ADD COLUMN trained_peers_only BIGINT NOT NULL DEFAULT 0;
