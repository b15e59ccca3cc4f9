-- Challenges (issue 19): a class's task with a target on rows the students never see, and every attempt
-- at it. A challenge keeps the training part its students get (in its starting spec) and the held-out
-- rows it scores on (held_out_csv: never sent to a student). An attempt is one run of a student's
-- session on the challenge; its score and curve are copied into the attempt when it is scored, so the
-- gradebook stays whole when a session is deleted later.
CREATE TABLE challenges (
    id           VARCHAR(43)  PRIMARY KEY,
    class_code   VARCHAR(6)   NOT NULL REFERENCES classes (code) ON DELETE CASCADE,
    state        VARCHAR(10)  NOT NULL,      -- draft, open, closed
    definition   TEXT         NOT NULL,      -- JSON: texts, spec, locked, target, constraints, deadline, attempts
    held_out_csv TEXT         NOT NULL,      -- the header and the held-out rows, as typed
    train_rows   INTEGER      NOT NULL,
    held_out_rows INTEGER     NOT NULL,
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL
);

CREATE INDEX challenges_by_class ON challenges (class_code);

CREATE TABLE challenge_attempts (
    id           VARCHAR(43)  PRIMARY KEY,
    challenge_id VARCHAR(43)  NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
    student_id   VARCHAR(43)  NOT NULL,
    session_id   VARCHAR(43)  NOT NULL,
    state        VARCHAR(10)  NOT NULL,      -- going, scored, void (ended without a model: does not count)
    started_at   BIGINT       NOT NULL,
    ended_at     BIGINT,
    score        DOUBLE PRECISION,           -- the target's metric on the held-out rows
    metrics      TEXT,                       -- JSON: every held-out metric
    epochs       INTEGER,
    curve        TEXT                        -- JSON: {"loss": [...], "val_loss": [...]}, thinned
);

CREATE INDEX attempts_by_challenge ON challenge_attempts (challenge_id, student_id);
CREATE INDEX attempts_by_session ON challenge_attempts (session_id);

ALTER TABLE sessions ADD COLUMN challenge_id VARCHAR(43);
