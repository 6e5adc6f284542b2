-- Analysts' decisions on the facts the extractor proposed for a report
-- (internal/review): accepted, edited or rejected, one row per decision,
-- numbered per report and fact from 1; the highest seq is the decision in
-- force, the rows before it say who decided what, and when. Append-only:
-- triggers refuse every UPDATE and DELETE.
--
-- fact_key names a proposal so that it survives re-extraction: its type and
-- byte span, "casualties:120-164" (an actor also its role,
-- "actor:253-291:perpetrator"). fact is the JSON of extract.Fact as decided:
-- the analyst's value for an edit, the proposal as it stood for an accept
-- or a reject. extract_version is the extraction the decision was made on.
--
-- On PostgreSQL: BIGINT for seq, the triggers as a plpgsql function.
CREATE TABLE fact_decisions (
    report_id       TEXT NOT NULL REFERENCES records (id),
    fact_key        TEXT NOT NULL CHECK (fact_key <> ''),
    seq             INTEGER NOT NULL CHECK (seq >= 1),
    decision        TEXT NOT NULL CHECK (decision IN ('accepted', 'edited', 'rejected')),
    fact            TEXT NOT NULL,
    author          TEXT NOT NULL CHECK (author <> ''),
    decided_at      TEXT NOT NULL,
    extract_version TEXT NOT NULL,
    PRIMARY KEY (report_id, fact_key, seq)
);

CREATE TRIGGER fact_decisions_immutable_update BEFORE UPDATE ON fact_decisions
BEGIN SELECT RAISE(ABORT, 'fact decisions are immutable'); END;
CREATE TRIGGER fact_decisions_immutable_delete BEFORE DELETE ON fact_decisions
BEGIN SELECT RAISE(ABORT, 'fact decisions are immutable'); END;
