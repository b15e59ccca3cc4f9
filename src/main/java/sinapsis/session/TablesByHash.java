package sinapsis.session;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Data read from the store and parsed, by its content hash: the sessions a node restores on one
 * pasted table (a class's thirty runs, each claimed by a worker) share one copy, read and parsed
 * once, instead of once each. What a hash names never changes, so nothing here goes stale. Least
 * recently used out, bounded by count and by an estimate of the heap the entries take.
 */
final class TablesByHash<V> {
    private final int maxEntries;
    private final long maxBytes;
    private final LinkedHashMap<String, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    private record Entry<V>(V value, long bytes) {
    }

    TablesByHash(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** The data stored under {@code hash}, or null when it is not here. */
    synchronized V get(String hash) {
        Entry<V> entry = entries.get(hash);
        return entry == null ? null : entry.value();
    }

    /** Keeps {@code value} (about {@code weight} bytes of heap) unless it alone is over the bound. */
    synchronized void put(String hash, V value, long weight) {
        if (weight > maxBytes) {
            return;
        }
        Entry<V> previous = entries.put(hash, new Entry<>(value, weight));
        bytes += weight - (previous == null ? 0 : previous.bytes());
        Iterator<Map.Entry<String, Entry<V>>> eldest = entries.entrySet().iterator();
        while ((entries.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
            Map.Entry<String, Entry<V>> out = eldest.next();
            if (out.getKey().equals(hash)) {
                continue;
            }
            bytes -= out.getValue().bytes();
            eldest.remove();
        }
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized long bytes() {
        return bytes;
    }
}
