package sinapsis.bench;

/**
 * A process that only computes, for {@link ClusterBench}'s measure of what this machine gives two
 * processes at once: after a short warm-up it counts how many rounds of a fixed integer kernel it
 * does in the given milliseconds, and prints the count. It touches no memory beyond a few registers,
 * so two of them on two cores share nothing but the machine.
 */
public final class CoreSpin {
    private CoreSpin() {
    }

    public static void main(String[] args) {
        long millis = Long.parseLong(args[0]);
        spin(System.nanoTime() + 300_000_000L); // the JIT compiles the kernel
        long[] rounds = new long[1];
        long seed = spin(System.nanoTime() + millis * 1_000_000L, rounds);
        System.out.println(rounds[0] + " " + (seed & 1));
    }

    private static long spin(long until) {
        return spin(until, new long[1]);
    }

    /** Rounds of the kernel until {@code until} (System.nanoTime), counted into {@code rounds[0]}. */
    private static long spin(long until, long[] rounds) {
        long x = 88172645463325252L;
        long count = 0;
        while (System.nanoTime() < until) {
            for (int i = 0; i < 10_000; i++) { // xorshift: a dependent chain the compiler cannot drop
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
            count++;
        }
        rounds[0] = count;
        return x;
    }
}
