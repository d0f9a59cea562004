//! The directory search, on both engines (SQLite FTS5, PostgreSQL GIN),
//! with the visitors' read cache.

use epop_domain::directory::{Format, PAGE_SIZE, SearchQuery, Sort};
use sqlx::{AnyConnection, Row};

use crate::sql::Sql;
use crate::{Engine, Result};

use super::index::{BUCKET, bucket_token, place_tokens, query_tokens};
use super::profiles::{CARD_COLUMNS, CardRow, cards};
use super::{Card, Viewer};

/// A search counts at most this many matches, and more than this many is
/// « plus de 1 000 résultats »: [`search`] then returns `COUNT_CAP + 1`.
/// Counting them all (thousands for a broad word) cost as much as the page
/// itself, for a figure nobody pages through.
pub const COUNT_CAP: i64 = 1_000;

/// Whether a total returned by [`search`] is only a lower bound (more than
/// [`COUNT_CAP`] matches).
pub fn total_is_lower_bound(total: i64) -> bool {
    total > COUNT_CAP
}

/// Searches the directory: the profiles `viewer` may see that match `q`,
/// one page of them, and how many match, counted up to [`COUNT_CAP`] + 1
/// (see [`total_is_lower_bound`]).
///
/// In relevance order with words, the page is ranked among the first
/// `COUNT_CAP + 1` matches in the full-text index's own order (the profile
/// id): all of them when there are fewer (the usual case), and a bounded,
/// stable set for a broad word, so that its cost does not grow with the
/// number of profiles and pages 1 to 50 never overlap (ARCHITECTURE.md).
pub async fn search(
    conn: &mut AnyConnection,
    engine: Engine,
    q: &SearchQuery,
    viewer: &Viewer,
) -> Result<(Vec<Card>, i64)> {
    let terms = q.terms();
    // The selective filters are tokens of the full-text index (see
    // [`filter_tokens`]): words and filters are one index intersection.
    let tokens = query_tokens(q);
    match engine {
        _ if terms.is_empty() && tokens.is_empty() => {
            // No word and no selective filter: the visible profiles, by name.
            let mut sql = Sql::default();
            sql.push(" FROM profiles p WHERE ");
            conditions(&mut sql, q, viewer, On::Profile);
            by_name(conn, sql, None, q).await
        }
        Engine::Sqlite => search_sqlite(conn, q, viewer, &terms, &tokens).await,
        Engine::Postgres => search_postgres(conn, q, viewer, &terms, &tokens).await,
    }
}

/// Where the conditions of a search read a profile: the profile itself
/// (`p`), or its copy next to the PostgreSQL index (`m`, migration 19: the
/// columns a foreign key keeps equal to the profile's).
#[derive(Clone, Copy)]
enum On {
    Profile,
    IndexCopy,
}

/// The conditions every search adds on the profile: who may see it (the
/// only rule of visibility: the tokens of the index never decide it), then
/// the filters that are not tokens of the index (theme, language,
/// organisation, kind of profile), each one probe of a primary key.
fn conditions(sql: &mut Sql, q: &SearchQuery, viewer: &Viewer, on: On) {
    let (t, id) = match on {
        On::Profile => ("p", "p.id"),
        On::IndexCopy => ("m", "m.rowid"),
    };
    sql.push(&format!("({t}.visibility = 'public'"));
    if viewer.member {
        sql.push(&format!(" OR {t}.visibility = 'members'"));
    }
    if viewer.admin {
        sql.push(" OR 1 = 1");
    }
    if let Some(me) = viewer.account_id {
        let p = sql.int(me);
        // `+ 0`: not an indexable term, so SQLite does not turn the
        // visibility test into a union of index lookups (a « MULTI-INDEX
        // OR » of 90,000 ids, sorted afterwards) and keeps to the name order.
        sql.push(&format!(" OR {t}.account_id + 0 = {p}"));
    }
    if !viewer.coordinated.is_empty() {
        let list: Vec<String> = viewer
            .coordinated
            .iter()
            .map(|d| sql.text(d.clone()))
            .collect();
        // `LIMIT 1 OFFSET 0`: PostgreSQL would otherwise hash the ids of
        // every profile of the territory (26,000 for a region, 10 ms)
        // before the first row, where one probe per hidden profile is met.
        sql.push(&format!(
            " OR EXISTS (SELECT 1 FROM profile_departments v WHERE v.profile_id = {id} AND v.department_code IN ({}) LIMIT 1 OFFSET 0)",
            list.join(", ")
        ));
    }
    sql.push(")");
    if let Some(th) = &q.theme {
        let p = sql.text(th.clone());
        sql.push(&format!(
            " AND EXISTS (SELECT 1 FROM profile_themes pt JOIN themes t ON t.id = pt.theme_id WHERE pt.profile_id = {id} AND t.slug = {p})"
        ));
    }
    if let Some(l) = &q.language {
        let p = sql.text(l.clone());
        sql.push(&format!(" AND EXISTS (SELECT 1 FROM profile_languages pl WHERE pl.profile_id = {id} AND pl.language = {p})"));
    }
    if let Some(o) = &q.organisation {
        let p = sql.text(o.clone());
        sql.push(&format!(
            " AND EXISTS (SELECT 1 FROM profiles op JOIN organisations o ON o.id = op.organisation_id WHERE op.id = {id} AND o.slug = {p})"
        ));
    }
    if let Some(k) = q.profile_kind {
        let p = sql.text(k.code());
        sql.push(&format!(" AND {t}.kind = {p}"));
    }
}

