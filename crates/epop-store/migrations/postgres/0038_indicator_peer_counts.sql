-- How many peers did an intervention in a year, for the country and each
-- région (keys `*` and `*76`), by kind: written when the peers of the year
-- are recounted (`epop_store::indicators::summary`), so that the national
-- and regional figures read one row instead of counting tens of thousands
-- of `indicator_peers` rows (on PostgreSQL a fresh table's count is not an
-- index-only scan until it is vacuumed). The log's row at -1 recounts the
-- summary, which fills it.
CREATE TABLE indicator_peer_counts (
    department_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    year BIGINT NOT NULL,
    peers BIGINT NOT NULL,
    PRIMARY KEY (department_code, kind, year)
);
INSERT INTO indicator_changes (department_code, at) VALUES (NULL, -1);
