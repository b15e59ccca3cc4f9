package sinapsis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts a server with the environment's settings (every variable is listed in {@link Config.Variable}). */
public final class App {
    public static final String VERSION = "0.1.0";
    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private App() {
    }

    public static void main(String[] args) {
        Config config = Config.fromEnvironment(System.getenv());
        Sinapsis server = Sinapsis.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        LOG.info("Sinapsis {} on http://localhost:{} (node {}, role {}, {} training workers, {} backend, database {})",
                VERSION, server.port(), server.cluster().self(), config.role().id(),
                config.role().trains() ? config.workers() : 0, server.training().backend().backend(),
                config.database().describe());
    }
}
