-- The territories pages count and name the profiles of some départements
-- (their home département, else their account's): this index finds them
-- without reading every profile (100,000 in `epop seed-bench`).
CREATE INDEX profiles_by_home ON profiles(home_department, kind);
