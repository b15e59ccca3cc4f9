package sinapsis.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import sinapsis.model.InvalidSpecException;

/** A parsed table: a header and rows of raw cells, all rows as wide as the header. */
public record Table(List<String> columns, List<List<String>> rows, boolean decimalComma) {
    public Table {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        if (columns.isEmpty() || rows.isEmpty()) {
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
        for (int r = 0; r < rows.size(); r++) {
            if (rows.get(r).size() != columns.size()) {
                // +2: people count the header as line 1
                throw new InvalidSpecException("data.csv", "error.raggedRow", r + 2, rows.get(r).size(), columns.size());
            }
        }
    }

    public int columnIndex(String field, String name) {
        int index = columns.indexOf(name);
        if (index < 0) {
            throw new InvalidSpecException(field, "error.unknownColumn", name);
        }
        return index;
    }

    /** The cells of one column, top to bottom. */
    public List<String> column(int index) {
        List<String> cells = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            cells.add(row.get(index));
        }
        return cells;
    }

    /** The column as numbers; a cell that is not a finite number is refused with its row and column. */
    public double[] numericColumn(String field, int index) {
        double[] values = new double[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            String cell = rows.get(r).get(index);
            Double value = Numbers.parse(cell, decimalComma);
            if (value == null) {
                throw new InvalidSpecException(field, "error.notNumeric", cell, r + 2, columns.get(index));
            }
            if (!Double.isFinite(value)) {
                throw new InvalidSpecException(field, "error.notFinite", cell, r + 2, columns.get(index));
            }
            values[r] = value;
        }
        return values;
    }

    /** Whether every cell of the column is a number (NaN and infinities included). */
    public boolean isNumeric(int index) {
        for (List<String> row : rows) {
            if (Numbers.parse(row.get(index), decimalComma) == null) {
                return false;
            }
        }
        return true;
    }

    /** How many different values the column holds, counting up to {@code cap}. */
    public int distinctValues(int index, int cap) {
        Set<String> values = new HashSet<>();
        for (List<String> row : rows) {
            values.add(row.get(index).trim());
            if (values.size() >= cap) {
                break;
            }
        }
        return values.size();
    }

    /** The first rows, for a preview. */
    public List<List<String>> head(int count) {
        return rows.subList(0, Math.min(count, rows.size()));
    }
}
