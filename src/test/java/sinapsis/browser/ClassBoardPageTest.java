package sinapsis.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import sinapsis.support.RunningServer;

/** A teacher creates a class in the browser and watches students' sessions on the board. */
class ClassBoardPageTest extends OneBrowserTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Override
    protected RunningServer server() {
        return server;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theBoardShowsEveryStudentLiveWithNamesAsTextAndStopsARun() {
        open("es", "/join");
        type("class-name", "Clase \"<b>negrita</b>\"");
        driver.findElement(By.id("create-class-button")).click();
        waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("class-created")));
        String teacherLink = driver.findElement(By.id("teacher-link")).getDomProperty("value");
        assertThat(teacherLink).contains("/teach/");
        String code = driver.findElement(By.id("created-code")).getText().replaceAll(".*: ", "");
        assertThat(code).hasSize(6);
        // the teacher's link has a copy button, and a QR code of the join page with the code to project
        assertThat(driver.findElement(By.id("copy-teacher-link")).isDisplayed()).isTrue();
        waiting(10).until(d -> ((Number) driver.executeScript(
                "return document.getElementById('join-qr').naturalWidth")).intValue() > 0);
        assertThat(driver.findElement(By.id("join-qr")).getDomAttribute("src")).contains(code);
        assertThat(driver.findElement(By.id("teacher-link")).getRect().getWidth()).as("the whole link is readable")
                .isGreaterThan(300);

        // before anyone joins, the board says how to join instead of showing an empty table
        driver.get(teacherLink);
        Browser.awaitReady(driver);
        waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("board-empty")));
        assertThat(driver.findElement(By.id("board-empty")).getText()).contains(code, "/join");

        String evil = "<script>window.pwned=1</script>\"'";
        String evilToken = server.post("/api/classes/" + code + "/join", "{\"name\": \"" + evil.replace("\"", "\\\"")
                + "\"}").json().get("studentToken").asText();
        String anaToken = server.post("/api/classes/" + code + "/join", "{\"name\": \"Ana\"}").json()
                .get("studentToken").asText();
        String running = server.post("/api/sessions", "{\"data\": {\"dataset\": \"spirals\"}, \"training\": "
                + "{\"epochs\": 100000}}", "Authorization", "Bearer " + evilToken).json().get("id").asText();
        server.post("/api/sessions", "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 30}}",
                "Authorization", "Bearer " + anaToken);

        driver.get(teacherLink);
        Browser.awaitReady(driver);
        assertThat(driver.getCurrentUrl()).endsWith("/classes/" + code + "/board");
        assertThat(driver.findElement(By.id("class-name")).getText()).isEqualTo("Clase \"<b>negrita</b>\"");
        waiting(20).until(d -> d.findElements(By.cssSelector("#board tbody tr")).size() == 2);
        assertThat((List<Object>) driver.executeScript(
                "return [...document.querySelectorAll('#board .student-name')].map(e => e.textContent)"))
                .containsExactly((Object) evil, "Ana");
        assertThat(driver.executeScript("return window.pwned === undefined")).isEqualTo(true);
        // live: the running session's epoch count grows on the board without reloading
        waiting(20).until(d -> Long.parseLong(d.findElement(By.cssSelector(
                "#board tbody tr:first-child td:nth-child(3)")).getText().replace(".", "")) > 10);
        waiting(20).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#board tbody tr:nth-child(2) .badge"), "Terminada"));
        assertThat(driver.findElement(By.id("board-empty")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.cssSelector("#board tbody tr:nth-child(2) td:nth-child(4)")).getText())
                .as("the loss says which it is").endsWith(" loss");

        driver.findElement(By.cssSelector("#board .stop-one")).click();
        waiting(20).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#board tbody tr:first-child .badge"), "Detenida"));
        assertThat(server.get("/api/sessions/" + running).json().get("status").asText()).isEqualTo("stopped");
    }

    @Test
    void aStudentJoinsWithTheCodeAndTrainsUnderTheTeachersLockedSettings() {
        var created = server.post("/api/classes", "{\"name\": \"Física\"}").json();
        String code = created.get("code").asText();
        assertThat(server.patch("/api/classes/" + code, """
                {"spec": {"data": {"dataset": "celsius"}, "training": {"learningRate": 0.1, "epochs": 80}},
                 "locked": ["training.learningRate"]}""", "Authorization",
                "Bearer " + created.get("teacherToken").asText()).status()).isEqualTo(200);

        open("es", "/join?code=" + code.toLowerCase());
        type("join-name", "Marta");
        driver.findElement(By.id("join-button")).click();
        waiting(10).until(ExpectedConditions.urlContains("/classes/"));
        Browser.awaitReady(driver);
        assertThat(driver.findElement(By.id("class-title")).getText()).contains("Física", "Marta");
        driver.findElement(By.id("new-class-session")).click();
        Browser.awaitReady(driver);
        assertThat(driver.findElement(By.id("learning-rate")).isEnabled()).as("locked by the teacher").isFalse();
        assertThat(driver.findElement(By.id("epochs")).getDomProperty("value")).isEqualTo("80");
        driver.findElement(By.id("train-button")).click();
        waiting(60).until(ExpectedConditions.attributeToBe(By.id("status-text"), "data-status", "finished"));

        driver.get(server.url("/classes/" + code));
        Browser.awaitReady(driver);
        waiting(10).until(d -> d.findElements(By.cssSelector("#class-sessions li")).size() == 1);
        var board = server.get("/api/classes/" + code, "Authorization",
                "Bearer " + created.get("teacherToken").asText()).json();
        assertThat(board.at("/students/0/name").asText()).isEqualTo("Marta");
        assertThat(board.at("/students/0/sessions/0/epochs").asInt()).isEqualTo(80);
    }
}
