package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;

/**
 * A typo in a column of numbers ("cuatro" among 3,2 and 5,3) is an error naming the cells, not a
 * silent switch to classification; {@code training.task} says what the person means.
 */
class TaskApiTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    /** Spanish: semicolons and decimal commas, one word where a number should be. */
    private static final String TYPO = "horas;nota\\n1;3,2\\n2;5,3\\n3;cuatro\\n4;7,1\\n5;8\\n6;8,4\\n7;9\\n8;9,5\\n";

    private static String spec(String loss, String task, int units, String activation) {
        return """
                {"data": {"csv": "%s", "inputs": ["horas"], "targets": ["nota"]},
                 "network": {"layers": [{"type": "dense", "units": %d, "activation": "%s"}]},
                 "training": {"loss": "%s", "epochs": 5%s}}""".formatted(TYPO, units, activation, loss,
                task == null ? "" : ", \"task\": \"" + task + "\"");
    }

    @Test
    void theTableSummaryNamesTheStrayTextCells() {
        Response preview = server.post("/api/tables/preview", "{\"csv\": \"" + TYPO + "\"}");
        assertThat(preview.status()).isEqualTo(200);
        assertThat(preview.json().at("/strayText/0").size()).isZero();
        assertThat(preview.json().at("/strayText/1/0/text").asText()).isEqualTo("cuatro");
        assertThat(preview.json().at("/strayText/1/0/line").asInt()).isEqualTo(4);
    }

    @Test
    void aTypoIsAnErrorNamingItsCellWhateverTheLossUnlessClassificationWasChosen() {
        for (String spec : new String[] {spec("crossentropy", null, 8, "softmax"), spec("mse", null, 1, "linear")}) {
            Response refused = server.post("/api/sessions", spec, "Accept-Language", "es");
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.json().at("/error/field").asText()).isEqualTo("data.targets");
            assertThat(refused.json().at("/error/message").asText()).contains("\"cuatro\"", "línea 4", "nota");
        }
        Response chosen = server.post("/api/sessions", spec("crossentropy", "classification", 8, "softmax"));
        assertThat(chosen.status()).as("an explicit classification: " + chosen.body()).isEqualTo(201);
        Response stepped = server.post("/api/steps", spec("mse", null, 1, "linear"));
        assertThat(stepped.status()).isEqualTo(400);
    }

    @Test
    void theTaskMustAgreeWithTheLossAndBeOneOfTwo() {
        Response contradiction = server.post("/api/sessions", spec("crossentropy", "regression", 8, "softmax"));
        assertThat(contradiction.status()).isEqualTo(400);
        assertThat(contradiction.json().at("/error/field").asText()).isEqualTo("training.loss");
        Response unknown = server.post("/api/sessions", spec("mse", "clustering", 1, "linear"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/error/field").asText()).isEqualTo("training.task");
    }

    @Test
    void aClearlyCategoricalColumnStillClassifiesAsBefore() {
        String labels = "x;fruta\\n1;manzana\\n2;naranja\\n3;manzana\\n4;naranja\\n";
        Response created = server.post("/api/sessions", """
                {"data": {"csv": "%s", "inputs": ["x"], "targets": ["fruta"]},
                 "network": {"layers": [{"type": "dense", "units": 2, "activation": "softmax"}]},
                 "training": {"loss": "crossentropy", "epochs": 5}}""".formatted(labels));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(server.get("/api/sessions/" + created.json().get("id").asText()).json().at("/spec/training")
                .has("task")).as("the answer is as it was when no task is given").isFalse();
    }
}
