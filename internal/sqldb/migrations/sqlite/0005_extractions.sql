-- Facts proposed by the extractor (internal/extract) for each live report:
-- candidates for analysts, not records. Written in the same transaction as
-- the report's revision; recomputed by reindex. result is the JSON of
-- extract.Result.
CREATE TABLE report_extractions (
    report_id  TEXT PRIMARY KEY REFERENCES records (id),
    version    TEXT NOT NULL,
    result     TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