/// The cards of rows that begin with [`CARD_COLUMNS`].
async fn cards_of(conn: &mut AnyConnection, rows: &[sqlx::any::AnyRow]) -> Result<Vec<Card>> {
    let rows = rows
        .iter()
        .map(<CardRow as sqlx::FromRow<'_, sqlx::any::AnyRow>>::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    cards(conn, rows).await
}

/// The page among the first `COUNT_CAP + 1` matches of `filter` (a search's
/// ` FROM … WHERE …`, read in `order`: empty, or an ` ORDER BY`), sorted by
/// `rank` (lowest first), then name, then id, and how many they are, in one
/// statement that reads the profiles' rows for the page's cards only. A page
/// past the last is counted on its own. `filter` is given back as it came.
async fn first_matches(
    conn: &mut AnyConnection,
    filter: &mut Sql,
    rank: &str,
    order: &str,
    q: &SearchQuery,
) -> Result<(Vec<sqlx::any::AnyRow>, i64)> {
    let from = std::mem::take(&mut filter.text);
    let args = filter.args.len();
    let cap = COUNT_CAP + 1;
    let limit = filter.int(i64::from(PAGE_SIZE));
    let offset = filter.int(i64::from(q.page) * i64::from(PAGE_SIZE));
    filter.text = format!(
        "SELECT {CARD_COLUMNS}, c.n FROM (SELECT id, r, s, COUNT(*) OVER () AS n FROM \
         (SELECT p.id AS id, {rank} AS r, p.sort_name AS s{from}{order} LIMIT {cap}) AS firsts \
         ORDER BY r, s, id LIMIT {limit} OFFSET {offset}) AS c \
         JOIN profiles p ON p.id = c.id ORDER BY c.r, c.s, c.id"
    );
    let rows = filter.query()?.fetch_all(&mut *conn).await?;
    filter.args.truncate(args);
    filter.text = from;
    let total = match rows.first() {
        Some(first) => first.try_get::<i64, _>(9)?,
        None if q.page == 0 => 0,
        // A page past the last: count them to say so.
        None => count(conn, filter).await?,
    };
    Ok((rows, total))
}

/// How many matches `filter` (a search's ` FROM … WHERE …`) has, counted
/// up to [`COUNT_CAP`] + 1.
async fn count(conn: &mut AnyConnection, filter: &Sql) -> Result<i64> {
    let counting = Sql {
        text: format!(
            "SELECT COUNT(*) FROM (SELECT 1{} LIMIT {}) AS c",
            filter.text,
            COUNT_CAP + 1
        ),
        args: filter.args.clone(),
    };
    Ok(counting.scalar()?.fetch_one(&mut *conn).await?)
}

/// The page of a search in name order, and its count (up to
/// [`COUNT_CAP`] + 1). `filter` is the search's ` FROM … WHERE …`; `broad`,
/// when given, the same search written for more than [`COUNT_CAP`] matches,
/// with the same arguments in the same order: the matches of `filter` are
/// then read once, counted and sorted together, and `broad` walks the names
/// only past [`COUNT_CAP`]. Without it (the whole directory, read in name
/// order), the count comes first, then the walk.
async fn by_name(
    conn: &mut AnyConnection,
    mut filter: Sql,
    broad: Option<String>,
    q: &SearchQuery,
) -> Result<Found> {
    let (rows, total) = match broad {
        Some(_) => first_matches(conn, &mut filter, "0", "", q).await?,
        None => (Vec::new(), count(conn, &filter).await?),
    };
    if total == 0 || (broad.is_some() && !total_is_lower_bound(total)) {
        return Ok((cards_of(conn, &rows).await?, total));
    }
    // The page among all the matches, by name (on SQLite from the covering
    // indexes of migration 20), then its cards.
    let from = match broad {
        Some(b) if total_is_lower_bound(total) => b,
        _ => std::mem::take(&mut filter.text),
    };
    let limit = filter.int(i64::from(PAGE_SIZE));
    let offset = filter.int(i64::from(q.page) * i64::from(PAGE_SIZE));
    filter.text = format!(
        "SELECT {CARD_COLUMNS} FROM (SELECT p.id AS id, p.sort_name AS s{from} \
         ORDER BY p.sort_name, p.id LIMIT {limit} OFFSET {offset}) AS c \
         JOIN profiles p ON p.id = c.id ORDER BY c.s, c.id"
    );
    let rows = filter.query()?.fetch_all(&mut *conn).await?;
    Ok((cards_of(conn, &rows).await?, total))
}

/// SQLite: FTS5 gives its matches in the order of the ids, so the first
/// `COUNT_CAP + 1` of a broad word are found without reading the others.
async fn search_sqlite(
    conn: &mut AnyConnection,
    q: &SearchQuery,
    viewer: &Viewer,
    terms: &[String],
    tokens: &[String],
) -> Result<Found> {
    let words = match lookup(conn, Engine::Sqlite, terms).await? {
        Some((words, _)) if !words.is_empty() => Some(words),
        _ => None,
    };
    let ranked = words.is_some() && q.sort == Sort::Relevance;
    // BM25 counts the rows of every phrase of the query, once per search: a
    // kind of intervention (a third of the profiles) or a format (half of
    // them) cost 2 to 3 ms of counting alone, where checking them on each
    // of the first matches costs little. Ranked, they are conditions.
    let place;
    let tokens = if ranked {
        place = place_tokens(q);
        &place
    } else {
        tokens
    };
    let mut sql = Sql::default();
    let m = words
        .into_iter()
        .chain(tokens.iter().map(|t| format!("tags : \"{t}\"")))
        .collect::<Vec<_>>()
        .join(" AND ");
    let p = sql.text(m);
    // The full-text index drives the join (CROSS JOIN keeps this order): the
    // other way round, SQLite ran the whole MATCH once per visible profile
    // (minutes at 100,000 profiles). Each match is judged on the covering
    // index of migration 20, never on the profile's wide row.
    sql.push(&format!(
        " FROM profile_fts f CROSS JOIN profiles p INDEXED BY profiles_search_copy \
         ON p.id = f.rowid WHERE profile_fts MATCH {p} AND "
    ));
    conditions(&mut sql, q, viewer, On::Profile);
    if ranked {
        if let Some(k) = q.kind {
            let k = sql.text(k.code());
            sql.push(&format!(
                " AND EXISTS (SELECT 1 FROM profile_interventions pi WHERE pi.profile_id = p.id AND pi.kind = {k})"
            ));
        }
        if let Some(f) = q.format {
            sql.push(match f {
                Format::OnSite => " AND p.on_site = 1",
                Format::Remote => " AND p.remote = 1",
            });
        }
    } else {
        // Past 1,000 matches, the name index drives and each profile is
        // looked up in the matches, gathered once (page 1 of a region with a
        // kind: 9 ms → 1.5 ms); fewer, and they are read and sorted. `+`
        // keeps SQLite from reading the matches' profiles by id instead.
        let mut broad = Sql::default();
        let p = broad.text("");
        broad.push(&format!(
            " FROM profiles p WHERE +p.id IN (SELECT rowid FROM profile_fts WHERE profile_fts MATCH {p}) AND "
        ));
        conditions(&mut broad, q, viewer, On::Profile);
        return by_name(conn, sql, Some(broad.text), q).await;
    }
    // The candidates: the first matches in the index's order (the ones a
    // count would count), ranked by BM25 of the words only (the column of
    // the filters' tokens weighs nothing), then the page among them.
    let (rows, total) = first_matches(
        conn,
        &mut sql,
        "bm25(profile_fts, 1.0, 0.0)",
        " ORDER BY f.rowid",
        q,
    )
    .await?;
    Ok((cards_of(conn, &rows).await?, total))
}

/// A lexeme of a tsquery, quoted.
fn lexeme(word: &str) -> String {
    format!("'{}'", word.replace('\\', "\\\\").replace('\'', "''"))
}

/// The first string after every string that begins with `prefix`, in byte
/// order (the words' `COLLATE "C"`).
fn prefix_end(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let mut next = u32::from(last) + 1;
        if (0xD800..0xE000).contains(&next) {
            next = 0xE000;
        }
        if let Some(c) = char::from_u32(next) {
            chars.push(c);
            return chars.into_iter().collect();
        }
    }
    // Only `char::MAX`: nothing comes after; U+10FFFF is the greatest.
    char::MAX.to_string()
}

