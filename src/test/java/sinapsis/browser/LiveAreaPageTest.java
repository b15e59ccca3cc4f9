package sinapsis.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.ExpectedConditions;
import sinapsis.support.RunningServer;

/**
 * On the most common projector size, 1366×768, pressing Train brings the live area (status,
 * progress, chart, console) into view, whole, without the teacher scrolling.
 */
class LiveAreaPageTest extends OneBrowserTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Override
    protected RunningServer server() {
        return server;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Number> box(String id) {
        return (Map<String, Number>) driver.executeScript("""
                const r = document.getElementById(arguments[0]).getBoundingClientRect();
                return { top: r.top, bottom: r.bottom, height: r.height, viewport: innerHeight };""", id);
    }

    @Test
    void afterTrainTheLiveAreaIsOnScreenWhole() {
        for (String dataset : List.of("celsius", "spirals")) {
            driver = Browser.start("es");
            driver.manage().window().setSize(new Dimension(1366, 768));
            driver.get(server.url("/?dataset=" + dataset));
            Browser.awaitReady(driver);
            driver.findElement(By.id("train-button")).click();
            waiting(30).until(d -> d.getCurrentUrl().contains("/s/"));
            waiting(30).until(ExpectedConditions.not(ExpectedConditions.attributeToBe(By.id("status-text"),
                    "data-status", "")));
            System.out.println("live area after Train (" + dataset + "): " + box("progress-panel"));
            waiting(10).until(d -> {
                Map<String, Number> live = box("progress-panel");
                return live.get("top").doubleValue() >= 0
                        && live.get("bottom").doubleValue() <= live.get("viewport").doubleValue();
            });
            Map<String, Number> live = box("progress-panel");
            assertThat(live.get("top").doubleValue()).as(dataset + ": " + live).isGreaterThanOrEqualTo(0);
            assertThat(live.get("bottom").doubleValue()).as(dataset + ": " + live)
                    .isLessThanOrEqualTo(live.get("viewport").doubleValue());
            driver.quit();
            driver = null;
        }
    }

    @Test
    void aFinishedLongSessionOpensAtItsFinalStateAtOnce() {
        String id = server.post("/api/sessions", "{\"data\": {\"dataset\": \"celsius\"}, \"training\": "
                + "{\"epochs\": 30000}}").json().get("id").asText();
        server.ended("/api/sessions/" + id);
        driver = Browser.start("es");
        driver.get(server.url("/s/" + id));
        assertThat(driver.findElement(By.id("status-text")).getText()).as("never 'ready to train' on the way")
                .doesNotContain("Listo");
        Browser.awaitReady(driver);
        assertThat(driver.findElement(By.id("progress-text")).getText()).isEqualTo("Época 30.000 de 30.000");
        assertThat(driver.findElement(By.id("status-text")).getText()).isEqualTo("Terminado");
    }

    @Test
    void noResultCardScrollsSidewaysAt1366ForTheCoursesDenseAndCnnSessions() {
        String cnn = server.post("/api/sessions", """
                {"data": {"dataset": "shapes", "trainingRows": 300},
                 "network": {"layers": [{"type": "conv2d", "filters": 32, "kernel": 3, "activation": "relu"},
                                        {"type": "maxpool2d", "size": 2},
                                        {"type": "conv2d", "filters": 64, "kernel": 3, "activation": "relu"},
                                        {"type": "maxpool2d", "size": 2}, {"type": "flatten"},
                                        {"type": "dense", "units": 64, "activation": "relu"},
                                        {"type": "dense", "units": 6, "activation": "softmax"}]},
                 "training": {"loss": "crossentropy", "epochs": 1, "batchSize": 32, "validationSplit": 0.2}}""")
                .json().get("id").asText();
        // the course's 1→3→3→1 on °C→°F
        String dense = server.post("/api/sessions", """
                {"data": {"dataset": "celsius"},
                 "network": {"layers": [{"type": "dense", "units": 3, "activation": "relu"},
                                        {"type": "dense", "units": 3, "activation": "relu"},
                                        {"type": "dense", "units": 1, "activation": "linear"}]},
                 "training": {"epochs": 20}}""").json().get("id").asText();
        // the spirals' 2→32→32→2: a 32×32 weight matrix
        String spirals = server.post("/api/sessions", """
                {"data": {"dataset": "spirals"}, "training": {"epochs": 5}}""").json().get("id").asText();
        server.ended("/api/sessions/" + cnn);
        server.ended("/api/sessions/" + dense);
        server.ended("/api/sessions/" + spirals);
        List<String> clipped = new java.util.ArrayList<>();
        driver = Browser.start("es");
        driver.manage().window().setSize(new Dimension(1366, 768));
        for (String id : List.of(cnn, dense, spirals)) {
            driver.get(server.url("/s/" + id));
            Browser.awaitReady(driver);
            waiting(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("results-panel")));
            waiting(10).until(d -> !d.findElement(By.id("summary")).getText().isBlank());
            if (id.equals(cnn)) { // 300 is none of the list's sizes: the list shows it all the same
                assertThat(new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("training-rows")))
                        .getFirstSelectedOption().getText()).isEqualTo("300");
            }
            @SuppressWarnings("unchecked")
            List<String> wide = (List<String>) driver.executeScript("""
                    return [...document.querySelectorAll('#results-panel .subcard')]
                        .filter(c => c.getClientRects().length && c.scrollWidth > c.clientWidth + 1)
                        .map(c => (c.id || c.querySelector('h3').textContent) + ' ' + c.scrollWidth + '>' + c.clientWidth);""");
            wide.forEach(w -> clipped.add(id + ": " + w));
        }
        // step by step, for the course's 1→3→3→1 and the apples and oranges: predictions and parameters in full
        for (String url : List.of("/?dataset=heart-rate-stress&layers=dense:3:relu,dense:3:relu,dense:1:linear",
                "/?dataset=apples-oranges-15")) {
            driver.get(server.url(url));
            Browser.awaitReady(driver);
            driver.findElement(By.id("steps-button")).click();
            waiting(10).until(ExpectedConditions.attributeToBe(By.id("steps-panel"), "data-step", "0"));
            driver.findElement(By.cssSelector("#steps-panel details.step-tables > summary")).click();
            @SuppressWarnings("unchecked")
            List<String> wide = (List<String>) driver.executeScript("""
                    return [...document.querySelectorAll('#steps-panel .subcard, #steps-panel .scroll')]
                        .filter(c => c.getClientRects().length && c.scrollWidth > c.clientWidth + 1)
                        .map(c => (c.id || c.className) + ' ' + c.scrollWidth + '>' + c.clientWidth);""");
            wide.forEach(w -> clipped.add(url + ": " + w));
            assertThat(driver.findElement(By.id("step-predictions")).getText()).contains("ŷ");
        }
        assertThat(clipped).as("result cards that scroll sideways at 1366 px").isEmpty();
        // and the 32×32 matrix is there, as coloured cells with their values on hover
        driver.get(server.url("/s/" + spirals));
        Browser.awaitReady(driver);
        waiting(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("results-panel")));
        WebElement heat = driver.findElement(By.cssSelector(".weights-table[data-layer='1']"));
        assertThat(heat.getDomAttribute("class")).contains("weights-heat");
        assertThat(heat.findElements(By.cssSelector("tbody tr"))).hasSize(33); // 32 units' weights and the biases
        assertThat(heat.findElement(By.cssSelector("tbody td[title]")).getDomAttribute("title")).matches("w · h1\\.1 · h2\\.1: -?[0-9,]+.*");
    }
}
