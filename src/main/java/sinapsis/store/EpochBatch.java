package sinapsis.store;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sinapsis.training.EpochEvent;

/**
 * Consecutive epochs of one run as the bytes of one stored row: a history is a few rows (one per
 * write of the recorder) instead of a row per epoch, which cost the database a heap row, an index
 * entry and a foreign-key check each — most of PostgreSQL's work for a class training at once.
 *
 * <p>The layout is by column so that a sparkline reads the losses alone: version, count {@code n},
 * then {@code n} seqs (long), epochs (int), losses (double), a byte each saying whether there is a
 * {@code val_loss}, the {@code val_loss} values (double, NaN where there is none), the metric
 * names used in the batch, and per epoch its metrics as (name index, value) pairs in their order.
 * Doubles are kept bit for bit.
 */
final class EpochBatch {
    private static final int VERSION = 1;
    /** Metric names of one batch are few (Keras names); more than this is not a batch this code wrote. */
    private static final int MAX_NAMES = Short.MAX_VALUE;

    private EpochBatch() {
    }

    static byte[] encode(List<EpochEvent> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("events: a batch holds at least one epoch");
        }
        List<String> names = new ArrayList<>();
        Map<String, Integer> index = new LinkedHashMap<>();
        int pairs = 0;
        for (EpochEvent event : events) {
            for (String name : event.metrics().keySet()) {
                if (index.putIfAbsent(name, names.size()) == null) {
                    names.add(name);
                }
            }
            if (event.metrics().size() > Byte.MAX_VALUE) {
                throw new IllegalArgumentException("events: epoch " + event.seq() + " has " + event.metrics().size()
                        + " metrics, at most " + Byte.MAX_VALUE);
            }
            pairs += event.metrics().size();
        }
        if (names.size() > MAX_NAMES) {
            throw new IllegalArgumentException("events: " + names.size() + " metric names, at most " + MAX_NAMES);
        }
        byte[][] nameBytes = names.stream().map(n -> n.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        int n = events.size();
        int size = 8 + n * (8 + 4 + 8 + 1 + 8 + 1) + 2 + pairs * (2 + 8);
        for (byte[] name : nameBytes) {
            size += 2 + name.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(VERSION).putInt(n);
        events.forEach(e -> out.putLong(e.seq()));
        events.forEach(e -> out.putInt(e.epoch()));
        events.forEach(e -> out.putDouble(e.loss()));
        events.forEach(e -> out.put((byte) (e.valLoss() == null ? 0 : 1)));
        events.forEach(e -> out.putDouble(e.valLoss() == null ? Double.NaN : e.valLoss()));
        out.putShort((short) names.size());
        for (byte[] name : nameBytes) {
            out.putShort((short) name.length).put(name);
        }
        for (EpochEvent event : events) {
            out.put((byte) event.metrics().size());
            event.metrics().forEach((name, value) -> out.putShort(index.get(name).shortValue()).putDouble(value));
        }
        return out.array();
    }

    static List<EpochEvent> decode(byte[] bytes) {
        return decode(bytes, Long.MIN_VALUE);
    }

    /** The batch's epochs whose seq is above {@code afterSeq}, in order. */
    static List<EpochEvent> decode(byte[] bytes, long afterSeq) {
        try {
            ByteBuffer in = opened(bytes);
            int n = in.getInt();
            long[] seqs = new long[n];
            int[] epochs = new int[n];
            double[] losses = new double[n];
            boolean[] hasValLoss = new boolean[n];
            double[] valLosses = new double[n];
            for (int i = 0; i < n; i++) {
                seqs[i] = in.getLong();
            }
            for (int i = 0; i < n; i++) {
                epochs[i] = in.getInt();
            }
            for (int i = 0; i < n; i++) {
                losses[i] = in.getDouble();
            }
            for (int i = 0; i < n; i++) {
                hasValLoss[i] = in.get() != 0;
            }
            for (int i = 0; i < n; i++) {
                valLosses[i] = in.getDouble();
            }
            String[] names = new String[in.getShort()];
            for (int k = 0; k < names.length; k++) {
                byte[] name = new byte[in.getShort()];
                in.get(name);
                names[k] = new String(name, StandardCharsets.UTF_8);
            }
            List<EpochEvent> events = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int count = in.get();
                Map<String, Double> metrics = new LinkedHashMap<>(count * 2);
                for (int m = 0; m < count; m++) {
                    metrics.put(names[in.getShort()], in.getDouble());
                }
                if (seqs[i] > afterSeq) {
                    events.add(new EpochEvent(seqs[i], epochs[i], losses[i], hasValLoss[i] ? valLosses[i] : null,
                            metrics));
                }
            }
            return events;
        } catch (BufferUnderflowException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new IllegalStateException("a stored batch of epochs is not readable (" + bytes.length + " bytes)", e);
        }
    }

    /** The seqs and losses of a batch's epochs, in order. */
    record Losses(long[] seqs, double[] losses) {
    }

    /** The batch's seqs and losses alone (for a sparkline: the rest is not decoded). */
    static Losses losses(byte[] bytes) {
        try {
            ByteBuffer in = opened(bytes);
            int n = in.getInt();
            long[] seqs = new long[n];
            in.asLongBuffer().get(seqs);
            in.position(in.position() + n * (8 + 4));
            double[] losses = new double[n];
            in.asDoubleBuffer().get(losses);
            return new Losses(seqs, losses);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException e) {
            throw new IllegalStateException("a stored batch of epochs is not readable (" + bytes.length + " bytes)", e);
        }
    }

    private static ByteBuffer opened(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int version = in.getInt();
        if (version != VERSION) {
            throw new IllegalStateException("a stored batch of epochs has version " + version + ", this version reads "
                    + VERSION);
        }
        return in;
    }
}
