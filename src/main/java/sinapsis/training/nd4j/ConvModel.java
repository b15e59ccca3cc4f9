package sinapsis.training.nd4j;

/**
 * A trained {@link ConvNetwork}: predicts in batches, each call with passes of its own (freed at
 * once), so calls may overlap; the parameters are no longer changed.
 */
final class ConvModel extends FrozenModel {
    private final ConvNetwork network;

    ConvModel(ConvNetwork network) {
        super(network::weights);
        this.network = network;
    }

    @Override
    public java.util.List<sinapsis.training.LayerMaps> activationMaps(double[] input, int channels) {
        Nd4jBackend.forPartWork(); // one image: one thread
        java.util.List<sinapsis.training.LayerMaps> maps = new java.util.ArrayList<>();
        try (ConvPass pass = new ConvPass(network, 1, null, null)) {
            pass.fill(network.inputs(new double[][] {input}, i -> 0, 1), null);
            pass.predict();
            java.util.List<ConvNetwork.Stage> stages = network.stages();
            for (int s = 0; s < stages.size(); s++) {
                ConvNetwork.Stage stage = stages.get(s);
                if (!(stage.layer() instanceof sinapsis.model.LayerSpec.Windowed)) {
                    continue;
                }
                int height = stage.out().height();
                int width = stage.out().width();
                int depth = stage.out().channels();
                float[] values = pass.output(s).dup('c').data().asFloat(); // 1 × height × width × channels
                // a ReLU the network moved after the next pooling (see ConvNetwork.Stage) is what Keras shows here
                boolean movedReLU = stage.layer() instanceof sinapsis.model.LayerSpec.Conv2d conv
                        && conv.activation() == sinapsis.model.Activation.RELU
                        && stage.activation() == sinapsis.model.Activation.LINEAR;
                java.util.List<float[]> shown = new java.util.ArrayList<>();
                for (int c = 0; c < Math.min(channels, depth); c++) {
                    float[] map = new float[height * width];
                    for (int p = 0; p < map.length; p++) {
                        float v = values[p * depth + c];
                        map[p] = movedReLU ? Math.max(0, v) : v;
                    }
                    shown.add(map);
                }
                maps.add(new sinapsis.training.LayerMaps(s, stage.layer().type().kerasName(), height, width, depth,
                        shown));
            }
        }
        return maps;
    }

    /**
     * The outputs for {@code inputs}, in batches of {@value ConvPasses#EVALUATION_BATCH} cut into
     * parts that run side by side ({@link PartedPass}) on this call's share of the cores: it counts
     * among the runs computing while it does.
     */
    @Override
    public double[][] predict(double[][] inputs) {
        int outputs = network.outputSize();
        double[][] predictions = new double[inputs.length][outputs];
        PartedPass pass = null;
        try (Nd4jBackend.Computing share = Nd4jBackend.computing();
             BatchParts runner = new BatchParts(Nd4jBackend.cores())) {
            for (int from = 0; from < inputs.length; from += ConvPasses.EVALUATION_BATCH) {
                int rows = Math.min(ConvPasses.EVALUATION_BATCH, inputs.length - from);
                if (pass == null || pass.rows() != rows) {
                    if (pass != null) {
                        pass.close();
                    }
                    pass = new PartedPass(network, rows, PartedPass.partsFor(rows, Nd4jBackend.cores()), null, null,
                            1, runner);
                }
                PartedPass filled = pass;
                int batchFrom = from;
                filled.fillBy(p -> {
                    int first = batchFrom + filled.firstRow(p);
                    filled.part(p).fill(network.inputs(inputs, i -> first + i, filled.part(p).rows), null);
                });
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
