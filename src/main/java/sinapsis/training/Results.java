package sinapsis.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sinapsis.data.Problem;
import sinapsis.model.Activation;
import sinapsis.model.LayerShapes;
import sinapsis.model.LayerSpec;

/** Computes a {@link TrainingResult}: metrics, summary and equation, all in the data's original units. */
public final class Results {
    private Results() {
    }

    /**
     * The model's outputs for the problem's rows. An image classification with a test split gets
     * its test rows only (the others null): they are the ones its images and confusion matrix show,
     * and predicting 60 000 Fashion-MNIST images again costs seconds. Every other problem gets every row.
     */
    public static double[][] predictions(Experiment experiment, TrainedModel model) {
        Problem problem = experiment.problem();
        if (!testedImages(problem)) {
            return experiment.predict(model, problem.x());
        }
        int fit = problem.fitRows();
        double[][] predictions = new double[problem.rows()][];
        double[][] test = experiment.predict(model, java.util.Arrays.copyOfRange(problem.x(), fit, problem.rows()));
        System.arraycopy(test, 0, predictions, fit, test.length);
        return predictions;
    }

    private static boolean testedImages(Problem problem) {
        return problem.inputShape().isImage() && problem.isClassification() && problem.testRows() > 0;
    }

    /**
     * The run's figures: loss and val_loss as its last epoch reported them (Keras's history); the
     * accuracies recomputed from the final model's predictions, except for an image classification
     * with a test split, whose accuracy and val_accuracy are its last epoch's too (its training and
     * validation rows are not predicted again, see {@link #predictions}); test figures from the
     * final model (Keras's {@code evaluate}).
     */
    public static TrainingResult of(Experiment experiment, TrainedModel model, EpochEvent last, long millis,
                                    EarlyStop earlyStop) {
        Problem problem = experiment.problem();
        boolean epochFigures = testedImages(problem) && last != null && last.metrics().get("accuracy") != null
                && (experiment.trainRows() == problem.fitRows() || last.metrics().get("val_accuracy") != null);
        double[][] predictions = epochFigures ? predictions(experiment, model)
                : experiment.predict(model, problem.x());
        int split = experiment.trainRows();
        int fit = problem.fitRows();
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (last != null) {
            metrics.put("loss", last.loss());
            if (last.valLoss() != null) {
                metrics.put("val_loss", last.valLoss());
            }
        }
        int[][] confusion = null;
        if (problem.isClassification()) {
            // with a test split the matrix is the test set's (model.evaluate's), else every row's
            confusion = confusionMatrix(problem, predictions, problem.testRows() > 0 ? fit : 0, problem.rows());
            metrics.put("accuracy", epochFigures ? last.metrics().get("accuracy")
                    : accuracy(confusionMatrix(problem, predictions, 0, split)));
            if (split < fit) {
                metrics.put("val_accuracy", epochFigures ? last.metrics().get("val_accuracy")
                        : accuracy(confusionMatrix(problem, predictions, split, fit)));
            }
            if (problem.testRows() > 0) {
                metrics.put("test_loss", crossEntropy(problem.y(), predictions, fit, problem.rows()));
                metrics.put("test_accuracy", accuracy(confusion));
            }
        } else {
            regression(metrics, "", problem.y(), predictions, 0, split);
            if (split < fit) {
                regression(metrics, "val_", problem.y(), predictions, split, fit);
            }
            if (problem.testRows() > 0) {
                regression(metrics, "test_", problem.y(), predictions, fit, problem.rows());
            }
        }
        return new TrainingResult(model.weights(), summary(experiment), experiment.network()
                .parameterCount(problem.inputShape()), metrics, predictions, confusion, equation(experiment, model),
                last == null ? 0 : last.epoch(), millis, earlyStop);
    }

