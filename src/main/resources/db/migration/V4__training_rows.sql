-- How many of the data's rows a session trains and validates on (0: all), for quick tries on large image sets.
ALTER TABLE sessions ADD COLUMN training_rows INTEGER NOT NULL DEFAULT 0;
