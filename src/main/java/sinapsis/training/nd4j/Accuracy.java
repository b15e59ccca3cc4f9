package sinapsis.training.nd4j;

import java.util.function.IntUnaryOperator;
import sinapsis.training.Results;

/**
 * Counts correct predictions of a batch, as Keras's {@code accuracy} metric does, from the output
 * layer's pre-activations: softmax and sigmoid keep the order, so the largest decides, or for a
 * single unit its sign.
 */
final class Accuracy {
    private Accuracy() {
    }

    /**
     * @param logits      the batch's pre-activations, {@code rows × units}
     * @param columnMajor whether value (row r, unit u) is at {@code u · rows + r} rather than {@code r · units + u}
     * @param truth       the true class of row r
     */
    static long correct(float[] logits, int rows, boolean columnMajor, IntUnaryOperator truth) {
        int units = logits.length / rows;
        long correct = 0;
        for (int r = 0; r < rows; r++) {
            int predicted;
            if (units == 1) {
                predicted = logits[r] > 0 ? 1 : 0;
            } else {
                predicted = 0;
                float best = logits[index(r, 0, rows, units, columnMajor)];
                for (int u = 1; u < units; u++) {
                    float value = logits[index(r, u, rows, units, columnMajor)];
                    if (value > best) {
                        best = value;
                        predicted = u;
                    }
                }
            }
            if (predicted == truth.applyAsInt(r)) {
                correct++;
            }
        }
        return correct;
    }

    /** The class of each row of one-hot (or one 0/1 column) labels. */
    static int[] classes(double[][] labels) {
        int[] classes = new int[labels.length];
        for (int r = 0; r < labels.length; r++) {
            classes[r] = Results.classIndex(labels[r]);
        }
        return classes;
    }

    private static int index(int row, int unit, int rows, int units, boolean columnMajor) {
        return columnMajor ? unit * rows + row : row * units + unit;
    }
}
