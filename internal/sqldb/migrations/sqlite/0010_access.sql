-- A reporter sees only their own submissions: their reports are listed by
-- author.
CREATE INDEX records_created_by ON records (created_by, type, updated_at, id);
