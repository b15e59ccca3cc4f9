package sinapsis.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import sinapsis.model.TrainingSpec;
import sinapsis.session.SessionService.Stepped;
import sinapsis.training.GradientStep;
import sinapsis.training.LayerWeights;
import sinapsis.training.TrainingJob;

/** A gradient step as {@code POST /api/steps} answers it: every number the step-by-step view shows. */
final class StepJson {
    record StepView(int step, String optimizer, double learningRate, String loss, boolean standardized,
                    double lossBefore, double lossAfter, List<String> inputs, List<String> outputs, double[][] x,
                    double[][] y, double[][] predictions, List<LayerStep> layers) {
    }

    /** A layer's weights before the step, their gradient, the update and after (those the step has). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LayerStep(String name, LayerWeights before, LayerWeights gradient, LayerWeights update,
                     LayerWeights after) {
    }

    private StepJson() {
    }

    static StepView write(Stepped stepped) {
        GradientStep step = stepped.step();
        TrainingSpec training = stepped.experiment().training();
        TrainingJob job = stepped.experiment().job();
        List<LayerStep> layers = new ArrayList<>();
        for (int l = 0; l < step.before().size(); l++) {
            layers.add(new LayerStep(l == 0 ? "dense" : "dense_" + l, layer(step.before(), l),
                    layer(step.gradients(), l), layer(step.updates(), l), layer(step.after(), l)));
        }
        return new StepView(step.step(), training.optimizer().id(), training.learningRate(), training.loss().id(),
                training.standardize(), step.loss(), step.newLoss(), stepped.experiment().problem().inputNames(),
                stepped.experiment().problem().outputNames(), job.xTrain(), job.yTrain(), step.predictions(), layers);
    }

    private static LayerWeights layer(List<LayerWeights> weights, int l) {
        return weights == null ? null : weights.get(l);
    }
}