    /**
     * A model's figures on rows it never trained on, in original units: {@code test_loss} and
     * {@code test_accuracy} for a classification (as Keras's {@code evaluate}), else
     * {@code test_mse}, {@code test_mae} and {@code test_r2}.
     *
     * @param predictions the model's outputs for {@code heldOut}'s rows (probabilities, or values in original units)
     */
    public static Map<String, Double> heldOut(Problem heldOut, double[][] predictions) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (heldOut.isClassification()) {
            metrics.put("test_loss", crossEntropy(heldOut.y(), predictions, 0, heldOut.rows()));
            metrics.put("test_accuracy", accuracy(confusionMatrix(heldOut, predictions, 0, heldOut.rows())));
        } else {
            regression(metrics, "test_", heldOut.y(), predictions, 0, heldOut.rows());
        }
        return metrics;
    }

    /**
     * Mean categorical (or binary, for one column) cross-entropy of rows [from, to), probabilities
     * clipped to [1e-7, 1 − 1e-7] as Keras's {@code evaluate} reports it.
     */
    static double crossEntropy(double[][] y, double[][] p, int from, int to) {
        double sum = 0;
        for (int r = from; r < to; r++) {
            for (int c = 0; c < y[r].length; c++) {
                double q = Math.min(1 - 1e-7, Math.max(1e-7, p[r][c]));
                sum -= y[r].length == 1 ? y[r][c] * Math.log(q) + (1 - y[r][c]) * Math.log(1 - q) : y[r][c] * Math.log(q);
            }
        }
        return sum / (to - from);
    }

    /** Mean squared error, mean absolute error and R² over all outputs of rows [from, to). */
    static void regression(Map<String, Double> metrics, String prefix, double[][] y, double[][] p, int from, int to) {
        int outputs = y[0].length;
        double squared = 0;
        double absolute = 0;
        double residual = 0;
        double total = 0;
        for (int c = 0; c < outputs; c++) {
            double mean = 0;
            for (int r = from; r < to; r++) {
                mean += y[r][c] / (to - from);
            }
            for (int r = from; r < to; r++) {
                double error = y[r][c] - p[r][c];
                squared += error * error;
                absolute += Math.abs(error);
                residual += error * error;
                total += (y[r][c] - mean) * (y[r][c] - mean);
            }
        }
        int count = (to - from) * outputs;
        metrics.put(prefix + "mse", squared / count);
        metrics.put(prefix + "mae", absolute / count);
        metrics.put(prefix + "r2", total > 0 ? 1 - residual / total : Double.NaN);
    }

    static int[][] confusionMatrix(Problem problem, double[][] predictions, int from, int to) {
        int classes = problem.classes().size();
        int[][] matrix = new int[classes][classes];
        for (int r = from; r < to; r++) {
            matrix[classIndex(problem.y()[r])][classIndex(predictions[r])]++;
        }
        return matrix;
    }

    /** The class of a one-hot row or probability row; a single column is a probability of class 1. */
    public static int classIndex(double[] row) {
        if (row.length == 1) {
            return row[0] >= 0.5 ? 1 : 0;
        }
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }

    static double accuracy(int[][] confusion) {
        long correct = 0;
        long total = 0;
        for (int i = 0; i < confusion.length; i++) {
            for (int j = 0; j < confusion.length; j++) {
                total += confusion[i][j];
                if (i == j) {
                    correct += confusion[i][j];
                }
            }
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** Keras's summary: conv2d, max_pooling2d, dense, dense_1, …; output shape (None, …); weights + biases. */
    public static List<SummaryRow> summary(Experiment experiment) {
        List<SummaryRow> rows = new ArrayList<>();
        for (LayerShapes.Row row : LayerShapes.of(experiment.network(), experiment.problem().inputShape()).rows()) {
            rows.add(new SummaryRow(row.name(), row.layer().type().kerasName(), row.outputShape(), row.parameters()));
        }
        return rows;
    }

    /** For one linear neuron, y = w·x + b with standardisation undone. */
    static Equation equation(Experiment experiment, TrainedModel model) {
        List<LayerSpec> layers = experiment.network().layers();
        Problem problem = experiment.problem();
        if (layers.size() != 1 || experiment.network().output().activation() != Activation.LINEAR || problem.inputCount() != 1
                || problem.outputCount() != 1 || problem.isClassification()) {
            return null;
        }
        LayerWeights weights = model.weights().get(0);
        return line(experiment, weights.weights()[0][0], weights.biases()[0]);
    }

    /** A one-neuron network's weight and bias, as trained, in original units (standardisation undone). */
    static Equation line(Experiment experiment, double w, double b) {
        double sx = experiment.inputScaler().std()[0];
        double mx = experiment.inputScaler().mean()[0];
        double sy = experiment.targetScaler().std()[0];
        double my = experiment.targetScaler().mean()[0];
        double weight = w * sy / sx;
        return new Equation(weight, my + sy * b - weight * mx);
    }
}
