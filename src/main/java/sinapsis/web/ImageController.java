package sinapsis.web;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.post;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    private final ObjectMapper json;

    ImageController(SessionService sessions, ImageSets images, ObjectMapper json) {
        this.sessions = sessions;
        this.images = images;
        this.json = json;
    }

    /** Fashion-MNIST's state and download, and a session's sample images. */
    io.javalin.apibuilder.EndpointGroup routes() {
        return () -> {
            get("/api/datasets/fashion-mnist", this::fashionStatus);
            post("/api/datasets/fashion-mnist/download", this::startFashionDownload);
            get("/api/sessions/{id}/samples", this::samples);
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

    ObjectNode status(ImageSets.Status status, Locale locale) {
        ObjectNode node = json.createObjectNode().put("id", FashionMnist.ID)
                .put("state", status.state().name().toLowerCase(Locale.ROOT)).put("canDownload", images.canDownload());
        if (status.failure() != null) {
            node.put("error", Messages.get(locale, "error.downloadFailed", status.failure()));
        }
        if (status.file() != null) {
            node.putObject("progress").put("file", status.file()).put("bytes", status.bytes())
                    .put("size", status.size());
        }
        return node;
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
        ctx.json(SampleImages.of(session, count(ctx.queryParam("count"))));
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
