-- Indexes for the directory search at scale (100,000 profiles, `epop
-- seed-bench`), the same on both engines. They hold only narrow columns, so
-- a listing reads them instead of the wide profile rows.
-- Visitors (public profiles only): the count and the page in name order read
-- one range of this index, already sorted.
CREATE INDEX profiles_listing ON profiles(visibility, sort_name, id);
-- Members and coordinators (several visibilities, and their own profiles):
-- the page walks the names in order and checks here who may see each one.
CREATE INDEX profiles_by_name ON profiles(sort_name, id, visibility, account_id);
