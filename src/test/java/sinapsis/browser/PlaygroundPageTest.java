package sinapsis.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import sinapsis.support.RunningServer;

/**
 * The playground a class watches: the owner trains the spirals at a watchable pace and sees the
 * network's lines and the decision surface change while it learns, all of it on a 1366×768
 * screen; a second browser sees the same; the owner pauses, steps one epoch and resumes.
 */
class PlaygroundPageTest {
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

    /** Every line's colour and width: what a person sees of the weights. */
    private static String edges(ChromeDriver driver) {
        return (String) driver.executeScript("""
                return [...document.querySelectorAll('#network-diagram line.edge')]
                    .map(l => l.getAttribute('stroke') + '/' + l.getAttribute('stroke-width')).join(' ');""");
    }

    /** A digest of the heatmap's pixels, and how many distinct colours it holds. */
    @SuppressWarnings("unchecked")
    private static Map<String, Number> pixels(ChromeDriver driver) {
        return (Map<String, Number>) driver.executeScript("""
                const c = document.getElementById('surface-canvas');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let hash = 0;
                const colours = new Set();
                for (let i = 0; i < d.length; i += 4) {
                  hash = (hash * 31 + d[i] * 7 + d[i + 1] * 3 + d[i + 2]) % 1000000007;
                  colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
                }
                return { hash, colours: colours.size };""");
    }

    private static int epoch(ChromeDriver driver) {
        Number last = (Number) driver.executeScript(
                "const s = Chart.getChart('loss-chart').$series[0]; return s.length ? s[s.length - 1].x : 0;");
        return last.intValue();
    }

