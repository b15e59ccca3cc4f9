-- The bytes of data each space's sessions brought (SINAPSIS_MAX_SPACE_MB), kept as a total that the
-- transactions inserting and deleting sessions update: until now every new session summed its
-- space's rows (PostgreSQL's statistics over a run of ClusterBench put that sum first of all
-- statements by time, 0.5 ms a session with 1100 sessions in the space, and it grew with them).
CREATE TABLE space_usage (
    space VARCHAR(80) PRIMARY KEY,
    data_bytes BIGINT NOT NULL
);
INSERT INTO space_usage (space, data_bytes)
SELECT space, SUM(data_bytes) FROM sessions WHERE space IS NOT NULL GROUP BY space;

-- The runs going in a space (the limit per client address) and a student's, counted at every new
-- session: the single-column indexes read every session of the space or student, over or not.
CREATE INDEX sessions_by_space_status ON sessions (space, status);
DROP INDEX sessions_by_space;
CREATE INDEX sessions_by_student_status ON sessions (student_id, status);
DROP INDEX sessions_by_student;
