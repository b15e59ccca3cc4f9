package sinapsis.data;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import sinapsis.model.InvalidSpecException;

/**
 * A table's rows cut in two by a seed: the part people train on and the part held out to score
 * them, each with the header, as typed (same separator, same decimal commas). The same text,
 * fraction and seed always give the same parts. With a label column the cut is made within each
 * class, so every class is in both parts in its share.
 *
 * @param kept     the header and the rows to train on, in their order
 * @param heldOut  the header and the held-out rows, in their order
 */
public record HeldOutSplit(String kept, String heldOut, int keptRows, int heldOutRows) {
    public static final double MIN_FRACTION = 0.05;
    public static final double MAX_FRACTION = 0.5;

    /**
     * @param text     a table as pasted (checked by the parser first: this only cuts it)
     * @param fraction the share of rows held out, in [{@value #MIN_FRACTION}, {@value #MAX_FRACTION}]
     * @param label    the column whose classes each part keeps, or null for a plain cut
     */
    public static HeldOutSplit of(String text, double fraction, long seed, String label) {
        if (!(fraction >= MIN_FRACTION && fraction <= MAX_FRACTION)) {
            throw new InvalidSpecException("testFraction", "error.testFraction", fraction, MIN_FRACTION,
                    MAX_FRACTION);
        }
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        char delimiter = CsvTableParser.detectDelimiter(CsvTableParser.firstLine(body));
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(true).setTrim(true).get();
        List<String> header;
        List<List<String>> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(body), format)) {
            List<CSVRecord> records = parser.getRecords();
            if (records.isEmpty()) {
                throw new InvalidSpecException("data.csv", "error.emptyTable");
            }
            header = records.get(0).toList();
            for (int r = 1; r < records.size(); r++) {
                rows.add(records.get(r).toList());
            }
        } catch (IOException | IllegalStateException | UncheckedIOException e) {
            throw new InvalidSpecException("data.csv", "error.malformedCsv", String.valueOf(e.getMessage()));
        }
        int labelIndex = label == null ? -1 : header.indexOf(label);
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int r = 0; r < rows.size(); r++) {
            String key = labelIndex < 0 || labelIndex >= rows.get(r).size() ? "" : rows.get(r).get(labelIndex);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        boolean[] held = new boolean[rows.size()];
        Random random = new Random(seed);
        int heldCount = 0;
        for (List<Integer> group : groups.values()) {
            java.util.Collections.shuffle(group, random);
            int take = (int) Math.round(group.size() * fraction);
            if (labelIndex >= 0 && (take == 0 || take >= group.size())) {
                // a class too small to be in both parts: the score would count what was never trained
                throw new InvalidSpecException("testFraction", "error.classTooSmallToHoldOut",
                        rows.get(group.get(0)).get(labelIndex), group.size());
            }
            for (int i = 0; i < take; i++) {
                held[group.get(i)] = true;
                heldCount++;
            }
        }
        if (heldCount == 0 || heldCount == rows.size()) {
            throw new InvalidSpecException("testFraction", "error.testFractionRows", fraction, rows.size());
        }
        StringBuilder kept = new StringBuilder();
        StringBuilder out = new StringBuilder();
        CSVFormat writing = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setRecordSeparator("\n").get();
        try (CSVPrinter keptPrinter = new CSVPrinter(kept, writing);
             CSVPrinter heldPrinter = new CSVPrinter(out, writing)) {
            keptPrinter.printRecord(header);
            heldPrinter.printRecord(header);
            for (int r = 0; r < rows.size(); r++) {
                (held[r] ? heldPrinter : keptPrinter).printRecord(rows.get(r));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HeldOutSplit(kept.toString(), out.toString(), rows.size() - heldCount, heldCount);
    }

    /** Both parts back as one table: {@code kept} with {@code heldOut}'s rows after its own (their header dropped). */
    public static String join(String kept, String heldOut) {
        String body = heldOut.startsWith("\uFEFF") ? heldOut.substring(1) : heldOut;
        int headerEnd = body.indexOf('\n');
        String rows = headerEnd < 0 ? "" : body.substring(headerEnd + 1);
        return kept.endsWith("\n") || kept.isEmpty() ? kept + rows : kept + "\n" + rows;
    }
}
