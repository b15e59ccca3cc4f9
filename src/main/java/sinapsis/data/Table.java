package sinapsis.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import sinapsis.model.InvalidSpecException;

/**
 * A parsed table, stored by column: a column of numbers as a {@code double[]}, a column with any
 * text as a {@code String[]}. Numbers are what tables mostly hold, and keeping them unboxed is what
 * lets a server with a 1 GB heap take several 10 MB pastes at once. The first rows are kept as
 * typed, for the preview.
 */
public final class Table {
    public static final int PREVIEW_ROWS = 20;

    private final List<String> columns;
    private final int rowCount;
    private final boolean decimalComma;
    private final double[][] numbers;
    private final String[][] texts;
    private final List<List<String>> preview;

    private Table(Builder builder) {
        this.columns = builder.columns;
        this.rowCount = builder.rows;
        this.decimalComma = builder.decimalComma;
        this.numbers = new double[columns.size()][];
        this.texts = new String[columns.size()][];
        for (int c = 0; c < columns.size(); c++) {
            if (builder.texts[c] != null) {
                texts[c] = Arrays.copyOf(builder.texts[c], rowCount);
            } else {
                numbers[c] = Arrays.copyOf(builder.numbers[c], rowCount);
            }
        }
        this.preview = List.copyOf(builder.preview);
    }

    /** Starts a table with its header, refusing empty or repeated column names. */
    public static Builder builder(List<String> header, boolean decimalComma) {
        return new Builder(header, decimalComma);
    }

    /** A table from rows of cells, all at once (tests and small data). */
    public static Table of(List<String> header, List<List<String>> rows, boolean decimalComma) {
        Builder builder = builder(header, decimalComma);
        rows.forEach(builder::add);
        return builder.build();
    }

    public List<String> columns() {
        return columns;
    }

    public int rowCount() {
        return rowCount;
    }

    public boolean decimalComma() {
        return decimalComma;
    }

    /** The first {@link #PREVIEW_ROWS} rows as they were typed. */
    public List<List<String>> preview() {
        return preview;
    }

    public int columnIndex(String field, String name) {
        int index = columns.indexOf(name);
        if (index < 0) {
            throw new InvalidSpecException(field, "error.unknownColumn", name);
        }
        return index;
    }

    /** Whether every cell of the column is a number (NaN and infinities included). */
    public boolean isNumeric(int index) {
        return numbers[index] != null;
    }

    /** The column as numbers; a cell that is not a finite number is refused with its line and column. */
    public double[] numericColumn(String field, int index) {
        if (texts[index] != null) {
            String[] cells = texts[index];
            for (int r = 0; r < rowCount; r++) {
                if (Numbers.parse(cells[r], decimalComma) == null) {
                    throw new InvalidSpecException(field, "error.notNumeric", cells[r], r + 2, columns.get(index));
                }
            }
        }
        double[] values = numbers[index];
        for (int r = 0; r < rowCount; r++) {
            if (!Double.isFinite(values[r])) {
                throw new InvalidSpecException(field, "error.notFinite", String.valueOf(values[r]), r + 2,
                        columns.get(index));
            }
        }
        return values.clone();
    }

    /** The cells of a column as text: class labels. Numbers are written plainly (1, 2.5). */
    public List<String> labels(int index) {
        List<String> labels = new ArrayList<>(rowCount);
        for (int r = 0; r < rowCount; r++) {
            labels.add(texts[index] != null ? texts[index][r] : Numbers.format(numbers[index][r]));
        }
        return labels;
    }

    /** A cell that is not a number in a column that otherwise is: its line in the table (the header is line 1). */
    public record TextCell(int line, String text) {
    }

    /** At least this share of a column's cells must be numbers for its other cells to count as typos. */
    static final double MOSTLY_NUMERIC = 0.8;

    /**
     * The text cells of a column that is mostly numbers (at least {@value #MOSTLY_NUMERIC} of its cells),
     * up to {@code max} of them, in order: most likely typos ("cuatro", "3.2.1"), not class labels.
     * Empty for a numeric column and for a column of labels.
     */
    public List<TextCell> strayTextCells(int index, int max) {
        if (texts[index] == null) {
            return List.of();
        }
        String[] cells = texts[index];
        List<TextCell> stray = new ArrayList<>();
        int numeric = 0;
        for (int r = 0; r < rowCount; r++) {
            if (Numbers.parse(cells[r], decimalComma) != null) {
                numeric++;
            } else if (stray.size() < max) {
                stray.add(new TextCell(r + 2, cells[r]));
            }
        }
        return numeric >= MOSTLY_NUMERIC * rowCount ? List.copyOf(stray) : List.of();
    }

