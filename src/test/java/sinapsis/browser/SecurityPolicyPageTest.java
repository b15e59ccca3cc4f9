package sinapsis.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import sinapsis.support.RunningServer;

/**
 * Every page works under the Content-Security-Policy the server sends: not one violation is
 * reported while each page loads, draws its data and its chart, and the editor trains a session.
 */
class SecurityPolicyPageTest extends OneBrowserTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    /** Collects what the browser reports as refused by the policy, from before any page script runs. */
    private static final String RECORD_VIOLATIONS = """
            window.__csp = [];
            document.addEventListener('securitypolicyviolation', e =>
                window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile
                    + ':' + e.lineNumber));""";

    @Override
    protected RunningServer server() {
        return server;
    }

    @SuppressWarnings("unchecked")
    private List<String> violations() {
        return new ArrayList<>((List<String>) driver.executeScript("return window.__csp || ['no recorder']"));
    }

    private void visit(String path, List<String> found) {
        driver.get(server.url(path));
        waiting(30).until(d -> "complete".equals(driver.executeScript("return document.readyState")));
        if (!driver.findElements(By.cssSelector("script[type=module]")).isEmpty()) {
            Browser.awaitReady(driver);
        }
        for (String violation : violations()) {
            found.add(path + ": " + violation);
        }
    }

    @Test
    void noPageReportsAPolicyViolation() {
        String session = server.post("/api/sessions", "{\"data\": {\"dataset\": \"celsius\"}, \"training\": "
                + "{\"epochs\": 50}}").json().get("id").asText();
        server.ended("/api/sessions/" + session);
        String search = server.post("/api/searches", "{\"data\": {\"dataset\": \"celsius\"}, \"training\": "
                + "{\"epochs\": 5}, \"grid\": {\"training.learningRate\": [0.1, 0.01]}, \"folds\": 2}")
                .json().get("id").asText();
        RunningServer.Response classroom = server.post("/api/classes", "{\"name\": \"Física\"}");
        String code = classroom.json().get("code").asText();
        String teacher = classroom.json().get("url").asText();

        driver = Browser.start("es");
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_VIOLATIONS));
        List<String> found = new ArrayList<>();
        for (String path : List.of("/", "/s/" + session, "/s/" + session + "/qr.svg", "/my", "/compare?ids=" + session,
                "/searches/" + search, "/join", "/join?code=" + code, "/about", teacher, "/classes/" + code + "/board",
                "/classes/" + code, "/?dataset=spirals")) {
            visit(path, found);
        }
        // the editor trains: the chart, the console and the live socket all run under the policy
        driver.get(server.url("/"));
        Browser.awaitReady(driver);
        driver.findElement(By.id("train-button")).click();
        waiting(60).until(d -> d.getCurrentUrl().contains("/s/"));
        Browser.awaitReady(driver);
        waiting(60).until(d -> !driver.findElements(By.cssSelector("canvas")).isEmpty());
        violations().forEach(v -> found.add("training: " + v));
        assertThat(found).as("Content-Security-Policy violations").isEmpty();
    }
}
