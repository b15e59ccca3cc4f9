-- A run's epochs as a few rows of consecutive epochs each (one per write of the recorder) instead of
-- a row per epoch: a class training at once wrote tens of thousands of rows a minute, each with its
-- index entry and foreign-key check, most of PostgreSQL's work. `events` holds the epochs in the
-- layout of sinapsis.store.EpochBatch; the other columns let queries pick batches without reading it:
-- the seqs it spans, its number of epochs, its highest epoch (a history cut back to a checkpoint's
-- epoch rewrites the batches above it) and its last loss (the session's final loss after such a cut).
-- V13 moves the rows of `epochs` into it and drops that table.
CREATE TABLE epoch_batches (
    session_id VARCHAR(43)      NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    first_seq  BIGINT           NOT NULL,
    last_seq   BIGINT           NOT NULL,
    size       INTEGER          NOT NULL,
    max_epoch  INTEGER          NOT NULL,
    last_loss  DOUBLE PRECISION NOT NULL,
    events     BYTEA            NOT NULL,
    PRIMARY KEY (session_id, first_seq)
);
