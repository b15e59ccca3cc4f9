package sinapsis.data;

import java.util.List;

/**
 * Square grey images with integer labels 0…k−1: the first {@code trainCount} are the training
 * split, the rest the test split. Pixels are kept as bytes (grey levels 0–255), image after image,
 * row by row: Fashion-MNIST's 70 000 images take 55 MB.
 */
public record ImageSet(String id, int side, byte[] pixels, int[] labels, int trainCount, int classCount,
                       String contentHash) {
    public ImageSet {
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

    /**
     * The images as a table in the CSV layout ({@code label,pixel1,…}): the first
     * {@code trainingRows} training images (0: all), then the whole test split.
     */
    public Table table(int trainingRows) {
        int train = trainingRows <= 0 ? trainCount : Math.min(trainingRows, trainCount);
        List<String> header = ImageLayout.header(side);
        Table.Builder builder = Table.builder(header, false);
        double[] row = new double[header.size()];
        for (int i = 0; i < labels.length; i++) {
            if (i >= train && i < trainCount) {
                continue;
            }
            row[0] = labels[i];
            int offset = i * side * side;
            for (int p = 0; p < side * side; p++) {
                row[p + 1] = pixels[offset + p] & 0xFF;
            }
            builder.addNumbers(row);
        }
        return builder.build();
    }
}
