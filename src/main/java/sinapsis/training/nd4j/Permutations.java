package sinapsis.training.nd4j;

import java.util.Random;

/** Row orders for mini-batches: the identity, and a Fisher–Yates shuffle from the run's seeded random. */
final class Permutations {
    private Permutations() {
    }

    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }
}
