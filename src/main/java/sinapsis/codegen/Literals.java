package sinapsis.codegen;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Numbers, strings and tables as source-code literals (Python and Java share these forms). */
final class Literals {
    private Literals() {
    }

    /** A double that reads back exactly, without a trailing ".0" noise where it is whole. */
    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return Double.toString(value);
    }

    /** A quoted string with quotes, backslashes and control characters escaped. */
    static String string(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    static String strings(List<String> texts, String open, String close) {
        return texts.stream().map(Literals::string).collect(Collectors.joining(", ", open, close));
    }

    /** Rows as nested lists, one row a line: {@code [[1.0, 2.0],\n [3.0, 4.0]]} with the given brackets. */
    static String table(double[][] rows, String open, String close, String indent) {
        StringBuilder out = new StringBuilder(open);
        for (int r = 0; r < rows.length; r++) {
            if (r > 0) {
                out.append(",\n").append(indent);
            }
            out.append(open);
            for (int c = 0; c < rows[r].length; c++) {
                out.append(c > 0 ? ", " : "").append(number(rows[r][c]));
            }
            out.append(close);
        }
        return out.append(close).toString();
    }

    /** A comment line's text with line breaks removed (a session name could hold any text). */
    static String comment(String text) {
        return text.replaceAll("[\\r\\n\\u2028\\u2029]+", " ").replace("\\u", "\\ u");
    }
}
