package sinapsis.training.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A prepared call computes what ND4J's executioner computes for the same op, call after call, and
 * a call libnd4j refuses is an exception naming the op, not a crash or a silent wrong result.
 */
class NativeCallTest {
    @Test
    void aPreparedMatmulComputesTheProductAtEveryCallAsTheExecutionerDoes() {
        INDArray a = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}});
        INDArray b = Nd4j.createFromArray(new float[][] {{7, 8}, {9, 10}, {11, 12}});
        INDArray out = Nd4j.create(DataType.FLOAT, 2, 2);
        try (NativeCall call = NativeOps.matmul(a, b, out, false, false)) {
            call.run();
            assertThat(out.toFloatMatrix()).isEqualTo(new float[][] {{58, 64}, {139, 154}});
            a.muli(2); // the arrays are bound once: a call reads what they hold now
            call.run();
            assertThat(out).isEqualTo(a.mmul(b));
            assertThat(out.toFloatMatrix()).isEqualTo(new float[][] {{116, 128}, {278, 308}});
        }
    }

    @Test
    void aCallLibnd4jRefusesThrowsNamingTheOp() {
        INDArray a = Nd4j.create(DataType.FLOAT, 2, 3);
        INDArray b = Nd4j.create(DataType.FLOAT, 2, 3); // 2×3 · 2×3: the inner sizes differ
        INDArray out = Nd4j.create(DataType.FLOAT, 2, 3);
        try (NativeCall call = NativeOps.matmul(a, b, out, false, false)) {
            assertThatThrownBy(call::run).hasMessageContaining("matmul");
        }
    }
}