/// At most this many words of the index for one word typed as their
/// beginning; more (« a », « ma »), and the index reads the prefix itself.
const WORDS_PER_PREFIX: usize = 64;

/// What the index says before a search, in one query: the words typed as
/// the index's own words that begin so (`profile_fts_words`: migration 19 on
/// PostgreSQL, 20 on SQLite), written for the engine's full-text index —
/// `('sante' | 'santes') & 'mentale'` on PostgreSQL, `("sante" OR "santes")
/// AND ("mentale")` on SQLite (empty without words) — and, on PostgreSQL,
/// the greatest id it holds. More than [`WORDS_PER_PREFIX`] words, and the
/// index reads the prefix itself. A word that begins no word of the index:
/// on PostgreSQL nothing can match (`None`); on SQLite, whose tokenizer
/// folds a few letters the words' own folding keeps (« ł »), the index
/// reads the prefix itself.
async fn lookup(
    conn: &mut AnyConnection,
    engine: Engine,
    terms: &[String],
) -> Result<Option<(String, i64)>> {
    let mut sql = Sql::default();
    let mut parts = Vec::new();
    if engine == Engine::Postgres {
        parts.push(
            "SELECT CAST(-1 AS BIGINT) AS i, CAST(MAX(rowid) AS TEXT) FROM profile_fts".to_owned(),
        );
    }
    for (i, t) in terms.iter().enumerate() {
        let from = sql.text(t.clone());
        let to = sql.text(prefix_end(t));
        let more = WORDS_PER_PREFIX + 1;
        parts.push(format!(
            "SELECT CAST({i} AS BIGINT) AS i, w.word FROM (SELECT word FROM profile_fts_words \
             WHERE word >= {from} AND word < {to} ORDER BY word LIMIT {more}) AS w"
        ));
    }
    let mut last = 0;
    let mut words: Vec<Vec<String>> = vec![Vec::new(); terms.len()];
    if !parts.is_empty() {
        sql.text = parts.join(" UNION ALL ");
        let rows: Vec<(i64, Option<String>)> = sql.query_as()?.fetch_all(&mut *conn).await?;
        for (i, w) in rows {
            match (usize::try_from(i), w) {
                (Ok(i), Some(w)) => words[i].push(w),
                (Err(_), Some(max)) => last = max.parse().unwrap_or_default(),
                _ => {}
            }
        }
    }
    let mut query = Vec::new();
    for (t, ws) in terms.iter().zip(words) {
        let prefix = ws.is_empty() || ws.len() > WORDS_PER_PREFIX;
        query.push(match engine {
            Engine::Postgres if ws.is_empty() => return Ok(None),
            Engine::Postgres if prefix => format!("{}:*", lexeme(t)),
            Engine::Postgres => format!(
                "({})",
                ws.iter().map(|w| lexeme(w)).collect::<Vec<_>>().join(" | ")
            ),
            Engine::Sqlite if prefix => format!("\"{t}\"*"),
            Engine::Sqlite => format!(
                "({})",
                ws.iter()
                    .map(|w| format!("\"{w}\""))
                    .collect::<Vec<_>>()
                    .join(" OR ")
            ),
        });
    }
    let and = match engine {
        Engine::Postgres => " & ",
        Engine::Sqlite => " AND ",
    };
    Ok(Some((query.join(and), last)))
}

