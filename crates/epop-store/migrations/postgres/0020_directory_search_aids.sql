-- A second GIN index of the search vectors, of the public profiles only
-- (`directory::search_postgres`, ARCHITECTURE.md « The directory search on
-- PostgreSQL »). A visitor's search says `visibility = 'public'`, so the
-- planner takes this index: its bitmap holds only the matches a visitor may
-- see, where the whole index's made the search read ~40 % more rows of the
-- table only to drop them (« santé mentale »: 2,500 rows read for 1,500
-- kept in a step). PostgreSQL keeps it with every write, the visibility
-- copied from `profiles` by the foreign key of migration 19 included.
-- (The SQLite migration of the same number gives SQLite what PostgreSQL has
-- had since migration 19: the words of the index, and the columns the
-- search judges next to each match.)
CREATE INDEX profile_fts_public ON profile_fts USING GIN (tsv) WHERE visibility = 'public';
ANALYZE profile_fts;
