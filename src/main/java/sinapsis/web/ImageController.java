package sinapsis.web;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.post;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.Context;
import java.util.Locale;
import sinapsis.data.FashionMnist;
import sinapsis.data.ImageSets;
import sinapsis.model.InvalidSpecException;
import sinapsis.session.SampleImages;
import sinapsis.session.Session;
import sinapsis.session.SessionService;

/**
 * Image data: the Fashion-MNIST download ({@code GET/POST /api/datasets/fashion-mnist}) and a
 * session's sample images with their true and predicted classes ({@code GET /api/sessions/{id}/samples}).
 */
final class ImageController {
    static final int MAX_SAMPLES = 100;

    private final SessionService sessions;
    private final ImageSets images;
    private final sinapsis.challenge.ChallengeService challenges;

    ImageController(SessionService sessions, ImageSets images, sinapsis.challenge.ChallengeService challenges) {
        this.sessions = sessions;
        this.images = images;
        this.challenges = challenges;
    }

    /** A challenge's session shows no test image: the challenge scores on them. */
    private boolean testHidden(Session session) {
        return challenges.ofSession(session.id()).isPresent();
    }

    /** Fashion-MNIST's state and download, and a session's sample images. */
    io.javalin.apibuilder.EndpointGroup routes() {
        return () -> {
            get("/api/datasets/fashion-mnist", this::fashionStatus);
            post("/api/datasets/fashion-mnist/download", this::startFashionDownload);
            get("/api/sessions/{id}/samples", this::samples);
            get("/api/sessions/{id}/activations", this::activations);
        };
    }

    void fashionStatus(Context ctx) {
        ctx.json(status(images.fashionStatus(), Languages.of(ctx)));
    }

    /** Starts the download (202) unless the files are there or on their way; a local copy cannot be downloaded over. */
    void startFashionDownload(Context ctx) {
        if (!images.canDownload()) {
            throw new ApiError(409, "dataset", "error.fashionMnistLocal");
        }
        ImageSets.Status status = images.startDownload();
        ctx.status(status.state() == ImageSets.State.AVAILABLE ? 200 : 202).json(status(status, Languages.of(ctx)));
    }

    /** Fashion-MNIST's state, its download's progress and why it failed, in the reader's language. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StatusView(String id, String state, boolean canDownload, String error, Progress progress) {
    }

    record Progress(String file, long bytes, long size) {
    }

    StatusView status(ImageSets.Status status, Locale locale) {
        return new StatusView(FashionMnist.ID, status.state().name().toLowerCase(Locale.ROOT), images.canDownload(),
                status.failure() == null ? null : Messages.get(locale, "error.downloadFailed", status.failure()),
                status.file() == null ? null : new Progress(status.file(), status.bytes(), status.size()));
    }

    /**
     * Up to {@code count} images (24 by default) from the test split, else the validation rows, else
     * the first rows: grey levels, the true class and, once trained, the predicted one and its probability.
     */
    void samples(Context ctx) {
        Session session = sessions.find(ctx.pathParam("id")).orElseThrow(ApiError::notFound);
        if (!session.run().experiment().problem().inputShape().isImage()) {
            throw new InvalidSpecException("id", "error.notImages");
        }
        ctx.json(SampleImages.of(session, count(ctx.queryParam("count")), testHidden(session)));
    }

    /** {@code ?sample=K}: the activation maps of the K-th shown image (0 by default), by the latest model. */
    void activations(Context ctx) {
        Session session = sessions.find(ctx.pathParam("id")).orElseThrow(ApiError::notFound);
        String sample = ctx.queryParam("sample");
        int index;
        try {
            index = sample == null ? 0 : Integer.parseInt(sample.trim());
        } catch (NumberFormatException e) {
            throw new InvalidSpecException("sample", "error.notInteger", Messages.echo(sample, 40));
        }
        ctx.json(sinapsis.session.ActivationMaps.of(session, index, testHidden(session)));
    }

    private static int count(String text) {
        if (text == null) {
            return 24;
        }
        try {
            int count = Integer.parseInt(text.trim());
            if (count >= 1 && count <= MAX_SAMPLES) {
                return count;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new InvalidSpecException("count", "error.range", text, 1, MAX_SAMPLES);
    }
}
