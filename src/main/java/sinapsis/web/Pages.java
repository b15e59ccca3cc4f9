package sinapsis.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.ITemplateContext;
import org.thymeleaf.messageresolver.AbstractMessageResolver;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import sinapsis.session.SessionService;
import sinapsis.training.BackendInfo;

/** The pages: the editor at {@code /} and a session's page at {@code /s/{id}} (the same page, opened on it). */
final class Pages {
    static final String TRAINER = "trainer";

    private final TemplateEngine engine;
    private final SessionService sessions;
    private final ObjectMapper json;
    private final String version;

    Pages(SessionService sessions, ObjectMapper json, String version) {
        this.sessions = sessions;
        this.json = json;
        this.version = version;
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("web/templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine = new TemplateEngine();
        engine.setTemplateResolver(resolver);
        engine.setMessageResolver(new BundleMessageResolver());
    }

    void editor(Context ctx) {
        render(ctx, null);
    }

    void session(Context ctx) {
        String id = ctx.pathParam("id");
        if (sessions.find(id).isEmpty()) {
            ctx.status(404);
        }
        render(ctx, id);
    }

    private void render(Context ctx, String sessionId) {
        Locale locale = Languages.of(ctx);
        BackendInfo backend = sessions.training().backend();
        Map<String, Object> model = new HashMap<>();
        model.put("lang", locale.getLanguage());
        model.put("sessionId", sessionId);
        model.put("sessionMissing", sessionId != null && ctx.status().getCode() == 404);
        model.put("backend", backend.backend());
        model.put("device", backend.device());
        model.put("version", version);
        model.put("maxPasteBytes", sessions.limits().maxPasteBytes());
        model.put("messagesJson", messagesJson(locale));
        ctx.contentType("text/html; charset=utf-8");
        ctx.header("Cache-Control", "no-store");
        ctx.result(engine.process(TRAINER, new org.thymeleaf.context.Context(locale, model)));
    }

    /** The language's messages as JSON that is safe inside a script element. */
    private String messagesJson(Locale locale) {
        try {
            return json.writeValueAsString(Messages.all(locale)).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lets templates say {@code #{key}} and read it from our bundles. */
    private static final class BundleMessageResolver extends AbstractMessageResolver {
        @Override
        public String resolveMessage(ITemplateContext context, Class<?> origin, String key, Object[] parameters) {
            return Messages.get(context.getLocale(), key, parameters == null ? new Object[0] : parameters);
        }

        @Override
        public String createAbsentMessageRepresentation(ITemplateContext context, Class<?> origin, String key,
                                                        Object[] parameters) {
            return "??" + key + "??";
        }
    }
}
