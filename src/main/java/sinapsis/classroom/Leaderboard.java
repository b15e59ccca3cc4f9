package sinapsis.classroom;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sinapsis.store.SessionListing;

/**
 * Each student's best session by its last values: highest {@code val_accuracy} where there is one,
 * else lowest {@code val_loss}, else lowest loss; best student first. Accuracy beats losses and a
 * validation loss beats a training loss.
 */
public final class Leaderboard {
    /** A student's best session. */
    public record Leader(String name, String sessionId, String metric, double value) {
    }

    private Leaderboard() {
    }

    public static List<Leader> of(List<ClassService.BoardRow> rows) {
        List<Leader> leaders = new ArrayList<>();
        for (ClassService.BoardRow row : rows) {
            Leader best = null;
            for (SessionListing listing : row.sessions()) {
                Leader candidate = candidate(row.student().name(), listing);
                if (candidate != null && Double.isFinite(candidate.value()) && (best == null || better(candidate, best))) {
                    best = candidate;
                }
            }
            if (best != null) {
                leaders.add(best);
            }
        }
        leaders.sort((a, b) -> better(a, b) ? -1 : better(b, a) ? 1 : 0);
        return List.copyOf(leaders);
    }

    private static Leader candidate(String student, SessionListing listing) {
        Map<String, Double> m = listing.lastMetrics();
        if (m.containsKey("val_accuracy")) {
            return new Leader(student, listing.id(), "val_accuracy", m.get("val_accuracy"));
        }
        if (m.containsKey("val_loss")) {
            return new Leader(student, listing.id(), "val_loss", m.get("val_loss"));
        }
        return listing.finalLoss() != null ? new Leader(student, listing.id(), "loss", listing.finalLoss()) : null;
    }

    private static boolean better(Leader a, Leader b) {
        if (!a.metric().equals(b.metric())) {
            return rank(a.metric()) < rank(b.metric());
        }
        return a.metric().equals("val_accuracy") ? a.value() > b.value() : a.value() < b.value();
    }

    private static int rank(String metric) {
        return switch (metric) {
            case "val_accuracy" -> 0;
            case "val_loss" -> 1;
            default -> 2;
        };
    }
}
