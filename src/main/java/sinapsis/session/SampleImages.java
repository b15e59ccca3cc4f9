package sinapsis.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import sinapsis.data.Problem;
import sinapsis.training.Results;
import sinapsis.training.TrainingResult;

/**
 * Images a session shows from the data it did not train on: the test split, else the validation
 * rows, else the first rows; each with its grey levels, its true class and, once trained, the
 * predicted one and its probability.
 */
public record SampleImages(String split, int width, int height, List<Sample> images) {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sample(int[] pixels, int label, Integer predicted, Double probability) {
    }

    /** The most images a session shows (and offers for its activation maps). */
    public static final int MAX_COUNT = 100;

    /** The rows shown, {@code [from, to)} of the problem's: the test split, else validation, else training, named. */
    record Split(String name, int from, int to) {
    }

    /** @param testHidden whether the test split may not be shown (a challenge scores on it) */
    static Split split(Session session, boolean testHidden) {
        Problem problem = session.run().experiment().problem();
        int trainRows = session.run().experiment().trainRows();
        boolean test = problem.testRows() > 0 && !testHidden;
        int from = test ? problem.fitRows() : trainRows < problem.fitRows() ? trainRows : 0;
        return new Split(test ? "test" : from > 0 ? "validation" : "training", from,
                test ? problem.rows() : problem.fitRows());
    }

    /**
     * Up to {@code count} images of an image session; with {@code testHidden} (a challenge's
     * session, scored on the test split) from its validation or training images only.
     */
    public static SampleImages of(Session session, int count, boolean testHidden) {
        Problem problem = session.run().experiment().problem();
        Split shown = split(session, testHidden);
        int from = shown.from();
        String split = shown.name();
        TrainingResult result = session.run().result();
        double[][] predictions = result == null ? null : result.predictions();
        List<Sample> images = new ArrayList<>();
        int end = Math.min(shown.to(), from + count);
        for (int r = from; r < end; r++) {
            images.add(sample(problem, r, predictions == null ? null : predictions[r]));
        }
        return new SampleImages(split, problem.inputShape().width(), problem.inputShape().height(), images);
    }

    private static Sample sample(Problem problem, int row, double[] prediction) {
        double[] x = problem.x()[row];
        int[] pixels = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            pixels[i] = (int) Math.round(x[i]);
        }
        int label = Results.classIndex(problem.y()[row]);
        if (prediction == null) {
            return new Sample(pixels, label, null, null);
        }
        int predicted = Results.classIndex(prediction);
        double probability = prediction.length == 1 ? (predicted == 1 ? prediction[0] : 1 - prediction[0])
                : prediction[predicted];
        return new Sample(pixels, label, predicted, probability);
    }
}
