package sinapsis.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import sinapsis.model.Limits;
import sinapsis.support.RunningServer;
import sinapsis.training.nd4j.Nd4jTrainer;

/** With one worker busy, a student sees their place in the queue, then their run. */
class QueuePageTest {
    private RunningServer server;
    private ChromeDriver driver;

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void showsTheQueuePositionThenTrainsWhenTheWorkerIsFree() {
        server = new RunningServer(new Nd4jTrainer(), Limits.defaults(), 1);
        String busy = server.post("/api/sessions", "{\"data\":{\"dataset\":\"celsius\"},"
                + "\"training\":{\"epochs\":100000,\"learningRate\":0.01}}").json().get("id").asText();
        driver = Browser.start("es");
        driver.get(server.url("/"));
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
        driver.findElement(By.id("train-button")).click();
        // the place in the queue and an estimate of the wait from recent runs
        wait.until(ExpectedConditions.textMatches(By.id("status-text"),
                java.util.regex.Pattern.compile("En cola: posición 1 \\(unos \\d+ s\\)")));
        assertThat(driver.findElement(By.id("stop-button")).isDisplayed()).isTrue();

        server.post("/api/sessions/" + busy + "/stop", "");
        wait.until(ExpectedConditions.attributeToBe(By.id("status-text"), "data-status", "finished"));
        assertThat(driver.findElement(By.id("progress-text")).getText()).isEqualTo("Época 1000 de 1000"); // the Celsius default: the notebook's 1000 epochs
        assertThat(driver.findElement(By.id("stop-button")).isDisplayed()).isFalse();
    }
}
