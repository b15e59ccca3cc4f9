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
        Object[] shown = arguments.clone();
        for (int i = 0; i < shown.length; i++) {
            if (shown[i] instanceof Double || shown[i] instanceof Float || shown[i] instanceof java.math.BigDecimal) {
                shown[i] = decimal(supported(locale), ((Number) shown[i]).doubleValue());
            }
        }
        return new MessageFormat(pattern.replace("'", "''"), supported(locale)).format(shown);
    }

    /**
     * A decimal as the page writes it: the language's separators and up to 6 significant digits
     * (MessageFormat alone would print 0.00001 as "0"), tiny values in scientific notation.
     */
    static String decimal(Locale locale, double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        if (value != 0 && Math.abs(value) < 1e-5) {
            java.text.DecimalFormat scientific = new java.text.DecimalFormat("0.###E0",
                    java.text.DecimalFormatSymbols.getInstance(locale));
            return scientific.format(value);
        }
        java.text.NumberFormat format = java.text.NumberFormat.getInstance(locale);
        format.setMaximumFractionDigits(12);
        return format.format(new java.math.BigDecimal(value).round(new java.math.MathContext(6)));
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
