-- The toolbox (boîte à outils). A resource is described once; its files are
-- versions (the newest is the current one, the previous ones stay for the
-- coordination); `search_text` is its folded words (the directory's
-- folding), `easy` whether it has an easy-read summary. A department
-- resource also names its region, so that a region's search finds it.
-- `status`: suggested, draft, published, unpublished. `visibility`: public,
-- members, trained. `format`: document, image, audio, video, lien.
CREATE TABLE resources (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    summary_easy TEXT NOT NULL DEFAULT '',
    region_code TEXT REFERENCES regions(code),
    department_code TEXT REFERENCES departments(code),
    language TEXT NOT NULL,
    dated TEXT NOT NULL,
    author TEXT NOT NULL,
    licence TEXT NOT NULL,
    link TEXT,
    transcript TEXT NOT NULL DEFAULT '',
    visibility TEXT NOT NULL,
    status TEXT NOT NULL,
    format TEXT,
    easy BIGINT NOT NULL DEFAULT 0,
    search_text TEXT NOT NULL,
    created_by BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    suggested_by BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX resources_status ON resources(status, dated);
CREATE INDEX resources_suggested_by ON resources(suggested_by);
CREATE TABLE resource_audiences (
    resource_id BIGINT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    audience TEXT NOT NULL,
    PRIMARY KEY (resource_id, audience)
);
CREATE TABLE resource_interventions (
    resource_id BIGINT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    PRIMARY KEY (resource_id, kind)
);
CREATE TABLE resource_themes (
    resource_id BIGINT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    theme_id BIGINT NOT NULL REFERENCES themes(id),
    PRIMARY KEY (resource_id, theme_id)
);
-- One file of a resource: its main file (each upload a new version) or its
-- captions. `storage_key` names it in the file storage.
CREATE TABLE resource_files (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resource_id BIGINT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    public_id TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    size BIGINT NOT NULL,
    storage_key TEXT NOT NULL,
    created_by BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX resource_files_of ON resource_files(resource_id, role, created_at);
-- Downloads counted per resource and month (`AAAA-MM`): no person, no time.
CREATE TABLE resource_downloads (
    resource_id BIGINT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (resource_id, month)
);
