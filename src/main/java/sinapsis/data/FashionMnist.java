package sinapsis.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fashion-MNIST (Zalando Research): 60 000 training and 10 000 test images of 28 × 28 grey
 * levels in ten classes, published as four gzipped IDX files. This class finds and reads them;
 * {@link Downloader} fetches them.
 */
public final class FashionMnist {
    public static final String ID = "fashion-mnist";
    public static final int CLASSES = 10;
    /** The official set's image side and sizes, as the catalogue shows them before it is downloaded. */
    public static final int SIDE = 28;
    public static final int TRAIN_IMAGES_COUNT = 60_000;
    public static final int TEST_IMAGES_COUNT = 10_000;
    /** The official mirror, as the project's README gives it. */
    public static final String DEFAULT_BASE_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";
    public static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    /** SHA-256 of the official files. */
    public static final Map<String, String> OFFICIAL_SHA256 = orderedMap(
            TRAIN_IMAGES, "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc",
            TRAIN_LABELS, "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc",
            TEST_IMAGES, "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229",
            TEST_LABELS, "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf");

    private FashionMnist() {
    }

    /**
     * The file {@code name} in {@code dir}, gzipped as published or unzipped (without {@code .gz}),
     * if it is there.
     */
    static Optional<Path> find(Path dir, String name) {
        Path gz = dir.resolve(name);
        if (Files.isRegularFile(gz)) {
            return Optional.of(gz);
        }
        Path plain = dir.resolve(name.substring(0, name.length() - ".gz".length()));
        return Files.isRegularFile(plain) ? Optional.of(plain) : Optional.empty();
    }

    public static boolean isComplete(Path dir) {
        return FILES.stream().allMatch(name -> find(dir, name).isPresent());
    }

    /** Reads the four files of {@code dir}: training images first, then the test images. */
    public static ImageSet load(Path dir) throws IOException {
        IdxFiles.Images train = IdxFiles.readImages(require(dir, TRAIN_IMAGES));
        int[] trainLabels = IdxFiles.readLabels(require(dir, TRAIN_LABELS));
        IdxFiles.Images test = IdxFiles.readImages(require(dir, TEST_IMAGES));
        int[] testLabels = IdxFiles.readLabels(require(dir, TEST_LABELS));
        if (train.count() != trainLabels.length || test.count() != testLabels.length) {
            throw new IOException("Fashion-MNIST in " + dir + ": " + train.count() + " training images but "
                    + trainLabels.length + " labels, " + test.count() + " test images but " + testLabels.length);
        }
        if (train.rows() != train.columns() || test.rows() != train.rows() || test.columns() != train.columns()) {
            throw new IOException("Fashion-MNIST in " + dir + ": images are not all square of one size");
        }
        byte[] pixels = new byte[train.pixels().length + test.pixels().length];
        System.arraycopy(train.pixels(), 0, pixels, 0, train.pixels().length);
        System.arraycopy(test.pixels(), 0, pixels, train.pixels().length, test.pixels().length);
        int[] labels = new int[train.count() + test.count()];
        System.arraycopy(trainLabels, 0, labels, 0, trainLabels.length);
        System.arraycopy(testLabels, 0, labels, trainLabels.length, testLabels.length);
        for (int label : labels) {
            if (label >= CLASSES) {
                throw new IOException("Fashion-MNIST in " + dir + ": label " + label + " (there are " + CLASSES
                        + " classes)");
            }
        }
        return new ImageSet(ID, train.rows(), pixels, labels, train.count(), CLASSES,
                Hashes.sha256(pixels) + "-" + train.count());
    }

    private static Path require(Path dir, String name) throws IOException {
        return find(dir, name).orElseThrow(() -> new IOException("missing " + name + " in " + dir));
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
