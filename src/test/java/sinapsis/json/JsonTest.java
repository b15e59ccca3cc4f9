package sinapsis.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import sinapsis.model.Activation;
import sinapsis.model.LayerSpec;
import sinapsis.model.NetworkSpec;
import sinapsis.model.Padding;

class JsonTest {
    @Test
    void layersWrittenByEarlierVersionsReadAsTheirKind() throws Exception {
        // one 9-field record for every kind, unused fields zero, as rows stored before the per-kind records
        String stored = """
                {"layers":[
                 {"type":"CONV2D","units":0,"activation":"RELU","filters":32,"kernel":3,"stride":1,"padding":"VALID","size":0,"rate":0.0,"dense":false},
                 {"type":"MAXPOOL2D","units":0,"activation":null,"filters":0,"kernel":0,"stride":2,"padding":"SAME","size":3,"rate":0.0,"dense":false},
                 {"type":"DROPOUT","units":0,"activation":null,"filters":0,"kernel":0,"stride":0,"padding":null,"size":0,"rate":0.25,"dense":false},
                 {"type":"FLATTEN","units":0,"activation":null,"filters":0,"kernel":0,"stride":0,"padding":null,"size":0,"rate":0.0,"dense":false},
                 {"units":10,"activation":"SOFTMAX"}]}""";
        NetworkSpec network = Json.mapper().readValue(stored, NetworkSpec.class);
        assertThat(network.layers()).containsExactly(LayerSpec.conv2d(32, 3, 1, Padding.VALID, Activation.RELU),
                new LayerSpec.MaxPool2d(3, 2, Padding.SAME), LayerSpec.dropout(0.25), LayerSpec.flatten(),
                LayerSpec.dense(10, Activation.SOFTMAX));
    }

    @Test
    void aLayerIsWrittenWithItsKindAndOnlyItsOwnFields() throws Exception {
        NetworkSpec network = new NetworkSpec(List.of(LayerSpec.maxPool2d(2, 2), LayerSpec.flatten(),
                LayerSpec.dense(3, Activation.TANH)));
        String written = Json.mapper().writeValueAsString(network);
        assertThat(written).isEqualTo("{\"layers\":[{\"type\":\"MAXPOOL2D\",\"size\":2,\"stride\":2,"
                + "\"padding\":\"VALID\"},{\"type\":\"FLATTEN\"},{\"type\":\"DENSE\",\"units\":3,"
                + "\"activation\":\"TANH\"}]}");
        assertThat(Json.mapper().readValue(written, NetworkSpec.class)).isEqualTo(network);
    }

    @Test
    void whatClientsSendIsStandardJson() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Json.strictReader().readTree("{\"a\": NaN}"))
                .isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
    }

    record Request(String name, int count, List<Double> values, Inner inner) {
    }

    record Inner(boolean on) {
    }

    private static sinapsis.model.InvalidSpecException refused(String body, boolean refuseUnknown) {
        try {
            Json.bind(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), Request.class, refuseUnknown);
        } catch (sinapsis.model.InvalidSpecException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("not the API's error: " + e, e);
        }
        throw new AssertionError("accepted " + body);
    }

    @Test
    void aBoundRequestsFaultNamesItsFieldAsTheApiDoes() throws Exception {
        assertThat(Json.bind("{\"name\":\"Ana\",\"count\":2,\"values\":[1.5],\"inner\":{\"on\":true}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), Request.class, true))
                .isEqualTo(new Request("Ana", 2, List.of(1.5), new Inner(true)));
        assertThat(refused("{\"name\": 5}", true)).satisfies(e -> {
            assertThat(e.field()).isEqualTo("name");
            assertThat(e.messageKey()).isEqualTo("error.notText");
        });
        assertThat(refused("{\"count\": \"two\"}", true)).satisfies(e -> {
            assertThat(e.field()).isEqualTo("count");
            assertThat(e.messageKey()).isEqualTo("error.notInteger");
            assertThat(e.arguments()).containsExactly("\"two\"");
        });
        assertThat(refused("{\"values\": [1, \"x\"]}", true).field()).isEqualTo("values[1]");
        assertThat(refused("{\"inner\": {\"on\": \"yes\"}}", true)).satisfies(e -> {
            assertThat(e.field()).isEqualTo("inner.on");
            assertThat(e.messageKey()).isEqualTo("error.notBoolean");
        });
        assertThat(refused("{\"inner\": {\"off\": true}}", true)).satisfies(e -> {
            assertThat(e.field()).isEqualTo("inner.off");
            assertThat(e.messageKey()).isEqualTo("error.unknownField");
            assertThat(e.arguments()).containsExactly("off");
        });
        assertThat(Json.bind("{\"other\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8), Request.class,
                false)).isEqualTo(new Request(null, 0, null, null));
    }
}
