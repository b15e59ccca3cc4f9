package sinapsis.web;

import static io.javalin.apibuilder.ApiBuilder.get;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import sinapsis.codegen.CodeSource;
import sinapsis.codegen.Language;
import sinapsis.data.BuiltInDataset;
import sinapsis.data.BuiltInDatasets;
import sinapsis.data.Problem;
import sinapsis.export.Exports;
import sinapsis.json.SpecJson;
import sinapsis.session.Session;
import sinapsis.session.SessionService;

/** A session's downloads: history, spec, data, the trained model, and the session as a program. */
final class ExportController {
    private final SessionService sessions;
    private final BuiltInDatasets datasets;
    private final SessionAccess access;
    private final SpecJson specs;

    ExportController(SessionService sessions, BuiltInDatasets datasets, SessionAccess access, SpecJson specs) {
        this.sessions = sessions;
        this.datasets = datasets;
        this.access = access;
        this.specs = specs;
    }

    io.javalin.apibuilder.EndpointGroup routes() {
        return () -> {
            get("/api/sessions/{id}/history.csv", this::historyCsv);
            get("/api/sessions/{id}/history.json", this::historyJson);
            get("/api/sessions/{id}/spec.json", this::specFile);
            get("/api/sessions/{id}/data.csv", this::dataCsv);
            get("/api/sessions/{id}/model.zip", this::modelZip);
            get("/api/sessions/{id}/code/{language}", this::code);
            get("/api/sessions/{id}/training-data.csv", this::trainingData);
        };
    }

    void historyCsv(Context ctx) {
        Session session = attachment(ctx, "history.csv", "text/csv; charset=utf-8");
        ctx.result(Exports.historyCsv(session.run().history()));
    }

    void historyJson(Context ctx) {
        Session session = attachment(ctx, "history.json", "application/json");
        ctx.result(Exports.historyJson(session.run().history()).toString());
    }

    void specFile(Context ctx) {
        Session session = attachment(ctx, "spec.json", "application/json");
        ctx.result(specs.write(session.spec(), true).toPrettyString());
    }

    /** The session's table; an image set (not stored as text) as this session used it, in the CSV layout. */
    void dataCsv(Context ctx) {
        Session session = attachment(ctx, "data.csv", "text/csv; charset=utf-8");
        boolean imageSet = session.spec().data().isBuiltIn() && datasets.find(session.spec().data().dataset())
                .map(BuiltInDataset::images).orElse(false);
        ctx.result(imageSet ? Exports.imageCsv(session.run().experiment().problem()) : sessions.csv(session));
    }

    void modelZip(Context ctx) throws IOException {
        Session session = access.find(ctx);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Exports.modelZip(sessions, session, specs.write(session.spec(), true), bytes);
        attachment(ctx, session, "model.zip", "application/zip");
        ctx.result(bytes.toByteArray());
    }

    /**
     * The session as a Keras, PyTorch or DL4J program ({@code ?download} makes it a file). The data
     * is inline when small, else the program reads {@code training-data.csv} from {@link #trainingData}.
     */
    void code(Context ctx) {
        Session session = access.find(ctx);
        Language language = Language.of(ctx.pathParam("language")).orElseThrow(() -> new ApiError(404, "language",
                "error.unknownLanguage", Messages.echo(ctx.pathParam("language"), 40), Language.names()));
        if (language == Language.DL4J) { // image networks are exported to Keras and PyTorch
            Exports.refuseImageNetworks(session.spec().network());
        }
        ctx.contentType("text/plain; charset=utf-8");
        if (ctx.queryParam("download") != null) {
            ctx.header("Content-Disposition", "attachment; filename=\"" + language.fileName() + "\"");
        }
        ctx.result(language.write(codeSource(ctx, session)));
    }

    private static CodeSource codeSource(Context ctx, Session session) {
        String base = ctx.scheme() + "://" + ctx.host();
        Problem problem = session.run().experiment().problem();
        String title = session.name() != null ? session.name() : "Sinapsis " + base + "/s/" + session.id();
        return new CodeSource(title, session.spec().network(), session.spec().training(), problem,
                base + "/api/sessions/" + session.id() + "/training-data.csv",
                SessionJson.classNames(session.spec().data().dataset(), problem.classes(), Languages.of(ctx)));
    }

    /** The numbers the network trains on, comma-separated: the inputs, then the outputs (one-hot classes). */
    void trainingData(Context ctx) {
        Session session = attachment(ctx, "training-data.csv", "text/csv; charset=utf-8");
        Problem problem = session.run().experiment().problem();
        ctx.result(problem.inputShape().isImage() ? Exports.imageCsv(problem) : Exports.trainingDataCsv(problem));
    }

    /** The path's session, its answer made a download named after it. */
    private Session attachment(Context ctx, String file, String type) {
        Session session = access.find(ctx);
        attachment(ctx, session, file, type);
        return session;
    }

    private static void attachment(Context ctx, Session session, String file, String type) {
        ctx.contentType(type);
        ctx.header("Content-Disposition", "attachment; filename=\"sinapsis-" + session.id() + "-" + file + "\"");
    }
}
