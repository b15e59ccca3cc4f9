package sinapsis.data;

import java.util.List;

/**
 * What a person sees of a table without the table itself: its columns, size, the first rows,
 * which columns are numeric and how many distinct values each holds (counted up to a cap).
 */
public record TableSummary(List<String> columns, int rows, boolean decimalComma, List<List<String>> preview,
                           List<Boolean> numeric, List<Integer> distinct) {
    /** Distinct values are counted up to this many: enough to suggest one output unit per class. */
    public static final int MAX_DISTINCT = 101;

    public TableSummary {
        columns = List.copyOf(columns);
        preview = List.copyOf(preview);
        numeric = List.copyOf(numeric);
        distinct = List.copyOf(distinct);
    }

    public static TableSummary of(Table table) {
        List<Boolean> numeric = new java.util.ArrayList<>();
        List<Integer> distinct = new java.util.ArrayList<>();
        for (int c = 0; c < table.columns().size(); c++) {
            numeric.add(table.isNumeric(c));
            distinct.add(table.distinctValues(c, MAX_DISTINCT));
        }
        return new TableSummary(table.columns(), table.rowCount(), table.decimalComma(), table.preview(), numeric,
                distinct);
    }
}
