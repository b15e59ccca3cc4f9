package sinapsis.model;

import java.util.Locale;

/** Normalises user-typed names so that {@code Leaky_ReLU}, {@code leaky-relu} and {@code leakyrelu} match. */
final class Names {
    private Names() {
    }

    static String normalise(String text) {
        if (text == null) {
            return "";
        }
        return text.trim().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(" ", "");
    }
}
