-- Classes: a teacher's class with its join code, its students, and which sessions belong to whom.

CREATE TABLE classes (
    code         VARCHAR(6)   PRIMARY KEY,  -- the join code students type
    name         VARCHAR(200) NOT NULL,
    teacher_hash VARCHAR(64)  NOT NULL,     -- SHA-256 of the teacher token, hex
    settings     TEXT         NOT NULL,     -- JSON: starting spec, locked fields, leaderboard on/off
    created_at   BIGINT       NOT NULL
);

CREATE UNIQUE INDEX classes_by_teacher ON classes (teacher_hash);

CREATE TABLE students (
    id         VARCHAR(43)  PRIMARY KEY,
    class_code VARCHAR(6)   NOT NULL REFERENCES classes (code) ON DELETE CASCADE,
    name       VARCHAR(200) NOT NULL,
    token_hash VARCHAR(64)  NOT NULL,       -- SHA-256 of the student token
    created_at BIGINT       NOT NULL
);

CREATE UNIQUE INDEX students_by_token ON students (token_hash);
CREATE INDEX students_by_class ON students (class_code);

ALTER TABLE sessions ADD COLUMN student_id VARCHAR(43);
CREATE INDEX sessions_by_student ON sessions (student_id);
