package sinapsis.training.nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.training.EarlyStopper;

/**
 * The epoch loop's state after an epoch, as the bytes of a {@link sinapsis.training.Checkpoint}:
 * the optimizer's step count, the random (batch order, dropout), the row order it shuffles in
 * place, early stopping's record and the arrays — parameters, the optimizer's state, early
 * stopping's best parameters — value by value. Read back into a loop of the same network and
 * settings, training goes on exactly as it would have.
 */
record LoopState(int epoch, int iteration, Random random, int[] order, EarlyStopper.State earlyStop,
                 List<INDArray> arrays) {
    /** Bumped when the layout changes: a node reading another version's checkpoint says so. */
    private static final int FORMAT = 1;

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeInt(epoch);
            out.writeInt(iteration);
            byte[] randomBytes = serialised(random);
            out.writeInt(randomBytes.length);
            out.write(randomBytes);
            out.writeInt(order.length);
            for (int row : order) {
                out.writeInt(row);
            }
            out.writeBoolean(earlyStop != null);
            if (earlyStop != null) {
                out.writeDouble(earlyStop.best());
                out.writeInt(earlyStop.bestEpoch());
                out.writeInt(earlyStop.epochsWithout());
            }
            out.writeInt(arrays.size());
            for (INDArray array : arrays) {
                writeArray(out, array);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a state into {@code into}: the arrays (the same count and lengths, or it refuses) get
     * the stored values; the rest is returned.
     */
    static LoopState decode(byte[] state, List<INDArray> into) {
        return read(state, into, false);
    }

    /** Reads only a state's parameters (its first array) into {@code params}: the model as it stood. */
    static void readParameters(byte[] state, INDArray params) {
        read(state, List.of(params), true);
    }

    private static LoopState read(byte[] state, List<INDArray> into, boolean parametersOnly) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalStateException("a checkpoint in format " + format + "; this version reads " + FORMAT);
            }
            int epoch = in.readInt();
            int iteration = in.readInt();
            byte[] randomBytes = new byte[in.readInt()];
            in.readFully(randomBytes);
            int[] order = new int[in.readInt()];
            for (int i = 0; i < order.length; i++) {
                order[i] = in.readInt();
            }
            EarlyStopper.State earlyStop = in.readBoolean()
                    ? new EarlyStopper.State(in.readDouble(), in.readInt(), in.readInt()) : null;
            int count = in.readInt();
            if (parametersOnly ? count < 1 : count != into.size()) {
                throw new IllegalStateException("a checkpoint of " + count + " arrays for a run of " + into.size());
            }
            for (INDArray array : into) {
                readArray(in, array);
            }
            return parametersOnly ? null
                    : new LoopState(epoch, iteration, deserialised(randomBytes), order, earlyStop, into);
        } catch (IOException e) {
            throw new IllegalStateException("a damaged checkpoint", e);
        }
    }

    private static void writeArray(DataOutputStream out, INDArray array) throws IOException {
        INDArray flat = array.reshape(array.length());
        out.writeLong(array.length());
        if (array.dataType() == DataType.DOUBLE) {
            out.writeBoolean(true);
            for (double value : flat.toDoubleVector()) {
                out.writeDouble(value);
            }
        } else {
            out.writeBoolean(false);
            for (float value : flat.toFloatVector()) {
                out.writeFloat(value);
            }
        }
    }

    private static void readArray(DataInputStream in, INDArray array) throws IOException {
        long length = in.readLong();
        if (length != array.length()) {
            throw new IllegalStateException("a checkpoint array of " + length + " values for one of " + array.length());
        }
        boolean doubles = in.readBoolean();
        INDArray values;
        if (doubles) {
            double[] read = new double[(int) length];
            for (int i = 0; i < read.length; i++) {
                read[i] = in.readDouble();
            }
            values = Nd4j.createFromArray(read);
        } else {
            float[] read = new float[(int) length];
            for (int i = 0; i < read.length; i++) {
                read[i] = in.readFloat();
            }
            values = Nd4j.createFromArray(read);
        }
        array.assign(values.castTo(array.dataType()).reshape(array.shape()));
        values.close();
    }

    private static byte[] serialised(Random random) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(random);
        }
        return bytes.toByteArray();
    }

    private static Random deserialised(byte[] bytes) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(info -> info.serialClass() == null || info.serialClass() == Random.class
                    ? java.io.ObjectInputFilter.Status.ALLOWED : java.io.ObjectInputFilter.Status.REJECTED);
            return (Random) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException(e);
        }
    }
}
