package sinapsis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sinapsis.model.Activation;
import sinapsis.model.LayerSpec;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.OptimizerKind;
import sinapsis.model.TrainingSpec;
import sinapsis.store.Database;
import sinapsis.store.DatabaseConfig;
import sinapsis.store.SessionStore;
import sinapsis.store.StoredSession;
import sinapsis.support.Json;
import sinapsis.support.ServerProcess;
import sinapsis.training.EpochEvent;
import sinapsis.training.RunStatus;
import sinapsis.training.TrainingRun.Ending;

/**
 * The crash harness: on a database grown past 300 MB, the real server trains several sessions at
 * once while a client creates, renames, re-runs and deletes sessions, and is {@code kill -9}ed at
 * seeded random moments ({@code -Dsinapsis.crash.kills}, 20; {@code -Dsinapsis.crash.seed}). After
 * each restart: every session whose creation was answered {@code 201} is there; every acknowledged
 * rename and delete held; a finished session has its whole history; a session that was training is
 * {@code interrupted} with a contiguous history at least as long as it was a second before the kill.
 * Then the retention policy deletes sessions not opened for its period and the file shrinks.
 */
@Tag("crash")
class CrashHarnessTest {
    private static final int KILLS = Integer.getInteger("sinapsis.crash.kills", 20);
    private static final long SEED = Long.getLong("sinapsis.crash.seed", System.nanoTime());
    private static final long GROWN_BYTES = 300L << 20;
    private static final int GROWN_COLUMNS = 20;
    private static final String LONG_RUN = "{\"data\":{\"dataset\":\"spirals\"},\"training\":{\"epochs\":100000}}";
    private static final String SHORT_RUN = "{\"data\":{\"dataset\":\"celsius\"},\"training\":{\"epochs\":300}}";

    @TempDir
    Path dataDir;

    private final Random random = new Random(SEED);
    private final List<Tracked> sessions = new CopyOnWriteArrayList<>();
    private final List<String> lost = new CopyOnWriteArrayList<>();
    private final List<String> serverErrors = new CopyOnWriteArrayList<>();
    private long checked;
    private long floorsChecked;

    /** What the client knows of one session: what the server acknowledged, and what it saw while it trained. */
    private static final class Tracked {
        final String id;
        final String token;
        final boolean grown;
        String name;
        boolean nameUncertain;
        boolean deleted;
        boolean deleteUncertain;
        /** The whole history's length once seen finished a second before a kill, until a re-run; else -1. */
        int finishedEpochs = -1;
        /** When it was first seen finished (its end may be lost if that was under a second before the kill). */
        long finishedSeenAt;
        String lastStatus = "queued";
        /** (time received, epochs seen) while it trained, since the last re-run asked for. */
        final List<long[]> seen = new ArrayList<>();
        long floor;

        Tracked(String id, String token, boolean grown) {
            this.id = id;
            this.token = token;
            this.grown = grown;
        }

        boolean training() {
            return lastStatus.equals("queued") || lastStatus.equals("running");
        }
    }

    @Test
    void acknowledgedWritesSurviveKillsOnALargeDatabase() throws Exception {
        System.out.printf("crash harness: seed %d (-Dsinapsis.crash.seed=%d to repeat), %d kills%n", SEED, SEED,
                KILLS);
        growDatabase();
        long grownBytes = Files.size(dataDir.resolve(DatabaseConfig.SQLITE_FILE));
        System.out.printf("crash harness: database grown to %d MB before the first start%n", grownBytes >> 20);
        assertThat(grownBytes).isGreaterThan(GROWN_BYTES);
        Map<String, String> env = Map.of("WORKERS", "2", "SINAPSIS_MAX_CREATED_PER_MINUTE", "100000",
                "SINAPSIS_MAX_RUNS_PER_CLIENT", "100", "SINAPSIS_MAX_QUEUED", "1000");
        ServerProcess server = new ServerProcess(dataDir, env);
        try {
            for (int kill = 1; kill <= KILLS; kill++) {
                server.start();
                verify(server, kill == 1);
                AtomicBoolean going = new AtomicBoolean(true);
                long pause = 400 + random.nextInt(2600);
                long actionSeed = random.nextLong();
                Thread client = new Thread(() -> act(server, going, new Random(actionSeed)), "crash-client");
                client.start();
                Thread.sleep(pause);
                long killedAt = System.currentTimeMillis();
                server.kill();
                going.set(false);
                client.join();
                for (Tracked t : sessions) {
                    synchronized (t) {
                        t.floor = floor(t, killedAt);
                        if (t.finishedEpochs >= 0 && t.finishedSeenAt > killedAt - 1000) {
                            t.finishedEpochs = -1; // it ended less than a second before the kill: the floor holds
                        }
                    }
                }
            }
            server.start();
            verify(server, true);
            stillWorks(server);
            long before = Files.size(dataDir.resolve(DatabaseConfig.SQLITE_FILE));
            server.kill();
            retention(server, before);
        } finally {
            server.kill();
        }
        System.out.printf("crash harness: %d kills survived, %d acknowledged writes checked (%d sessions, %d runs"
                + " killed while training), %d lost%n", KILLS, checked, sessions.size(), floorsChecked, lost.size());
        if (!lost.isEmpty()) {
            Files.readAllLines(server.log()).stream().filter(line -> line.contains("WARN") || line.contains("ERROR"))
                    .limit(40).forEach(line -> System.out.println("server log: " + line));
            try (var logs = Files.list(dataDir)) {
                for (Path gc : logs.filter(f -> f.getFileName().toString().startsWith("gc-")).toList()) {
                    Files.readAllLines(gc).stream().filter(line -> line.matches(".* [0-9]{3,}\\.[0-9]+ms$"))
                            .forEach(line -> System.out.println("gc pause over 100 ms: " + line));
                }
            }
        }
        assertThat(lost).as("acknowledged writes lost (seed " + SEED + ")").isEmpty();
        assertThat(serverErrors).as("5xx answers (seed " + SEED + ")").isEmpty();
        assertThat(Files.readString(server.log())).doesNotContain("unexpected error");
    }

