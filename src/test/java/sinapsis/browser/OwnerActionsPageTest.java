package sinapsis.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import sinapsis.support.RunningServer;

/** The owner of a session: renames it, finds it in My sessions, trains it again and deletes it. */
class OwnerActionsPageTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();
    private ChromeDriver driver;

    @AfterEach
    void quit() {
        if (driver != null) {
            driver.quit();
        }
    }

    private WebDriverWait waiting(int seconds) {
        return Browser.waiting(driver, seconds);
    }

    private void ready() {
        Browser.awaitReady(driver);
    }

    @Test
    void renamesFindsInMySessionsTrainsAgainAndDeletes() {
        driver = Browser.start("es");
        driver.get(server.url("/"));
        ready();
        WebElement epochs = driver.findElement(By.id("epochs"));
        epochs.clear();
        epochs.sendKeys("300");
        driver.findElement(By.id("train-button")).click();
        waiting(60).until(ExpectedConditions.attributeToBe(By.id("status-text"), "data-status", "finished"));
        String id = driver.findElement(By.id("session-id")).getText();
        // a readable default name: the data set and when it was made (day/month/year, hour:minute)
        assertThat(driver.findElement(By.id("session-name")).getText())
                .matches("Celsius → Fahrenheit · \\d{1,2}/\\d{1,2}/\\d{2,4},? \\d{1,2}:\\d{2}");

        driver.findElement(By.id("rename-button")).click();
        Alert prompt = waiting(10).until(ExpectedConditions.alertIsPresent());
        prompt.sendKeys("Grados de la clase 3");
        prompt.accept();
        waiting(10).until(ExpectedConditions.textToBe(By.id("session-name"), "Grados de la clase 3"));

        driver.findElement(By.id("my-sessions-link")).click();
        ready();
        WebElement item = driver.findElement(By.cssSelector("#my-list .my-item"));
        assertThat(item.getDomAttribute("data-id")).isEqualTo(id);
        assertThat(item.findElement(By.tagName("a")).getText()).isEqualTo("Grados de la clase 3");
        assertThat(item.findElement(By.className("badge")).getText()).isEqualTo("Terminada");
        assertThat(item.findElement(By.className("meta")).getText()).contains("Épocas: 300");

        item.findElement(By.tagName("a")).click();
        ready();
        long firstStart = server.get("/api/sessions/" + id).json().get("startedAt").asLong();
        waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("rerun-button"))).click();
        waiting(60).until(d -> server.get("/api/sessions/" + id).json().get("startedAt").asLong() > firstStart
                && "finished".equals(d.findElement(By.id("status-text")).getDomAttribute("data-status"))
                && "finished".equals(server.get("/api/sessions/" + id).json().get("status").asText()));
        assertThat(server.get("/api/sessions/" + id).json().get("history")).hasSize(300);

        driver.findElement(By.id("delete-button")).click();
        waiting(10).until(ExpectedConditions.alertIsPresent()).accept();
        waiting(20).until(ExpectedConditions.urlToBe(server.url("/my")));
        ready();
        assertThat(driver.findElements(By.cssSelector("#my-list .my-item"))).isEmpty();
        assertThat(driver.findElement(By.id("my-empty")).isDisplayed()).isTrue();
        assertThat(server.get("/api/sessions/" + id).status()).isEqualTo(404);
    }
}
