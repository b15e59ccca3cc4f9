package sinapsis.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import sinapsis.data.Problem;

/** k-fold splits as scikit-learn's KFold makes them. */
class FoldsTest {
    @Test
    void consecutiveFoldsWithTheFirstOnesOneRowLarger() {
        // KFold(n_splits=3) on 7 rows: [0, 1, 2], [3, 4], [5, 6]
        assertThat(Folds.bounds(7, 3)).isEqualTo(new int[][] {{0, 3}, {3, 5}, {5, 7}});
        assertThat(Folds.bounds(6, 3)).isEqualTo(new int[][] {{0, 2}, {2, 4}, {4, 6}});
        assertThat(Folds.bounds(10, 4)).isEqualTo(new int[][] {{0, 3}, {3, 6}, {6, 8}, {8, 10}});
    }

    @Test
    void aFoldsProblemHasItsHeldOutRowsLastAndTheOthersInOrder() {
        double[][] x = {{0}, {1}, {2}, {3}, {4}};
        double[][] y = {{10}, {11}, {12}, {13}, {14}};
        Problem problem = Folds.heldOutLast(new Problem(List.of("x"), List.of("y"), x, y, List.of()), 1, 3);
        assertThat(problem.x()).isEqualTo(new double[][] {{0}, {3}, {4}, {1}, {2}});
        assertThat(problem.y()).isEqualTo(new double[][] {{10}, {13}, {14}, {11}, {12}});
    }
}
