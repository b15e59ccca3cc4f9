package sinapsis.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import sinapsis.support.FashionSample;
import sinapsis.support.RunningServer;

/** A student builds the course's Fashion-MNIST CNN layer by layer, trains it and reads what it learned. */
class ImagesPageTest extends OneBrowserTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer(FashionSample.temporaryCopy());


    @Override
    protected RunningServer server() {
        return server;
    }

    private List<WebElement> layers() {
        return driver.findElements(By.cssSelector("#layers .layer"));
    }

    /** Adds a layer before the output one and gives it a type (and filters or units, when given). */
    private void addLayer(String type, String field, String value) {
        driver.findElement(By.id("add-layer")).click();
        int index = layers().size() - 2;
        WebElement typeSelect = layers().get(index).findElement(By.className("layer-type"));
        if (!new Select(typeSelect).getFirstSelectedOption().getAttribute("value").equals(type)) {
            new Select(typeSelect).selectByValue(type);
        }
        if (field != null) {
            WebElement input = layers().get(index).findElement(By.className(field));
            input.clear();
            input.sendKeys(value);
        }
    }

    @Test
    void buildsTheCourseCnnTrainsOnFashionMnistAndSeesAccuracyConfusionAndSamples() {
        open("es", "/");
        new Select(driver.findElement(By.id("dataset-select"))).selectByValue("fashion-mnist");
        waiting(5).until(ExpectedConditions.textToBePresentInElementLocated(By.id("image-info"), "Camiseta/top"));
        new Select(driver.findElement(By.id("training-rows"))).selectByValue("500");

        // from scratch: only the output layer (Dense 10, softmax) is kept
        while (layers().size() > 1) {
            layers().get(0).findElement(By.className("remove-layer")).click();
        }
        addLayer("conv2d", "filters", "32");
        // what the editor offers fits the shapes: no Dense while an image flows, no Conv2D after Flatten
        List<String> offered = new Select(layers().get(0).findElement(By.className("layer-type"))).getOptions()
                .stream().map(o -> o.getAttribute("value")).toList();
        assertThat(offered).containsExactly("conv2d", "maxpool2d", "flatten", "dropout");
        addLayer("maxpool2d", null, null);
        addLayer("conv2d", "filters", "64");
        addLayer("maxpool2d", null, null);
        addLayer("conv2d", "filters", "64");
        addLayer("flatten", null, null);
        addLayer("dense", "units", "64");
        List<String> afterFlatten = new Select(layers().get(6).findElement(By.className("layer-type"))).getOptions()
                .stream().map(o -> o.getAttribute("value")).toList();
        assertThat(afterFlatten).containsExactly("dense", "dropout");
        assertThat(layers()).hasSize(8);

        type("epochs", "2");
        type("batch-size", "32");
        type("learning-rate", "0,001");
        new Select(driver.findElement(By.id("optimizer"))).selectByValue("adam");
        driver.findElement(By.id("train-button")).click();

        // model.summary() as Keras prints it for this network
        waiting(20).until(ExpectedConditions.textMatches(By.id("console"),
                java.util.regex.Pattern.compile("93[.,\\u00a0 ]?322")));
        assertThat(driver.findElement(By.id("console")).getText()).contains("(None, 3, 3, 64)", "max_pooling2d_1");
        waiting(120).until(ExpectedConditions.attributeToBe(By.id("status-text"), "data-status", "finished"));

        JavascriptExecutor js = driver;
        waiting(10).until(d -> ((Number) js.executeScript(
                "return Chart.getChart('loss-chart').data.datasets[2].data.length")).intValue() == 2);
        assertThat(((Number) js.executeScript(
                "return Chart.getChart('loss-chart').data.datasets[3].data.length")).intValue()).isEqualTo(2);

        waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("confusion-table")));
        assertThat(driver.findElement(By.id("confusion-table")).getText()).contains("Camiseta/top", "Botín");
        assertThat(driver.findElement(By.id("metrics-table")).getText()).contains("exactitud de prueba");

        waiting(10).until(d -> d.findElements(By.cssSelector("#samples-grid .sample")).size() == 24);
        int mistakes = 0;
        for (WebElement sample : driver.findElements(By.cssSelector("#samples-grid .sample"))) {
            String predicted = sample.findElement(By.className("predicted")).getText();
            String truth = sample.findElement(By.className("truth")).getText();
            assertThat(predicted).startsWith("predicha: ");
            String predictedClass = predicted.substring("predicha: ".length(), predicted.lastIndexOf(" ("));
            boolean wrong = !truth.equals("verdad: " + predictedClass);
            assertThat(sample.getAttribute("class").contains("mistake")).as(predicted + " / " + truth).isEqualTo(wrong);
            mistakes += wrong ? 1 : 0;
        }
        assertThat(mistakes).isLessThan(24);

        // draw a vertical bar (a trouser, roughly) and ask
        WebElement canvas = driver.findElement(By.id("draw-canvas"));
        new Actions(driver).moveToElement(canvas, 0, -70).clickAndHold().moveByOffset(0, 70).moveByOffset(0, 70)
                .release().perform();
        driver.findElement(By.id("draw-predict")).click();
        waiting(10).until(d -> d.findElements(By.cssSelector("#draw-output li")).size() == 5);
        assertThat(driver.findElement(By.id("draw-output")).getText()).containsPattern(": \\d");
        assertThat(driver.findElement(By.id("predict-box")).isDisplayed()).isFalse();
    }

    @Test
    void loadsAnImageCsvFileAndGetsTheCourseCnnSuggested() throws IOException {
        Path file = Files.createTempFile("fashion-300", ".csv");
        Files.writeString(file, FashionSample.csv(300));
        open("en", "/");
        new Select(driver.findElement(By.id("dataset-select"))).selectByValue("");
        driver.findElement(By.id("csv-file")).sendKeys(file.toString());
        waiting(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("preview-info"), "300 images"));
        assertThat(driver.findElement(By.id("preview-info")).getText()).contains("28×28");
        waiting(5).until(d -> layers().size() == 8);
        assertThat(new Select(layers().get(0).findElement(By.className("layer-type"))).getFirstSelectedOption()
                .getAttribute("value")).isEqualTo("conv2d");
        type("epochs", "1");
        driver.findElement(By.id("train-button")).click();
        waiting(60).until(ExpectedConditions.attributeToBe(By.id("status-text"), "data-status", "finished"));
        waiting(10).until(d -> d.findElements(By.cssSelector("#samples-grid .sample")).size() == 24);
        assertThat(driver.findElement(By.id("samples-title")).getText()).contains("Validation images");
        Files.deleteIfExists(file);
    }
}
