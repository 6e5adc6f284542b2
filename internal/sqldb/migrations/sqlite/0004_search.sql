-- Full-text search over reports and incidents (internal/search). One row
-- per searchable record, kept up to date in the same transaction as the
-- record's revision; a retracted record has no row. search_fts is an FTS5
-- index over search_docs (external content) using the "tawthiq" tokenizer,
-- the Go analyser registered on every connection (internal/sqldb/fts.go),
-- so highlights mark the original text. The Go code writes both tables:
-- FTS5 needs the old text to delete a row, and reindex must be able to
-- empty the index without replaying every row.
--
-- On PostgreSQL: a tsvector column of pre-analysed Go terms with the
-- "simple" configuration replaces search_fts.
CREATE TABLE search_docs (
    id         INTEGER PRIMARY KEY,
    record_id  TEXT NOT NULL UNIQUE REFERENCES records (id),
    type       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    language   TEXT NOT NULL,
    date_start TEXT NOT NULL, -- YYYY-MM-DD, or '' when unknown
    date_end   TEXT NOT NULL,
    grading    TEXT NOT NULL  -- incidents; '' for reports
);
CREATE INDEX search_docs_date ON search_docs (date_start, id);

CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body,
    content = 'search_docs', content_rowid = 'id',
    tokenize = 'tawthiq'
);

-- Filterable values of each document: kind, place (with every place that
-- contains it), tag.
CREATE TABLE search_terms (
    doc   INTEGER NOT NULL REFERENCES search_docs (id),
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (field, value, doc)
);
CREATE INDEX search_terms_doc ON search_terms (doc);