/// A candidate of a PostgreSQL search: id, rank, name.
type Candidate = (i64, f32, String);

/// The first `COUNT_CAP + 1` matches the viewer may see, in id order, with
/// their rank, read a few buckets of ids at a time ([`search_postgres`]).
async fn ranked_candidates(
    conn: &mut AnyConnection,
    q: &SearchQuery,
    viewer: &Viewer,
    query: &str,
    words: &str,
    last: i64,
) -> Result<Vec<Candidate>> {
    let cap = COUNT_CAP + 1;
    let mut found: Vec<Candidate> = Vec::new();
    // Ids up to `after` are read; the next step reads `buckets` buckets.
    let mut after = 0;
    let mut buckets = 1;
    let missing = |found: &Vec<Candidate>| cap - i64::try_from(found.len()).unwrap_or(cap);
    while missing(&found) > 0 && after < last {
        let first = (after + 1) / BUCKET;
        let end = (first + buckets) * BUCKET;
        let mut sql = Sql::default();
        let w = sql.text(words);
        // A few buckets are tokens of the index; more, or the rest, a range.
        let bounded = end <= last;
        let range = if bounded && buckets <= 16 {
            let names = (first..first + buckets)
                .map(bucket_token)
                .collect::<Vec<_>>()
                .join(" | ");
            let r = sql.text(format!("{query} & ({names})"));
            format!("tsv @@ CAST({r} AS tsquery)")
        } else {
            let r = sql.text(query);
            let a = sql.int(after);
            let mut range = format!("tsv @@ CAST({r} AS tsquery) AND rowid > {a}");
            if bounded {
                range.push_str(&format!(" AND rowid < {}", sql.int(end)));
            }
            range
        };
        // The index's rows of the range, judged on their copy of the
        // profile's columns and ranked if seen, all of them (the CTE is
        // evaluated on its own: the GIN index, never a walk of the ids
        // testing each vector), then the first in id order.
        sql.push(&format!(
            "WITH c AS MATERIALIZED (SELECT m.rowid, ts_rank(tsv, CAST({w} AS tsquery)) AS r, \
             m.sort_name FROM profile_fts m WHERE {range} AND "
        ));
        conditions(&mut sql, q, viewer, On::IndexCopy);
        let most = sql.int(missing(&found));
        sql.push(&format!(
            ") SELECT rowid, r, sort_name FROM c ORDER BY rowid LIMIT {most}"
        ));
        let rows: Vec<Candidate> = sql.query_as()?.fetch_all(&mut *conn).await?;
        found.extend(rows);
        after = if bounded { end - 1 } else { last };
        // The next step: enough buckets for what is missing at the density
        // seen so far, and a tenth more; everything left if none yet.
        buckets = if found.is_empty() {
            last / BUCKET + 1
        } else {
            let per_id = found.len() as f64 / after as f64;
            ((missing(&found) as f64 / per_id * 1.1) / BUCKET as f64).ceil() as i64
        }
        .max(1);
    }
    Ok(found)
}

