package sinapsis.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import sinapsis.model.TrainingSpec;
import sinapsis.session.SessionService.Stepped;
import sinapsis.training.GradientStep;
import sinapsis.training.LayerWeights;
import sinapsis.training.TrainingJob;

/** A gradient step as {@code POST /api/steps} answers it: every number the step-by-step view shows. */
final class StepJson {
    private final ObjectMapper json;
    private final SessionJson views;

    StepJson(ObjectMapper json, SessionJson views) {
        this.json = json;
        this.views = views;
    }

    ObjectNode write(Stepped stepped) {
        GradientStep step = stepped.step();
        TrainingSpec training = stepped.experiment().training();
        TrainingJob job = stepped.experiment().job();
        ObjectNode node = json.createObjectNode();
        node.put("step", step.step());
        node.put("optimizer", training.optimizer().id());
        node.put("learningRate", training.learningRate());
        node.put("loss", training.loss().id());
        node.put("standardized", training.standardize());
        node.put("lossBefore", step.loss());
        node.put("lossAfter", step.newLoss());
        stepped.experiment().problem().inputNames().forEach(node.putArray("inputs")::add);
        stepped.experiment().problem().outputNames().forEach(node.putArray("outputs")::add);
        node.set("x", views.matrix(job.xTrain()));
        node.set("y", views.matrix(job.yTrain()));
        node.set("predictions", views.matrix(step.predictions()));
        ArrayNode layers = node.putArray("layers");
        for (int l = 0; l < step.before().size(); l++) {
            ObjectNode layer = layers.addObject();
            layer.put("name", l == 0 ? "dense" : "dense_" + l);
            put(layer, "before", step.before(), l);
            put(layer, "gradient", step.gradients(), l);
            put(layer, "update", step.updates(), l);
            put(layer, "after", step.after(), l);
        }
        return node;
    }

    private void put(ObjectNode layer, String field, List<LayerWeights> weights, int l) {
        if (weights == null) {
            return;
        }
        ObjectNode node = layer.putObject(field);
        node.set("weights", views.matrix(weights.get(l).weights()));
        ArrayNode biases = node.putArray("biases");
        for (double b : weights.get(l).biases()) {
            biases.add(b);
        }
    }
}
