-- Events and information meetings with their registrations. `seats_taken`
-- counts the registrations holding a seat (confirmed or offered): it is
-- changed in the same transaction as the registration, by one conditional
-- UPDATE, so that concurrent registrations never oversell.
CREATE TABLE events (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    description_easy TEXT NOT NULL,
    audience TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    online INTEGER NOT NULL,
    online_link TEXT,
    address TEXT,
    directions TEXT,
    step_free INTEGER NOT NULL,
    department_code TEXT REFERENCES departments(code),
    organiser TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    seats_taken INTEGER NOT NULL,
    deadline INTEGER NOT NULL,
    offer_hours INTEGER,
    accessibility TEXT NOT NULL,
    questions TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX events_upcoming ON events(starts_at);
CREATE TABLE event_registrations (
    id INTEGER PRIMARY KEY NOT NULL,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    needs TEXT NOT NULL,
    needs_other TEXT,
    answers TEXT NOT NULL,
    status TEXT NOT NULL,
    account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    registered_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    consent_version TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    offer_expires_at INTEGER,
    cancelled_at INTEGER,
    reminder_sent_at INTEGER,
    attended INTEGER
);
-- One active registration per person and event: submitting the same form
-- twice finds the first one.
CREATE UNIQUE INDEX event_registrations_active ON event_registrations(event_id, email)
    WHERE status <> 'cancelled';
CREATE INDEX event_registrations_queue ON event_registrations(event_id, status, id);
-- The links e-mailed to a person to see, confirm or cancel their
-- registration: each e-mail carries a new random token (stored hashed), and
-- every link sent stays valid while the registration lasts.
CREATE TABLE event_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    registration_id INTEGER NOT NULL REFERENCES event_registrations(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
CREATE INDEX event_links_registration ON event_links(registration_id);
