package sinapsis.session;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import sinapsis.data.Problem;
import sinapsis.model.InvalidSpecException;
import sinapsis.training.LayerMaps;
import sinapsis.training.Results;
import sinapsis.training.TrainingRun;

/**
 * {@code GET /api/sessions/{id}/activations?sample=K}: what each convolution and pooling layer of
 * an image network responds to in the K-th of the images {@link SampleImages} shows (its first
 * {@value #CHANNELS} channels), by the run's latest model — so it changes epoch after epoch. Each
 * map is quantised to bytes between its own min and max (base64).
 */
public record ActivationMaps(String split, int sample, int label, int epoch, List<Layer> layers) {
    public static final int CHANNELS = 8;

    /** One layer's maps. */
    public record Layer(int index, String type, int height, int width, int channels, List<Map> maps) {
    }

    /** One channel's map: {@code values[row · width + column]} from 0 ({@code min}) to 255 ({@code max}). */
    public record Map(float min, float max, String values) {
    }

    public static ActivationMaps of(Session session, int sample, boolean testHidden) {
        Problem problem = session.run().experiment().problem();
        if (!problem.inputShape().isImage()) {
            throw new InvalidSpecException("sample", "error.activationsImagesOnly");
        }
        SampleImages.Split split = SampleImages.split(session, testHidden);
        int available = split.to() - split.from();
        if (sample < 0 || sample >= Math.min(available, SampleImages.MAX_COUNT)) {
            throw new InvalidSpecException("sample", "error.range", sample, 0, Math.min(available, SampleImages.MAX_COUNT) - 1);
        }
        TrainingRun.LiveModel live = session.run().live();
        if (live == null) {
            throw new InvalidSpecException("", "error.notTrainedYet");
        }
        int row = split.from() + sample;
        List<Layer> layers = new ArrayList<>();
        for (LayerMaps maps : live.model().activationMaps(problem.x()[row], CHANNELS)) {
            List<Map> quantised = new ArrayList<>();
            for (float[] values : maps.maps()) {
                quantised.add(quantise(values));
            }
            layers.add(new Layer(maps.layer(), maps.type(), maps.height(), maps.width(), maps.channels(), quantised));
        }
        return new ActivationMaps(split.name(), sample, Results.classIndex(problem.y()[row]), live.epoch(), layers);
    }

    private static Map quantise(float[] values) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) (max > min ? Math.round((values[i] - min) / (max - min) * 255) : 0);
        }
        return new Map(min, max, Base64.getEncoder().encodeToString(bytes));
    }
}
