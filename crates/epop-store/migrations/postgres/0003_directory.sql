-- The directory: profiles of peer workers and référents, curated themes,
-- consents per purpose. Sensitive fields (accommodations, experience of
-- disability) are only read by `directory::sensitive`, which the web layer
-- calls after the permission check and writes to the audit log.
CREATE TABLE themes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE profiles (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
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
    on_site BIGINT NOT NULL,
    remote BIGINT NOT NULL,
    travel_km BIGINT,
    other_languages TEXT NOT NULL,
    max_per_month BIGINT,
    trained_on TEXT,
    training_programme TEXT,
    job_title TEXT,
    organisation_id BIGINT REFERENCES organisations(id),
    accommodations TEXT,
    disability_experience TEXT,
    search_text TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (account_id, kind)
);
CREATE INDEX profiles_sort ON profiles(sort_name);
CREATE INDEX profiles_visibility ON profiles(visibility, kind);
CREATE TABLE profile_departments (
    profile_id BIGINT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    department_code TEXT NOT NULL REFERENCES departments(code),
    PRIMARY KEY (profile_id, department_code)
);
CREATE INDEX profile_departments_by_code ON profile_departments(department_code, profile_id);
CREATE TABLE profile_interventions (
    profile_id BIGINT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    PRIMARY KEY (profile_id, kind)
);
CREATE INDEX profile_interventions_by_kind ON profile_interventions(kind, profile_id);
CREATE TABLE profile_themes (
    profile_id BIGINT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    theme_id BIGINT NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
    PRIMARY KEY (profile_id, theme_id)
);
CREATE INDEX profile_themes_by_theme ON profile_themes(theme_id, profile_id);
CREATE TABLE profile_languages (
    profile_id BIGINT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    PRIMARY KEY (profile_id, language)
);
CREATE INDEX profile_languages_by_language ON profile_languages(language, profile_id);
CREATE TABLE profile_absences (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile_id BIGINT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL
);
CREATE TABLE consents (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    text_version TEXT NOT NULL,
    given_at BIGINT NOT NULL,
    withdrawn_at BIGINT
);
CREATE INDEX consents_by_account ON consents(account_id, purpose);
-- Full-text search: the folded search_text, indexed with the 'simple'
-- configuration (folding is done in Rust, the same for both engines).
CREATE INDEX profiles_search ON profiles USING GIN (to_tsvector('simple', search_text));