/// PostgreSQL: the GIN index answers with every match at once (a bitmap of
/// them all, each read in the table), so a broad word would cost as much as
/// its number of matches. The search reads them instead a few buckets of
/// ids at a time (`_b<id / 4096>` tokens, migration 19), in the order of
/// the ids, until it has `COUNT_CAP + 1` the viewer may see: the same
/// candidates as SQLite's, in a time bounded by what is kept. Each step is
/// one query whose plan cannot go wrong (ARCHITECTURE.md): the index's
/// matches in a range of ids, with their rank, judged by the visibility
/// rule on the index's own copy of the profile's columns (a foreign key
/// keeps it equal). The page is chosen among the candidates by rank, then
/// name (or by name alone); past `COUNT_CAP` matches in name order, the
/// index's rows are walked by name.
async fn search_postgres(
    conn: &mut AnyConnection,
    q: &SearchQuery,
    viewer: &Viewer,
    terms: &[String],
    tokens: &[String],
) -> Result<Found> {
    let Some((words, last)) = lookup(conn, Engine::Postgres, terms).await? else {
        return Ok((Vec::new(), 0));
    };
    let words = (!words.is_empty()).then_some(words);
    let query = words
        .iter()
        .cloned()
        .chain(tokens.iter().cloned())
        .collect::<Vec<_>>()
        .join(" & ");
    let cap = COUNT_CAP + 1;
    let ranked = words.is_some() && q.sort == Sort::Relevance;
    // (id, rank, name) of the candidates.
    let mut found: Vec<Candidate> = match &words {
        Some(w) if ranked => ranked_candidates(conn, q, viewer, &query, w, last).await?,
        _ => {
            // In name order any matches count as well as the first ones in
            // id order: one read of at most `COUNT_CAP + 1`, from the GIN
            // index's bitmap of them all (a region with a kind: 4 ms, where
            // the buckets' steps took 7 to 10).
            let mut sql = Sql::default();
            let r = sql.text(query.clone());
            sql.push(&format!(
                "SELECT m.rowid, CAST(0 AS REAL), m.sort_name FROM profile_fts m \
                 WHERE m.tsv @@ CAST({r} AS tsquery) AND "
            ));
            conditions(&mut sql, q, viewer, On::IndexCopy);
            sql.push(&format!(" LIMIT {cap}"));
            sql.query_as()?.fetch_all(&mut *conn).await?
        }
    };
    let total = i64::try_from(found.len()).unwrap_or(cap);
    if total == 0 {
        return Ok((Vec::new(), 0));
    }
    let start = usize::try_from(q.page)
        .unwrap_or(usize::MAX)
        .saturating_mul(PAGE_SIZE as usize);
    let page: Vec<i64> = if !ranked && total > COUNT_CAP {
        // More than the candidates, by name: the index's rows in name order
        // (migration 19), among all the matches.
        let mut sql = Sql::default();
        let r = sql.text(query);
        sql.push(&format!(
            "SELECT m.rowid FROM profile_fts m WHERE m.tsv @@ CAST({r} AS tsquery) AND "
        ));
        conditions(&mut sql, q, viewer, On::IndexCopy);
        let limit = sql.int(i64::from(PAGE_SIZE));
        let offset = sql.int(i64::try_from(start).unwrap_or(i64::MAX));
        sql.push(&format!(
            " ORDER BY m.sort_name, m.rowid LIMIT {limit} OFFSET {offset}"
        ));
        sql.scalar()?.fetch_all(&mut *conn).await?
    } else {
        // By rank, then name (bytes, as SQLite's default order), then id.
        found.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then_with(|| a.2.as_bytes().cmp(b.2.as_bytes()))
                .then_with(|| a.0.cmp(&b.0))
        });
        found
            .iter()
            .skip(start)
            .take(PAGE_SIZE as usize)
            .map(|c| c.0)
            .collect()
    };
    if page.is_empty() {
        return Ok((Vec::new(), total));
    }
    let mut sql = Sql::default();
    let list = page
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let p = sql.text(list);
    // The rule once more on the profiles themselves: the page can only ever
    // lose a card, never show one the viewer may not see.
    sql.push(&format!(
        "SELECT {CARD_COLUMNS} FROM profiles p WHERE p.id = ANY(CAST(string_to_array({p}, ',') AS BIGINT[])) AND "
    ));
    conditions(&mut sql, q, viewer, On::Profile);
    let mut rows = sql.query()?.fetch_all(&mut *conn).await?;
    rows.sort_by_key(|r| {
        let id: i64 = r.try_get(0).unwrap_or_default();
        page.iter().position(|p| *p == id)
    });
    Ok((cards_of(conn, &rows).await?, total))
}

/// What a search found: one page of cards, and the (capped) count.
pub type Found = (Vec<Card>, i64);

/// [`search`] through the process's read cache ([`crate::cache`]) when the
/// viewer is a visitor: the same search by anyone not signed in gives the
/// same public profiles, and any write in this process drops them at once.
/// Signed-in people always search the database. Shared, not copied.
pub async fn search_cached(
    db: &crate::Db,
    q: &SearchQuery,
    viewer: &Viewer,
) -> Result<std::sync::Arc<Found>> {
    if !viewer.is_visitor() {
        let mut conn = db.conn().await?;
        return Ok(std::sync::Arc::new(
            search(&mut conn, db.engine(), q, viewer).await?,
        ));
    }
    let key = format!("{q:?}");
    if let Some(hit) = db.searches.get(&key) {
        return Ok(hit);
    }
    // Read before the search: a write committed meanwhile makes this entry
    // stale at once.
    let generation = crate::cache::generation();
    let mut conn = db.conn().await?;
    let found = std::sync::Arc::new(search(&mut conn, db.engine(), q, viewer).await?);
    db.searches.put(key, generation, found.clone());
    Ok(found)
}
