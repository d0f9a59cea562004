-- SQLite reads a profile's row to judge a match of the full-text index
-- (visibility, account, kind of profile) and to sort by name. A profile's
-- row is wide (presentations, search text: about 1 KB), so each match cost
-- one page read of its own, outside a 1 MiB page cache: 8 ms of the 9 of a
-- département at 100,000 profiles went there (the index itself answered in
-- 0.1 ms). A covering index holds what the search reads, by id, 50 rows to a
-- page, kept by SQLite itself with every write (nothing can drift):
-- `directory::search_sqlite` names it (`INDEXED BY`). It has the columns of
-- PostgreSQL's constraint of the same name (migration 19). The walk in name
-- order (`profiles_by_name`, migration 4) gets the kind of profile too, and
-- `profiles_sort`, the beginning of that index, goes.
CREATE UNIQUE INDEX profiles_search_copy ON profiles (id, visibility, account_id, kind, sort_name);
DROP INDEX profiles_sort;
DROP INDEX profiles_by_name;
CREATE INDEX profiles_by_name ON profiles (sort_name, id, visibility, account_id, kind);
