package sinapsis.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinapsis.concurrent.DaemonThreads;
import sinapsis.model.InvalidSpecException;

/**
 * The built-in image sets: the generated shapes (always there) and Fashion-MNIST (once its files
 * are in {@code FASHION_MNIST_DIR}, or downloaded into {@code DATA_DIR/fashion-mnist}). Each is read
 * into memory once, when first used.
 */
public final class ImageSets implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImageSets.class);
    public static final int SHAPES_TRAIN = 1200;
    public static final int SHAPES_TEST = 300;

    /** Where Fashion-MNIST stands: its files are there, are being fetched, or the last try failed. */
    public enum State { MISSING, DOWNLOADING, AVAILABLE, FAILED }

    /**
     * The state; after a failure, why; while downloading, the file being fetched, the bytes so far
     * and its size (−1 when unknown).
     */
    public record Status(State state, String failure, String file, long bytes, long size) {
        public Status(State state, String failure) {
            this(state, failure, null, 0, -1);
        }
    }

    private final ImageSet shapes = ShapeImages.generate(DatasetGenerators.SEED, SHAPES_TRAIN, SHAPES_TEST);
    private final Path fashionDir;
    private final boolean canDownload;
    private final FashionMnistDownload download;
    private final ExecutorService downloader = Executors.newSingleThreadExecutor(
            DaemonThreads.named("fashion-mnist-download"));
    private ImageSet fashion;
    private Status status;

    /**
     * @param fashionDir  where the Fashion-MNIST files are (or will be downloaded to)
     * @param canDownload false when the folder is someone's local copy ({@code FASHION_MNIST_DIR}): never written
     */
    public ImageSets(Path fashionDir, boolean canDownload, String baseUrl, Map<String, String> sha256) {
        this.fashionDir = fashionDir;
        this.canDownload = canDownload;
        this.download = new FashionMnistDownload(baseUrl, sha256);
        this.status = new Status(FashionMnist.isComplete(fashionDir) ? State.AVAILABLE : State.MISSING, null);
    }

    /**
     * Fashion-MNIST from a local copy that is never written to ({@code localDir}), or, when that is
     * null, under {@code dataDir/fashion-mnist}, downloaded from {@code url} on request (each file
     * checked against {@code sha256}).
     */
    public static ImageSets of(Path localDir, Path dataDir, String url, Map<String, String> sha256) {
        if (localDir != null) {
            return new ImageSets(localDir, false, url, sha256);
        }
        return new ImageSets(dataDir.resolve("fashion-mnist"), true, url, sha256);
    }

    public boolean isImageSet(String id) {
        return ShapeImages.ID.equals(id) || FashionMnist.ID.equals(id);
    }

    public ImageSet shapes() {
        return shapes;
    }

    /** The image set, read on first use; a 400 when Fashion-MNIST has not been downloaded. */
    public ImageSet require(String id) {
        if (ShapeImages.ID.equals(id)) {
            return shapes;
        }
        if (!FashionMnist.ID.equals(id)) {
            throw new InvalidSpecException("data.dataset", "error.unknownDataset", id);
        }
        return fashion().orElseThrow(() -> new InvalidSpecException("data.dataset", "error.fashionMnistMissing"));
    }

    private synchronized Optional<ImageSet> fashion() {
        if (fashion == null && FashionMnist.isComplete(fashionDir)) {
            try {
                fashion = FashionMnist.load(fashionDir);
                status = new Status(State.AVAILABLE, null);
            } catch (IOException e) {
                LOG.warn("cannot read Fashion-MNIST in {}", fashionDir, e);
                status = new Status(State.FAILED, e.getMessage());
            }
        }
        return Optional.ofNullable(fashion);
    }

    public synchronized Status fashionStatus() {
        if (status.state() == State.MISSING && FashionMnist.isComplete(fashionDir)) {
            status = new Status(State.AVAILABLE, null);
        }
        return status;
    }

    public boolean canDownload() {
        return canDownload;
    }

    /** Starts fetching Fashion-MNIST in the background unless it is there or on its way; the status says how it goes. */
    public synchronized Status startDownload() {
        Status now = fashionStatus();
        if (!canDownload || now.state() == State.AVAILABLE || now.state() == State.DOWNLOADING) {
            return now;
        }
        status = new Status(State.DOWNLOADING, null);
        downloader.execute(() -> {
            try {
                download.into(fashionDir, this::fetching);
                Optional<ImageSet> loaded = fashion();
                if (loaded.isPresent()) {
                    LOG.info("Fashion-MNIST downloaded into {}", fashionDir);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Fashion-MNIST download failed", e);
                failed(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed("interrupted");
            }
        });
        return status;
    }

    private synchronized void fetching(String file, long bytes, long size) {
        if (status.state() == State.DOWNLOADING) {
            status = new Status(State.DOWNLOADING, null, file, bytes, size);
        }
    }

    private synchronized void failed(String why) {
        status = new Status(State.FAILED, why);
    }

    @Override
    public void close() {
        downloader.shutdownNow();
    }
}
