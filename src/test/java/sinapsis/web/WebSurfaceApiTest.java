package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.support.Eventually;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;
import sinapsis.support.WsViewer;

/**
 * The hardened web surface: security headers on every answer, writes only from this origin and
 * only as JSON, class codes that cannot be told apart by probing, and bad requests that were
 * {@code 500}s answered {@code 400} naming their field.
 */
class WebSurfaceApiTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();
    private static final String CELSIUS = "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 30}}";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void pagesApiAndStaticFilesCarryTheSecurityHeaders() {
        for (String path : new String[] {"/", "/api/health", "/static/js/api.js", "/about", "/join", "/api/nope"}) {
            Response response = server.get(path);
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(path)
                    .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'")
                            .doesNotContain("unsafe-inline", "unsafe-eval"));
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(response.headers().firstValue("X-Frame-Options")).as(path).contains("DENY");
            assertThat(response.headers().firstValue("Referrer-Policy")).as(path).contains("same-origin");
        }
    }

    private record Created(String id, String token) {
    }

    private static Created create() {
        Response created = server.post("/api/sessions", CELSIUS);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new Created(created.json().get("id").asText(), created.json().get("ownerToken").asText());
    }

    private HttpResponse<String> post(String path, String contentType, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(path)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(20));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFormFromAnotherPortOfTheSameHostCannotStopASession() throws Exception {
        Created session = create();
        String cookie = "sinapsis_owner=" + session.token();
        String stop = "/api/sessions/" + session.id() + "/stop";
        // what <form enctype=text/plain> on http://localhost:OTHER sends, cookie included (same site)
        HttpResponse<String> form = post(stop, "text/plain", "x=y", "Cookie", cookie);
        assertThat(form.statusCode()).isEqualTo(415);
        HttpResponse<String> urlEncoded = post(stop, "application/x-www-form-urlencoded", "x=y", "Cookie", cookie);
        assertThat(urlEncoded.statusCode()).isEqualTo(415);
        HttpResponse<String> sameSite = post(stop, "application/json", "{}", "Cookie", cookie,
                "Sec-Fetch-Site", "same-site");
        assertThat(sameSite.statusCode()).isEqualTo(403);
        assertThat(sameSite.body()).contains("\"message\"");
        HttpResponse<String> otherOrigin = post(stop, "application/json", "{}", "Cookie", cookie,
                "Origin", "http://localhost:1");
        assertThat(otherOrigin.statusCode()).isEqualTo(403);
        HttpResponse<String> nullOrigin = post(stop, null, "", "Cookie", cookie, "Origin", "null");
        assertThat(nullOrigin.statusCode()).isEqualTo(403);
        assertThat(server.get("/api/sessions/" + session.id()).json().get("status").asText())
                .as("nothing forged reached the session").isNotEqualTo("stopped");
        HttpResponse<String> own = post(stop, "application/json", "", "Cookie", cookie,
                "Origin", "http://localhost:" + server.port(), "Sec-Fetch-Site", "same-origin");
        assertThat(own.statusCode()).as("this server's own page: " + own.body()).isEqualTo(200);
    }

    @Test
    void aBoardSocketFromAnotherOriginIsRefused() throws Exception {
        Response created = server.post("/api/classes", "{\"name\": \"Física\"}");
        String code = created.json().get("code").asText();
        String token = created.json().get("teacherToken").asText();
        var refused = http.newWebSocketBuilder().header("Origin", "http://localhost:1")
                .header("Cookie", "sinapsis_teacher=" + token)
                .buildAsync(URI.create("ws://localhost:" + server.port() + "/ws/classes/" + code),
                        new java.net.http.WebSocket.Listener() { });
        assertThat(refused).failsWithin(Duration.ofSeconds(10));
    }

    @Test
    void anUnknownClassAndSomeoneElsesClassLookTheSame() {
        String code = server.post("/api/classes", "{\"name\": \"Química\"}").json().get("code").asText();
        Response unknown = server.get("/api/classes/ZZZZZZ");
        Response notMine = server.get("/api/classes/" + code);
        assertThat(notMine.status()).isEqualTo(unknown.status()).isEqualTo(404);
        assertThat(notMine.json().at("/error/message").asText().replace(code, "ZZZZZZ"))
                .isEqualTo(unknown.json().at("/error/message").asText());
        assertThat(server.get("/api/classes/" + code + "/student").status()).isEqualTo(404);
        assertThat(server.get("/api/classes/ZZZZZZ/student").status()).isEqualTo(404);
    }

    @Test
    void unknownFieldsOfANewClassAreRefused() {
        Response response = server.post("/api/classes", "{\"name\": \"x\", \"teacher\": \"me\"}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/field").asText()).isEqualTo("teacher");
    }

    @Test
    void aSpecWithoutInputColumnsIsA400NamingThem() {
        String table = "a,b\\n1,2\\n3,4\\n5,6\\n";
        for (String data : new String[] {"{\"csv\": \"" + table + "\", \"inputs\": [], \"targets\": [\"b\"]}",
                "{\"csv\": \"" + table + "\", \"targets\": [\"b\"]}"}) {
            for (String path : new String[] {"/api/sessions", "/api/steps"}) {
                Response response = server.post(path, "{\"data\": " + data + "}");
                assertThat(response.status()).as(path + " " + response.body()).isEqualTo(400);
                assertThat(response.json().at("/error/field").asText()).isEqualTo("data.inputs");
            }
            Response search = server.post("/api/searches", "{\"data\": " + data
                    + ", \"grid\": {\"training.learningRate\": [0.1, 0.01]}}");
            assertThat(search.status()).as(search.body()).isEqualTo(400);
            assertThat(search.json().at("/error/field").asText()).isEqualTo("data.inputs");
        }
    }

    @Test
    void aGridPathWithAHugeIndexIsA400() {
        Response response = server.post("/api/searches", "{\"data\": {\"dataset\": \"celsius\"}, \"grid\": "
                + "{\"network.layers[99999999999].units\": [1, 2]}}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/field").asText()).startsWith("grid.");
    }

    @Test
    void aPredictionTooLargeForJsonIsA400AndNotTheStringInfinity() {
        Created session = create();
        server.ended("/api/sessions/" + session.id());
        Response huge = server.post("/api/sessions/" + session.id() + "/predict", "{\"inputs\": [[1], [1e308]]}");
        assertThat(huge.status()).as(huge.body()).isEqualTo(400);
        assertThat(huge.json().at("/error/field").asText()).isEqualTo("inputs");
        assertThat(huge.json().at("/error/message").asText()).contains("2");
        Response overflow = server.post("/api/sessions/" + session.id() + "/predict", "{\"inputs\": [[1e999]]}");
        assertThat(overflow.status()).isEqualTo(400);
        assertThat(server.post("/api/sessions/" + session.id() + "/predict", "{\"inputs\": [[100]]}").status())
                .isEqualTo(200);
    }

    @Test
    void anUnknownExportLanguageSaysSo() {
        Created session = create();
        Response response = server.get("/api/sessions/" + session.id() + "/code/cobol", "Accept-Language", "en");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().at("/error/field").asText()).isEqualTo("language");
        assertThat(response.json().at("/error/message").asText()).contains("cobol", "keras").doesNotContain("session");
    }

    @Test
    void aSinceLargerThanALongIsRefusedInsteadOfReplayingTheHistory() throws Exception {
        Created session = create();
        server.ended("/api/sessions/" + session.id());
        WsViewer viewer = new WsViewer(server.port(), "/ws/sessions/" + session.id() + "?since=99999999999999999999");
        Eventually.waitFor("the socket to close", Duration.ofSeconds(10), () -> viewer.closed);
        assertThat(viewer.closeCode).isEqualTo(1008);
        assertThat(viewer.messages).allSatisfy(m -> assertThat(m.get("type").asText()).isEqualTo("error"));
        assertThat(viewer.messages).isNotEmpty();
    }
}