    private static WebDriverWait waiting(ChromeDriver driver, int seconds) {
        WebDriverWait wait = Browser.waiting(driver, seconds);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    /** Waits until the diagram and the heatmap have changed since {@code edges} and {@code hash}. */
    private static void seesLearning(ChromeDriver driver, String who) {
        waiting(driver, 30).until(d -> pixels(driver).get("colours").intValue() > 20);
        String before = edges(driver);
        Number hash = pixels(driver).get("hash");
        waiting(driver, 30).until(d -> !edges(driver).equals(before) && !pixels(driver).get("hash").equals(hash));
        assertThat(edges(driver)).as(who + ": the lines have weights").contains("rgb(");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Number> box(ChromeDriver driver, String id) {
        return (Map<String, Number>) driver.executeScript("""
                const r = document.getElementById(arguments[0]).getBoundingClientRect();
                return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width,
                         height: innerHeight, screen: document.documentElement.clientWidth };""", id);
    }

    @Test
    void theClassWatchesTheSpiralsBeingLearnedAndTheOwnerPausesAndSteps() {
        owner = Browser.start("es");
        owner.manage().window().setSize(new Dimension(1366, 768));
        owner.get(server.url("/?dataset=spirals"));
        Browser.awaitReady(owner);
        assertThat(new Select(owner.findElement(By.id("pace"))).getFirstSelectedOption().getText())
                .as("a built-in table trains at a pace a class can follow").isEqualTo("100 épocas por segundo");
        assertThat(owner.findElement(By.id("pace-estimate")).getText()).isEqualTo("Unos 10 s a este ritmo.");
        WebElement epochs = owner.findElement(By.id("epochs"));
        epochs.clear();
        epochs.sendKeys("100000");
        new Select(owner.findElement(By.id("pace"))).selectByValue("30");
        assertThat(owner.findElement(By.id("pace-estimate")).getText()).contains("55 min");
        owner.findElement(By.id("train-button")).click();
        waiting(owner, 30).until(d -> d.getCurrentUrl().contains("/s/"));
        waiting(owner, 30).until(ExpectedConditions.textToBe(By.id("surface-title"), "Lo que ha aprendido"));
        seesLearning(owner, "owner");

        for (String id : List.of("loss-chart-area", "network-box", "surface-box")) {
            Map<String, Number> shown = box(owner, id);
            assertThat(shown.get("top").doubleValue()).as(id + " " + shown).isGreaterThanOrEqualTo(0);
            assertThat(shown.get("bottom").doubleValue()).as(id + " " + shown)
                    .isLessThanOrEqualTo(shown.get("height").doubleValue());
            assertThat(shown.get("right").doubleValue()).as(id + " " + shown)
                    .isLessThanOrEqualTo(shown.get("screen").doubleValue());
            assertThat(shown.get("width").doubleValue()).as(id + " is not squeezed").isGreaterThan(250);
        }

        // a node tapped says its value
        owner.findElement(By.cssSelector("#network-diagram rect.node")).click();
        assertThat(owner.findElement(By.id("network-tip")).getText()).startsWith("sesgo de h1.1 = ");

        viewer = Browser.start("es");
        viewer.get(owner.getCurrentUrl());
        Browser.awaitReady(viewer);
        seesLearning(viewer, "viewer");
        assertThat(viewer.findElement(By.id("pause-button")).isDisplayed()).as("only the owner pauses").isFalse();

        owner.findElement(By.id("pause-button")).click();
        waiting(owner, 20).until(ExpectedConditions.attributeToBe(By.id("status-text"), "data-status", "paused"));
        assertThat(owner.findElement(By.id("status-text")).getText()).isEqualTo("En pausa");
        waiting(viewer, 20).until(ExpectedConditions.textToBe(By.id("status-text"), "En pausa"));
        int paused = epoch(owner);
        owner.findElement(By.id("step-button")).click();
        waiting(owner, 20).until(d -> epoch(owner) == paused + 1);
        assertThat(owner.findElement(By.id("status-text")).getText()).isEqualTo("En pausa");
        owner.findElement(By.id("resume-button")).click();
        waiting(owner, 20).until(d -> epoch(owner) > paused + 5);
        owner.findElement(By.id("stop-button")).click();
        waiting(owner, 20).until(ExpectedConditions.attributeToBe(By.id("status-text"), "data-status", "stopped"));
    }

    @Test
    void theProjectorShowsTheChartTheNetworkAndTheSurfaceLarge() {
        String id = server.post("/api/sessions", "{\"data\": {\"dataset\": \"xor\"}, \"training\": {\"epochs\": 200}}")
                .json().get("id").asText();
        server.ended("/api/sessions/" + id);
        owner = Browser.start("en");
        owner.manage().window().setSize(new Dimension(1366, 768));
        owner.get(server.url("/s/" + id + "?project=1"));
        Browser.awaitReady(owner);
        waiting(owner, 30).until(ExpectedConditions.textToBe(By.id("surface-title"), "What it has learned"));
        assertThat(owner.findElement(By.id("data-panel")).isDisplayed()).isFalse();
        for (String part : List.of("loss-chart-area", "network-box", "surface-box")) {
            Map<String, Number> shown = box(owner, part);
            assertThat(shown.get("bottom").doubleValue()).as(part + " " + shown)
                    .isLessThanOrEqualTo(shown.get("height").doubleValue());
            assertThat(shown.get("width").doubleValue()).as(part + " is large").isGreaterThan(330);
        }
    }

    @Test
    void withThreeInputsThePersonHoldsTheThirdAtAValueOfTheirsAndTheSurfaceFollows() {
        StringBuilder csv = new StringBuilder("a,b,c,k\\n");
        for (int i = 0; i < 80; i++) {
            double a = (i % 10) / 10.0;
            double b = (i / 10 % 8) / 8.0;
            double c = (i * 7 % 11) / 11.0 * 4;
            csv.append(a).append(',').append(b).append(',').append(c).append(',').append(a + c / 2 > 1 ? "y" : "n")
                    .append("\\n");
        }
        String id = server.post("/api/sessions", """
                {"data": {"csv": "%s", "inputs": ["a", "b", "c"], "targets": ["k"]},
                 "network": {"layers": [{"units": 8, "activation": "tanh"}, {"units": 2, "activation": "softmax"}]},
                 "training": {"loss": "crossentropy", "learningRate": 0.05, "epochs": 300}}""".formatted(csv))
                .json().get("id").asText();
        server.ended("/api/sessions/" + id);
        owner = Browser.start("en");
        owner.manage().window().setSize(new Dimension(1366, 768));
        owner.get(server.url("/s/" + id));
        Browser.awaitReady(owner);
        waiting(owner, 30).until(ExpectedConditions.textToBe(By.id("surface-title"), "What it has learned"));
        WebElement held = waiting(owner, 10).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#surface-held input[data-held='c']")));
        assertThat(owner.findElement(By.id("surface-held")).getText()).contains("c =", "(mean)");
        waiting(owner, 10).until(d -> pixels(owner).get("colours").intValue() > 20);
        Number before = pixels(owner).get("hash");
        held.clear();
        held.sendKeys("4", org.openqa.selenium.Keys.TAB);
        waiting(owner, 20).until(d -> !pixels(owner).get("hash").equals(before));
        assertThat(owner.findElement(By.cssSelector("#surface-held input[data-held='c']")).getDomProperty("value"))
                .isEqualTo("4");
        assertThat(owner.findElement(By.id("surface-held")).getText()).doesNotContain("(mean)");
    }
}
