package sinapsis.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.Limits;

class CsvTableParserTest {
    private final CsvTableParser parser = new CsvTableParser(Limits.defaults());

    @Test
    void readsCommaSeparatedTables() {
        Table table = parser.parse("celsius,fahrenheit\n-40,-40\n37.5,99.5\n");
        assertThat(table.columns()).containsExactly("celsius", "fahrenheit");
        assertThat(table.numericColumn("x", 0)).containsExactly(-40, 37.5);
        assertThat(table.decimalComma()).isFalse();
    }

    @Test
    void readsSpanishSpreadsheetExportsWithSemicolonsAndDecimalCommas() {
        Table table = parser.parse("\uFEFFaltura;peso\r\n1,75;70,5\r\n1,60;55\r\n");
        assertThat(table.columns()).containsExactly("altura", "peso");
        assertThat(table.numericColumn("x", 0)).containsExactly(1.75, 1.60);
        assertThat(table.numericColumn("x", 1)).containsExactly(70.5, 55);
    }

    @Test
    void readsTabSeparatedPastesFromASpreadsheet() {
        Table table = parser.parse("a\tb\n1,5\t2\n\n3\t4\n");
        assertThat(table.rowCount()).isEqualTo(2);
        assertThat(table.numericColumn("x", 0)).containsExactly(1.5, 3);
    }

    @Test
    void aColumnThatTurnsOutToHoldTextKeepsItsEarlierValuesAsLabels() {
        Table table = parser.parse("x;label\n1;2\n2;3,5\n3;oak\n");
        assertThat(table.isNumeric(0)).isTrue();
        assertThat(table.isNumeric(1)).isFalse();
        assertThat(table.labels(1)).containsExactly("2", "3.5", "oak");
        assertThat(table.distinctValues(1, 10)).isEqualTo(3);
        assertThat(table.preview().get(1)).containsExactly("2", "3,5");
    }

    @Test
    void refusesRaggedRowsNamingTheLine() {
        assertThatThrownBy(() -> parser.parse("a,b\n1,2\n3\n"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.messageKey()).isEqualTo("error.raggedRow");
                    assertThat(e.arguments()).containsExactly(3, 1, 2);
                });
    }

    @Test
    void refusesEmptyTablesAndBadHeaders() {
        assertThatThrownBy(() -> parser.parse("")).hasFieldOrPropertyWithValue("messageKey", "error.emptyTable");
        assertThatThrownBy(() -> parser.parse("a,b\n")).hasFieldOrPropertyWithValue("messageKey", "error.emptyTable");
        assertThatThrownBy(() -> parser.parse("a,a\n1,2")).hasFieldOrPropertyWithValue("messageKey",
                "error.duplicateColumn");
        assertThatThrownBy(() -> parser.parse("a,\n1,2")).hasFieldOrPropertyWithValue("messageKey",
                "error.emptyColumnName");
    }

    @Test
    void refusesNonNumbersAndNonFiniteNumbers() {
        Table table = parser.parse("a,b\n1,x\nNaN,2\n");
        assertThatThrownBy(() -> table.numericColumn("data.inputs", 1))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.arguments()).containsExactly("x", 2, "b"));
        assertThatThrownBy(() -> table.numericColumn("data.inputs", 0))
                .hasFieldOrPropertyWithValue("messageKey", "error.notFinite");
        assertThat(Numbers.parse("0x10", false)).isNull();
        assertThat(Numbers.parse("1e3", false)).isEqualTo(1000);
    }

    @Test
    void enforcesTheLimits() {
        CsvTableParser small = new CsvTableParser(new Limits(20, 2, 3, 100, 100));
        assertThatThrownBy(() -> small.parse("a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n"))
                .hasFieldOrPropertyWithValue("messageKey", "error.pasteTooLarge");
        assertThatThrownBy(() -> small.parse("a,b\n1,2\n3,4\n5,6"))
                .hasFieldOrPropertyWithValue("messageKey", "error.tooManyRows");
        assertThatThrownBy(() -> small.parse("a,b,c,d\n1,2,3,4"))
                .hasFieldOrPropertyWithValue("messageKey", "error.tooManyColumns");
    }

    @Test
    void buildsOneHotTargetsFromClassLabels() {
        Table table = parser.parse("x,fruta\n1,manzana\n2,pera\n3,manzana\n4,uva");
        Problem problem = ProblemBuilder.build(table, List.of("x"), List.of("fruta"), true, 3);
        assertThat(problem.classes()).containsExactly("manzana", "pera", "uva");
        assertThat(problem.y()[1]).containsExactly(0, 1, 0);
        assertThatThrownBy(() -> ProblemBuilder.build(table, List.of("x"), List.of("fruta"), true, 2))
                .hasFieldOrPropertyWithValue("messageKey", "error.outputUnitsClasses");
        assertThatThrownBy(() -> ProblemBuilder.build(table, List.of("x"), List.of("fruta"), false, 1))
                .hasFieldOrPropertyWithValue("messageKey", "error.labelsNeedCrossEntropy");
    }

    @Test
    void ordersNumericClassLabelsNumericallyAndSupportsOneSigmoidUnit() {
        Table table = parser.parse("x,k\n1,10\n2,9\n3,10");
        Problem problem = ProblemBuilder.build(table, List.of("x"), List.of("k"), true, 1);
        assertThat(problem.classes()).containsExactly("9", "10");
        assertThat(problem.y()[0]).containsExactly(1);
        assertThat(problem.y()[1]).containsExactly(0);
    }
}
