-- The selective filters of the search become tokens of the full-text index
-- (`directory::filter_tokens`): `_dep31` per département covered, `_reg76`
-- per region, `_kindformer` per kind of intervention, `_fmtonsite` /
-- `_fmtremote`, in a second column `tags` whose tokenizer keeps the `_`
-- (the words of a text or of a query never contain one). The table is
-- rebuilt with every existing profile, with the same tokens as the code.
DROP TABLE profile_fts;
CREATE VIRTUAL TABLE profile_fts USING fts5(
    body, tags, tokenize = 'unicode61 remove_diacritics 2 tokenchars ''_'''
);
INSERT INTO profile_fts (rowid, body, tags)
SELECT p.id, p.search_text, trim(
    COALESCE((SELECT group_concat('_dep' || lower(pd.department_code), ' ')
              FROM profile_departments pd WHERE pd.profile_id = p.id), '') || ' ' ||
    COALESCE((SELECT group_concat(t, ' ') FROM (SELECT DISTINCT '_reg' || lower(d.region_code) AS t
              FROM profile_departments pd JOIN departments d ON d.code = pd.department_code
              WHERE pd.profile_id = p.id)), '') || ' ' ||
    COALESCE((SELECT group_concat('_kind' || replace(pi.kind, '-', ''), ' ')
              FROM profile_interventions pi WHERE pi.profile_id = p.id), '') || ' ' ||
    CASE WHEN p.on_site = 1 THEN '_fmtonsite ' ELSE '' END ||
    CASE WHEN p.remote = 1 THEN '_fmtremote' ELSE '' END)
FROM profiles p;
