package sinapsis.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sinapsis.data.BuiltInDatasets;
import sinapsis.model.DataSpec;
import sinapsis.model.Limits;
import sinapsis.model.NetworkSpec;
import sinapsis.model.SessionSpec;
import sinapsis.model.TrainingSpec;
import sinapsis.model.LayerSpec;
import sinapsis.model.Activation;
import sinapsis.store.Database;
import sinapsis.store.DatabaseConfig;
import sinapsis.store.SessionStore;
import sinapsis.support.Eventually;
import sinapsis.support.TestDatabases;
import sinapsis.training.EpochEvent;
import sinapsis.training.RunStatus;
import sinapsis.training.TrainingService;
import sinapsis.training.nd4j.Nd4jTrainer;

/** Sessions outlive the service that ran them: stored as they train, found again by a new service on the same database. */
class SessionPersistenceTest {
    private static final BuiltInDatasets DATASETS = BuiltInDatasets.load();
    private final TrainingService training = new TrainingService(new Nd4jTrainer(), 1);

    @AfterEach
    void close() {
        training.close();
    }

    static Stream<DatabaseConfig> databases() {
        return TestDatabases.all().stream();
    }

    private SessionService service(Database database) {
        return new SessionService(DATASETS, Limits.defaults(), training, new SessionStore(database),
                Duration.ofMillis(50));
    }

