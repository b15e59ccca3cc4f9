package sinapsis.training.nd4j;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Huber loss as an {@link ILossFunction}, computed by libnd4j's own {@code huber_loss} and
 * {@code huber_loss_grad} ops (DL4J ships no Huber loss class). Like {@code LossMSE}, the score of
 * an example is the mean over its outputs, and the score of a batch the mean over examples.
 */
final class LossHuber implements ILossFunction {
    private static final int REDUCE_NONE = 0;
    private final double delta;

    LossHuber(double delta) {
        this.delta = delta;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray output = activationFn.getActivation(preOutput.dup(), true);
        INDArray perElement = output.ulike();
        Nd4j.exec(DynamicCustomOp.builder("huber_loss")
                .addInputs(output, ones(output), labels)
                .addOutputs(perElement)
                .addIntegerArguments(REDUCE_NONE)
                .addFloatingPointArguments(delta)
                .build());
        return perElement.mean(true, 1);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / labels.size(0) : sum;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray output = activationFn.getActivation(preOutput.dup(), true);
        INDArray weights = ones(output);
        INDArray dLdOutput = output.ulike();
        Nd4j.exec(DynamicCustomOp.builder("huber_loss_grad")
                .addInputs(output, weights, labels)
                .addOutputs(dLdOutput, weights.ulike(), labels.ulike())
                .addIntegerArguments(REDUCE_NONE)
                .addFloatingPointArguments(delta)
                .build());
        dLdOutput.divi(output.size(1));
        return activationFn.backprop(preOutput, dLdOutput).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    private static INDArray ones(INDArray like) {
        return Nd4j.ones(like.dataType(), like.shape());
    }

    @Override
    public String name() {
        return "huber(" + delta + ")";
    }
}
