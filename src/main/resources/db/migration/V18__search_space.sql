-- A grid search's pasted table counts in its maker's space (SINAPSIS_MAX_SPACE_MB) from the moment it
-- is made until it ends, as a session's does: the space (a class, or a hashed client address) and the
-- bytes counted, taken out of space_usage again when the search ends. Until now a search's table was
-- counted nowhere: neither the request kept for another node (pending_request) nor its refit
-- session's data, so searches could fill the database past every space's limit.
ALTER TABLE searches ADD COLUMN space VARCHAR(80);
ALTER TABLE searches ADD COLUMN data_bytes BIGINT NOT NULL DEFAULT 0;
