-- The processes that share this database (issue 17). Each writes its row when it starts and renews
-- seen_at, its heartbeat; a node whose heartbeat is older than the lease is gone, and whatever it held
-- is reclaimed by the others. A clean stop deletes the row. Times are epoch milliseconds.
CREATE TABLE nodes (
    id         VARCHAR(43)  PRIMARY KEY,
    role       VARCHAR(16)  NOT NULL,
    host       VARCHAR(200) NOT NULL,
    backend    VARCHAR(16)  NOT NULL,
    device     VARCHAR(300) NOT NULL,
    slots      INTEGER      NOT NULL,
    version    VARCHAR(40)  NOT NULL,
    started_at BIGINT       NOT NULL,
    seen_at    BIGINT       NOT NULL
);

-- The node that holds a session's run (or a search) while it is queued, running or paused there.
ALTER TABLE sessions ADD COLUMN node_id VARCHAR(43);
ALTER TABLE searches ADD COLUMN node_id VARCHAR(43);
CREATE INDEX sessions_by_node ON sessions (node_id);

-- Owner actions asked on another node for a run this one holds: stop, pause, resume, step or delete,
-- comma-separated in the order asked; the holding node takes them (and clears them) within a moment.
ALTER TABLE sessions ADD COLUMN control VARCHAR(200);

-- When a run was last queued: workers claim the runs that wait for one ('queue' in node_id) oldest first.
ALTER TABLE sessions ADD COLUMN queued_at BIGINT;
CREATE INDEX sessions_waiting ON sessions (status, node_id, queued_at);
