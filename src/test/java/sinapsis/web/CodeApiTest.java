package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;

/** A session as Keras, PyTorch and DL4J code, and the numbers those programs read. */
class CodeApiTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Test
    void everySessionHasItsCodeInThreeLanguagesAndItsTrainingData() {
        String id = server.post("/api/sessions", """
                {"data": {"dataset": "xor"},
                 "training": {"epochs": 5, "earlyStopping": {"monitor": "val_loss", "patience": 2}}}""")
                .json().get("id").asText();
        Response keras = server.get("/api/sessions/" + id + "/code/keras");
        assertThat(keras.status()).isEqualTo(200);
        assertThat(keras.body()).contains("keras.Sequential", "keras.layers.Dense(8, activation=\"tanh\")",
                "\"categorical_crossentropy\"", "EarlyStopping(monitor=\"val_loss\", patience=2",
                "X = np.array(");
        assertThat(server.get("/api/sessions/" + id + "/code/pytorch").body())
                .contains("nn.Linear(2, 8)", "nn.CrossEntropyLoss()", "torch.optim.Adam");
        assertThat(server.get("/api/sessions/" + id + "/code/dl4j").body())
                .contains("public class SinapsisModel", "LossFunctions.LossFunction.MCXENT");
        Response download = server.get("/api/sessions/" + id + "/code/pytorch?download");
        assertThat(download.headers().firstValue("Content-Disposition").orElse("")).contains("sinapsis_pytorch.py");
        assertThat(server.get("/api/sessions/" + id + "/code/fortran").status()).isEqualTo(404);

        String csv = server.get("/api/sessions/" + id + "/training-data.csv").body();
        String[] lines = csv.split("\n");
        assertThat(lines[0]).isEqualTo("x,y,0,1");
        assertThat(lines).hasSize(1 + server.get("/api/sessions/" + id).json().at("/data/rows").asInt());
        assertThat(lines[1].split(",")).hasSize(4);
    }
}
