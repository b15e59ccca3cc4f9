package sinapsis.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import sinapsis.support.FashionSample;
import sinapsis.support.LocalMirror;
import sinapsis.support.RunningServer;

/**
 * A teacher's server has no Fashion-MNIST yet: the student presses Download, watches which file is
 * fetched and how far, and then that the set is there. The mirror is a local server that sends the
 * sample's IDX files slowly, so that the progress shows.
 */
class FashionDownloadPageTest extends OneBrowserTest {
    private static final Path PUBLISHED = publish();
    private static final LocalMirror MIRROR = new LocalMirror(PUBLISHED, 8192, 80);

    @RegisterExtension
    static final RunningServer server = RunningServer.downloadingFashionMnistFrom(MIRROR.url(), digests(PUBLISHED));

    @Override
    protected RunningServer server() {
        return server;
    }

    @AfterAll
    static void stopMirror() {
        MIRROR.close();
    }

    @Test
    void downloadingShowsWhichFileAndHowFarThenTheSetIsThere() {
        open("es", "/");
        new Select(driver.findElement(By.id("dataset-select"))).selectByValue("fashion-mnist");
        WebElement status = driver.findElement(By.id("download-status"));
        waiting(5).until(ExpectedConditions.textToBePresentInElement(status, "Aún no está en este servidor"));

        driver.findElement(By.id("download-fashion")).click();
        waiting(20).until(ExpectedConditions.textMatches(By.id("download-status"),
                Pattern.compile("Descargando train-images-idx3-ubyte\\.gz: [0-9,]+ de [0-9,]+ MB \\(\\d+ %\\)")));
        assertThat(driver.findElement(By.id("download-fashion")).isEnabled()).isFalse();

        waiting(60).until(ExpectedConditions.textToBePresentInElement(status, "Descargado y verificado"));
        assertThat(driver.findElement(By.id("download-fashion")).isEnabled()).isFalse();
        assertThat(server.get("/api/datasets/fashion-mnist").json().get("state").asText()).isEqualTo("available");
    }

    private static Path publish() {
        try {
            Path dir = Files.createTempDirectory("sinapsis-mirror");
            dir.toFile().deleteOnExit();
            return FashionSample.writeIdx(dir, 800);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> digests(Path dir) {
        try {
            return FashionSample.digests(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
