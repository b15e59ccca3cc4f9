package sinapsis.training.nd4j;

/**
 * A trained {@link ConvNetwork}: predicts in batches, each call with passes of its own (freed at
 * once), so calls may overlap; the parameters are no longer changed.
 */
final class ConvModel extends FrozenModel {
    private final ConvNetwork network;

    ConvModel(ConvNetwork network) {
        super(network.weights());
        this.network = network;
    }

    @Override
    public double[][] predict(double[][] inputs) {
        int outputs = network.outputSize();
        double[][] predictions = new double[inputs.length][outputs];
        ConvPass pass = null;
        try {
            for (int from = 0; from < inputs.length; from += ConvPasses.EVALUATION_BATCH) {
                int rows = Math.min(ConvPasses.EVALUATION_BATCH, inputs.length - from);
                if (pass == null || pass.rows != rows) {
                    if (pass != null) {
                        pass.close();
                    }
                    pass = new ConvPass(network, rows, null, null);
                }
                int first = from;
                pass.fill(network.inputs(inputs, i -> first + i, rows), null);
                float[] out = pass.predict();
                for (int r = 0; r < rows; r++) {
                    for (int u = 0; u < outputs; u++) {
                        predictions[from + r][u] = out[r * outputs + u];
                    }
                }
            }
        } finally {
            if (pass != null) {
                pass.close();
            }
        }
        return predictions;
    }
}
