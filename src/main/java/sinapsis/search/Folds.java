package sinapsis.search;

import sinapsis.data.Problem;

/**
 * k-fold splits as scikit-learn's {@code KFold(n_splits=k)} makes them: consecutive rows, the first
 * {@code rows % k} folds one row larger. A fold's problem has its held-out rows last, so an
 * experiment that holds out that many rows trains on the others.
 */
final class Folds {
    private Folds() {
    }

    /** Start (inclusive) and end (exclusive) of each fold. */
    static int[][] bounds(int rows, int folds) {
        int[][] bounds = new int[folds][2];
        int start = 0;
        for (int f = 0; f < folds; f++) {
            int size = rows / folds + (f < rows % folds ? 1 : 0);
            bounds[f][0] = start;
            bounds[f][1] = start + size;
            start += size;
        }
        return bounds;
    }

    /** The rows reordered: those outside [from, to) in order, then [from, to). */
    static Problem heldOutLast(Problem problem, int from, int to) {
        int rows = problem.rows();
        double[][] x = new double[rows][];
        double[][] y = new double[rows][];
        int next = 0;
        for (int r = 0; r < rows; r++) {
            if (r < from || r >= to) {
                x[next] = problem.x()[r];
                y[next++] = problem.y()[r];
            }
        }
        for (int r = from; r < to; r++) {
            x[next] = problem.x()[r];
            y[next++] = problem.y()[r];
        }
        return new Problem(problem.inputNames(), problem.targetNames(), x, y, problem.classes());
    }
}
