package sinapsis.training;

import java.util.Locale;

/** Where a run is in its life. */
public enum RunStatus {
    QUEUED, RUNNING, FINISHED, STOPPED, FAILED;

    public boolean isOver() {
        return this == FINISHED || this == STOPPED || this == FAILED;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
