package sinapsis.web;

import java.text.MessageFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/** The message bundles ({@code i18n/messages_es}, {@code i18n/messages_en}): every text a user reads. */
public final class Messages {
    public static final Locale SPANISH = Locale.forLanguageTag("es");
    public static final Locale ENGLISH = Locale.ENGLISH;
    public static final List<Locale> SUPPORTED = List.of(SPANISH, ENGLISH);

    private Messages() {
    }

    private static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle("i18n.messages", supported(locale),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public static Locale supported(Locale locale) {
        return locale != null && "es".equals(locale.getLanguage()) ? SPANISH : ENGLISH;
    }

    /** The text for {@code key}, with {@code {0}}, {@code {1}}… filled in; the key itself if missing. */
    public static String get(Locale locale, String key, Object... arguments) {
        String pattern;
        try {
            pattern = bundle(locale).getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        if (arguments.length == 0) {
            return pattern;
        }
        return new MessageFormat(pattern.replace("'", "''"), supported(locale)).format(arguments);
    }

    /** A value from a request, cut to {@code max} characters for echoing in a message. */
    static String echo(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    /** Every message of a language, for the page's scripts. */
    public static Map<String, String> all(Locale locale) {
        ResourceBundle bundle = bundle(locale);
        Map<String, String> all = new LinkedHashMap<>();
        bundle.keySet().stream().sorted().forEach(key -> all.put(key, bundle.getString(key)));
        return all;
    }
}
