-- Nothing on PostgreSQL: the SQLite migration of the same number gives
-- SQLite what PostgreSQL has had since migration 19 (the words of the index,
-- and the columns the search judges next to each match).
SELECT 1;
