-- When a session was last opened (its page or its API), for the retention policy (SINAPSIS_RETENTION_DAYS).
ALTER TABLE sessions ADD COLUMN opened_at BIGINT;
UPDATE sessions SET opened_at = COALESCE(finished_at, created_at);
CREATE INDEX sessions_by_opened ON sessions (opened_at);
