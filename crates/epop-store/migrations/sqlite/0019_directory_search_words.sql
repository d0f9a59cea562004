-- Nothing on SQLite: FTS5 expands a word's beginning itself and gives its
-- matches in the order of the ids, so a broad search stops at its first
-- matches (the PostgreSQL migration of the same number explains why
-- PostgreSQL needs two aids for the same).
SELECT 1;
