package sinapsis.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import sinapsis.support.RunningServer;

/**
 * The editor as one description of its fields: its settings live in the page's URL (a link
 * reopens them), a value that is not a number is said beside its field as it is typed, and a
 * grid search is found again in "My sessions" and linked both ways with its refit session.
 */
class EditorStatePageTest extends OneBrowserTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Override
    protected RunningServer server() {
        return server;
    }

    private String value(String id) {
        return driver.findElement(By.id(id)).getDomProperty("value");
    }

    @Test
    void theEditorsSettingsLiveInItsUrlAndALinkReopensThem() {
        open("es", "/?dataset=xor&layers=dense:5:tanh,dense:2:softmax&lr=0.03&epochs=77&es=1&esPatience=4");
        assertThat(value("dataset-select")).isEqualTo("xor");
        assertThat(value("learning-rate")).as("as a Spanish page writes it").isEqualTo("0,03");
        assertThat(value("epochs")).isEqualTo("77");
        assertThat(driver.findElement(By.id("early-stopping-enabled")).isSelected()).isTrue();
        assertThat(value("es-patience")).isEqualTo("4");
        List<WebElement> layers = driver.findElements(By.cssSelector("#layers .layer"));
        assertThat(layers).hasSize(2);
        assertThat(layers.get(0).findElement(By.className("units")).getDomProperty("value")).isEqualTo("5");
        assertThat(layers.get(0).findElement(By.className("activation")).getDomProperty("value")).isEqualTo("tanh");

        type("epochs", "120");
        driver.findElements(By.cssSelector("#layers .layer")).get(0).findElement(By.className("units")).sendKeys("0");
        waiting(5).until(d -> d.getCurrentUrl().contains("epochs=120") && d.getCurrentUrl().contains("layers=dense:50:tanh,dense:2:softmax"));
        driver.navigate().refresh();
        Browser.awaitReady(driver);
        assertThat(value("epochs")).isEqualTo("120");
        assertThat(driver.findElements(By.cssSelector("#layers .layer")).get(0).findElement(By.className("units"))
                .getDomProperty("value")).isEqualTo("50");
        assertThat(value("es-patience")).isEqualTo("4");
        // a new layer takes the server's values
        driver.findElement(By.id("add-layer")).click();
        assertThat(driver.findElements(By.cssSelector("#layers .layer")).get(1).findElement(By.className("units"))
                .getDomProperty("value")).isEqualTo("3");
    }

    @Test
    void aValueThatIsNotANumberIsSaidBesideItsFieldAsItIsTyped() {
        open("es", "/");
        type("learning-rate", "abc");
        WebElement error = driver.findElement(By.cssSelector("[data-error-for='training.learningRate']"));
        waiting(5).until(d -> error.isDisplayed() && !error.getText().isBlank());
        assertThat(error.getText()).contains("Se esperaba un número", "abc");
        double gap = error.getRect().getY() - driver.findElement(By.id("learning-rate")).getRect().getY();
        assertThat(gap).as("beside its field").isBetween(0.0, 80.0);
        type("learning-rate", "0,05");
        waiting(5).until(d -> error.getText().isBlank());
        type("epochs", "12,5");
        WebElement epochs = driver.findElement(By.cssSelector("[data-error-for='training.epochs']"));
        waiting(5).until(d -> epochs.getText().contains("Se esperaba un número entero"));
    }

    @Test
    void aGridSearchIsInMySessionsShowsWhatItInheritedAndItsRefitLinksBack() {
        open("es", "/?dataset=celsius&epochs=30");
        driver.findElement(By.id("grid-enabled")).click();
        WebElement values = waiting(5).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".grid-values")));
        values.sendKeys("0,1; 0,5");
        type("grid-folds", "2");
        driver.findElement(By.id("search-button")).click();
        waiting(20).until(d -> d.getCurrentUrl().contains("/searches/"));
        String searchUrl = driver.getCurrentUrl();
        waiting(90).until(ExpectedConditions.attributeToBe(By.id("search-status"), "data-status", "finished"));
        WebElement fixed = waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("search-fixed")));
        assertThat(fixed.getText()).contains("Épocas: 30", "Sin parada temprana", "Red: dense 1")
                .doesNotContain("Tasa de aprendizaje:");

        waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("best-session-link"))).click();
        waiting(10).until(d -> d.getCurrentUrl().contains("/s/"));
        Browser.awaitReady(driver);
        WebElement back = waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("from-search-link")));
        assertThat(searchUrl).endsWith(back.getDomAttribute("href"));
        assertThat(driver.findElement(By.id("session-name")).getText()).startsWith("Mejor de la búsqueda: Celsius → Fahrenheit");

        driver.findElement(By.id("my-sessions-link")).click();
        Browser.awaitReady(driver);
        List<WebElement> searches = driver.findElements(By.cssSelector("#my-searches .search-item"));
        assertThat(searches).hasSize(1);
        assertThat(searches.get(0).getText()).contains("Búsqueda en rejilla · Celsius → Fahrenheit", "Terminada",
                "4 de 4 entrenamientos");
        assertThat(driver.findElement(By.id("my-searches-box")).isDisplayed()).isTrue();
    }
}
