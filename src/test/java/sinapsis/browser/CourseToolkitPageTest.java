package sinapsis.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import sinapsis.support.RunningServer;

/** The course toolkit as a student uses it: early stopping, the console and the learned equation. */
class CourseToolkitPageTest extends OneBrowserTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Override
    protected RunningServer server() {
        return server;
    }

    @Test
    void earlyStoppingEndsMetresToFeetEarlyAndMarksTheStopOnTheChart() {
        open("es", "/");
        new Select(driver.findElement(By.id("dataset-select"))).selectByValue("metres-feet");
        type("epochs", "500");
        driver.findElement(By.id("early-stopping-enabled")).click();
        new Select(driver.findElement(By.id("es-monitor"))).selectByValue("loss");
        type("es-patience", "7");
        type("es-min-delta", "0,0001");
        driver.findElement(By.id("train-button")).click();

        waiting(60).until(ExpectedConditions.attributeToBe(By.id("status-text"), "data-status", "finished"));
        waiting(10).until(ExpectedConditions.textMatches(By.id("console"),
                java.util.regex.Pattern.compile("Epoch \\d+: early stopping")));
        String console = driver.findElement(By.id("console")).getText();
        assertThat(console).contains("Model: \"sequential\"", "dense (Dense)", "Total params: 2",
                "Epoch 1/500 - loss: ");
        JavascriptExecutor js = driver;
        long markers = ((Number) js.executeScript("return window.sinapsis.chart.$markers.length")).longValue();
        assertThat(markers).as("best epoch and stop marked").isEqualTo(2);
        long stoppedAt = ((Number) js.executeScript("return window.sinapsis.chart.$markers[1].x")).longValue();
        assertThat(stoppedAt).isLessThan(500);
        long points = ((Number) js.executeScript(
                "return Chart.getChart('loss-chart').data.datasets[0].data.length")).longValue();
        assertThat(points).isEqualTo(stoppedAt);
        assertThat(console).contains("Epoch " + stoppedAt + ": early stopping");
        // the learned line next to the known formula
        assertThat(driver.findElement(By.id("live-equation")).getText()).startsWith("feet = 3,");
        assertThat(driver.findElement(By.id("known-formula")).getText()).contains("ft = 3,28084·m");
        // chart controls: a logarithmic scale
        driver.findElement(By.cssSelector("#loss-chart-area .log-scale")).click();
        assertThat(js.executeScript("return Chart.getChart('loss-chart').options.scales.y.type"))
                .isEqualTo("logarithmic");
        // opened again, finished: the stop is printed after its epoch, not before the replayed history
        driver.navigate().refresh();
        Browser.awaitReady(driver);
        waiting(10).until(ExpectedConditions.textMatches(By.id("console"),
                java.util.regex.Pattern.compile("Epoch " + stoppedAt + ": early stopping")));
        String reopened = driver.findElement(By.id("console")).getText();
        assertThat(reopened.indexOf("Epoch " + stoppedAt + ": early stopping"))
                .isGreaterThan(reopened.indexOf("Epoch " + stoppedAt + "/500 - loss"))
                .isGreaterThan(reopened.indexOf("Epoch 1/500 - loss"));
    }

    @Test
    void threeGradientStepsOnApplesAndOrangesShowTheLossFallingAndResetBringsTheSameNumbersBack() {
        open("en", "/");
        new Select(driver.findElement(By.id("dataset-select"))).selectByValue("apples-oranges-5");
        assertThat(driver.findElement(By.id("optimizer")).getDomProperty("value")).isEqualTo("sgd");
        driver.findElement(By.id("steps-button")).click();
        waiting(10).until(ExpectedConditions.attributeToBe(By.id("steps-panel"), "data-step", "0"));
        String start = driver.findElement(By.id("step-heading")).getText();
        assertThat(start).startsWith("Step 0: initial weights, loss ");
        assertThat(driver.findElement(By.id("step-formula")).getText()).contains("w ← w − η · ∂L/∂w", "η = 0.00001");
        double previous = Double.NaN;
        for (int step = 1; step <= 3; step++) {
            driver.findElement(By.id("next-step")).click();
            waiting(10).until(ExpectedConditions.attributeToBe(By.id("steps-panel"), "data-step", String.valueOf(step)));
            String heading = driver.findElement(By.id("step-heading")).getText();
            java.util.regex.Matcher losses = java.util.regex.Pattern
                    .compile("Step " + step + ": loss ([\\d,.]+) → ([\\d,.]+)").matcher(heading);
            assertThat(losses.find()).as(heading).isTrue();
            double before = Double.parseDouble(losses.group(1).replace(",", ""));
            double after = Double.parseDouble(losses.group(2).replace(",", ""));
            assertThat(after).as(heading).isLessThan(before);
            if (step > 1) {
                assertThat(after).isLessThan(previous);
            }
            previous = after;
        }
        // the main view is the network: a line tapped says its weight and its gradient
        driver.findElement(By.cssSelector("#step-diagram rect.node")).click();
        assertThat(driver.findElement(By.id("step-tip")).getText()).matches("bias of apples = -?[\\d.,eE+-]+\\s+∂L/∂b = -?[\\d.,eE+-]+");
        assertThat(driver.findElements(By.cssSelector("#step-diagram line.edge"))).as("3 inputs × 2 outputs").hasSize(6);
        // 3 inputs × 2 outputs + 2 biases, each with its gradient and update, in the tables below it
        driver.findElement(By.cssSelector("#steps-panel details.step-tables > summary")).click();
        assertThat(driver.findElements(By.cssSelector("#step-parameters tbody tr"))).hasSize(8);
        assertThat(driver.findElement(By.id("step-parameters")).getText()).contains("w temperature → apples", "∂L/∂w");
        assertThat(driver.findElements(By.cssSelector("#step-predictions tbody tr"))).hasSize(5);

        driver.findElement(By.id("reset-steps")).click();
        waiting(10).until(ExpectedConditions.attributeToBe(By.id("steps-panel"), "data-step", "0"));
        assertThat(driver.findElement(By.id("step-heading")).getText()).isEqualTo(start);
    }

    @Test
    void theCodeExportShowsKerasPyTorchAndDl4jTabs() {
        String id = server.post("/api/sessions", """
                {"data": {"dataset": "celsius"}, "training": {"epochs": 20}}""").json().get("id").asText();
        open("es", "/s/" + id);
        driver.findElement(By.id("code-button")).click();
        WebElement code = driver.findElement(By.id("code-text"));
        waiting(10).until(ExpectedConditions.textToBePresentInElement(code, "keras.Sequential"));
        assertThat(driver.findElements(By.cssSelector("#code-dialog [role=tab]"))).extracting(WebElement::getText)
                .containsExactly("Keras", "PyTorch", "DL4J (Java)");
        driver.findElement(By.cssSelector("#code-dialog [data-language=pytorch]")).click();
        waiting(10).until(ExpectedConditions.textToBePresentInElement(code, "nn.Sequential"));
        assertThat(code.getText()).contains("torch.optim.Adam", "X = np.array(");
        driver.findElement(By.cssSelector("#code-dialog [data-language=dl4j]")).click();
        waiting(10).until(ExpectedConditions.textToBePresentInElement(code, "MultiLayerNetwork"));
        assertThat(driver.findElement(By.cssSelector("#code-dialog [data-language=dl4j]")).getDomAttribute("aria-selected"))
                .isEqualTo("true");
        assertThat(driver.findElement(By.id("code-download")).getDomAttribute("href")).endsWith("/code/dl4j?download");
    }

    @Test
    void aGridSearchFillsItsTableAndOpensTheBestSession() {
        open("es", "/");
        new Select(driver.findElement(By.id("dataset-select"))).selectByValue("metres-feet");
        type("epochs", "300");
        driver.findElement(By.id("grid-enabled")).click();
        WebElement values = driver.findElement(By.cssSelector("#grid-rows .grid-values"));
        assertThat(new Select(driver.findElement(By.cssSelector("#grid-rows .grid-param")))
                .getFirstSelectedOption().getDomProperty("value")).isEqualTo("training.learningRate");
        values.sendKeys("0,001; 0,01; 0,1; 0,2; 0,25; 0,3");
        type("grid-folds", "3");
        driver.findElement(By.id("search-button")).click();

        waiting(20).until(ExpectedConditions.urlContains("/searches/"));
        Browser.awaitReady(driver);
        waiting(90).until(ExpectedConditions.attributeToBe(By.id("search-status"), "data-status", "finished"));
        assertThat(driver.findElements(By.cssSelector("#search-table tbody tr"))).hasSize(6);
        assertThat(driver.findElements(By.cssSelector("#search-table tbody tr.best"))).hasSize(1);
        assertThat(driver.findElement(By.cssSelector("#search-table tr.best .best-row-link")).getDomAttribute("href"))
                .isEqualTo(driver.findElement(By.id("best-session-link")).getDomAttribute("href"));
        assertThat(driver.findElement(By.id("search-progress-text")).getText()).isEqualTo("18 de 18 entrenamientos");
        JavascriptExecutor js = driver;
        long curves = ((Number) js.executeScript("return Chart.getChart('search-chart').data.datasets.length"))
                .longValue();
        assertThat(curves).isEqualTo(6);

        driver.findElement(By.id("best-session-link")).click();
        waiting(20).until(ExpectedConditions.urlContains("/s/"));
        Browser.awaitReady(driver);
        waiting(60).until(ExpectedConditions.attributeToBe(By.id("status-text"), "data-status", "finished"));
        // the refit belongs to whoever ran the search
        assertThat(driver.findElement(By.id("rename-button")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.id("viewer-note")).isDisplayed()).isFalse();
    }

    @Test
    void theCompareViewOverlaysTwoSessionsAndAKerasHistoryWithTheSettingsThatDiffer(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String adam = server.post("/api/sessions", """
                {"data": {"dataset": "celsius"}, "training": {"optimizer": "adam", "epochs": 80}}""")
                .json().get("id").asText();
        String rmsprop = server.post("/api/sessions", """
                {"data": {"dataset": "celsius"}, "training": {"optimizer": "rmsprop", "epochs": 80}}""")
                .json().get("id").asText();
        open("en", "/compare?ids=" + adam);
        JavascriptExecutor js = driver;
        type("compare-input", server.url("/s/" + rmsprop));
        driver.findElement(By.id("compare-add")).click();
        waiting(10).until(d -> ((Number) js.executeScript(
                "return Chart.getChart('compare-chart').data.datasets.length")).intValue() == 2);
        waiting(10).until(d -> ((Number) js.executeScript(
                "return Chart.getChart('compare-chart').data.datasets[1].data.length")).intValue() == 80);
        String header = driver.findElement(By.cssSelector("#compare-table thead")).getText();
        assertThat(header).contains("optimizer").doesNotContain("learningRate", "dataset");
        assertThat(js.executeScript("return Chart.getChart('compare-chart').data.datasets[0].label").toString())
                .contains("optimizer=adam");
        assertThat(driver.getCurrentUrl()).endsWith("/compare?ids=" + adam + "," + rmsprop);

        java.nio.file.Path keras = dir.resolve("keras-history.json");
        java.nio.file.Files.writeString(keras, "{\"loss\": [900.5, 400.25, 120.0], \"val_loss\": [950, 420, 130]}");
        driver.findElement(By.id("compare-file")).sendKeys(keras.toString());
        waiting(10).until(d -> ((Number) js.executeScript(
                "return Chart.getChart('compare-chart').data.datasets.length")).intValue() == 3);
        assertThat(driver.findElement(By.id("compare-table")).getText()).contains("keras-history.json");
    }
}
