package sinapsis.browser;

import org.junit.jupiter.api.AfterEach;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import sinapsis.support.RunningServer;

/** A browser test with one headless Chromium against the class's server, closed after each test. */
abstract class OneBrowserTest {
    protected ChromeDriver driver;

    /** The class's server (a static {@code @RegisterExtension} field). */
    protected abstract RunningServer server();

    @AfterEach
    void quit() {
        if (driver != null) {
            driver.quit();
        }
    }

    protected WebDriverWait waiting(int seconds) {
        WebDriverWait wait = Browser.waiting(driver, seconds);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // live pages redraw
        return wait;
    }

    /** Starts the browser in {@code language}, opens {@code path} and waits for the page to be ready. */
    protected void open(String language, String path) {
        driver = Browser.start(language);
        driver.get(server().url(path));
        Browser.awaitReady(driver);
    }

    /** The role chosen for a column in the table preview (read in one go: the preview may redraw). */
    protected String roleOf(String column) {
        return (String) driver.executeScript(
                "return document.querySelector(`select[data-column='${arguments[0]}']`).value", column);
    }

    /** Replaces a field's text, as a person selecting it and typing would. */
    protected void type(String id, String text) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }
}
