package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.model.Limits;
import sinapsis.support.Json;
import sinapsis.support.RunningServer;
import sinapsis.training.nd4j.Nd4jTrainer;

/**
 * Generated requests against every endpoint of the JSON API and the WebSocket frames: valid
 * requests mutated at random places (wrong types, huge and non-finite numbers, long and strange
 * strings, deep nesting, unknown fields, missing fields), bodies that are not JSON, odd content
 * types and path values. Fails on any {@code 5xx}, on any answer slower than 5 s, and on a
 * server that stops answering {@code /api/health}. Seeded ({@code -Dsinapsis.fuzz.seed}); the
 * seed and the counts are printed. {@code -Dsinapsis.fuzz.requests} (3000) sets the size.
 */
@Tag("fuzz")
class ApiFuzzTest {
    private static final int REQUESTS = Integer.getInteger("sinapsis.fuzz.requests", 3000);
    private static final int FRAMES = Integer.getInteger("sinapsis.fuzz.frames", 400);
    private static final long SEED = Long.getLong("sinapsis.fuzz.seed", System.nanoTime());
    private static final Duration HANG = Duration.ofSeconds(5);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Small limits, so that whatever the fuzzer manages to start trains for a moment only. */
    @RegisterExtension
    static final RunningServer server = new RunningServer(new Nd4jTrainer(), new Limits(256 * 1024, 2000, 50,
            5000, 50).withMaxCreatedPerMinute(1_000_000).withMaxRunsPerClient(1_000), 2);

