package sinapsis.session;

import sinapsis.data.TableSummary;
import sinapsis.model.SessionSpec;
import sinapsis.training.TrainingRun;

/** A training session: its id, what was asked, a summary of the table it trains on, and the run. */
public record Session(String id, SessionSpec spec, TableSummary table, TrainingRun run, long createdAt) {
}
