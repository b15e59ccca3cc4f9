package sinapsis.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import sinapsis.support.RunningServer;

/** Every error is shown where the person looks, and a 4xx's message reaches the screen as the server wrote it. */
class VisibleErrorsPageTest extends OneBrowserTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Override
    protected RunningServer server() {
        return server;
    }

    /** The error boxes on screen that hold text. */
    private java.util.List<WebElement> shownErrors() {
        return driver.findElements(By.cssSelector(".field-error.visible")).stream()
                .filter(WebElement::isDisplayed).filter(e -> !e.getText().isBlank()).toList();
    }

    @Test
    void trainingFashionMnistBeforeItIsDownloadedSaysSoBesideTheDataSet() {
        open("es", "/");
        new Select(driver.findElement(By.id("dataset-select"))).selectByValue("fashion-mnist");
        driver.findElement(By.id("train-button")).click();
        waiting(20).until(d -> !shownErrors().isEmpty());
        WebElement error = shownErrors().get(0);
        assertThat(error.getText()).containsIgnoringCase("Fashion-MNIST");
        double errorTop = error.getRect().getY();
        double selectTop = driver.findElement(By.id("dataset-select")).getRect().getY();
        assertThat(errorTop - selectTop).as("the message stands by the data set's control").isBetween(0.0, 200.0);
    }

    @Test
    void aNonNumberToPredictClearsTheOldAnswerAndSaysWhyBesideTheBox() {
        String id = server.post("/api/sessions", "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 50}}")
                .json().get("id").asText();
        server.ended("/api/sessions/" + id);
        open("en", "/s/" + id);
        waiting(20).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".predict-input")));
        WebElement input = driver.findElement(By.cssSelector(".predict-input"));
        input.clear();
        input.sendKeys("100");
        driver.findElement(By.id("predict-button")).click();
        waiting(10).until(d -> !driver.findElement(By.id("predict-output")).getText().isBlank());
        input.clear();
        input.sendKeys("cien");
        driver.findElement(By.id("predict-button")).click();
        waiting(10).until(d -> !shownErrors().isEmpty());
        assertThat(driver.findElement(By.id("predict-output")).getText()).as("no stale answer").isBlank();
        WebElement error = shownErrors().get(0);
        WebElement box = driver.findElement(By.id("predict-box"));
        assertThat(error.getRect().getY()).isBetween(box.getRect().getY(), box.getRect().getY() + box.getRect().getHeight());
    }

    @Test
    void theDl4jTabOfAnImageNetworkShowsTheServersReason() {
        String id = server.post("/api/sessions", """
                {"data": {"dataset": "shapes", "trainingRows": 200},
                 "network": {"layers": [{"type": "conv2d", "filters": 4, "kernel": 3, "activation": "relu"},
                                        {"type": "maxpool2d", "size": 2}, {"type": "flatten"},
                                        {"type": "dense", "units": 6, "activation": "softmax"}]},
                 "training": {"epochs": 1, "batchSize": 32}}""").json().get("id").asText();
        server.ended("/api/sessions/" + id);
        open("en", "/s/" + id);
        driver.findElement(By.id("code-button")).click();
        driver.findElement(By.cssSelector("#code-dialog .tab[data-language=dl4j]")).click();
        waiting(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("code-text"), "Dense networks"));
        assertThat(driver.findElement(By.id("code-text")).getText()).doesNotContain("reach the server");
    }

    @Test
    void aWordInAColumnOfNumbersIsNamedInsteadOfTurningTheTaskIntoClassification() {
        open("es", "/");
        new Select(driver.findElement(By.id("dataset-select"))).selectByValue("");
        driver.executeScript("""
                const box = document.getElementById('csv-input');
                box.value = 'horas;nota\\n1;3,2\\n2;5,3\\n3;cuatro\\n4;7,1\\n5;8\\n6;8,4\\n7;9\\n8;9,5\\n';
                box.dispatchEvent(new Event('input'));""");
        waiting(20).until(d -> shownErrors().stream().anyMatch(e -> e.getText().contains("cuatro")));
        WebElement error = shownErrors().stream().filter(e -> e.getText().contains("cuatro")).findFirst().orElseThrow();
        assertThat(error.getText()).contains("nota", "línea 4");
        assertThat(driver.findElement(By.id("loss")).getDomProperty("value")).as("still a regression").isEqualTo("mse");
        driver.findElement(By.id("train-button")).click();
        waiting(20).until(d -> shownErrors().stream().anyMatch(e -> e.getText().contains("cuatro")));
        assertThat(driver.getCurrentUrl()).as("nothing was created").doesNotContain("/s/");
    }
}
