-- The easy-read texts of the platform's fixed pages (home, becoming a peer
-- or a référent, accessibility, personal data) as an admin last wrote them;
-- a page without a row shows the text the program ships
-- (`crates/epop-web/content/pages/`). `slug`: the page's code.
CREATE TABLE page_texts (
    slug TEXT PRIMARY KEY NOT NULL,
    easy_text TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
