package sinapsis.web;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.ws;

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

    /** {@code ?refit=}'s answer: the search whose best combination a session refits, or null. */
    record Refit(Link search) {
    }

    record Link(String id, String url) {
    }
    private final SearchService searches;
    private final SearchJson views;
    private final GridExpansion grid;
    private final Bodies bodies;
    private final ClassTokens classTokens;

    SearchController(SearchService searches, SearchJson views, GridExpansion grid, Bodies bodies,
                     ClassTokens classTokens) {
        this.searches = searches;
        this.views = views;
        this.grid = grid;
        this.bodies = bodies;
        this.classTokens = classTokens;
    }

    /** Grid searches: start, list, read, stop, and their live feed. */
    io.javalin.apibuilder.EndpointGroup routes(SnapshotSocket<GridSearch> socket) {
        return () -> {
            post("/api/searches", this::create);
            get("/api/searches", this::list);
            get("/api/searches/{id}", this::show);
            post("/api/searches/{id}/stop", this::stop);
            ws("/ws/searches/<id>", socket::configure);
        };
    }

    void create(Context ctx) {
        SearchRequest request = grid.read(bodies.object(ctx));
        // its pasted table counts in the maker's space (a student's: their class's) until it ends
        SearchService.Created created = searches.create(request, SessionNames.refit(Languages.of(ctx),
                request.combinations().get(0).spec(), System.currentTimeMillis()),
                SessionAccess.requester(ctx, classTokens.student(ctx)));
        GridSearch search = created.search();
        Ownership.grantSearch(ctx, search.id(), created.ownerToken());
        ctx.status(201).json(new Created(search.id(), "/searches/" + search.id(),
                created.ownerToken(), search.snapshot().status()));
    }

    /** The search; for its owner, also the owner cookies of the session that refits its best combination. */
    void show(Context ctx) {
        GridSearch search = search(ctx);
        String token = Ownership.token(ctx);
        boolean owner = searches.isOwner(search, token);
        SearchJson.SearchView view = views.write(search, owner);
        if (owner && view.summary().bestSessionId() != null) {
            Ownership.grant(ctx, view.summary().bestSessionId(), token);
        }
        ctx.json(view);
    }

    void stop(Context ctx) {
        GridSearch search = search(ctx);
        if (!searches.isOwner(search, Ownership.token(ctx))) {
            throw new ApiError(403, null, "error.notOwner");
        }
        searches.stop(search);
        ctx.json(views.write(search, null));
    }

    /**
     * {@code ?ids=a,b}: those searches in that order, without their curves (the "My sessions" list;
     * unknown ids are left out); {@code ?refit=<session id>}: {@code {"search": …}}, the search whose
     * best combination that session refits, or null.
     */
    void list(Context ctx) {
        String refit = ctx.queryParam("refit");
        if (refit != null) {
            ctx.json(new Refit(searches.refitInto(refit).map(s -> new Link(s.id(), "/searches/" + s.id())).orElse(null)));
            return;
        }
        ctx.json(SessionController.ids(ctx.queryParam("ids"), MAX_LISTED).stream().map(searches::find)
                .flatMap(java.util.Optional::stream).map(views::summary).toList());
    }

    private GridSearch search(Context ctx) {
        return searches.find(ctx.pathParam("id")).orElseThrow(() -> new ApiError(404, null, "error.searchNotFound"));
    }
}
