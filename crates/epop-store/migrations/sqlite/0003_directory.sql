-- The directory: profiles of peer workers and référents, curated themes,
-- consents per purpose. Sensitive fields (accommodations, experience of
-- disability) are only read by `directory::sensitive`, which the web layer
-- calls after the permission check and writes to the audit log.
CREATE TABLE themes (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE profiles (
    id INTEGER PRIMARY KEY NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    sort_name TEXT NOT NULL,
    visibility TEXT NOT NULL,
    home_department TEXT REFERENCES departments(code),
    presentation TEXT NOT NULL,
    presentation_easy TEXT NOT NULL,
    own_words TEXT NOT NULL,
    photo_path TEXT,
    photo_alt TEXT,
    on_site INTEGER NOT NULL,
    remote INTEGER NOT NULL,
    travel_km INTEGER,
    other_languages TEXT NOT NULL,
    max_per_month INTEGER,
    trained_on TEXT,
    training_programme TEXT,
    job_title TEXT,
    organisation_id INTEGER REFERENCES organisations(id),
    accommodations TEXT,
    disability_experience TEXT,
    search_text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (account_id, kind)
);
CREATE INDEX profiles_sort ON profiles(sort_name);
CREATE INDEX profiles_visibility ON profiles(visibility, kind);
CREATE TABLE profile_departments (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    department_code TEXT NOT NULL REFERENCES departments(code),
    PRIMARY KEY (profile_id, department_code)
);
CREATE INDEX profile_departments_by_code ON profile_departments(department_code, profile_id);
CREATE TABLE profile_interventions (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    PRIMARY KEY (profile_id, kind)
);
CREATE INDEX profile_interventions_by_kind ON profile_interventions(kind, profile_id);
CREATE TABLE profile_themes (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
    PRIMARY KEY (profile_id, theme_id)
);
CREATE INDEX profile_themes_by_theme ON profile_themes(theme_id, profile_id);
CREATE TABLE profile_languages (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    PRIMARY KEY (profile_id, language)
);
CREATE INDEX profile_languages_by_language ON profile_languages(language, profile_id);
CREATE TABLE profile_absences (
    id INTEGER PRIMARY KEY NOT NULL,
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL
);
CREATE TABLE consents (
    id INTEGER PRIMARY KEY NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    text_version TEXT NOT NULL,
    given_at INTEGER NOT NULL,
    withdrawn_at INTEGER
);
CREATE INDEX consents_by_account ON consents(account_id, purpose);
CREATE VIRTUAL TABLE profile_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
