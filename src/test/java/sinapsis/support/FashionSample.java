package sinapsis.support;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import sinapsis.data.FashionMnist;

/**
 * The 1000 real Fashion-MNIST test images of {@code fashion-mnist-test-sample.csv} (a copy of
 * {@code ../shared/datasets/}), as CSV text and as the four IDX files of the official layout.
 */
public final class FashionSample {
    public static final int IMAGES = 1000;
    public static final int SIDE = 28;

    private FashionSample() {
    }

    public static String csv() {
        try (InputStream in = FashionSample.class.getResourceAsStream("/fashion-mnist-test-sample.csv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The header and the first {@code rows} images, as a paste would have them. */
    public static String csv(int rows) {
        String[] lines = csv().split("\n");
        return String.join("\n", Arrays.copyOf(lines, rows + 1)) + "\n";
    }

    /** Labels then pixels of every image. */
    public static int[][] rows() {
        String[] lines = csv().split("\n");
        int[][] rows = new int[lines.length - 1][];
        for (int i = 1; i < lines.length; i++) {
            rows[i - 1] = Arrays.stream(lines[i].trim().split(",")).mapToInt(Integer::parseInt).toArray();
        }
        return rows;
    }

    /** Writes the official four gzipped IDX files into {@code dir}: the first {@code train} images train, the rest test. */
    public static Path writeIdx(Path dir, int train) throws IOException {
        Files.createDirectories(dir);
        int[][] rows = rows();
        writeImages(dir.resolve(FashionMnist.TRAIN_IMAGES), rows, 0, train);
        writeLabels(dir.resolve(FashionMnist.TRAIN_LABELS), rows, 0, train);
        writeImages(dir.resolve(FashionMnist.TEST_IMAGES), rows, train, rows.length);
        writeLabels(dir.resolve(FashionMnist.TEST_LABELS), rows, train, rows.length);
        return dir;
    }

    /** The SHA-256 of each of the four files in {@code dir}, by name. */
    public static java.util.Map<String, String> digests(Path dir) throws IOException {
        java.util.Map<String, String> sha = new java.util.HashMap<>();
        for (String name : FashionMnist.FILES) {
            sha.put(name, sinapsis.data.Hashes.sha256(Files.readAllBytes(dir.resolve(name))));
        }
        return sha;
    }

    /** A temporary folder (removed at exit) holding the IDX files: 800 training images, 200 test. */
    public static Path temporaryCopy() {
        try {
            Path dir = Files.createTempDirectory("sinapsis-fashion");
            dir.toFile().deleteOnExit();
            return writeIdx(dir, 800);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void writeImages(Path file, int[][] rows, int from, int to) throws IOException {
        try (DataOutputStream out = new DataOutputStream(gzip(file))) {
            out.writeInt(0x00000803);
            out.writeInt(to - from);
            out.writeInt(SIDE);
            out.writeInt(SIDE);
            for (int r = from; r < to; r++) {
                for (int p = 1; p <= SIDE * SIDE; p++) {
                    out.writeByte(rows[r][p]);
                }
            }
        }
    }

    static void writeLabels(Path file, int[][] rows, int from, int to) throws IOException {
        try (DataOutputStream out = new DataOutputStream(gzip(file))) {
            out.writeInt(0x00000801);
            out.writeInt(to - from);
            for (int r = from; r < to; r++) {
                out.writeByte(rows[r][0]);
            }
        }
    }

    private static OutputStream gzip(Path file) throws IOException {
        return new GZIPOutputStream(Files.newOutputStream(file));
    }
}
