-- Sessions, their epoch history and the data they trained on. Portable between H2 2.x and PostgreSQL.
-- Times are epoch milliseconds; specs and results are JSON text.

CREATE TABLE datasets (
    hash       VARCHAR(64) PRIMARY KEY,   -- SHA-256 of the CSV text, hex
    csv        TEXT        NOT NULL,
    created_at BIGINT      NOT NULL
);

CREATE TABLE sessions (
    id          VARCHAR(43)  PRIMARY KEY,
    owner_hash  VARCHAR(64)  NOT NULL,     -- SHA-256 of the owner token, hex; the token itself is never stored
    name        VARCHAR(200),
    status      VARCHAR(16)  NOT NULL,
    dataset     VARCHAR(64),               -- a built-in data set's id, or null for pasted data
    data_hash   VARCHAR(64)  NOT NULL REFERENCES datasets (hash),
    inputs      TEXT         NOT NULL,     -- JSON array of column names
    targets     TEXT         NOT NULL,
    network     TEXT         NOT NULL,
    training    TEXT         NOT NULL,
    forked_from VARCHAR(43),
    created_at  BIGINT       NOT NULL,
    started_at  BIGINT,
    finished_at BIGINT,
    failure     VARCHAR(100),              -- a message key
    epoch_count BIGINT       NOT NULL DEFAULT 0,
    final_loss  DOUBLE PRECISION,
    result      TEXT
);

CREATE INDEX sessions_by_status ON sessions (status);
CREATE INDEX sessions_by_data ON sessions (data_hash);

CREATE TABLE epochs (
    session_id VARCHAR(43)      NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq        BIGINT           NOT NULL,
    epoch      INTEGER          NOT NULL,
    loss       DOUBLE PRECISION NOT NULL,
    val_loss   DOUBLE PRECISION,
    metrics    VARCHAR(2000),              -- JSON object, Keras names
    PRIMARY KEY (session_id, seq)
);
