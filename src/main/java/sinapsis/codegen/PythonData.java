package sinapsis.codegen;

import sinapsis.data.Problem;

/** The data and its preparation in Python with NumPy, shared by the Keras and PyTorch exports. */
final class PythonData {
    private PythonData() {
    }

    /**
     * Defines CLASSES and CLASS_NAMES, {@code data} (the session's images as {@code training-data.csv} has them:
     * label, then grey levels) and {@code labels} (class indices): how both image exports begin.
     */
    static void readImages(CodeSource source, StringBuilder out) {
        Problem problem = source.problem();
        out.append("CLASSES = ").append(Literals.strings(problem.classes(), "[", "]")).append("  # the labels in the file\n");
        out.append("CLASS_NAMES = ").append(Literals.strings(source.classNames(), "[", "]")).append("  # what each one is\n");
        out.append("# The images as the session used them, one per row: label,pixel1,…,pixel")
                .append(problem.inputShape().size()).append(". Download them first:\n");
        out.append("#   ").append(Literals.comment(source.dataUrl())).append('\n');
        out.append("data = np.genfromtxt(\"training-data.csv\", delimiter=\",\", skip_header=1, dtype=\"float32\")\n");
        out.append("labels = np.array([CLASSES.index(str(int(label))) if str(int(label)) in CLASSES else int(label) "
                + "for label in data[:, 0]])\n");
    }

    /** Defines X and y (float32), INPUTS and OUTPUTS, split and standardised as the session did. */
    static String write(CodeSource source) {
        Problem problem = source.problem();
        StringBuilder out = new StringBuilder();
        out.append("INPUTS = ").append(Literals.strings(problem.inputNames(), "[", "]")).append('\n');
        out.append("OUTPUTS = ").append(Literals.strings(problem.outputNames(), "[", "]")).append('\n');
        if (source.inline()) {
            out.append("X = np.array(").append(Literals.table(problem.x(), "[", "]", "              "))
                    .append(", dtype=\"float32\")\n");
            out.append("y = np.array(").append(Literals.table(problem.y(), "[", "]", "              "))
                    .append(", dtype=\"float32\")\n");
        } else {
            out.append("# The data: ").append(problem.rows()).append(" rows. Download it first:\n");
            out.append("#   ").append(Literals.comment(source.dataUrl())).append('\n');
            out.append("data = np.genfromtxt(\"training-data.csv\", delimiter=\",\", skip_header=1, dtype=\"float32\")\n");
            out.append("data = data.reshape(len(data), -1)\n");
            out.append("X, y = data[:, :len(INPUTS)], data[:, len(INPUTS):]\n");
        }
        out.append('\n');
        out.append("# validation_split: the last rows are held out, as Keras does\n");
        out.append("VALIDATION_SPLIT = ").append(Literals.number(source.training().validationSplit())).append('\n');
        out.append("n_train = len(X) - int(len(X) * VALIDATION_SPLIT)\n");
        if (source.training().standardize()) {
            out.append("\n# standardise with the statistics of the training rows\n");
            out.append("x_mean, x_std = X[:n_train].mean(axis=0), X[:n_train].std(axis=0)\n");
            out.append("x_std[x_std == 0] = 1\n");
            out.append("X = (X - x_mean) / x_std\n");
            if (!problem.isClassification()) {
                out.append("y_mean, y_std = y[:n_train].mean(axis=0), y[:n_train].std(axis=0)\n");
                out.append("y_std[y_std == 0] = 1\n");
                out.append("y = (y - y_mean) / y_std\n");
            }
        }
        out.append("X_train, y_train, X_val, y_val = X[:n_train], y[:n_train], X[n_train:], y[n_train:]\n");
        return out.toString();
    }

    /** Python lines turning network outputs back into original units (a no-op line when not standardised). */
    static String unscale(CodeSource source, String variable) {
        if (source.training().standardize() && !source.problem().isClassification()) {
            return variable + " = " + variable + " * y_std + y_mean\n";
        }
        return "";
    }

    /** Python lines scaling a row of raw inputs the way the training data was scaled. */
    static String scale(CodeSource source, String variable) {
        return source.training().standardize() ? variable + " = (" + variable + " - x_mean) / x_std\n" : "";
    }
}
