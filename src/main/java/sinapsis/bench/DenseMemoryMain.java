package sinapsis.bench;

/** Runs only the wide Dense run's memory figures (also part of {@link Bench}). */
public final class DenseMemoryMain {
    private DenseMemoryMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        DenseMemoryBench.run();
    }
}
