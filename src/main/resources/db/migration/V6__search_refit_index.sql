-- A refit session's page links back to its search: find the search by its best session.
CREATE INDEX searches_by_best_session ON searches (best_session_id);
