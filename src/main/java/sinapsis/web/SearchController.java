package sinapsis.web;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.ws;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import sinapsis.search.GridExpansion;
import sinapsis.search.GridSearch;
import sinapsis.search.SearchRequest;
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
    private final GridExpansion grid;
    private final Bodies bodies;

    SearchController(SearchService searches, ObjectMapper json, SearchJson views, GridExpansion grid, Bodies bodies) {
        this.searches = searches;
        this.json = json;
        this.views = views;
        this.grid = grid;
        this.bodies = bodies;
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
        SearchRequest request = grid.read(bodies.object(ctx));
        SearchService.Created created = searches.create(request, SessionNames.refit(Languages.of(ctx),
                request.combinations().get(0).spec(), System.currentTimeMillis()));
        GridSearch search = created.search();
        Ownership.grantSearch(ctx, search.id(), created.ownerToken());
        ctx.status(201).json(new Created(search.id(), "/searches/" + search.id(),
                created.ownerToken(), search.snapshot().status()));
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
        var list = json.createArrayNode();
        SessionController.ids(ctx.queryParam("ids"), MAX_LISTED)
                .forEach(id -> searches.find(id).ifPresent(search -> list.add(views.summary(search))));
        ctx.json(list);
    }

    private GridSearch search(Context ctx) {
        return searches.find(ctx.pathParam("id")).orElseThrow(() -> new ApiError(404, null, "error.searchNotFound"));
    }
}
