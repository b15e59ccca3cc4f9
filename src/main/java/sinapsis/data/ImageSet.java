package sinapsis.data;

import java.util.ArrayList;
import java.util.List;
import java.lang.ref.SoftReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Square grey images with integer labels 0…k−1: the first {@code trainCount} are the training
 * split, the rest the test split. Pixels are kept as bytes (grey levels 0–255), image after image,
 * row by row: Fashion-MNIST's 70 000 images take 55 MB. The rows a {@link Problem} reads are made
 * once per image, when first asked for, and shared by every session on the set: a session on all of
 * Fashion-MNIST adds its labels, not another 440 MB of pixels. The set holds its rows softly: rows no
 * session uses any more go back to the collector when memory runs short, and are made again if asked.
 */
public final class ImageSet {
    private final String id;
    private final int side;
    private final byte[] pixels;
    private final int[] labels;
    private final int trainCount;
    private final int classCount;
    private final String contentHash;
    private final AtomicReferenceArray<SoftReference<double[]>> rows;

    public ImageSet(String id, int side, byte[] pixels, int[] labels, int trainCount, int classCount,
                    String contentHash) {
        if (side < 2 || labels.length == 0 || pixels.length != (long) labels.length * side * side) {
            throw new IllegalArgumentException("image set " + id + ": " + pixels.length + " pixel bytes for "
                    + labels.length + " images of " + side + "×" + side);
        }
        if (trainCount < 1 || trainCount > labels.length) {
            throw new IllegalArgumentException("image set " + id + ": training split " + trainCount + " of "
                    + labels.length);
        }
        for (int label : labels) {
            if (label < 0 || label >= classCount) {
                throw new IllegalArgumentException("image set " + id + ": label " + label + " outside 0…"
                        + (classCount - 1));
            }
        }
        this.id = id;
        this.side = side;
        this.pixels = pixels;
        this.labels = labels;
        this.trainCount = trainCount;
        this.classCount = classCount;
        this.contentHash = contentHash;
        this.rows = new AtomicReferenceArray<>(labels.length);
    }

    public String id() {
        return id;
    }

    public int side() {
        return side;
    }

    /** Grey levels, image after image, row by row. */
    public byte[] pixels() {
        return pixels;
    }

    public int[] labels() {
        return labels;
    }

    public int trainCount() {
        return trainCount;
    }

    public int classCount() {
        return classCount;
    }

    /** Identifies the pixels and labels (the files' digests, or the generator's settings). */
    public String contentHash() {
        return contentHash;
    }

    public int size() {
        return labels.length;
    }

    public int testCount() {
        return labels.length - trainCount;
    }

    /** Grey level 0–255 of pixel {@code p} of image {@code i}. */
    public int pixel(int i, int p) {
        return pixels[i * side * side + p] & 0xFF;
    }

    /** The grey levels of image {@code i}, pixel after pixel, as a shared row: never written to. */
    public double[] row(int i) {
        while (true) {
            SoftReference<double[]> held = rows.get(i);
            double[] row = held == null ? null : held.get();
            if (row != null) {
                return row;
            }
            row = new double[side * side];
            int offset = i * side * side;
            for (int p = 0; p < row.length; p++) {
                row[p] = pixels[offset + p] & 0xFF;
            }
            if (rows.compareAndSet(i, held, new SoftReference<>(row))) {
                return row;
            }
        }
    }

    /** Indices of the first {@code trainingRows} training images (0: all), then of the whole test split. */
    private int[] chosen(int trainingRows) {
        int train = trainingRows <= 0 ? trainCount : Math.min(trainingRows, trainCount);
        int[] chosen = new int[train + testCount()];
        for (int i = 0; i < train; i++) {
            chosen[i] = i;
        }
        for (int i = 0; i < testCount(); i++) {
            chosen[train + i] = trainCount + i;
        }
        return chosen;
    }

    /**
     * The problem the {@code label,pixel1,…} table of {@link #table} gives with every pixel in and
     * the label out ({@link ProblemBuilder}'s classes and one-hot targets), built without the
     * table: its rows are the shared {@link #row}s, its last rows the test split.
     */
    public Problem problem(int trainingRows, int outputUnits) {
        int[] chosen = chosen(trainingRows);
        double[][] x = new double[chosen.length][];
        List<String> labelTexts = new ArrayList<>(chosen.length);
        for (int r = 0; r < chosen.length; r++) {
            x[r] = row(chosen[r]);
            labelTexts.add(Integer.toString(labels[chosen[r]]));
        }
        return ProblemBuilder.classification(ImageLayout.pixelColumns(side), List.of(ImageLayout.LABEL), x,
                labelTexts, false, outputUnits).asImages(side, testCount());
    }

    /** What {@code TableSummary.of(table(trainingRows))} says, without the table. */
    public TableSummary summary(int trainingRows) {
        int[] chosen = chosen(trainingRows);
        List<String> header = ImageLayout.header(side);
        List<Boolean> numeric = new ArrayList<>();
        List<Integer> distinct = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            numeric.add(true);
            distinct.add(distinctValues(chosen, c - 1));
        }
        List<List<String>> preview = new ArrayList<>();
        for (int r = 0; r < Math.min(Table.PREVIEW_ROWS, chosen.length); r++) {
            List<String> cells = new ArrayList<>(header.size());
            cells.add(Integer.toString(labels[chosen[r]]));
            for (int p = 0; p < side * side; p++) {
                cells.add(Integer.toString(pixel(chosen[r], p)));
            }
            preview.add(cells);
        }
        return new TableSummary(header, chosen.length, false, preview, numeric, distinct);
    }

    /** Distinct values of pixel {@code p} (−1: the label) among the chosen images, up to TableSummary's cap. */
    private int distinctValues(int[] chosen, int p) {
        boolean[] seen = new boolean[Math.max(256, classCount)];
        int count = 0;
        for (int i = 0; i < chosen.length && count < TableSummary.MAX_DISTINCT; i++) {
            int value = p < 0 ? labels[chosen[i]] : pixel(chosen[i], p);
            if (!seen[value]) {
                seen[value] = true;
                count++;
            }
        }
        return count;
    }

    /**
     * The images as a table in the CSV layout ({@code label,pixel1,…}): the first
     * {@code trainingRows} training images (0: all), then the whole test split.
     */
    public Table table(int trainingRows) {
        List<String> header = ImageLayout.header(side);
        Table.Builder builder = Table.builder(header, false);
        double[] cells = new double[header.size()];
        for (int i : chosen(trainingRows)) {
            cells[0] = labels[i];
            System.arraycopy(row(i), 0, cells, 1, side * side);
            builder.addNumbers(cells);
        }
        return builder.build();
    }
}
