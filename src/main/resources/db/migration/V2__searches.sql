-- Grid searches with cross-validation: what was asked, how it went, and the refit session.
-- Times are epoch milliseconds; the request and results are JSON text.

CREATE TABLE searches (
    id              VARCHAR(43)  PRIMARY KEY,
    owner_hash      VARCHAR(64)  NOT NULL,     -- SHA-256 of the owner token, as for sessions
    request         TEXT         NOT NULL,     -- network, training, grid and folds (pasted data left out)
    status          VARCHAR(16)  NOT NULL,
    results         TEXT,                      -- one entry per combination, once the search is over
    best_session_id VARCHAR(43),
    created_at      BIGINT       NOT NULL,
    finished_at     BIGINT
);

CREATE INDEX searches_by_status ON searches (status);
