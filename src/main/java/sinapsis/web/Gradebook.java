package sinapsis.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import sinapsis.challenge.ChallengeService.Standing;

/**
 * A challenge's gradebook as CSV: a line per student (name, attempts used, best score, met, when
 * the best was made, its session's address). UTF-8 with a byte-order mark, so spreadsheets read the
 * accents; in Spanish the separator is {@code ;} and numbers have a decimal comma, as a Spanish
 * spreadsheet expects, in English {@code ,} and a point.
 */
final class Gradebook {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Gradebook() {
    }

    /**
     * @param metric  the target's metric, named in the best score's column
     * @param zone    the teacher's time zone, for the times
     * @param baseUrl where the server is reached, for the sessions' addresses
     */
    static String csv(List<Standing> standings, String metric, Locale locale, ZoneId zone, String baseUrl) {
        boolean spanish = "es".equals(locale.getLanguage());
        StringBuilder out = new StringBuilder("\uFEFF");
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(spanish ? ';' : ',').setRecordSeparator("\r\n")
                .get();
        try (CSVPrinter printer = new CSVPrinter(out, format)) {
            printer.printRecord(Messages.get(locale, "gradebook.student"), Messages.get(locale, "gradebook.attempts"),
                    Messages.get(locale, "gradebook.best", metric), Messages.get(locale, "gradebook.met"),
                    Messages.get(locale, "gradebook.time"), Messages.get(locale, "gradebook.session"));
            for (Standing standing : standings) {
                var best = standing.best();
                boolean met = best != null && Boolean.TRUE.equals(best.met());
                printer.printRecord(standing.student().name(), standing.attemptsUsed(),
                        best == null ? "" : number(best.score(), spanish),
                        Messages.get(locale, met ? "gradebook.yes" : "gradebook.no"),
                        best == null || best.row().endedAt() == null ? ""
                                : TIME.format(Instant.ofEpochMilli(best.row().endedAt()).atZone(zone)),
                        best == null ? "" : baseUrl + "/s/" + best.row().sessionId());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** 0.975 as {@code 0,975} in Spanish: ten significant digits, never an exponent. */
    static String number(double value, boolean decimalComma) {
        String plain = new BigDecimal(value).round(MathContext.DECIMAL64).round(new MathContext(10))
                .stripTrailingZeros().toPlainString();
        return decimalComma ? plain.replace('.', ',') : plain;
    }
}
