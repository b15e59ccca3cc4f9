package sinapsis.challenge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import sinapsis.json.Json;
import sinapsis.model.InvalidSpecException;

/**
 * A text a teacher writes in Spanish, English or both (plain text, line breaks kept). Read as a
 * string (the same text for both) or {@code {"es": "…", "en": "…"}}; shown in the reader's
 * language, else in the other one.
 */
public record Localized(String es, String en) {
    public Localized {
        es = es == null ? "" : es.strip();
        en = en == null ? "" : en.strip();
    }

    /**
     * @param required whether at least one language must have text
     * @param max      the most characters each language may have
     */
    public static Localized read(String field, JsonNode node, boolean required, int max) {
        Localized text;
        if (node == null || node.isNull()) {
            text = new Localized("", "");
        } else if (node.isTextual()) {
            text = new Localized(node.asText(), node.asText());
        } else if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> {
                if (!name.equals("es") && !name.equals("en")) {
                    throw new InvalidSpecException(field + "." + name, "error.unknownField", name);
                }
            });
            text = new Localized(textOf(field + ".es", node.get("es")), textOf(field + ".en", node.get("en")));
        } else {
            throw new InvalidSpecException(field, "error.notText");
        }
        if (required && text.es.isEmpty() && text.en.isEmpty()) {
            throw new InvalidSpecException(field, "error.required");
        }
        for (String value : new String[] {text.es, text.en}) {
            if (value.length() > max) {
                throw new InvalidSpecException(field, "error.textTooLong", value.length(), max);
            }
        }
        return text;
    }

    private static String textOf(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            throw new InvalidSpecException(field, "error.notText");
        }
        return node.asText();
    }

    /** The text in {@code locale}'s language, else in the other one. */
    public String in(Locale locale) {
        String wanted = "en".equals(locale.getLanguage()) ? en : es;
        return wanted.isEmpty() ? (wanted == en ? es : en) : wanted;
    }

    public ObjectNode toJson() {
        return Json.mapper().createObjectNode().put("es", es).put("en", en);
    }
}
