package sinapsis.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sinapsis.model.InvalidSpecException;

/** Cutting a table into the rows students train on and the rows that score them. */
class HeldOutSplitTest {
    private static String table(int rows) {
        StringBuilder text = new StringBuilder("altura;peso;clase\n");
        for (int i = 0; i < rows; i++) {
            text.append(i).append(",5;").append(i * 2).append(",25;").append(i % 4 == 0 ? "b" : "a").append('\n');
        }
        return text.toString();
    }

    private static List<String> rows(String csv) {
        List<String> lines = new ArrayList<>(List.of(csv.strip().split("\n")));
        lines.remove(0);
        return lines;
    }

    @Test
    void theSameSeedCutsTheSameRowsAndEveryRowIsInExactlyOnePart() {
        String text = table(40);
        HeldOutSplit split = HeldOutSplit.of(text, 0.25, 7, null);
        assertThat(HeldOutSplit.of(text, 0.25, 7, null)).isEqualTo(split);
        assertThat(HeldOutSplit.of(text, 0.25, 8, null).heldOut()).isNotEqualTo(split.heldOut());
        assertThat(split.heldOutRows()).isEqualTo(10);
        assertThat(split.keptRows()).isEqualTo(30);
        assertThat(split.kept()).startsWith("altura;peso;clase\n");
        assertThat(split.heldOut()).startsWith("altura;peso;clase\n");
        List<String> all = new ArrayList<>(rows(split.kept()));
        all.addAll(rows(split.heldOut()));
        assertThat(all).containsExactlyInAnyOrderElementsOf(rows(text));
        assertThat(rows(split.kept())).as("typed as they were, decimal commas too").contains("1,5;2,25;a");
        assertThat(rows(HeldOutSplit.join(split.kept(), split.heldOut()))).containsExactlyInAnyOrderElementsOf(rows(text));
    }

    @Test
    void withALabelEachClassKeepsItsShareOnBothSides() {
        HeldOutSplit split = HeldOutSplit.of(table(40), 0.2, 3, "clase");
        long heldB = rows(split.heldOut()).stream().filter(r -> r.endsWith(";b")).count();
        long heldA = rows(split.heldOut()).stream().filter(r -> r.endsWith(";a")).count();
        assertThat(heldB).isEqualTo(2); // of 10
        assertThat(heldA).isEqualTo(6); // of 30
    }

    @Test
    void aCutThatWouldLeaveAClassOnOneSideOrAPartEmptyIsRefused() {
        assertThatThrownBy(() -> HeldOutSplit.of(table(4), 0.25, 1, "clase"))
                .isInstanceOf(InvalidSpecException.class)
                .satisfies(e -> assertThat(((InvalidSpecException) e).field()).isEqualTo("testFraction"));
        assertThatThrownBy(() -> HeldOutSplit.of(table(40), 0.9, 1, null))
                .isInstanceOf(InvalidSpecException.class)
                .satisfies(e -> assertThat(((InvalidSpecException) e).messageKey()).isEqualTo("error.testFraction"));
        assertThatThrownBy(() -> HeldOutSplit.of(table(2), 0.1, 1, null))
                .isInstanceOf(InvalidSpecException.class)
                .satisfies(e -> assertThat(((InvalidSpecException) e).messageKey()).isEqualTo("error.testFractionRows"));
    }
}
