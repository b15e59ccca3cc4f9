-- The runs not over yet (queued, running, paused) are a few dozen; the sessions a server keeps are
-- thousands, and they only grow over a school year. Three statements each class's run goes through
-- read every one of them (ClusterBench's plans, PostgreSQL's auto_explain, after 400 sessions):
-- a worker's claim counted the runs held by scanning the whole table; a write of a run's epochs
-- found its row through `sessions_by_node`, every session its node ever trained (a worker keeps its
-- id on the runs it finished), rather than through its primary key; and a new session's count of
-- the runs going in its space read all of the space's sessions and their rows. Partial indexes hold
-- only the runs not over, and a run's writes are left its primary key.
CREATE INDEX sessions_going_by_node ON sessions (node_id) WHERE status IN ('queued', 'running', 'paused');
DROP INDEX sessions_by_node;
CREATE INDEX sessions_going_by_space ON sessions (space) WHERE status IN ('queued', 'running', 'paused');
DROP INDEX sessions_by_space_status;
