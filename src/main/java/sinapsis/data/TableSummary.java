package sinapsis.data;

import java.util.List;

/**
 * What a person sees of a table without the table itself: its columns, size, the first rows,
 * which columns are numeric, how many distinct values each holds (counted up to a cap), and the
 * text cells of columns that are otherwise numbers (most likely typos).
 */
public record TableSummary(List<String> columns, int rows, boolean decimalComma, List<List<String>> preview,
                           List<Boolean> numeric, List<Integer> distinct, List<List<Table.TextCell>> strayText) {
    /** The stray text cells (typos in a number column) listed per column at most. */
    public static final int MAX_STRAY = 5;

    /** Distinct values are counted up to this many: enough to suggest one output unit per class. */
    public static final int MAX_DISTINCT = 101;

    public TableSummary {
        columns = List.copyOf(columns);
        preview = List.copyOf(preview);
        numeric = List.copyOf(numeric);
        distinct = List.copyOf(distinct);
        strayText = strayText == null ? columns.stream().map(c -> List.<Table.TextCell>of()).toList()
                : List.copyOf(strayText);
    }

    /** Without stray text cells (image sets: every column is numbers). */
    public TableSummary(List<String> columns, int rows, boolean decimalComma, List<List<String>> preview,
                        List<Boolean> numeric, List<Integer> distinct) {
        this(columns, rows, decimalComma, preview, numeric, distinct, null);
    }

    public static TableSummary of(Table table) {
        List<Boolean> numeric = new java.util.ArrayList<>();
        List<Integer> distinct = new java.util.ArrayList<>();
        List<List<Table.TextCell>> stray = new java.util.ArrayList<>();
        for (int c = 0; c < table.columns().size(); c++) {
            numeric.add(table.isNumeric(c));
            distinct.add(table.distinctValues(c, MAX_DISTINCT));
            stray.add(table.strayTextCells(c, MAX_STRAY));
        }
        return new TableSummary(table.columns(), table.rowCount(), table.decimalComma(), table.preview(), numeric,
                distinct, stray);
    }
}
