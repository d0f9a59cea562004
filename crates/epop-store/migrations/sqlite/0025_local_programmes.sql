-- Local programmes (« expérimentations locales », « déploiements »): who
-- carries them (the national project EPoP, a regional public policy or
-- another carrier), their départements and years, their aims in ordinary
-- and easy-read French, their status (chosen, or NULL: the years say it),
-- their review, and the coordinator accounts who may edit them. What they
-- produced is computed from the platform's data, never stored.
CREATE TABLE programmes (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    carrier TEXT NOT NULL,
    carrier_kind TEXT NOT NULL,
    partners TEXT NOT NULL,
    start_year INTEGER NOT NULL,
    end_year INTEGER NOT NULL,
    aims TEXT NOT NULL,
    aims_easy TEXT NOT NULL,
    status TEXT,
    review TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE programme_departments (
    programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    department_code TEXT NOT NULL REFERENCES departments(code),
    PRIMARY KEY (programme_id, department_code)
);
CREATE INDEX programme_departments_by_code ON programme_departments(department_code, programme_id);
CREATE TABLE programme_coordinators (
    programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    PRIMARY KEY (programme_id, account_id)
);
CREATE INDEX programme_coordinators_by_account ON programme_coordinators(account_id);
