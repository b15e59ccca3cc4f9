package sinapsis.session;

import sinapsis.data.Table;
import sinapsis.model.SessionSpec;
import sinapsis.training.TrainingRun;

/** A training session: its id, what was asked, the table it trains on and the run. */
public record Session(String id, SessionSpec spec, Table table, TrainingRun run, long createdAt) {
}