    private final Random random = new Random(SEED);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HANG).build();
    private final List<String> failures = new ArrayList<>();
    private final int[] statusCounts = new int[6];

    /** A request to fuzz: method, path (with {id}, {code}, {language} to fill) and a valid body to mutate. */
    private record Endpoint(String method, String path, String body) {
    }

    private static final String SPEC = """
            {"data": {"dataset": "celsius"}, "network": {"layers": [{"type": "dense", "units": 1, "activation": "linear"}]},
             "training": {"loss": "mse", "optimizer": "adam", "learningRate": 0.1, "epochs": 20, "batchSize": 0,
                          "validationSplit": 0.2, "seed": 1}}""";
    private static final String TABLE_SPEC = """
            {"data": {"csv": "a;b;c\\n1,5;2;3\\n2;3;5\\n4;1;5\\n3;3;6\\n", "inputs": ["a", "b"], "targets": ["c"]},
             "training": {"epochs": 10}}""";

    private static final String CHALLENGE = """
            {"title": {"es": "Reto", "en": "Challenge"}, "spec": {"data": {"dataset": "xor"}, "training": {"epochs": 5}},
             "target": {"metric": "test_accuracy", "op": ">=", "value": 0.9}, "constraints": {"maxParameters": 50},
             "testFraction": 0.25, "seed": 3, "attempts": 2, "deadline": "2030-01-01T00:00:00Z", "state": "open"}""";

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/api/sessions", SPEC),
            new Endpoint("POST", "/api/sessions", TABLE_SPEC),
            new Endpoint("POST", "/api/steps", "{\"data\": {\"dataset\": \"apples-oranges-5\"}, \"step\": 3}"),
            new Endpoint("POST", "/api/searches", "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 5},"
                    + " \"grid\": {\"training.learningRate\": [0.1, 0.01]}, \"folds\": 2}"),
            new Endpoint("POST", "/api/tables/preview", "{\"csv\": \"x,y\\n1,2\\n3,4\\n\"}"),
            new Endpoint("POST", "/api/classes", "{\"name\": \"Clase\", \"settings\": {\"leaderboard\": true}}"),
            new Endpoint("POST", "/api/classes/{code}/join", "{\"name\": \"Ana\"}"),
            new Endpoint("PATCH", "/api/classes/{code}", "{\"leaderboard\": false, \"locked\": []}"),
            new Endpoint("POST", "/api/classes/{code}/stop", null),
            new Endpoint("GET", "/api/classes/{code}", null),
            new Endpoint("GET", "/api/classes/{code}/student", null),
            new Endpoint("POST", "/api/classes/{code}/challenges", CHALLENGE),
            new Endpoint("GET", "/api/classes/{code}/challenges", null),
            new Endpoint("GET", "/api/classes/{code}/challenges/{challenge}", null),
            new Endpoint("PATCH", "/api/classes/{code}/challenges/{challenge}",
                    "{\"state\": \"open\", \"attempts\": 3, \"target\": {\"metric\": \"accuracy\", \"value\": 0.8}}"),
            new Endpoint("GET", "/api/classes/{code}/challenges/{challenge}/results.csv?tz=Europe/Madrid", null),
            new Endpoint("GET", "/api/sessions/{id}/challenge", null),
            new Endpoint("PATCH", "/api/sessions/{id}", "{\"name\": \"mi sesión\"}"),
            new Endpoint("POST", "/api/sessions/{id}/predict", "{\"inputs\": [[100], [37.5]]}"),
            new Endpoint("POST", "/api/sessions/{id}/stop", null),
            new Endpoint("POST", "/api/sessions/{id}/run", SPEC),
            new Endpoint("POST", "/api/sessions/{id}/fork", null),
            new Endpoint("DELETE", "/api/sessions/{id}", null),
            new Endpoint("GET", "/api/sessions/{id}", null),
            new Endpoint("GET", "/api/sessions?ids={id},{id}", null),
            new Endpoint("GET", "/api/sessions/{id}/history.csv", null),
            new Endpoint("GET", "/api/sessions/{id}/history.json", null),
            new Endpoint("GET", "/api/sessions/{id}/spec.json", null),
            new Endpoint("GET", "/api/sessions/{id}/data.csv", null),
            new Endpoint("GET", "/api/sessions/{id}/training-data.csv", null),
            new Endpoint("GET", "/api/sessions/{id}/model.zip", null),
            new Endpoint("GET", "/api/sessions/{id}/samples", null),
            new Endpoint("GET", "/api/sessions/{id}/code/{language}", null),
            new Endpoint("GET", "/api/searches/{id}", null),
            new Endpoint("POST", "/api/searches/{id}/stop", null),
            new Endpoint("GET", "/api/datasets", null),
            new Endpoint("GET", "/api/datasets/fashion-mnist", null),
            new Endpoint("POST", "/api/datasets/fashion-mnist/download", null),
            new Endpoint("GET", "/api/limits", null),
            new Endpoint("GET", "/s/{id}", null),
            new Endpoint("GET", "/s/{id}/qr.svg", null),
            new Endpoint("GET", "/searches/{id}", null),
            new Endpoint("GET", "/teach/{id}", null),
            new Endpoint("GET", "/classes/{code}", null),
            new Endpoint("GET", "/classes/{code}/board", null),
            new Endpoint("GET", "/join/qr.svg?code={code}", null));

    private String sessionId;
    private String sessionToken;
    private String searchId;
    private String classCode;
    private String teacherToken;
    private String challengeId;

    @Test
    void noGeneratedRequestOrFrameBreaksTheServer() throws Exception {
        System.out.printf("API fuzz: seed %d (-Dsinapsis.fuzz.seed=%d to repeat)%n", SEED, SEED);
        fixtures();
        long started = System.nanoTime();
        for (int i = 1; i <= REQUESTS; i++) {
            Endpoint endpoint = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
            send(endpoint);
            if (i % 250 == 0) {
                checkHealth("after " + i + " requests");
                if (random.nextInt(3) == 0) {
                    fixtures(); // the fuzzer deletes and stops things: new ones to aim at
                }
            }
        }
        int frames = sockets();
        checkHealth("at the end");
        System.out.printf("API fuzz: %d requests (%d 2xx, %d 3xx, %d 4xx, %d 5xx) and %d WebSocket frames in %.1f s,"
                        + " %d failures%n", REQUESTS, statusCounts[2], statusCounts[3], statusCounts[4], statusCounts[5],
                frames, (System.nanoTime() - started) / 1e9, failures.size());
        assertThat(failures).as("5xx answers, hangs and health failures (seed " + SEED + ")").isEmpty();
    }

    /** A session, a search and a class that the generated requests can hit by their real ids. */
    private void fixtures() {
        RunningServer.Response session = server.post("/api/sessions", SPEC);
        sessionId = session.json().get("id").asText();
        sessionToken = session.json().get("ownerToken").asText();
        RunningServer.Response search = server.post("/api/searches", ENDPOINTS.get(3).body());
        searchId = search.json().path("id").asText("none");
        RunningServer.Response classroom = server.post("/api/classes", "{\"name\": \"Fuzz\"}");
        classCode = classroom.json().get("code").asText();
        teacherToken = classroom.json().get("teacherToken").asText();
        RunningServer.Response challenge = server.post("/api/classes/" + classCode + "/challenges", CHALLENGE,
                "Authorization", "Bearer " + teacherToken);
        // later rounds may find the client throttled for the wrong codes it sent: the last challenge stays the target
        challengeId = challenge.json().path("id").asText(challengeId == null ? "none" : challengeId);
    }

    private void send(Endpoint endpoint) {
        String path = fill(endpoint.path());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(path))).timeout(HANG);
        byte[] body = endpoint.body() == null && random.nextInt(4) != 0 ? null : body(endpoint.body());
        String type = switch (random.nextInt(10)) {
            case 0 -> "text/plain";
            case 1 -> null;
            case 2 -> "application/json; charset=ISO-8859-1";
            default -> "application/json";
        };
        if (type != null) {
            request.header("Content-Type", type);
        }
        switch (random.nextInt(8)) {
            case 0 -> request.header("Authorization", "Bearer " + sessionToken);
            case 1 -> request.header("Authorization", "Bearer " + teacherToken);
            case 2 -> request.header("Authorization", "Bearer " + headerSafe(junk()));
            case 3 -> request.header("Cookie", "sinapsis_owner=" + sessionToken + "; sinapsis_teacher=" + teacherToken);
            case 4 -> request.header("Origin", random.nextBoolean() ? "http://evil.example" : "null");
            case 5 -> request.header("Accept-Language", random.nextBoolean() ? "es" : "xx-" + headerSafe(junk()));
            default -> { }
        }
        String method = random.nextInt(25) == 0 ? List.of("PUT", "OPTIONS", "HEAD").get(random.nextInt(3))
                : endpoint.method();
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        String what = method + " " + path + (body == null ? "" : " " + preview(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            statusCounts[Math.min(5, response.statusCode() / 100)]++;
            if (response.statusCode() >= 500) {
                failures.add(response.statusCode() + " for " + what + " → " + preview(response.body().getBytes(
                        StandardCharsets.UTF_8)));
            }
        } catch (HttpTimeoutException e) {
            failures.add("no answer within " + HANG.toSeconds() + " s for " + what);
        } catch (java.io.IOException e) {
            failures.add("connection failed (" + e + ") for " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void checkHealth(String when) {
        try {
            RunningServer.Response health = server.get("/api/health");
            if (health.status() != 200) {
                failures.add("/api/health answered " + health.status() + " " + when);
            }
        } catch (RuntimeException e) {
            failures.add("/api/health did not answer " + when + ": " + e);
        }
    }

    private String fill(String template) {
        String id = switch (random.nextInt(6)) {
            case 0, 1, 2 -> sessionId;
            case 3 -> searchId;
            default -> junk();
        };
        String code = random.nextInt(3) == 0 ? junk() : classCode;
        String language = random.nextInt(3) == 0 ? junk() : List.of("keras", "pytorch", "dl4j").get(random.nextInt(3));
        String path = template.replace("{id}", encode(id)).replace("{code}", encode(code))
                .replace("{language}", encode(language))
                .replace("{challenge}", encode(random.nextInt(4) == 0 ? junk() : challengeId));
        if (random.nextInt(10) == 0) {
            path += (path.contains("?") ? "&" : "?") + "since=" + encode(junk()) + "&download=" + encode(junk());
        }
        return path;
    }

    /** What a client can put in a header: printable ASCII. */
    private static String headerSafe(String value) {
        return value.replaceAll("[^\\x21-\\x7e]", "?");
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A value for a path or a header: plausible, empty, huge, or strange. */
    private String junk() {
        return switch (random.nextInt(9)) {
            case 0 -> "";
            case 1 -> "ZZZZZZ";
            case 2 -> "x".repeat(1 + random.nextInt(300));
            case 3 -> "../../etc/passwd";
            case 4 -> "ñ∑😀\u0000";
            case 5 -> String.valueOf(random.nextLong());
            case 6 -> "99999999999999999999999";
            case 7 -> "-1";
            default -> "<script>alert(1)</script>";
        };
    }

    /** The endpoint's valid body mutated, a generated JSON value, or bytes that are not JSON. */
    private byte[] body(String valid) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return notJson();
        }
        if (valid == null || kind == 1) {
            return value(0).toString().getBytes(StandardCharsets.UTF_8);
        }
        JsonNode tree = Json.parse(valid);
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            tree = mutate(tree, 0);
        }
        return tree.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] notJson() {
        return switch (random.nextInt(6)) {
            case 0 -> new byte[0];
            case 1 -> "{\"data\": {\"dataset\": \"celsius\"".getBytes(StandardCharsets.UTF_8);
            case 2 -> new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'};
            case 3 -> "x=1&y=2".getBytes(StandardCharsets.UTF_8);
            case 4 -> ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8);
            default -> "{\"a\": NaN, \"b\": Infinity, \"c\": 01}".getBytes(StandardCharsets.UTF_8);
        };
    }

    /** Replaces, removes or adds something at a random place of the tree. */
    private JsonNode mutate(JsonNode node, int depth) {
        if (node.isObject() && node.size() > 0 && random.nextInt(4) != 0) {
            ObjectNode object = (ObjectNode) node;
            List<String> names = Json.fieldNames(object);
            String name = names.get(random.nextInt(names.size()));
            switch (random.nextInt(6)) {
                case 0 -> object.remove(name);
                case 1 -> object.set("unknown" + random.nextInt(3), value(depth + 1));
                default -> object.set(name, mutate(object.get(name), depth + 1));
            }
            return object;
        }
        if (node.isArray() && node.size() > 0 && random.nextInt(4) != 0) {
            ArrayNode array = (ArrayNode) node;
            int index = random.nextInt(array.size());
            if (random.nextInt(5) == 0) {
                array.add(value(depth + 1));
            } else {
                array.set(index, mutate(array.get(index), depth + 1));
            }
            return array;
        }
        return value(depth);
    }

    /** A random JSON value, biased towards the values that break parsers and limits. */
    private JsonNode value(int depth) {
        int kind = random.nextInt(depth > 3 ? 12 : 15);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt(21) - 10);
            case 3 -> NODES.numberNode(List.of(1e308, -1e308, 4.9e-324, 1e-7, 0.0, -0.0).get(random.nextInt(6)));
            case 4 -> NODES.numberNode(new java.math.BigInteger("99999999999999999999999999"));
            case 5 -> NODES.numberNode(Integer.MAX_VALUE);
            case 6 -> NODES.numberNode(random.nextDouble() * 1000);
            case 7 -> NODES.textNode(junk());
            case 8 -> NODES.textNode(List.of("dense", "conv2d", "relu", "softmax", "crossentropy", "mse", "adam",
                    "sgd", "celsius", "spirals", "fashion-mnist", "NaN", "Infinity", "1e309").get(random.nextInt(14)));
            case 9 -> NODES.textNode("a,b\n" + "1,2\n".repeat(random.nextInt(50)));
            case 10 -> NODES.numberNode(-1);
            case 11 -> NODES.textNode("");
            case 12 -> {
                ArrayNode array = NODES.arrayNode();
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    array.add(value(depth + 1));
                }
                yield array;
            }
            case 13 -> {
                ObjectNode object = NODES.objectNode();
                for (String key : List.of("type", "units", "activation", "epochs", "csv", "inputs", "layers")) {
                    if (random.nextInt(3) == 0) {
                        object.set(key, value(depth + 1));
                    }
                }
                yield object;
            }
            default -> {
                JsonNode deep = NODES.numberNode(1);
                for (int i = 0; i < 40; i++) {
                    deep = NODES.arrayNode().add(deep);
                }
                yield deep;
            }
        };
    }

    /** WebSocket viewers with generated {@code ?since=} and frames; every socket must be answered or closed cleanly. */
    private int sockets() throws Exception {
        int sent = 0;
        for (int s = 0; s < 20 && sent < FRAMES; s++) {
            String base = random.nextInt(4) == 0 ? "/ws/searches/" + encode(searchId)
                    : random.nextInt(4) == 0 ? "/ws/classes/" + encode(classCode) : "/ws/sessions/" + encode(
                    random.nextInt(5) == 0 ? junk() : sessionId);
            String query = random.nextBoolean() ? "" : "?since=" + encode(junk()) + "&lang=" + encode(junk());
            CompletableFuture<WebSocket> opening = http.newWebSocketBuilder().connectTimeout(HANG)
                    .buildAsync(URI.create("ws://localhost:" + server.port() + base + query),
                            new WebSocket.Listener() { });
            WebSocket socket;
            try {
                socket = opening.get(HANG.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                continue; // refused before the upgrade (a 4xx, e.g. the board without its teacher): fine
            } catch (java.util.concurrent.TimeoutException e) {
                failures.add("the WebSocket " + base + query + " did not open or refuse within 5 s");
                continue;
            }
            int frames = 10 + random.nextInt(20);
            for (int f = 0; f < frames && !socket.isOutputClosed(); f++, sent++) {
                String frame = switch (random.nextInt(6)) {
                    case 0 -> "{\"type\": \"ping\"}";
                    case 1 -> "not json";
                    case 2 -> value(0).toString();
                    case 3 -> "{\"type\": \"" + junk() + "\"}";
                    case 4 -> "x".repeat(random.nextInt(70_000));
                    default -> "";
                };
                try {
                    socket.sendText(frame, true).get(HANG.toSeconds(), TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    break; // the server closed it (a frame over its size limit): fine
                }
            }
            socket.abort();
        }
        return sent;
    }

    private static String preview(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
