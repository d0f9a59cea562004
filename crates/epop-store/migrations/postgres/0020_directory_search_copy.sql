-- Nothing on PostgreSQL: the search already judges its matches on the
-- index's own copy of the profile's columns (migration 19), which the SQLite
-- migration of the same number gives SQLite as two covering indexes.
SELECT 1;
