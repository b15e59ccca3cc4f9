package sinapsis.data;

/** Parses a table cell as a number, with a decimal comma when the table uses one. */
public final class Numbers {
    private Numbers() {
    }

    /** The number in {@code cell}, or null if it is not one. NaN and Infinity parse (and are refused later). */
    public static Double parse(String cell, boolean decimalComma) {
        String text = cell.trim();
        if (text.isEmpty()) {
            return null;
        }
        if (decimalComma) {
            text = text.replace(',', '.');
        }
        switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "nan" -> {
                return Double.NaN;
            }
            case "inf", "infinity", "+inf", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
            }
        }
        if (!looksNumeric(text)) {
            return null;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A number as a label: integers without a decimal point (2, not 2.0). */
    public static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /** Double.parseDouble also accepts "1f" and "0x1p3"; a table cell should not. */
    private static boolean looksNumeric(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
