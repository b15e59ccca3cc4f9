package sinapsis.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import sinapsis.support.RunningServer;

/**
 * A challenge from start to gradebook, in three browsers: the teacher sets it on the board, two
 * students join, land on it, train attempts and see at once whether they met the target; the
 * teacher's view and the gradebook say who did.
 */
class ChallengePageTest extends OneBrowserTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    private final List<ChromeDriver> students = new java.util.ArrayList<>();

    @Override
    protected RunningServer server() {
        return server;
    }

    @AfterEach
    void quitStudents() {
        students.forEach(ChromeDriver::quit);
    }

    @Test
    void aTeacherSetsAChallengeTwoStudentsTryItAndTheBoardAndGradebookSayWhoMetIt() {
        // the teacher's class and a starting session: XOR, 300 epochs
        open("es", "/join");
        type("class-name", "Redes 2ºA");
        driver.findElement(By.id("create-class-button")).click();
        waiting(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("class-created")));
        String code = driver.findElement(By.id("created-code")).getText().replaceAll(".*: ", "");
        driver.get(driver.findElement(By.id("teacher-link")).getDomProperty("value"));
        Browser.awaitReady(driver);
        String start = server.post("/api/sessions", "{\"data\": {\"dataset\": \"xor\"}, \"training\": "
                + "{\"epochs\": 300, \"validationSplit\": 0}}").json().get("url").asText();

        // on the board: a new challenge, its target typed with a decimal comma, learning rate locked
        driver.findElement(By.cssSelector("#new-challenge summary")).click();
        type("ch-title-es", "XOR con pocas neuronas");
        type("ch-instructions-es", "Separa las clases.\nComo mucho 50 parámetros.");
        type("ch-session", server.url(start));
        type("ch-value", "0,85");
        type("ch-seed", "7");
        type("ch-max-parameters", "50");
        type("ch-attempts", "2");
        driver.findElement(By.cssSelector("#new-challenge .ch-locks input[value='training.learningRate']")).click();
        driver.findElement(By.id("ch-submit")).click();
        waiting(10).until(d -> d.findElements(By.cssSelector("#challenges .challenge-item")).size() == 1);
        WebElement listed = driver.findElement(By.cssSelector("#challenges .challenge-item"));
        assertThat(listed.getText()).contains("XOR con pocas neuronas", "test_accuracy ≥ 0,85", "Abierto");

        // two students join with the code and land on the challenge
        ChromeDriver ana = join(code, "Ana");
        ChromeDriver luis = join(code, "Luis");
        assertThat(ana.findElement(By.id("challenge-title")).getText()).isEqualTo("XOR con pocas neuronas");
        assertThat(ana.findElement(By.id("challenge-instructions")).getText()).contains("Separa las clases.\nComo mucho");
        assertThat(ana.findElement(By.id("challenge-target")).getText()).contains("test_accuracy ≥ 0,85");
        assertThat(ana.findElement(By.id("attempts-left")).getText()).contains("2 de 2");

        // Ana trains the starting configuration and meets it
        attempt(ana);
        assertThat(ana.findElement(By.id("learning-rate")).isEnabled()).as("locked by the teacher").isFalse();
        ana.findElement(By.id("train-button")).click();
        Browser.waiting(ana, 60).until(ExpectedConditions.attributeToBe(By.id("challenge-outcome"), "data-met", "true"));
        assertThat(ana.findElement(By.id("challenge-outcome")).getText()).startsWith("¡Conseguido! test_accuracy = ");
        assertThat(ana.findElement(By.id("train-button")).getText()).as("the next attempt is a copy")
                .isEqualTo("Nuevo intento");

        // Luis first asks for too big a network: refused beside the layers, no attempt used
        attempt(luis);
        WebElement units = luis.findElement(By.cssSelector("input[data-field='network.layers[0].units']"));
        units.clear();
        units.sendKeys("32");
        luis.findElement(By.id("train-button")).click();
        Browser.waiting(luis, 10).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".field-error[data-error-for='network.layers'].visible")));
        assertThat(luis.findElement(By.cssSelector(".field-error[data-error-for='network.layers']")).getText())
                .contains("162", "50");
        units.clear();
        units.sendKeys("8");
        WebElement epochs = luis.findElement(By.id("epochs"));
        epochs.clear();
        epochs.sendKeys("1");
        luis.findElement(By.id("train-button")).click();
        Browser.waiting(luis, 60).until(ExpectedConditions.attributeToBe(By.id("challenge-outcome"), "data-met", "false"));
        assertThat(luis.findElement(By.id("challenge-outcome")).getText()).startsWith("No alcanzado: test_accuracy = ");

        // the board's list says how many tried and met it; the teacher's view says who
        waiting(10).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#challenges .meta"),
                "2 lo han intentado · 1 lo han conseguido"));
        driver.findElement(By.cssSelector("#challenges .challenge-title")).click();
        Browser.awaitReady(driver);
        waiting(20).until(d -> d.findElements(By.cssSelector("#results tbody tr")).size() == 2);
        assertThat(cells("Ana")).containsExactly("Ana", "1 / 2", cells("Ana").get(2), "sí",
                cells("Ana").get(4), "Abrir");
        assertThat(cells("Luis").get(3)).isEqualTo("no");
        assertThat(driver.findElement(By.id("challenge-summary")).getText()).isEqualTo("2 lo han intentado · 1 lo han conseguido");
        assertThat(driver.executeScript("return Chart.getChart('compare-chart').data.datasets.map(d => d.label)"))
                .isEqualTo(List.of("Ana", "Luis"));
        assertThat(((Number) driver.executeScript("""
                const c = document.getElementById('compare-chart');
                const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let inked = 0;
                for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
                return inked;""")).intValue()).as("the chart is drawn").isGreaterThan(1000);
        String csv = (String) driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(document.getElementById('download-gradebook').href).then(r => r.arrayBuffer())
                    .then(b => done([...new Uint8Array(b).slice(0, 3)].join(' ') + '|' + new TextDecoder().decode(b)));""");
        assertThat(csv).as("UTF-8 with a byte-order mark")
                .startsWith("239 187 191|estudiante;intentos;mejor test_accuracy;conseguido;");
        assertThat(csv).contains("\nAna;1;").contains(";sí;").contains("\nLuis;1;").contains(";no;");

        // the teacher closes it from the board: a student's page says so and offers no attempt
        String challengePage = driver.getCurrentUrl().replaceAll("^https?://[^/]+", "");
        driver.navigate().back();
        Browser.awaitReady(driver);
        waiting(10).until(ExpectedConditions.elementToBeClickable(By.cssSelector("#challenges .toggle-challenge"))).click();
        waiting(10).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#challenges .badge"),
                "Cerrado"));
        driver.get(server.url(challengePage));
        Browser.awaitReady(driver);
        assertThat(driver.findElement(By.id("challenge-state")).getText()).isEqualTo("Cerrado");
        driver.findElement(By.id("toggle-open")).click();
        waiting(10).until(ExpectedConditions.textToBe(By.id("challenge-state"), "Abierto"));
        driver.findElement(By.id("toggle-open")).click();
        waiting(10).until(ExpectedConditions.textToBe(By.id("challenge-state"), "Cerrado"));
        luis.navigate().to(server.url(challengePage));
        Browser.awaitReady(luis);
        assertThat(luis.findElement(By.id("new-attempt")).isDisplayed()).isFalse();
        assertThat(luis.findElement(By.id("why-not")).getText()).contains("no está abierto");
        assertThat(luis.findElement(By.cssSelector("#my-attempts .attempt-outcome")).getText()).startsWith("No alcanzado");
    }

    /** The row of a student on the teacher's results table, as its cells read. */
    @SuppressWarnings("unchecked")
    private List<String> cells(String student) {
        return (List<String>) driver.executeScript("""
                const row = [...document.querySelectorAll('#results tbody tr')]
                    .find(r => r.querySelector('.student-name').textContent === arguments[0]);
                return [...row.cells].map(c => c.textContent);""", student);
    }

    /** A student's own browser: joins the class with its code and lands on its open challenge. */
    private ChromeDriver join(String code, String name) {
        ChromeDriver student = Browser.start("es");
        students.add(student);
        student.get(server.url("/join?code=" + code));
        Browser.awaitReady(student);
        student.findElement(By.id("join-name")).sendKeys(name);
        student.findElement(By.id("join-button")).click();
        Browser.waiting(student, 10).until(ExpectedConditions.urlContains("/challenges/"));
        Browser.awaitReady(student);
        return student;
    }

    /** From the challenge's page to a new attempt in the trainer, the challenge's banner above it. */
    private static void attempt(ChromeDriver student) {
        student.findElement(By.id("new-attempt")).click();
        Browser.awaitReady(student);
        assertThat(student.findElement(By.id("challenge-banner")).isDisplayed()).isTrue();
        assertThat(student.findElement(By.id("challenge-name")).getText()).isEqualTo("Reto «XOR con pocas neuronas»");
        assertThat(student.findElement(By.id("train-button")).getText()).isEqualTo("Nuevo intento");
        assertThat(new Select(student.findElement(By.id("optimizer"))).getFirstSelectedOption().getText()).isNotEmpty();
    }
}
