-- Grid searches as work any node that trains takes (issue 17), on a database the nodes share: a
-- search made on a web node waits in the queue ('queue' in node_id, as a run does) until a node
-- with a slot free claims it. The request it is built from again (the pasted table included) is
-- kept until it ends, so that another node can start it over when its holder is gone; the refit
-- session's name as its maker's language gave it; the search as it stands (JSON, as the API shows
-- it), written by its holder a few times a second for the other nodes' viewers; a stop asked on
-- another node; when it was last queued.
ALTER TABLE searches ADD COLUMN pending_request TEXT;
ALTER TABLE searches ADD COLUMN refit_name TEXT;
ALTER TABLE searches ADD COLUMN progress TEXT;
ALTER TABLE searches ADD COLUMN control VARCHAR(16);
ALTER TABLE searches ADD COLUMN queued_at BIGINT;
CREATE INDEX searches_waiting ON searches (status, node_id, queued_at);
