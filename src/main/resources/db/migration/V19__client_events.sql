-- What each client did lately, counted for the whole cluster on a database the nodes share (issue 17):
-- the things it created in the last minute (SINAPSIS_MAX_CREATED_PER_MINUTE) and its wrong join
-- codes (the join throttle). Before, each node counted its own, so behind a proxy that spreads
-- requests over two web nodes a client had twice the limits. The client is its address, hashed; a
-- row older than its kind's window is deleted by the next node that counts that kind. A server on
-- the embedded store counts in its memory and leaves the table empty.
CREATE TABLE client_events (
    kind VARCHAR(16) NOT NULL,
    client VARCHAR(64) NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX client_events_by_client ON client_events (kind, client, at);
