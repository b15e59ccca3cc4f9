-- The owner actions asked for a node's runs (`control`) are looked for at every round of every node
-- that trains; with only `sessions_by_node`, that read every session the node ever trained (a
-- worker keeps its id on the runs it finished): PostgreSQL's statistics over a run of ClusterBench
-- put it second of all statements by time. A partial index holds only the few rows with an action.
CREATE INDEX sessions_with_control ON sessions (node_id) WHERE control IS NOT NULL;
