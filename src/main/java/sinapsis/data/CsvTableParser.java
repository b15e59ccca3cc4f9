package sinapsis.data;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.Limits;

/**
 * Parses pasted text into a {@link Table}. The separator is read off the header line (tab, then
 * semicolon, then comma); with a semicolon or tab separator a decimal comma is understood, so
 * Spanish-locale spreadsheet exports work as they are.
 */
public final class CsvTableParser {
    private final Limits limits;

    public CsvTableParser(Limits limits) {
        this.limits = limits;
    }

    public Table parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidSpecException("data.csv", "error.emptyTable");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxPasteBytes()) {
            throw new InvalidSpecException("data.csv", "error.pasteTooLarge", bytes, limits.maxPasteBytes());
        }
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        char delimiter = detectDelimiter(firstLine(body));
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setDelimiter(delimiter)
                .setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(true)
                .setTrim(true)
                .get();
        Table.Builder table = null;
        try (CSVParser parser = CSVParser.parse(new StringReader(body), format)) {
            for (CSVRecord record : parser) {
                if (table == null) {
                    if (record.size() > limits.maxColumns()) {
                        throw new InvalidSpecException("data.csv", "error.tooManyColumns", record.size(),
                                limits.maxColumns());
                    }
                    table = Table.builder(record.toList(), delimiter != ',');
                    continue;
                }
                if (table.rows() >= limits.maxRows()) {
                    throw new InvalidSpecException("data.csv", "error.tooManyRows", limits.maxRows());
                }
                table.add(record.toList());
            }
        } catch (IOException | IllegalStateException | UncheckedIOException e) {
            throw new InvalidSpecException("data.csv", "error.malformedCsv", String.valueOf(e.getMessage()));
        }
        if (table == null) {
            throw new InvalidSpecException("data.csv", "error.emptyTable");
        }
        return table.build();
    }

    static String firstLine(String text) {
        String trimmed = text.stripLeading();
        int end = trimmed.indexOf('\n');
        return end < 0 ? trimmed : trimmed.substring(0, end);
    }

    static char detectDelimiter(String headerLine) {
        if (headerLine.indexOf('\t') >= 0) {
            return '\t';
        }
        if (headerLine.indexOf(';') >= 0) {
            return ';';
        }
        return ',';
    }
}