    /** Epochs seen at least a second before the kill: the stored history may not be shorter. */
    private static long floor(Tracked t, long killedAt) {
        synchronized (t) {
            long floor = 0;
            for (long[] sample : t.seen) {
                if (sample[0] <= killedAt - 1000) {
                    floor = Math.max(floor, sample[1]);
                }
            }
            return floor;
        }
    }

    /** 40 finished sessions with 8 MB of distinct data each, written straight into the file. */
    private void growDatabase() {
        NetworkSpec network = NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR));
        TrainingSpec training = new TrainingSpec(LossKind.MSE, OptimizerKind.ADAM, 0.01, 20, 32, false, 1, 0.0, true);
        List<String> inputs = new ArrayList<>();
        for (int c = 0; c < GROWN_COLUMNS - 1; c++) {
            inputs.add("x" + c);
        }
        try (Database database = Database.open(DatabaseConfig.sqliteFile(dataDir))) {
            SessionStore store = new SessionStore(database);
            long now = System.currentTimeMillis();
            for (int s = 0; database.sizeOnDisk() <= GROWN_BYTES + (16L << 20); s++) {
                String id = "grown" + s;
                String token = "token-" + s;
                StoredSession row = new StoredSession(id, sinapsis.session.OwnerTokens.hash(token), "grown " + s,
                        new Ending(RunStatus.FINISHED, null, now, now), null, "hash" + s, inputs, List.of("y"),
                        network, training, null, now, 0, null, null, 0);
                store.insert(row, csv(s, inputs));
                List<EpochEvent> history = new ArrayList<>();
                for (int e = 1; e <= 20; e++) {
                    history.add(new EpochEvent(e, e, 1.0 / e, null, Map.of()));
                }
                store.record(id, history, null, null);
                Tracked tracked = new Tracked(id, token, true);
                tracked.name = "grown " + s;
                tracked.lastStatus = "finished";
                tracked.finishedEpochs = 20;
                sessions.add(tracked);
            }
        }
    }

    private static String csv(int seed, List<String> inputs) {
        Random values = new Random(seed);
        StringBuilder text = new StringBuilder(String.join(",", inputs)).append(",y\n");
        while (text.length() < 8 << 20) {
            for (int c = 0; c < GROWN_COLUMNS; c++) {
                text.append(c == 0 ? "" : ",").append(values.nextInt(100_000) / 100.0);
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** After a restart: what the server acknowledged is there, and nothing is still training. */
    private void verify(ServerProcess server, boolean everything) throws IOException {
        for (Tracked t : sessions) {
            if (t.grown && !everything && random.nextInt(10) != 0) {
                // reading a grown session parses its 8 MB: a sample each round, all of them at the end;
                // what was seen before this kill says nothing about the next one
                synchronized (t) {
                    t.seen.clear();
                    t.floor = 0;
                }
                continue;
            }
            HttpResponse<String> response = server.get("/api/sessions/" + t.id);
            serverError(response, "GET " + t.id);
            synchronized (t) {
                if (t.deleted) {
                    check(response.statusCode() == 404, t.id + " was deleted (204) but is back");
                    continue;
                }
                if (t.deleteUncertain && response.statusCode() == 404) {
                    t.deleted = true;
                    continue;
                }
                t.deleteUncertain = false;
                if (!check(response.statusCode() == 200, t.id + " was created (201) but answers "
                        + response.statusCode())) {
                    continue;
                }
                JsonNode session = Json.parse(response.body());
                String name = session.path("name").isNull() ? null : session.path("name").asText();
                if (t.nameUncertain) {
                    t.name = name;
                    t.nameUncertain = false;
                } else {
                    check(java.util.Objects.equals(name, t.name), t.id + " was renamed to " + t.name + " but is "
                            + name);
                }
                String status = session.get("status").asText();
                check(!status.equals("queued") && !status.equals("running"), t.id + " is " + status
                        + " after a restart");
                JsonNode history = session.get("history");
                for (int i = 0; i < history.size(); i++) {
                    if (history.get(i).get("seq").asLong() != i + 1) {
                        lost.add(t.id + ": history not contiguous at " + (i + 1));
                        break;
                    }
                }
                if (t.finishedEpochs >= 0) {
                    check(status.equals("finished") && history.size() == t.finishedEpochs, t.id
                            + " finished with " + t.finishedEpochs + " epochs but is " + status + " with "
                            + history.size());
                }
                if (t.floor > 0) {
                    floorsChecked++;
                    check(history.size() >= t.floor, t.id + " had " + t.floor
                            + " epochs a second before the kill but kept " + history.size());
                }
                t.lastStatus = status;
                t.finishedEpochs = status.equals("finished") ? history.size() : -1;
                t.seen.clear();
                t.floor = 0;
            }
        }
    }

    private boolean check(boolean held, String what) {
        checked++;
        if (!held) {
            lost.add(what);
        }
        return held;
    }

    private void serverError(HttpResponse<String> response, String what) {
        if (response.statusCode() >= 500) {
            serverErrors.add(what + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** The client: random writes, and a look at every session that trains, until the server is killed. */
    private void act(ServerProcess server, AtomicBoolean going, Random dice) {
        while (going.get()) {
            try {
                int action = dice.nextInt(100);
                long training = sessions.stream().filter(t -> !t.deleted && t.training()).count();
                if (action < 25 && training < 4) {
                    create(server, dice.nextInt(3) == 0 ? SHORT_RUN : LONG_RUN);
                } else if (action < 40) {
                    create(server, SHORT_RUN);
                } else if (action < 55) {
                    withSome(dice, t -> !t.grown, t -> rename(server, t, "n" + dice.nextInt(1_000_000)));
                } else if (action < 65) {
                    withSome(dice, t -> !t.training(), t -> rerun(server, t));
                } else if (action < 75) {
                    withSome(dice, t -> !t.grown || dice.nextInt(8) == 0, t -> delete(server, t));
                }
                look(server);
                Thread.sleep(dice.nextInt(60));
            } catch (IOException | InterruptedException e) {
                return; // the server was killed under the request: its outcome is unknown, and marked so
            }
        }
    }

    private interface Action {
        void on(Tracked t) throws IOException;
    }

    private void withSome(Random dice, java.util.function.Predicate<Tracked> which, Action action)
            throws IOException {
        List<Tracked> candidates = sessions.stream().filter(t -> !t.deleted && !t.deleteUncertain)
                .filter(which).toList();
        if (!candidates.isEmpty()) {
            action.on(candidates.get(dice.nextInt(candidates.size())));
        }
    }

    /** Creates a session named in its request (so the name acknowledged with the 201 is known). */
    private void create(ServerProcess server, String spec) throws IOException {
        String name = "c" + Long.toHexString(System.nanoTime());
        HttpResponse<String> response = server.json("POST", "/api/sessions", "{\"name\":\"" + name + "\","
                + spec.substring(1), null);
        serverError(response, "create");
        if (response.statusCode() == 201) {
            JsonNode body = Json.parse(response.body());
            Tracked tracked = new Tracked(body.get("id").asText(), body.get("ownerToken").asText(), false);
            tracked.name = name;
            sessions.add(tracked);
        }
    }

    private void rename(ServerProcess server, Tracked t, String name) throws IOException {
        synchronized (t) {
            t.nameUncertain = true;
        }
        HttpResponse<String> response = server.json("PATCH", "/api/sessions/" + t.id, "{\"name\":\"" + name + "\"}",
                t.token);
        serverError(response, "rename " + t.id);
        synchronized (t) {
            if (response.statusCode() == 200) {
                t.name = name;
                t.nameUncertain = false;
            }
        }
    }

    private void rerun(ServerProcess server, Tracked t) throws IOException {
        synchronized (t) {
            t.finishedEpochs = -1;
            t.seen.clear();
            t.lastStatus = "queued";
        }
        HttpResponse<String> response = server.json("POST", "/api/sessions/" + t.id + "/run", null, t.token);
        serverError(response, "run " + t.id);
    }

    private void delete(ServerProcess server, Tracked t) throws IOException {
        synchronized (t) {
            t.deleteUncertain = true;
        }
        HttpResponse<String> response = server.json("DELETE", "/api/sessions/" + t.id, null, t.token);
        serverError(response, "delete " + t.id);
        synchronized (t) {
            if (response.statusCode() == 204) {
                t.deleted = true;
                t.deleteUncertain = false;
            }
        }
    }

    /** Reads every session that trains: how far it got (for the floor) and whether it finished. */
    private void look(ServerProcess server) throws IOException {
        for (Tracked t : sessions) {
            if (t.deleted || t.deleteUncertain || !t.training()) {
                continue;
            }
            HttpResponse<String> response = server.get("/api/sessions/" + t.id);
            long received = System.currentTimeMillis();
            serverError(response, "GET " + t.id);
            if (response.statusCode() != 200) {
                continue;
            }
            JsonNode session = Json.parse(response.body());
            synchronized (t) {
                if (!t.training()) {
                    continue;
                }
                String status = session.get("status").asText();
                int epochs = session.get("history").size();
                t.seen.add(new long[] {received, epochs});
                t.lastStatus = status;
                if (status.equals("finished")) {
                    t.finishedEpochs = epochs;
                    t.finishedSeenAt = received;
                }
            }
        }
    }

    /** After the last restart, what a person does still works: create and train, re-run, delete. */
    private void stillWorks(ServerProcess server) throws IOException, InterruptedException {
        HttpResponse<String> created = server.json("POST", "/api/sessions", SHORT_RUN, null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = Json.parse(created.body());
        String id = body.get("id").asText();
        String token = body.get("ownerToken").asText();
        sinapsis.support.Eventually.waitFor("a new session to finish", java.time.Duration.ofSeconds(60), () -> {
            try {
                return Json.parse(server.get("/api/sessions/" + id).body()).get("status").asText().equals("finished");
            } catch (IOException e) {
                return false;
            }
        });
        Tracked interrupted = sessions.stream().filter(t -> !t.deleted && t.lastStatus.equals("interrupted"))
                .findFirst().orElse(null);
        if (interrupted != null) {
            HttpResponse<String> run = server.json("POST", "/api/sessions/" + interrupted.id + "/run", null,
                    interrupted.token);
            assertThat(run.statusCode()).as("re-run of an interrupted session: " + run.body()).isEqualTo(200);
            HttpResponse<String> stop = server.json("POST", "/api/sessions/" + interrupted.id + "/stop", null,
                    interrupted.token);
            assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
        }
        assertThat(server.json("DELETE", "/api/sessions/" + id, null, token).statusCode()).isEqualTo(204);
        assertThat(server.get("/api/sessions/" + id).statusCode()).isEqualTo(404);
        Tracked grown = sessions.stream().filter(t -> t.grown && !t.deleted).findFirst().orElseThrow();
        assertThat(server.json("DELETE", "/api/sessions/" + grown.id, null, grown.token).statusCode())
                .as("a grown session deletes").isEqualTo(204);
        grown.deleted = true;
    }

    /** Sessions nobody opened for 40 days go with a 30-day policy, and the file gives their space back. */
    private void retention(ServerProcess server, long before) throws Exception {
        List<Tracked> old = sessions.stream().filter(t -> t.grown && !t.deleted).toList();
        try (Database database = Database.open(DatabaseConfig.sqliteFile(dataDir))) {
            SessionStore store = new SessionStore(database);
            long fortyDaysAgo = System.currentTimeMillis() - 40L * 24 * 3600 * 1000;
            old.forEach(t -> store.markOpened(t.id, fortyDaysAgo));
        }
        server.start(Map.of("SINAPSIS_RETENTION_DAYS", "30"));
        sinapsis.support.Eventually.waitFor("the retention sweep", java.time.Duration.ofSeconds(60), () -> {
            try {
                return server.get("/api/sessions/" + old.get(old.size() - 1).id).statusCode() == 404;
            } catch (IOException e) {
                return false;
            }
        });
        for (Tracked t : sessions) {
            if (!t.deleted && !t.grown) {
                check(server.get("/api/sessions/" + t.id).statusCode() == 200, t.id + " was opened recently but"
                        + " the retention policy deleted it");
            }
        }
        sinapsis.support.Eventually.waitFor("the sweep to reclaim space", java.time.Duration.ofSeconds(60),
                () -> sizeOf(dataDir.resolve(DatabaseConfig.SQLITE_FILE)) < before / 4);
        long after = sizeOf(dataDir.resolve(DatabaseConfig.SQLITE_FILE));
        System.out.printf("crash harness: retention (30 days) deleted %d sessions not opened for 40 days;"
                + " database %d MB before, %d MB after%n", old.size(), before >> 20, after >> 20);
        for (Tracked t : old) {
            check(server.get("/api/sessions/" + t.id).statusCode() == 404, t.id + " outlived the retention policy");
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }
}
