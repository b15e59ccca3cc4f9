package sinapsis.session;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recently opened sessions that are not training, least recently used first out. Bounded by count
 * and by an estimate of the memory their data takes (a pasted 10 MB table is worth thousands of
 * small sessions), so a long day of a class opening old sessions cannot fill the heap.
 */
final class SessionCache {
    private final int maxSessions;
    private final long maxBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    private record Entry(Session session, long bytes) {
    }

    SessionCache(int maxSessions, long maxBytes) {
        this.maxSessions = maxSessions;
        this.maxBytes = maxBytes;
    }

    synchronized Session get(String id) {
        Entry entry = entries.get(id);
        return entry == null ? null : entry.session();
    }

    /** Adds the session unless one with its id is there; returns the one that stays. */
    synchronized Session putIfAbsent(Session session) {
        Entry existing = entries.get(session.id());
        if (existing != null) {
            return existing.session();
        }
        long weight = weight(session);
        entries.put(session.id(), new Entry(session, weight));
        bytes += weight;
        Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
        while ((entries.size() > maxSessions || bytes > maxBytes) && entries.size() > 1 && eldest.hasNext()) {
            Entry out = eldest.next().getValue();
            if (out.session() == session) {
                continue;
            }
            bytes -= out.bytes();
            eldest.remove();
        }
        return session;
    }

    synchronized void remove(String id) {
        Entry entry = entries.remove(id);
        if (entry != null) {
            bytes -= entry.bytes();
        }
    }

    /**
     * Whether a session held now passes {@code test}, without copying them: asked at every notice
     * another node sends, over up to {@code maxSessions}. {@code test} runs under this cache's lock,
     * so it must take no lock of its own (a run's status and marks are volatile reads).
     */
    synchronized boolean anyMatch(java.util.function.Predicate<Session> test) {
        for (Entry entry : entries.values()) {
            if (test.test(entry.session())) {
                return true;
            }
        }
        return false;
    }

    /** The sessions held now, least recently used first. */
    synchronized java.util.List<Session> sessions() {
        return entries.values().stream().map(Entry::session).toList();
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return entries.size();
    }

    /**
     * About what the session holds on the heap: its pasted text (two bytes a character), its numbers
     * (inputs and targets, raw and scaled, and a prediction per row), and a little for the rest. A
     * built-in image set's pixel rows are shared by all its sessions and not counted here.
     */
    static long weight(Session session) {
        boolean builtIn = session.spec().data().isBuiltIn();
        long text = builtIn ? 0 : 2L * session.spec().data().csv().length();
        var problem = session.run().experiment().problem();
        long inputs = builtIn && problem.inputShape().isImage() ? 1 : problem.inputCount();
        long cells = (long) problem.rows() * (inputs + 2L * problem.outputCount());
        return 4096 + text + 2 * 8 * cells + 64L * session.run().lastSeq();
    }
}
