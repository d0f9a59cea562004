-- PostgreSQL gets a table `profile_fts` holding each profile's stored
-- tsvector (see its 0005). SQLite already has one: the FTS5 table of the
-- same name (0003), written by the same code. Nothing to change here; the
-- version exists so that both engines keep the same list.
SELECT 1;
