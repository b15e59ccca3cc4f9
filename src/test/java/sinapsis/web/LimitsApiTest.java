package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.model.Limits;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;
import sinapsis.training.nd4j.Nd4jTrainer;

/** The per-client creation limit and the about page that lists every limit. */
class LimitsApiTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer(new Nd4jTrainer(),
            Limits.defaults().withMaxCreatedPerMinute(3), 1);
    @RegisterExtension
    static final RunningServer roomy = new RunningServer(new Nd4jTrainer(),
            Limits.defaults().withMaxCreatedPerMinute(1000), 1);

    @Test
    void aClientThatCreatesTooManySessionsInAMinuteGetsA429NamingTheLimit() {
        for (int i = 0; i < 3; i++) {
            assertThat(server.post("/api/sessions", "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 5}}")
                    .status()).isEqualTo(201);
        }
        Response refused = server.post("/api/sessions", "{\"data\": {\"dataset\": \"celsius\"}}", "Accept-Language", "es");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().at("/error/message").asText()).contains("3", "minuto");
        assertThat(server.post("/api/searches", "{}").status()).as("searches count too").isEqualTo(429);
        assertThat(server.post("/api/classes/ABCDEF/join", "{\"name\": \"x\"}").status()).as("joins too")
                .isEqualTo(429);
        assertThat(server.get("/api/health").status()).as("reading is not limited").isEqualTo(200);
    }

    @Test
    void aDenseRunThatWouldNeedGigabytesIsRefusedNamingABatchSizeThatFits() {
        StringBuilder csv = new StringBuilder("x,y\\n");
        for (int i = 0; i < 20_000; i++) {
            csv.append(i % 97).append(',').append(i % 13).append("\\n");
        }
        String wide = """
                {"data": {"csv": "%s", "inputs": ["x"], "targets": ["y"]},
                 "network": {"layers": [{"type": "dense", "units": 4096, "activation": "relu"},
                                        {"type": "dense", "units": 100, "activation": "relu"},
                                        {"type": "dense", "units": 4096, "activation": "relu"},
                                        {"type": "dense", "units": 1, "activation": "linear"}]},
                 "training": {"epochs": 1, "batchSize": %d}}""";
        Response whole = roomy.post("/api/sessions", wide.formatted(csv, 0), "Accept-Language", "en");
        assertThat(whole.status()).as(whole.body()).isEqualTo(400);
        assertThat(whole.json().at("/error/field").asText()).isEqualTo("training.batchSize");
        String message = whole.json().at("/error/message").asText();
        assertThat(message).contains("256 MB");
        int fits = Integer.parseInt(message.replaceAll(".*at most ([\\d,]+) rows.*", "$1").replace(",", ""));
        assertThat(fits).isBetween(100, 16_000);
        assertThat(roomy.post("/api/sessions", wide.formatted(csv, fits + 1)).status()).isEqualTo(400);
        Response accepted = roomy.post("/api/sessions", wide.formatted(csv, fits));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        roomy.post("/api/sessions/" + accepted.json().get("id").asText() + "/stop", "",
                "Authorization", "Bearer " + accepted.json().get("ownerToken").asText());
    }

    @RegisterExtension
    static final RunningServer capped = new RunningServer(new Nd4jTrainer(), Limits.defaults()
            .withMaxCreatedPerMinute(1000).withMaxRunsPerClient(2).withMaxSpaceMegabytes(1), 1);

    @Test
    void oneClientMayHaveOnlySoManyRunsGoingAndSoMuchDataStored() {
        String longRun = "{\"data\": {\"dataset\": \"spirals\"}, \"training\": {\"epochs\": 100000}}";
        Response first = capped.post("/api/sessions", longRun);
        Response second = capped.post("/api/sessions", longRun);
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        Response third = capped.post("/api/sessions", longRun, "Accept-Language", "en");
        assertThat(third.status()).as(third.body()).isEqualTo(400);
        assertThat(third.json().at("/error/message").asText()).contains("2 runs");
        String firstToken = "Bearer " + first.json().get("ownerToken").asText();
        capped.post("/api/sessions/" + first.json().get("id").asText() + "/stop", "", "Authorization", firstToken);
        capped.ended("/api/sessions/" + first.json().get("id").asText());
        assertThat(capped.post("/api/sessions", longRun).status()).as("room again after a stop").isEqualTo(201);
        assertThat(capped.post("/api/sessions/" + first.json().get("id").asText() + "/run", "",
                "Authorization", firstToken).status()).as("a re-run counts too").isEqualTo(400);
        capped.sessions().training().close();

        StringBuilder csv = new StringBuilder("x,y\\n");
        while (csv.length() < 700_000) { // about 600 kB once the JSON escapes are read
            csv.append(csv.length() % 1000).append(",1234567.891011\\n");
        }
        String table = "{\"data\": {\"csv\": \"%s\", \"inputs\": [\"x\"], \"targets\": [\"y\"]},"
                + " \"training\": {\"epochs\": 1}}";
        Response half = spaced.post("/api/sessions", table.formatted(csv));
        assertThat(half.status()).as(half.body()).isEqualTo(201);
        Response over = spaced.post("/api/sessions", table.formatted(csv.append("1,2\\n")), "Accept-Language", "en");
        assertThat(over.status()).as(over.body()).isEqualTo(400);
        assertThat(over.json().at("/error/field").asText()).isEqualTo("data.csv");
        assertThat(over.json().at("/error/message").asText()).contains("1 MB");
        spaced.delete("/api/sessions/" + half.json().get("id").asText(), "Authorization",
                "Bearer " + half.json().get("ownerToken").asText());
        assertThat(spaced.post("/api/sessions", table.formatted(csv)).status()).as("room again after a delete")
                .isEqualTo(201);
    }

    @RegisterExtension
    static final RunningServer spaced = new RunningServer(new Nd4jTrainer(), Limits.defaults()
            .withMaxCreatedPerMinute(1000).withMaxSpaceMegabytes(1), 1);

    @RegisterExtension
    static final RunningServer searchSpaced = new RunningServer(new Nd4jTrainer(), Limits.defaults()
            .withMaxCreatedPerMinute(1000).withMaxSpaceMegabytes(1), 1);

    /** A pasted table of about {@code bytes} bytes once the JSON escapes are read, as a JSON string's content. */
    private static String tableOf(int bytes) {
        StringBuilder csv = new StringBuilder("x,y\\n");
        for (int row = 0; csv.length() < bytes * 7 / 6; row++) {
            csv.append(row % 1000).append(',').append(row % 7).append(".25\\n");
        }
        return csv.toString();
    }

    private static String searchOn(String csv) {
        return searchOn(csv, 1);
    }

    private static String searchOn(String csv, int epochs) {
        return """
                {"data": {"csv": "%s", "inputs": ["x"], "targets": ["y"]},
                 "training": {"epochs": %d, "batchSize": 4096},
                 "grid": {"training.learningRate": [0.01]}, "folds": 2}""".formatted(csv, epochs);
    }

    @Test
    void aGridSearchsTableCountsInTheSpaceWhileItGoesAndItsRefitsAfter() {
        String big = tableOf(600_000);
        String session = "{\"data\": {\"csv\": \"%s\", \"inputs\": [\"x\"], \"targets\": [\"y\"]},"
                + " \"training\": {\"epochs\": 1}}";
        // long enough to be still going when it is stopped below (one epoch a fold ended first once
        // training got faster)
        Response search = searchSpaced.post("/api/searches", searchOn(big, 100_000));
        assertThat(search.status()).as(search.body()).isEqualTo(201);
        String searchId = search.json().get("id").asText();
        Response over = searchSpaced.post("/api/sessions", session.formatted(big), "Accept-Language", "en");
        assertThat(over.status()).as("the search's table takes the room").isEqualTo(400);
        assertThat(over.json().at("/error/field").asText()).isEqualTo("data.csv");
        assertThat(over.json().at("/error/message").asText()).contains("1 MB");
        Response secondSearch = searchSpaced.post("/api/searches", searchOn(big), "Accept-Language", "es");
        assertThat(secondSearch.status()).as("a search is refused as a session is").isEqualTo(400);
        assertThat(secondSearch.json().at("/error/field").asText()).isEqualTo("data.csv");
        assertThat(secondSearch.json().at("/error/message").asText()).contains("1 MB", "sesiones");

        assertThat(searchSpaced.post("/api/searches/" + searchId + "/stop", "", "Authorization",
                "Bearer " + search.json().get("ownerToken").asText()).status()).isEqualTo(200);
        assertThat(searchSpaced.ended("/api/searches/" + searchId).get("status").asText()).isEqualTo("stopped");

        // a search that ends with a refit: its session's data counts in the space from then on
        Response small = searchSpaced.post("/api/searches", searchOn(tableOf(400_000)));
        assertThat(small.status()).as(small.body()).isEqualTo(201);
        var finished = searchSpaced.ended("/api/searches/" + small.json().get("id").asText());
        assertThat(finished.get("status").asText()).isEqualTo("finished");
        String refit = finished.get("bestSessionId").asText();
        String bigger = tableOf(700_000);
        assertThat(searchSpaced.post("/api/sessions", session.formatted(bigger)).status())
                .as("the refit's 400 kB and 700 kB more do not fit in 1 MB").isEqualTo(400);
        assertThat(searchSpaced.delete("/api/sessions/" + refit, "Authorization",
                "Bearer " + small.json().get("ownerToken").asText()).status()).isEqualTo(204);
        assertThat(searchSpaced.post("/api/sessions", session.formatted(bigger)).status())
                .as("room again once the refit is deleted").isEqualTo(201);
    }

    @Test
    void theAboutPageAndApiListEveryLimit() {
        var limits = server.get("/api/limits").json();
        assertThat(limits.get("maxCreatedPerMinute").asInt()).isEqualTo(3);
        assertThat(limits.get("maxRunningPerStudent").asInt()).isEqualTo(1);
        assertThat(limits.get("workers").asInt()).isEqualTo(1);
        String page = server.get("/about", "Accept-Language", "en").body();
        assertThat(page).contains("SINAPSIS_MAX_QUEUED_PER_STUDENT", "SINAPSIS_MAX_CREATED_PER_MINUTE", "TIME_SLICE_MS",
                "SINAPSIS_MAX_BATCH_MB", "SINAPSIS_MAX_RUNS_PER_CLIENT", "SINAPSIS_MAX_SPACE_MB");
        // and the whole configuration the server started with, read from its one Config
        assertThat(page).contains("id=\"settings\"", "<code>HISTORY_FLUSH_MS</code></th><td>100</td>",
                "<code>SINAPSIS_MAX_CREATED_PER_MINUTE</code></th><td>3</td>", "<code>WORKERS</code></th><td>1</td>");
    }
}
