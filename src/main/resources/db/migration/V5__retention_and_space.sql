-- When a session was last opened (its page or its API), for the retention policy (SINAPSIS_RETENTION_DAYS).
ALTER TABLE sessions ADD COLUMN opened_at BIGINT;
UPDATE sessions SET opened_at = COALESCE(finished_at, created_at);
CREATE INDEX sessions_by_opened ON sessions (opened_at);

-- Whose space a session takes (a class, or a hashed client address) and how many bytes of data it brought,
-- for the limit on the database space per class or client (SINAPSIS_MAX_SPACE_MB).
ALTER TABLE sessions ADD COLUMN space VARCHAR(80);
ALTER TABLE sessions ADD COLUMN data_bytes BIGINT NOT NULL DEFAULT 0;
CREATE INDEX sessions_by_space ON sessions (space);
