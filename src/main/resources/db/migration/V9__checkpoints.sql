-- A run's latest checkpoint (issue 17): written with the epochs up to it, in the same transaction, by
-- the node that trains it, every few seconds on a shared database. A node that takes over the run of a
-- gone node truncates the history to the checkpoint's epoch and goes on from there. Deleted when the
-- run ends, starts again or is deleted. The state is the trainer's own bytes (BYTEA: a blob on SQLite).
CREATE TABLE checkpoints (
    session_id VARCHAR(43) PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    epoch      INTEGER     NOT NULL,
    state      BYTEA       NOT NULL,
    written_at BIGINT      NOT NULL
);
