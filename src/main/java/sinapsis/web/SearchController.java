package sinapsis.web;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import sinapsis.search.GridSearch;
import sinapsis.search.SearchService;

/**
 * {@code /api/searches}: start a grid search, read it, stop it. The owner token of a search also
 * owns the session that refits its best combination; reading a finished search with that token
 * hands the browser that session's owner cookies too.
 */
final class SearchController {
    private static final int MAX_LISTED = 200;
    private final SearchService searches;
    private final ObjectMapper json;
    private final SearchJson views;
    private final java.util.function.Function<Context, JsonNode> body;

    SearchController(SearchService searches, ObjectMapper json, SearchJson views,
                     java.util.function.Function<Context, JsonNode> body) {
        this.searches = searches;
        this.json = json;
        this.views = views;
        this.body = body;
    }

    /** Grid searches: start, list, read, stop, and their live feed. */
    io.javalin.apibuilder.EndpointGroup routes(SnapshotSocket<GridSearch> socket) {
        return () -> {
            post("/api/searches", this::create);
            get("/api/searches", this::list);
            get("/api/searches/{id}", this::show);
            post("/api/searches/{id}/stop", this::stop);
            ws("/ws/searches/{id}", socket::configure);
        };
    }

    void create(Context ctx) {
        sinapsis.search.SearchRequest request = views.read(body.apply(ctx));
        java.util.Locale locale = Languages.of(ctx);
        String refitName = ApiController.fitName(Messages.get(locale, "search.refitName",
                ApiController.defaultName(locale, request.combinations().get(0).spec(), System.currentTimeMillis())));
        SearchService.Created created = searches.create(request, refitName);
        GridSearch search = created.search();
        Ownership.grantSearch(ctx, search.id(), created.ownerToken());
        ctx.status(201).json(json.createObjectNode().put("id", search.id()).put("url", "/searches/" + search.id())
                .put("ownerToken", created.ownerToken()).put("status", search.snapshot().status()));
    }

    void show(Context ctx) {
        GridSearch search = search(ctx);
        String token = Ownership.token(ctx);
        boolean owner = searches.isOwner(search, token);
        var node = views.write(search).put("owner", owner);
        String best = node.path("bestSessionId").asText(null);
        if (owner && best != null) {
            Ownership.grant(ctx, best, token);
        }
        ctx.json(node);
    }

    void stop(Context ctx) {
        GridSearch search = search(ctx);
        if (!searches.isOwner(search, Ownership.token(ctx))) {
            throw new ApiError(403, null, "error.notOwner");
        }
        searches.stop(search);
        ctx.json(views.write(search));
    }

    /**
     * {@code ?ids=a,b}: those searches in that order, without their curves (the "My sessions" list;
     * unknown ids are left out); {@code ?refit=<session id>}: {@code {"search": …}}, the search whose
     * best combination that session refits, or null.
     */
    void list(Context ctx) {
        String refit = ctx.queryParam("refit");
        if (refit != null) {
            var answer = json.createObjectNode();
            searches.refitInto(refit).ifPresentOrElse(
                    search -> answer.putObject("search").put("id", search.id()).put("url", "/searches/" + search.id()),
                    () -> answer.putNull("search"));
            ctx.json(answer);
            return;
        }
        String ids = ctx.queryParam("ids");
        var list = json.createArrayNode();
        if (ids != null && !ids.isBlank()) {
            java.util.List<String> wanted = java.util.Arrays.stream(ids.split(",")).map(String::strip)
                    .filter(id -> !id.isEmpty()).distinct().toList();
            if (wanted.size() > MAX_LISTED) {
                throw new sinapsis.model.InvalidSpecException("ids", "error.limit", wanted.size(), MAX_LISTED);
            }
            wanted.forEach(id -> searches.find(id).ifPresent(search -> list.add(views.summary(search))));
        }
        ctx.json(list);
    }

    private GridSearch search(Context ctx) {
        return searches.find(ctx.pathParam("id")).orElseThrow(() -> new ApiError(404, null, "error.searchNotFound"));
    }
}
