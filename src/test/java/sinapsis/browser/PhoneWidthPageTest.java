package sinapsis.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import sinapsis.support.RunningServer;

/**
 * On a 390 px phone no page scrolls sideways, and the top bar's links and language switch are on
 * screen (students open /join on their phones); on a phone and on a laptop, every choice of the
 * trainer's drop-down lists shows whole when chosen.
 */
class PhoneWidthPageTest extends OneBrowserTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Override
    protected RunningServer server() {
        return server;
    }

    @Test
    void noPageScrollsSidewaysOnAPhone() {
        String session = server.post("/api/sessions", "{\"data\": {\"dataset\": \"celsius\"}, \"training\": "
                + "{\"epochs\": 50}}").json().get("id").asText();
        server.ended("/api/sessions/" + session);
        RunningServer.Response classroom = server.post("/api/classes", "{\"name\": \"Física\"}");
        String code = classroom.json().get("code").asText();
        String search = server.post("/api/searches", "{\"data\": {\"dataset\": \"celsius\"}, \"training\": "
                + "{\"epochs\": 5}, \"grid\": {\"training.learningRate\": [0.1, 0.01]}, \"folds\": 2}")
                .json().get("id").asText();
        driver = Browser.start("es");
        driver.manage().window().setSize(new Dimension(390, 844));
        List<String> wide = new ArrayList<>();
        for (String path : List.of("/", "/s/" + session, "/my", "/join", "/join?code=" + code, "/about",
                "/classes/" + code, "/compare?ids=" + session, "/searches/" + search,
                classroom.json().get("url").asText())) {
            driver.get(server.url(path));
            waiting(30).until(d -> "complete".equals(driver.executeScript("return document.readyState")));
            if (!driver.findElements(By.cssSelector("script[type=module]")).isEmpty()) {
                Browser.awaitReady(driver);
            }
            long inner = (Long) driver.executeScript("return window.innerWidth");
            long scroll = (Long) driver.executeScript("return document.documentElement.scrollWidth");
            if (scroll > inner) {
                wide.add(path + " is " + scroll + " px wide in a " + inner + " px window");
            }
            for (String id : List.of("class-nav-link", "lang-en", "lang-es", "my-sessions-link")) {
                double right = ((Number) driver.executeScript(
                        "return document.getElementById(arguments[0]).getBoundingClientRect().right", id)).doubleValue();
                if (right > inner) {
                    wide.add(path + ": #" + id + " ends at " + right + " px, off the screen");
                }
            }
        }
        assertThat(wide).isEmpty();
    }
    /**
     * The width each option's text needs in its select (the select's own font, measured by the
     * browser) against the room the select leaves it (its width less padding, border and the
     * arrow): the options that would show cut, with their select and the widths.
     */
    private static final String CLIPPED_OPTIONS = """
            const canvas = document.createElement('canvas').getContext('2d');
            const cut = [];
            for (const select of document.querySelectorAll('select')) {
              if (select.offsetParent === null) continue;
              const style = getComputedStyle(select);
              canvas.font = style.font;
              const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
              for (const option of select.options) {
                const needs = canvas.measureText(option.text).width;
                if (needs > room) cut.push(`#${select.id || select.dataset.field}: "${option.text}" needs ${Math.round(needs)} px, has ${Math.round(room)}`);
              }
            }
            return cut;""";

    @Test
    void theTrainersChoicesShowWholeOnAPhoneAndOnALaptop() {
        List<Object> cut = new ArrayList<>();
        for (String language : List.of("es", "en")) {
            driver = Browser.start(language);
            for (Dimension size : List.of(new Dimension(1366, 768), new Dimension(390, 844))) {
                driver.manage().window().setSize(size);
                driver.get(server.url("/"));
                Browser.awaitReady(driver);
                for (Object option : (List<?>) driver.executeScript(CLIPPED_OPTIONS)) {
                    cut.add(language + " " + size.getWidth() + " px: " + option);
                }
            }
            driver.quit();
            driver = null;
        }
        assertThat(cut).isEmpty();
    }
}
