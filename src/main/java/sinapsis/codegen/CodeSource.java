package sinapsis.codegen;

import java.util.List;
import sinapsis.data.Problem;
import sinapsis.model.NetworkSpec;
import sinapsis.model.TrainingSpec;

/**
 * What an export writes out: the session's title, its network and training settings, its numeric
 * problem (classification targets already one-hot, or one 0/1 column), and where the data can be
 * downloaded when it is too large to write inline, and what each class is called.
 */
public record CodeSource(String title, NetworkSpec network, TrainingSpec training, Problem problem, String dataUrl,
                         List<String> classNames) {
    /** Up to this many values, the data is written into the program itself. */
    public static final int MAX_INLINE_VALUES = 2000;

    /**
     * @param classNames what each of the problem's classes is, in its order ("T-shirt/top" for label 0);
     *                   the labels themselves when null
     */
    public CodeSource {
        classNames = classNames == null ? problem.classes() : List.copyOf(classNames);
        if (classNames.size() != problem.classes().size()) {
            throw new IllegalArgumentException("classNames: " + classNames.size() + " names for "
                    + problem.classes().size() + " classes");
        }
    }

    public CodeSource(String title, NetworkSpec network, TrainingSpec training, Problem problem, String dataUrl) {
        this(title, network, training, problem, dataUrl, null);
    }

    public boolean inline() {
        return (long) problem.rows() * (problem.inputCount() + problem.outputCount()) <= MAX_INLINE_VALUES;
    }

    /** Header of the data CSV: the inputs, then the outputs (one column per class for classification). */
    public List<String> columns() {
        return java.util.stream.Stream.concat(problem.inputNames().stream(), problem.outputNames().stream()).toList();
    }

    /** Rows of the validation split: the last ones, as Keras's {@code validation_split} takes them. */
    public int validationRows() {
        return (int) Math.floor(problem.rows() * training.validationSplit());
    }
}
