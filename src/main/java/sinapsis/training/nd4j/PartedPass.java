package sinapsis.training.nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.model.Limits;
import sinapsis.model.LossKind;

/**
 * A batch of images cut into parts of nearly equal rows, each a {@link ConvPass} of its own, that
 * {@link BatchParts} runs side by side on the cores this run may use (one after the other when it
 * may use one): batch-level parallelism, as the fastest CPU trainers use, where libnd4j's
 * pooling, im2col and activation kernels gain little from a second thread inside one operation.
 * Every part's operations run on one thread, and how the batch is cut depends only on its size
 * and the machine's cores, so a seeded run computes the same numbers however busy the server is.
 *
 * <p>Each part's loss is its rows' mean and its gradient that mean's, the library's ops'; the
 * batch's loss and gradient are their averages weighted by the parts' rows — the batch's mean,
 * as one pass over all rows gives it (the same numbers up to the order of the additions).
 */
final class PartedPass implements EpochLoop.Prepared, AutoCloseable {
    /** The fewest rows a part is given: smaller parts lose more to each operation's own cost than the cores give. */
    static final int MIN_ROWS = 8;

    private final ConvPass[] parts;
    private final int[] firstRows;
    private final int rows;
    private final BatchParts runner;
    private final double[] losses;
    private final List<INDArray> owned = new ArrayList<>();
    /** Per slice of the flat gradient, the ops that sum the parts' gradients into it (run side by side). */
    private final List<List<NativeCall>> combine = new ArrayList<>();
    /** Fills part p with the next batch's rows, on the thread that then runs it (null: filled already). */
    private IntConsumer fill;

    /**
     * @param gradient the run's flat gradient that {@link #backward} fills, or null for a pass that
     *                 only evaluates
     * @param slices   into how many slices the sum of the parts' gradients is cut (the optimizer's
     *                 step's, {@link EpochLoop.Passes#updateSlices}: see {@link #backwardSlice})
     */
    PartedPass(ConvNetwork network, int rows, int count, LossKind loss, INDArray gradient, int slices,
               BatchParts runner) {
        this.rows = rows;
        this.runner = runner;
        this.parts = new ConvPass[count];
        this.firstRows = new int[count];
        this.losses = new double[count];
        INDArray[] partGradients = new INDArray[count];
        int first = 0;
        for (int p = 0; p < count; p++) {
            int size = rows / count + (p < rows % count ? 1 : 0);
            firstRows[p] = first;
            boolean own = gradient != null && count > 1; // one part writes the run's gradient itself
            INDArray partGradient = own ? keep(Nd4j.create(gradient.dataType(), gradient.shape(), 'c')) : gradient;
            parts[p] = new ConvPass(network, size, loss, partGradient == null ? null : network.views(partGradient));
            partGradients[p] = partGradient;
            first += size;
        }
        if (gradient != null && count > 1) {
            for (int s = 0; s < slices; s++) {
                combine.add(sum(gradient, partGradients, gradient.length() * s / slices,
                        gradient.length() * (s + 1) / slices));
            }
        }
    }

    /** gradient[from, to) = Σ (rows of the part / rows) · the part's gradient[from, to) */
    private List<NativeCall> sum(INDArray gradient, INDArray[] partGradients, long from, long to) {
        List<NativeCall> ops = new ArrayList<>();
        INDArray total = ConvNetwork.slice(gradient, from, to - from);
        for (int p = 0; p < parts.length; p++) {
            INDArray share = keep(Nd4j.scalar(gradient.dataType(), (float) parts[p].rows() / rows));
            INDArray part = ConvNetwork.slice(partGradients[p], from, to - from);
            ops.add(NativeOps.multiply(part, share, p == 0 ? total : part));
            if (p > 0) {
                ops.add(NativeOps.add(total, part, total));
            }
        }
        return ops;
    }

    /**
     * How many parts a batch of {@code rows} is cut into on this machine (1: it is not): a part a
     * core, at most {@link Limits#MAX_BATCH_PARTS} (whose gradients the memory estimate counts).
     */
    static int partsFor(int rows, int cores) {
        return Math.max(1, Math.min(Math.min(cores, Limits.MAX_BATCH_PARTS), rows / MIN_ROWS));
    }

    private INDArray keep(INDArray array) {
        owned.add(array);
        return array;
    }

    /** Part {@code p}: its pass, which the caller fills with rows {@link #firstRow}(p) onwards. */
    ConvPass part(int p) {
        return parts[p];
    }

    int parts() {
        return parts.length;
    }

    int firstRow(int p) {
        return firstRows[p];
    }

    /**
     * Says how the next forward pass's rows get in: {@code fill(p)} fills part p, on the thread
     * that then runs that part (each part's images gathered side by side, in the same hand-over).
     */
    void fillBy(IntConsumer partFill) {
        this.fill = partFill;
    }

    /**
     * Runs the parts forward; a training pass runs each part's backward pass right after its
     * forward one, on the same thread (one hand-off a batch instead of two: the loop always asks
     * for the backward pass next), and {@link #backward} then only sums the parts' gradients.
     */
    @Override
    public double forwardAndLoss() {
        IntConsumer partFill = takeFill();
        runner.each(parts.length, p -> {
            partFill.accept(p);
            losses[p] = parts[p].forwardAndLoss();
            if (parts[p].training) {
                parts[p].backward();
            }
        });
        double loss = 0;
        for (int p = 0; p < parts.length; p++) {
            loss += losses[p] * parts[p].rows() / rows;
        }
        return loss;
    }

    private IntConsumer takeFill() {
        IntConsumer partFill = fill == null ? p -> { } : fill;
        fill = null;
        return partFill;
    }

    /** Sums the parts' gradients, which their forward passes went on to compute, into the run's. */
    @Override
    public void backward() {
        if (!combine.isEmpty()) {
            runner.each(combine.size(), this::backwardSlice);
        }
    }

    /** The sum is element-wise work: slice by slice, it computes what the whole does. */
    @Override
    public boolean backsBySlice(int slices) {
        return combine.isEmpty() || combine.size() == slices;
    }

    /** Sums slice {@code s} of the parts' gradients into the run's (nothing to sum for a batch of one part). */
    @Override
    public void backwardSlice(int s) {
        if (!combine.isEmpty()) {
            combine.get(s).forEach(NativeCall::run);
        }
    }

    @Override
    public int rows() {
        return rows;
    }

    /** Runs the parts forward with the output layer's activation: the outputs, row after row, in the batch's order. */
    float[] predict() {
        float[][] outputs = new float[parts.length][];
        IntConsumer partFill = takeFill();
        runner.each(parts.length, p -> {
            partFill.accept(p);
            outputs[p] = parts[p].predict();
        });
        return joined(outputs);
    }

    /** The parts' output values before the activation, row after row, in the batch's order. */
    @Override
    public float[] scores() {
        float[][] scores = new float[parts.length][];
        for (int p = 0; p < parts.length; p++) {
            scores[p] = parts[p].scores();
        }
        return joined(scores);
    }

    private float[] joined(float[][] byPart) {
        int width = byPart[0].length / parts[0].rows();
        float[] all = new float[rows * width];
        for (int p = 0; p < parts.length; p++) {
            System.arraycopy(byPart[p], 0, all, firstRows[p] * width, byPart[p].length);
        }
        return all;
    }

    @Override
    public boolean columnMajor() {
        return false;
    }

    @Override
    public void close() {
        for (ConvPass part : parts) {
            part.close();
        }
        combine.forEach(ops -> ops.forEach(NativeCall::close));
        for (INDArray array : owned) {
            array.close();
        }
    }
}
