-- Inputs derived from a two-input table (x², x·y, sin x…), as a JSON list of ids; NULL: none.
ALTER TABLE sessions ADD COLUMN features TEXT;