    private static SessionSpec celsius(int epochs) {
        return new SessionSpec(new DataSpec(null, "celsius", List.of(), List.of()),
                NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR)), TrainingSpec.defaults().withEpochs(epochs));
    }

    private static void awaitEnd(Session session) {
        Eventually.waitFor("the run to end", Duration.ofSeconds(60), () -> session.run().status().isOver());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aFinishedSessionIsTheSameAfterARestart(DatabaseConfig config) {
        String id;
        List<EpochEvent> history;
        double[][] prediction;
        String token;
        try (Database database = Database.open(config)) {
            SessionService first = service(database);
            SessionService.Created created = first.create(celsius(300));
            token = created.ownerToken();
            Session session = created.session();
            awaitEnd(session);
            id = session.id();
            history = session.run().history();
            prediction = first.predict(session, new double[][] {{100}});
            first.rename(session, "  Grados  ");
            first.close();

            SessionService second = service(database);
            Session again = second.find(id).orElseThrow();
            assertThat(again).isNotSameAs(session);
            assertThat(again.run().status()).isEqualTo(RunStatus.FINISHED);
            assertThat(again.run().history()).isEqualTo(history);
            assertThat(again.name()).isEqualTo("Grados");
            assertThat(again.spec()).isEqualTo(session.spec());
            assertThat(again.run().result().metrics()).isEqualTo(session.run().result().metrics());
            assertThat(again.run().result().predictions()).isDeepEqualTo(session.run().result().predictions());
            assertThat(second.predict(again, new double[][] {{100}})[0][0]).isCloseTo(prediction[0][0], within(1e-4));
            assertThat(second.isOwner(again, token)).isTrue();
            assertThat(second.isOwner(again, token + "x")).isFalse();
            assertThat(second.isOwner(again, null)).isFalse();
            second.close();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anImageSessionComesBackWithItsSubsetItsTestSplitAndItsConvolutionalModel(DatabaseConfig config) {
        SessionSpec spec = new SessionSpec(new DataSpec(null, "shapes", List.of(), List.of(), 120),
                NetworkSpec.of(LayerSpec.conv2d(4, 3, 2, sinapsis.model.Padding.SAME, Activation.RELU),
                        LayerSpec.maxPool2d(2, 2), LayerSpec.flatten(), LayerSpec.dropout(0.1),
                        LayerSpec.dense(6, Activation.SOFTMAX)),
                new TrainingSpec(sinapsis.model.LossKind.CROSSENTROPY, sinapsis.model.OptimizerKind.ADAM, 0.01, 2, 16,
                        true, 42, 0.25, false));
        try (Database database = Database.open(config)) {
            SessionService first = service(database);
            Session session = first.create(spec).session();
            awaitEnd(session);
            assertThat(session.run().status()).isEqualTo(RunStatus.FINISHED);
            double[][] image = {session.run().experiment().problem().x()[130]};
            double[][] before = first.predict(session, image);
            first.close();

            SessionService second = service(database); // closed before its database: its follower stops first
            Session again = second.find(session.id()).orElseThrow();
            assertThat(again.spec()).isEqualTo(spec);
            assertThat(again.run().experiment().trainRows()).isEqualTo(90);
            assertThat(again.run().experiment().problem().testRows()).isEqualTo(sinapsis.data.ImageSets.SHAPES_TEST);
            assertThat(again.run().result().metrics()).isEqualTo(session.run().result().metrics());
            double[][] after = again.run().predict(image);
            for (int c = 0; c < 6; c++) {
                assertThat(after[0][c]).isCloseTo(before[0][c], within(1e-5));
            }
            second.close();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRunningSessionIsInterruptedByARestartAndCanRunAgain(DatabaseConfig config) {
        try (Database database = Database.open(config)) {
            SessionService first = service(database);
            Session session = first.create(celsius(100_000)).session();
            Eventually.waitFor("a few hundred epochs stored", Duration.ofSeconds(30),
                    () -> session.run().lastSeq() > 500);
            // the process "dies": nothing more is written, the run is abandoned
            first.close();
            long storedAtClose = new SessionStore(database).history(session.id()).size();
            training.stop(session.run());

            SessionService second = service(database);
            Session again = second.find(session.id()).orElseThrow();
            assertThat(again.run().status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat((long) again.run().history().size()).isEqualTo(storedAtClose).isGreaterThan(500);

            second.rerun(again, celsius(50));
            awaitEnd(again);
            assertThat(again.run().status()).isEqualTo(RunStatus.FINISHED);
            assertThat(again.run().history()).hasSize(50);
            Eventually.waitFor("the new run stored", Duration.ofSeconds(10),
                    () -> new SessionStore(database).history(session.id()).size() == 50);
            second.close();
        }
    }

    @Test
    void aForkIsADraftWithTheSameDataAndSpecUntilItsOwnerRunsIt() {
        try (Database database = Database.open(TestDatabases.sqlite())) {
            SessionService service = service(database);
            SessionSpec pasted = new SessionSpec(DataSpec.ofCsv("x;y\n1;2\n2;4\n3;6\n", List.of("x"), List.of("y")),
                    NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR)), TrainingSpec.defaults().withEpochs(20));
            Session source = service.create(pasted).session();
            awaitEnd(source);
            SessionService.Created fork = service.fork(source);
            Session copy = fork.session();
            assertThat(copy.run().status()).isEqualTo(RunStatus.DRAFT);
            assertThat(copy.spec()).isEqualTo(source.spec());
            assertThat(copy.forkedFrom()).isEqualTo(source.id());
            assertThat(service.isOwner(copy, fork.ownerToken())).isTrue();
            assertThat(service.isOwner(source, fork.ownerToken())).isFalse();
            assertThat(service.csv(copy)).isEqualTo("x;y\n1;2\n2;4\n3;6\n");

            service.rerun(copy, null);
            awaitEnd(copy);
            assertThat(copy.run().history()).hasSize(20);
            assertThatThrownBy(() -> service.rerun(service.create(celsius(100_000)).session(), null))
                    .isInstanceOf(SessionStateException.class);
            service.close();
        }
    }

    @Test
    void idsOfAThousandSessionsAreDistinctUnguessableAndUrlSafe() {
        try (Database database = Database.open(TestDatabases.sqlite())) {
            SessionService service = service(database);
            Session source = service.create(celsius(5)).session();
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                ids.add(service.fork(source).session().id());
            }
            assertThat(ids).hasSize(1000).allSatisfy(id -> assertThat(id).matches("[A-Za-z0-9_-]{22,}"));
            service.close();
        }
    }
}
