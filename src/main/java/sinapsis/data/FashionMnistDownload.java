package sinapsis.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * Fetches the Fashion-MNIST files from a base URL into a folder: each file goes to a {@code .part}
 * file while its SHA-256 is computed, and is renamed into place only when the digest matches, so
 * the folder never holds a partial or altered file under its real name. Files already there with
 * the right digest are kept.
 */
public final class FashionMnistDownload {
    /** Hears how far the file being fetched has come: bytes so far, and its size (−1 when the server does not say). */
    public interface Progress {
        void fetching(String file, long bytes, long size);
    }

    /** The official files are 26 MB at most; anything far larger is not them. */
    static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

    private final HttpClient http;
    private final String baseUrl;
    private final Map<String, String> expectedSha256;

    public FashionMnistDownload(String baseUrl, Map<String, String> expectedSha256) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        this.expectedSha256 = Map.copyOf(expectedSha256);
    }

    /** Downloads every missing or damaged file into {@code dir}; throws naming the first file that failed. */
    public void into(Path dir, Progress progress) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        for (String name : FashionMnist.FILES) {
            Path target = dir.resolve(name);
            String expected = expectedSha256.get(name);
            if (Files.isRegularFile(target) && expected.equals(sha256(target))) {
                continue;
            }
            fetch(name, target, expected, progress);
        }
    }

    private void fetch(String name, Path target, String expected, Progress progress)
            throws IOException, InterruptedException {
        URI uri = URI.create(baseUrl + name);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) { // a refused or unreachable host often comes without a message
            throw new IOException("cannot reach " + uri + " (" + (e.getMessage() == null || e.getMessage().isBlank()
                    ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
        Path part = target.resolveSibling(name + ".part");
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered HTTP " + response.statusCode());
            }
            MessageDigest digest = Hashes.sha256();
            long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            long total = 0;
            progress.fetching(name, 0, size);
            try (OutputStream out = Files.newOutputStream(part)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = body.read(buffer)) > 0; ) {
                    total += n;
                    if (total > MAX_FILE_BYTES) {
                        throw new IOException(uri + " is larger than " + MAX_FILE_BYTES + " bytes: not a Fashion-MNIST file");
                    }
                    digest.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    progress.fetching(name, total, size);
                }
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(expected)) {
                throw new IOException(name + " has SHA-256 " + actual + ", expected " + expected
                        + ": the download is damaged or not the official file");
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = Hashes.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
