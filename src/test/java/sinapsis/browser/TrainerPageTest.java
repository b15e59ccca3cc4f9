package sinapsis.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import sinapsis.support.RunningServer;

/** A person in a browser: pastes a table, trains, watches the chart, reads the prediction. */
class TrainerPageTest extends OneBrowserTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Override
    protected RunningServer server() {
        return server;
    }

    private void open(String language) {
        open(language, "/");
    }

    @Test
    void pastesCelsiusTrainsForAThousandEpochsWatchesEveryPointAndPredicts212() {
        open("es");
        new Select(driver.findElement(By.id("dataset-select"))).selectByValue("");
        type("csv-input", "celsius;fahrenheit\n-40;-40\n-10;14\n0;32\n8;46\n15;59\n22;72\n38;100");
        waiting(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("preview-info"), "7 filas"));
        assertThat(roleOf("celsius")).isEqualTo("input");
        assertThat(roleOf("fahrenheit")).isEqualTo("target");
        assertThat(driver.findElements(By.cssSelector("#layers .layer"))).hasSize(1);
        type("learning-rate", "0,1");
        type("epochs", "1000");
        new Select(driver.findElement(By.id("optimizer"))).selectByValue("adam");
        new Select(driver.findElement(By.id("loss"))).selectByValue("mse");

        driver.findElement(By.id("train-button")).click();
        waiting(60).until(ExpectedConditions.attributeToBe(By.id("status-text"), "data-status", "finished"));
        assertThat(driver.getCurrentUrl()).contains("/s/");
        JavascriptExecutor js = driver;
        waiting(10).until(d -> ((Number) js.executeScript(
                "return Chart.getChart('loss-chart').data.datasets[0].data.length")).intValue() == 1000);
        assertThat(driver.findElement(By.id("progress-text")).getText()).isEqualTo("Época 1000 de 1000");

        waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("predict-input-0")));
        type("predict-input-0", "100");
        driver.findElement(By.id("predict-button")).click();
        waiting(10).until(ExpectedConditions.textMatches(By.id("predict-output"), Pattern.compile("fahrenheit = .+")));
        String shown = driver.findElement(By.id("predict-output")).getText();
        Matcher number = Pattern.compile("= ([-\\d.,]+)").matcher(shown);
        assertThat(number.find()).as(shown).isTrue();
        double fahrenheit = Double.parseDouble(number.group(1).replace(".", "").replace(',', '.'));
        assertThat(fahrenheit).isCloseTo(212, within(2.12));
        assertThat(driver.findElement(By.id("summary")).getText()).contains("Total params: 2");
        assertThat(driver.findElement(By.id("equation")).getText()).startsWith("fahrenheit = 1,");
    }

    @Test
    void aColumnOfClassLabelsSuggestsSoftmaxAndCrossEntropyAndTrainsAClassifier() {
        open("en");
        new Select(driver.findElement(By.id("dataset-select"))).selectByValue("");
        // typed keys: a tab would move the focus, so the separator is a semicolon
        StringBuilder csv = new StringBuilder("size;weight;fruit\n");
        for (int i = 0; i < 30; i++) {
            csv.append(i % 3).append(",5;").append(i % 3 * 2).append(";")
                    .append(new String[] {"apple", "pear", "grape"}[i % 3]).append("\n");
        }
        type("csv-input", csv.toString());
        waiting(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("preview-info"), "30 rows"));
        assertThat(new Select(driver.findElement(By.id("loss"))).getFirstSelectedOption().getDomProperty("value"))
                .isEqualTo("crossentropy");
        WebElement output = driver.findElements(By.cssSelector("#layers .layer")).get(0);
        assertThat(output.findElement(By.className("units")).getDomProperty("value")).isEqualTo("3");
        assertThat(new Select(output.findElement(By.className("activation"))).getFirstSelectedOption()
                .getDomProperty("value")).isEqualTo("softmax");
        type("epochs", "200");
        driver.findElement(By.id("train-button")).click();
        waiting(60).until(ExpectedConditions.attributeToBe(By.id("status-text"), "data-status", "finished"));
        JavascriptExecutor js = driver;
        waiting(10).until(d -> ((Number) js.executeScript(
                "return Chart.getChart('loss-chart').data.datasets[2].data.length")).intValue() == 200);
        waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("confusion-table")));
        assertThat(driver.findElement(By.id("confusion-table")).getText()).contains("apple", "grape", "pear");
    }

    @Test
    void buildsTheOneThreeThreeOneNetworkOfTheCourse() {
        open("en");
        new Select(driver.findElement(By.id("dataset-select"))).selectByValue("metres-feet");
        driver.findElement(By.id("add-layer")).click();
        driver.findElement(By.id("add-layer")).click();
        var layers = driver.findElements(By.cssSelector("#layers .layer"));
        assertThat(layers).hasSize(3);
        new Select(layers.get(0).findElement(By.className("activation"))).selectByValue("tanh");
        layers.get(0).findElements(By.className("move-layer")).get(1).click();
        layers = driver.findElements(By.cssSelector("#layers .layer"));
        assertThat(new Select(layers.get(1).findElement(By.className("activation"))).getFirstSelectedOption()
                .getDomProperty("value")).isEqualTo("tanh");
        type("epochs", "200");
        type("learning-rate", "0.01");
        driver.findElement(By.id("train-button")).click();
        waiting(60).until(ExpectedConditions.attributeToBe(By.id("status-text"), "data-status", "finished"));
        waiting(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("summary"), "Total params: 22"));
        assertThat(driver.findElement(By.id("summary")).getText()).contains("dense_2 (Dense)", "(None, 3)");
        assertThat(driver.findElements(By.cssSelector("#weights table"))).hasSize(3);
    }

    @Test
    void anyoneOpeningASessionUrlSeesTheWholeRunAndItsResults() {
        String id = server.post("/api/sessions", "{\"data\":{\"dataset\":\"xor\"}}").json().get("id").asText();
        driver = Browser.start("en");
        driver.get(server.url("/s/" + id));
        waiting(60).until(ExpectedConditions.attributeToBe(By.id("status-text"), "data-status", "finished"));
        JavascriptExecutor js = driver;
        waiting(10).until(d -> ((Number) js.executeScript(
                "return Chart.getChart('loss-chart').data.datasets[0].data.length")).intValue() == 300);
        assertThat(((Number) js.executeScript("return Chart.getChart('loss-chart').data.datasets[3].data.length"))
                .intValue()).as("val_accuracy points").isEqualTo(300);
        assertThat(new Select(driver.findElement(By.id("dataset-select"))).getFirstSelectedOption()
                .getDomProperty("value")).isEqualTo("xor");
        assertThat(driver.findElements(By.cssSelector("#layers .layer"))).hasSize(2);
        waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("confusion-table")));
        type("predict-input-0", "0.9");
        type("predict-input-1", "-0.9");
        driver.findElement(By.id("predict-button")).click();
        waiting(10).until(ExpectedConditions.textMatches(By.id("predict-output"), Pattern.compile("predicted class: 1.*")));
    }

    @Test
    void aDownloadedSpecLoadsBackIntoTheEditor() throws Exception {
        String id = server.post("/api/sessions", "{\"data\":{\"csv\":\"metros;pies\\n1;3,28\\n2;6,56\\n3;9,84\","
                + "\"inputs\":[\"metros\"],\"targets\":[\"pies\"]},\"training\":{\"epochs\":7,\"learningRate\":0.3}}")
                .json().get("id").asText();
        java.nio.file.Path file = java.nio.file.Files.createTempFile("sinapsis-spec", ".json");
        java.nio.file.Files.writeString(file, server.get("/api/sessions/" + id + "/spec.json").body());
        open("es");
        driver.findElement(By.id("spec-file")).sendKeys(file.toString());
        waiting(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("preview-info"), "3 filas"));
        assertThat(driver.findElement(By.id("csv-input")).getDomProperty("value")).startsWith("metros;pies");
        assertThat(driver.findElement(By.id("learning-rate")).getDomProperty("value")).as("as a Spanish page writes it").isEqualTo("0,3");
        assertThat(driver.findElement(By.id("epochs")).getDomProperty("value")).isEqualTo("7");
        assertThat(roleOf("pies")).isEqualTo("target");
        java.nio.file.Files.writeString(file, "{\"not\":\"a spec\"}");
        driver.findElement(By.id("spec-file")).sendKeys(file.toString());
        waiting(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("general-error"),
                "no es una especificación"));
        java.nio.file.Files.delete(file);
    }

    @Test
    void showsAValidationErrorBesideItsField() {
        open("en");
        type("learning-rate", "-1");
        driver.findElement(By.id("train-button")).click();
        WebElement error = waiting(10).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-error-for='training.learningRate']")));
        assertThat(error.getText()).isEqualTo("It must be greater than zero, found -1.");
        assertThat(driver.findElement(By.id("learning-rate")).getDomAttribute("class")).contains("invalid");
        assertThat(driver.getCurrentUrl()).doesNotContain("/s/");
    }

    @Test
    void switchesTheLanguage() {
        open("es");
        assertThat(driver.findElement(By.id("train-button")).getText()).isEqualTo("Entrenar");
        assertThat(driver.findElement(By.id("dataset-description")).getText()).contains("Una neurona");
        driver.findElement(By.id("lang-en")).click();
        waiting(20).until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
        assertThat(driver.findElement(By.id("train-button")).getText()).isEqualTo("Train");
        assertThat(driver.findElement(By.id("dataset-description")).getText()).contains("One neuron");
        driver.navigate().refresh();
        waiting(20).until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
        assertThat(driver.findElement(By.id("train-button")).getText()).as("the choice is remembered").isEqualTo("Train");
    }
}
