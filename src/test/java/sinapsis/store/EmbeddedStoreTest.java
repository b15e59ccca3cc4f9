package sinapsis.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sinapsis.model.Activation;
import sinapsis.model.LayerSpec;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.OptimizerKind;
import sinapsis.model.TrainingSpec;
import sinapsis.training.EpochEvent;
import sinapsis.training.RunStatus;
import sinapsis.training.TrainingRun.Ending;

/** The embedded default: SQLite's durability settings, space given back after deletes, and the import of H2 files. */
class EmbeddedStoreTest {
    private static final NetworkSpec NETWORK = NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR));
    private static final TrainingSpec TRAINING = new TrainingSpec(LossKind.MSE, OptimizerKind.ADAM, 0.1, 10, 0,
            false, 1, 0.0, true);

    @TempDir
    Path dir;

    private static StoredSession session(String id, String hash, RunStatus status) {
        return new StoredSession(id, "owner-" + id, "n-" + id, new Ending(status, null, 0, 0), null, hash,
                List.of("x"), List.of("y"), NETWORK, TRAINING, null, 1000, 0, null, null, 0);
    }

    /** A CSV of about {@code megabytes} MB whose content depends on {@code seed}. */
    private static String csv(int megabytes, int seed) {
        StringBuilder text = new StringBuilder("x,y\n");
        for (int i = 0; text.length() < megabytes << 20; i++) {
            text.append(i).append(',').append(i * 31 + seed).append('\n');
        }
        return text.toString();
    }

    @Test
    void everyConnectionWritesAheadAndSyncsEachCommit() {
        try (Database database = Database.open(DatabaseConfig.sqliteFile(dir))) {
            for (org.jdbi.v3.core.Jdbi jdbi : List.of(database.writer(), database.reader())) {
                assertThat(pragma(jdbi, "journal_mode")).isEqualToIgnoringCase("wal");
                assertThat(pragma(jdbi, "synchronous")).as("synchronous=FULL").isEqualTo("2");
                assertThat(pragma(jdbi, "foreign_keys")).isEqualTo("1");
                assertThat(pragma(jdbi, "busy_timeout")).isEqualTo(String.valueOf(Database.BUSY_TIMEOUT_MILLIS));
            }
            assertThat(pragma(database.writer(), "auto_vacuum")).as("full auto-vacuum").isEqualTo("1");
        }
        assertThat(dir.resolve(DatabaseConfig.SQLITE_FILE)).exists();
    }

    private static String pragma(org.jdbi.v3.core.Jdbi jdbi, String name) {
        String value = jdbi.withHandle(h -> h.createQuery("PRAGMA " + name).mapTo(String.class).one());
        return value;
    }

    @Test
    void theFileShrinksWhenSessionsAreDeleted() {
        try (Database database = Database.open(DatabaseConfig.sqliteFile(dir))) {
            SessionStore store = new SessionStore(database);
            for (int i = 0; i < 4; i++) {
                store.insert(session("s" + i, "h" + i, RunStatus.FINISHED), csv(2, i));
            }
            long full = database.sizeOnDisk();
            store.delete("s0");
            store.delete("s1");
            store.delete("s2");
            long after = database.sizeOnDisk();
            System.out.printf("SQLite file: %d KB with 4 sessions of 2 MB data, %d KB after deleting 3%n",
                    full >> 10, after >> 10);
            assertThat(full).isGreaterThan(8L << 20);
            assertThat(after).isLessThan(full / 2);
            assertThat(store.find("s3")).isPresent();
            assertThat(store.data("h3")).isPresent();
            assertThat(store.data("h0")).isEmpty();
        }
    }

    @Test
    void sessionsNotOpenedSinceACutoffAreListedUnlessTheyAreTraining() {
        try (Database database = Database.open(DatabaseConfig.sqliteFile(dir))) {
            SessionStore store = new SessionStore(database);
            store.insert(session("old", "h", RunStatus.FINISHED), "x,y\n1,2\n");
            store.insert(session("running", "h", RunStatus.RUNNING), "x,y\n1,2\n");
            store.insert(session("opened", "h", RunStatus.FINISHED), "x,y\n1,2\n");
            store.markOpened("opened", 5000);
            assertThat(store.notOpenedSince(2000, 10)).containsExactly("old");
        }
    }

    /** Specs are stored as Jackson writes the records, in every version so far. */
    private static String json(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anH2DatabaseOfAnEarlierVersionIsImportedOnceWithEverything() {
        // an H2 file in the schema of the H2 versions (they ended before epochs were stored in batches),
        // with rows as they wrote them (their SQL, not this version's)
        DatabaseConfig h2 = DatabaseConfig.h2File(dir);
        org.flywaydb.core.Flyway.configure().dataSource(h2.url(), h2.user(), h2.password())
                .locations("classpath:db/migration").target("11").load().migrate();
        org.jdbi.v3.core.Jdbi.create(h2.url(), h2.user(), h2.password()).useHandle(h -> {
            h.execute("INSERT INTO datasets (hash, csv, created_at) VALUES ('h1', 'x,y\n1,2\n3,4\n', 5)");
            h.execute("""
                    INSERT INTO sessions (id, owner_hash, name, status, data_hash, inputs, targets, network, training,
                                          created_at, epoch_count)
                    VALUES ('a', 'owner-a', 'n-a', 'finished', 'h1', '["x"]', '["y"]', ?, ?, 1000, 2)""",
                    json(NETWORK), json(TRAINING));
            h.execute("INSERT INTO epochs (session_id, seq, epoch, loss, val_loss, metrics) VALUES"
                    + " ('a', 1, 1, 0.5, 0.6, '{\"accuracy\":0.75}'), ('a', 2, 2, 0.25, NULL, NULL)");
            h.execute("INSERT INTO classes (code, name, teacher_hash, settings, created_at)"
                    + " VALUES ('ABC234', 'Clase', 't', '{}', 7)");
        });
        assertThat(dir.resolve(DatabaseConfig.H2_FILE)).exists();
        try (Database database = Database.open(DatabaseConfig.sqliteFile(dir))) {
            H2Import.Imported imported = H2Import.ifPresent(dir, database).orElseThrow();
            assertThat(imported.rows()).containsExactly(1L, 1L, 2L, 0L, 1L, 0L);
            SessionStore store = new SessionStore(database);
            StoredSession a = store.find("a").orElseThrow();
            assertThat(a.name()).isEqualTo("n-a");
            assertThat(a.network()).isEqualTo(NETWORK);
            assertThat(a.training().learningRate()).isEqualTo(0.1);
            assertThat(store.data("h1")).contains("x,y\n1,2\n3,4\n");
            assertThat(store.history("a")).extracting(EpochEvent::loss).containsExactly(0.5, 0.25);
            assertThat(store.history("a").get(0).metrics()).containsEntry("accuracy", 0.75);
            assertThat(new ClassStore(database).findClass("ABC234")).isPresent();
            assertThat(H2Import.ifPresent(dir, database)).as("once only").isEmpty();
        }
        assertThat(dir.resolve(DatabaseConfig.H2_FILE)).doesNotExist();
        assertThat(Files.exists(dir.resolve(DatabaseConfig.H2_FILE + ".imported"))).isTrue();
    }
}