    /** How many different values the column holds, counting up to {@code cap}. */
    public int distinctValues(int index, int cap) {
        Set<Object> values = new HashSet<>();
        for (int r = 0; r < rowCount && values.size() < cap; r++) {
            values.add(texts[index] != null ? texts[index][r] : (Object) numbers[index][r]);
        }
        return values.size();
    }

    /** Collects rows one at a time, numbers unboxed until a column shows text. */
    public static final class Builder {
        private final List<String> columns;
        private final boolean decimalComma;
        private final double[][] numbers;
        private final String[][] texts;
        private final List<List<String>> preview = new ArrayList<>();
        private int rows;

        private Builder(List<String> header, boolean decimalComma) {
            this.columns = List.copyOf(header);
            this.decimalComma = decimalComma;
            if (columns.isEmpty()) {
                throw new InvalidSpecException("data.csv", "error.emptyTable");
            }
            Set<String> seen = new HashSet<>();
            for (int c = 0; c < columns.size(); c++) {
                String name = columns.get(c);
                if (name.isBlank()) {
                    throw new InvalidSpecException("data.csv", "error.emptyColumnName", c + 1);
                }
                if (!seen.add(name)) {
                    throw new InvalidSpecException("data.csv", "error.duplicateColumn", name);
                }
            }
            numbers = new double[columns.size()][16];
            texts = new String[columns.size()][];
        }

        public int rows() {
            return rows;
        }

        public Builder add(List<String> cells) {
            if (cells.size() != columns.size()) {
                // +2: people count the header as line 1
                throw new InvalidSpecException("data.csv", "error.raggedRow", rows + 2, cells.size(), columns.size());
            }
            if (preview.size() < PREVIEW_ROWS) {
                preview.add(List.copyOf(cells));
            }
            for (int c = 0; c < cells.size(); c++) {
                String cell = cells.get(c).trim();
                Double value = texts[c] == null ? Numbers.parse(cell, decimalComma) : null;
                if (value != null) {
                    if (rows == numbers[c].length) {
                        numbers[c] = Arrays.copyOf(numbers[c], rows * 2);
                    }
                    numbers[c][rows] = value;
                } else {
                    storeText(c, cell);
                }
            }
            rows++;
            return this;
        }

        /** A row of numbers (an image set's pixels), without going through text. */
        public Builder addNumbers(double[] cells) {
            if (cells.length != columns.size()) {
                throw new InvalidSpecException("data.csv", "error.raggedRow", rows + 2, cells.length, columns.size());
            }
            if (preview.size() < PREVIEW_ROWS) {
                List<String> shown = new ArrayList<>(cells.length);
                for (double cell : cells) {
                    shown.add(Numbers.format(cell));
                }
                preview.add(List.copyOf(shown));
            }
            for (int c = 0; c < cells.length; c++) {
                if (texts[c] != null) {
                    storeText(c, Numbers.format(cells[c]));
                    continue;
                }
                if (rows == numbers[c].length) {
                    numbers[c] = Arrays.copyOf(numbers[c], rows * 2);
                }
                numbers[c][rows] = cells[c];
            }
            rows++;
            return this;
        }

        /** A text cell: the column becomes a text column, its earlier numbers written out. */
        private void storeText(int c, String cell) {
            if (texts[c] == null) {
                texts[c] = new String[Math.max(16, numbers[c].length)];
                for (int r = 0; r < rows; r++) {
                    texts[c][r] = Numbers.format(numbers[c][r]);
                }
                numbers[c] = null;
            }
            if (rows == texts[c].length) {
                texts[c] = Arrays.copyOf(texts[c], rows * 2);
            }
            texts[c][rows] = cell;
        }

        public Table build() {
            if (rows == 0) {
                throw new InvalidSpecException("data.csv", "error.emptyTable");
            }
            return new Table(this);
        }
    }
}
