package sinapsis.cluster;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinapsis.concurrent.DaemonThreads;
import sinapsis.store.Database;
import sinapsis.store.NodeStore;
import sinapsis.store.SearchStore;
import sinapsis.store.SessionStore;
import sinapsis.training.BackendInfo;

/**
 * This process as one node of the processes that share the database. It writes its row on
 * joining, renews it five times a lease (its heartbeat), and at every beat on a shared database
 * reclaims what nodes whose heartbeat has stopped held: their queued and running runs go back to
 * the queue for any node that trains (to go on from their last checkpoint), their searches too (to
 * start over), their paused runs (and searches from before searches kept their request) are
 * interrupted — so no node's start-up ever touches another live node's runs, and the runs of a
 * node killed with {@code kill -9} go on elsewhere within about one lease. A clean stop hands its
 * searches back to the queue, interrupts what this node still holds and deletes its row.
 */
public final class Cluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    /** A gone node's row is kept this many leases (the about page no longer lists it), then deleted. */
    private static final int FORGET_AFTER_LEASES = 20;

    /**
     * What {@code /api/health} and the about page show: every live node, the runs queued and the
     * searches waiting; and the statements this node has sent to the database so far, counted
     * before the view's own ({@link Database#statementsSoFar}).
     */
    public record View(String self, List<NodeStore.StoredNode> nodes, int queued, int searchesQueued,
                       long statements) {
    }

    private final Database database;
    private final NodeStore nodes;
    private final SessionStore sessions;
    private final SearchStore searches;
    private final Registration registration;
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("cluster-heartbeat"));

    /** What this node says of itself. */
    public record Registration(String role, String host, BackendInfo backend, int slots, String version,
                               long startedAt) {
    }

    private Cluster(Database database, Registration registration) {
        this.database = database;
        this.nodes = new NodeStore(database);
        this.sessions = new SessionStore(database);
        this.searches = new SearchStore(database);
        this.registration = registration;
    }

    /** Registers this node and starts its heartbeat. */
    public static Cluster join(Database database, Registration registration) {
        Cluster cluster = new Cluster(database, registration);
        cluster.register(System.currentTimeMillis());
        long every = Math.max(50, database.lease().toMillis() / 5);
        cluster.heartbeat.scheduleWithFixedDelay(cluster::beat, every, every, TimeUnit.MILLISECONDS);
        return cluster;
    }

    private void register(long now) {
        nodes.register(registration.role(), registration.host(), registration.backend().backend(),
                registration.backend().device(), registration.slots(), registration.version(),
                registration.startedAt(), now);
    }

    /** One heartbeat; a failure (the database briefly away) is logged and the next beat tries again. */
    private void beat() {
        try {
            long now = System.currentTimeMillis();
            if (!nodes.beat(now)) {
                LOG.warn("this node's row ({}) was gone — its heartbeat had stopped for longer than the lease; "
                        + "registering again", database.node());
                register(now);
            }
            if (database.isShared()) {
                reclaim(now);
            }
        } catch (RuntimeException e) {
            LOG.warn("heartbeat of node {} failed: {}", database.node(), e.toString());
        }
    }

    private void reclaim(long now) {
        int requeued = sessions.requeueOrphaned(now);
        int runs = sessions.interruptOrphaned(now);
        int restarted = searches.requeueOrphaned(now);
        int found = searches.interruptOrphaned(now);
        if (requeued > 0) {
            LOG.info("{} run(s) of nodes whose heartbeat stopped: back in the queue, from their last checkpoint", requeued);
        }
        if (restarted > 0) {
            LOG.info("{} grid search(es) of nodes whose heartbeat stopped: back in the queue, to start over", restarted);
        }
        if (runs + found > 0) {
            LOG.info("{} paused run(s) and {} search(es) of nodes whose heartbeat stopped: marked interrupted", runs,
                    found);
        }
        nodes.forgetGone(now, FORGET_AFTER_LEASES * database.lease().toMillis());
    }

    public String self() {
        return database.node();
    }

    public View view() {
        long now = System.currentTimeMillis();
        long statements = database.statementsSoFar();
        return new View(database.node(), nodes.alive(now), nodes.queued(), searches.waiting(), statements);
    }

    /** Stops the heartbeat; what this node still holds is interrupted and its row deleted. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            heartbeat.awaitTermination(5, TimeUnit.SECONDS);
            long now = System.currentTimeMillis();
            sessions.interruptHeldHere(now);
            searches.handBackHeldHere(now);
            searches.interruptHeldHere(now);
            nodes.leave();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("node {} could not leave cleanly: {} (the others reclaim its runs after the lease)",
                    database.node(), e.toString());
        }
    }
}
