package sinapsis.training;

import java.util.Locale;

/**
 * Where a run is in its life. {@code DRAFT}: set up but never started (a fork waiting for its
 * owner to press Train). {@code PAUSED}: started, its state kept, waiting for its owner to resume or
 * step it (it holds no worker meanwhile). {@code INTERRUPTED}: the server stopped while it was
 * queued, running or paused.
 */
public enum RunStatus {
    DRAFT, QUEUED, RUNNING, PAUSED, FINISHED, STOPPED, FAILED, INTERRUPTED;

    public boolean isOver() {
        return this == FINISHED || this == STOPPED || this == FAILED || this == INTERRUPTED;
    }

    /** Whether its owner may start it (again): a draft, or a run that is over. */
    public boolean canStart() {
        return this == DRAFT || isOver();
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
