package sinapsis.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import sinapsis.support.RunningServer;

/**
 * Two people: the owner trains and shares the URL; a second browser opens it mid-run, watches the
 * same chart grow without owner buttons, forks it, changes the learning rate and trains its copy.
 */
class SharedSessionPageTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();
    private ChromeDriver owner;
    private ChromeDriver viewer;

    @AfterEach
    void quit() {
        if (owner != null) {
            owner.quit();
        }
        if (viewer != null) {
            viewer.quit();
        }
    }

    private static WebDriverWait waiting(WebDriver driver, int seconds) {
        return Browser.waiting(driver, seconds);
    }

    private static void ready(WebDriver driver) {
        Browser.awaitReady(driver);
    }

    private static int points(ChromeDriver driver) {
        return ((Number) ((JavascriptExecutor) driver).executeScript(
                "return Chart.getChart('loss-chart').$series[0].length")).intValue();
    }

    /** Whether the chart holds epochs 1, 2, …, n with none missing or repeated. */
    private static boolean complete(ChromeDriver driver) {
        return (Boolean) ((JavascriptExecutor) driver).executeScript(
                "return Chart.getChart('loss-chart').$series[0].every((p, i) => p.x === i + 1)");
    }

    private static void type(WebDriver driver, String id, String text) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    @Test
    void aSecondBrowserWatchesTheSharedRunLiveThenForksAndTrainsItsOwnCopy() throws Exception {
        owner = Browser.start("es");
        owner.get(server.url("/"));
        ready(owner);
        new Select(owner.findElement(By.id("dataset-select"))).selectByValue("spirals");
        type(owner, "epochs", "100000");
        type(owner, "batch-size", "100"); // four batches an epoch: still going minutes later, on a loaded machine too
        new Select(owner.findElement(By.id("pace"))).selectByValue("0"); // as fast as it goes: thousands of epochs
        owner.findElement(By.id("train-button")).click();
        waiting(owner, 30).until(ExpectedConditions.attributeToBe(By.id("status-text"), "data-status", "running"));
        assertThat(owner.findElement(By.id("stop-button")).isDisplayed()).isTrue();
        assertThat(owner.findElement(By.id("train-button")).isDisplayed()).as("no second run mid-run").isFalse();

        owner.findElement(By.id("share-button")).click();
        WebElement shareUrl = waiting(owner, 10).until(ExpectedConditions.visibilityOfElementLocated(By.id("share-url")));
        String url = shareUrl.getDomProperty("value");
        assertThat(url).isEqualTo(owner.getCurrentUrl()).matches("http://localhost:\\d+/s/[A-Za-z0-9_-]{22,}");
        waiting(owner, 10).until(d -> ((Number) ((JavascriptExecutor) d).executeScript(
                "return document.getElementById('share-qr').naturalWidth")).intValue() > 0);
        owner.findElement(By.id("copy-button")).click();
        waiting(owner, 10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("copy-status"), "copiado"));
        owner.findElement(By.cssSelector("#share-dialog form button")).click();

        viewer = Browser.start("en");
        viewer.get(url);
        ready(viewer);
        assertThat(viewer.findElement(By.id("status-text")).getDomAttribute("data-status")).isEqualTo("running");
        int seen = points(viewer);
        waiting(viewer, 30).until(d -> points(viewer) > seen + 100);
        assertThat(viewer.findElement(By.id("stop-button")).isDisplayed()).as("no Stop for a viewer").isFalse();
        assertThat(viewer.findElement(By.id("delete-button")).isDisplayed()).isFalse();
        assertThat(viewer.findElement(By.id("rename-button")).isDisplayed()).isFalse();
        assertThat(viewer.findElement(By.id("viewer-note")).isDisplayed()).isTrue();
        assertThat(owner.findElement(By.id("viewer-note")).isDisplayed()).isFalse();
        assertThat(viewer.findElement(By.id("train-button")).getText()).as("a viewer trains a copy")
                .isEqualTo("Fork and train");
        assertThat(points(owner)).as("the same chart grows for both").isGreaterThan(seen);

        viewer.findElement(By.id("fork-button")).click();
        waiting(viewer, 30).until(d -> !d.getCurrentUrl().equals(url) && d.getCurrentUrl().contains("/s/"));
        ready(viewer);
        assertThat(viewer.findElement(By.id("status-text")).getDomAttribute("data-status")).isEqualTo("draft");
        assertThat(new Select(viewer.findElement(By.id("dataset-select"))).getFirstSelectedOption()
                .getDomProperty("value")).isEqualTo("spirals");
        assertThat(viewer.findElement(By.id("delete-button")).isDisplayed()).as("the fork is theirs").isTrue();
        assertThat(viewer.findElement(By.id("train-button")).getText()).isEqualTo("Train");
        type(viewer, "learning-rate", "0.02");
        type(viewer, "epochs", "60");
        String forkUrl = viewer.getCurrentUrl();
        viewer.findElement(By.id("train-button")).click();
        waiting(viewer, 60).until(ExpectedConditions.attributeToBe(By.id("status-text"), "data-status", "finished"));
        assertThat(viewer.getCurrentUrl()).as("the fork trains under its own URL").isEqualTo(forkUrl);
        waiting(viewer, 10).until(d -> points(viewer) == 60);
        assertThat(viewer.findElement(By.id("train-button")).getText()).isEqualTo("Train again");
        String forkId = forkUrl.substring(forkUrl.lastIndexOf('/') + 1);
        var fork = server.get("/api/sessions/" + forkId).json();
        assertThat(fork.at("/spec/training/learningRate").asDouble()).isEqualTo(0.02);
        assertThat(fork.get("forkedFrom").asText()).isEqualTo(url.substring(url.lastIndexOf('/') + 1));

        owner.findElement(By.id("stop-button")).click();
        waiting(owner, 30).until(ExpectedConditions.attributeToBe(By.id("status-text"), "data-status", "stopped"));
        int epochs = server.get(new java.net.URI(url).getPath().replace("/s/", "/api/sessions/")).json()
                .get("history").size();
        assertThat(epochs).as("a run long enough for the chart to thin what it draws").isGreaterThan(2000);
        waiting(owner, 10).until(d -> points(owner) == epochs);
        assertThat(complete(owner)).as("every epoch on the owner's chart, once").isTrue();
        assertThat(owner.findElement(By.id("rerun-button")).isDisplayed()).isTrue();

        viewer.get(server.url("/my"));
        ready(viewer);
        var items = viewer.findElements(By.cssSelector("#my-list .my-item"));
        assertThat(items).as("the viewer owns only its fork").hasSize(1);
        assertThat(items.get(0).getDomAttribute("data-id")).isEqualTo(forkId);
        assertThat(items.get(0).findElement(By.className("badge")).getText()).isEqualTo("Finished");
    }

    @Test
    void aViewerPressingTheMainButtonTrainsANamedCopyAndLeavesTheSessionAlone() {
        var created = server.post("/api/sessions", "{\"data\": {\"dataset\": \"celsius\"}, \"training\": "
                + "{\"epochs\": 40}}").json();
        String id = created.get("id").asText();
        server.ended("/api/sessions/" + id);
        viewer = Browser.start("es");
        viewer.get(server.url("/s/" + id));
        ready(viewer);
        WebElement main = viewer.findElement(By.id("train-button"));
        assertThat(main.getText()).isEqualTo("Duplicar y entrenar");
        type(viewer, "epochs", "30");
        main.click();
        waiting(viewer, 30).until(d -> d.getCurrentUrl().contains("/s/") && !d.getCurrentUrl().endsWith(id));
        waiting(viewer, 60).until(ExpectedConditions.attributeToBe(By.id("status-text"), "data-status", "finished"));
        String copyId = viewer.getCurrentUrl().substring(viewer.getCurrentUrl().lastIndexOf('/') + 1);
        var copy = server.get("/api/sessions/" + copyId).json();
        String original = server.get("/api/sessions/" + id + "?history=false").json().get("name").asText();
        assertThat(original).as("named by its data set and time").startsWith("Celsius → Fahrenheit · ");
        assertThat(copy.get("name").asText()).isEqualTo("Copia de " + original);
        assertThat(copy.get("forkedFrom").asText()).isEqualTo(id);
        assertThat(copy.get("history").size()).isEqualTo(30);
        assertThat(viewer.findElement(By.id("session-name")).getText()).isEqualTo("Copia de " + original);
        assertThat(viewer.findElement(By.id("delete-button")).isDisplayed()).as("the copy is theirs").isTrue();
        assertThat(server.get("/api/sessions/" + id).json().get("history").size()).as("the original is untouched")
                .isEqualTo(40);
    }
}
