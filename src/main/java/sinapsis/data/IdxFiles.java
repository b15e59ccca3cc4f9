package sinapsis.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX files MNIST and Fashion-MNIST are published in, gzipped or not: a big-endian
 * magic number ({@code 0x00000803} for unsigned-byte images, {@code 0x00000801} for labels), the
 * size of each dimension, then the bytes.
 */
public final class IdxFiles {
    static final int IMAGES = 0x00000803;
    static final int LABELS = 0x00000801;
    /** Far above Fashion-MNIST's 60 000: a corrupt header must not make us allocate gigabytes. */
    static final int MAX_ITEMS = 1_000_000;
    static final int MAX_SIDE = 512;

    /** Images of {@code rows × columns} grey levels, one after the other. */
    public record Images(int count, int rows, int columns, byte[] pixels) {
    }

    private IdxFiles() {
    }

    public static Images readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            expectMagic(file, in.readInt(), IMAGES);
            int count = in.readInt();
            int rows = in.readInt();
            int columns = in.readInt();
            if (count < 1 || count > MAX_ITEMS || rows < 1 || rows > MAX_SIDE || columns < 1 || columns > MAX_SIDE) {
                throw new IOException(file.getFileName() + ": implausible image header " + count + " × " + rows
                        + " × " + columns);
            }
            byte[] pixels = new byte[count * rows * columns];
            readFully(file, in, pixels);
            return new Images(count, rows, columns, pixels);
        }
    }

    public static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            expectMagic(file, in.readInt(), LABELS);
            int count = in.readInt();
            if (count < 1 || count > MAX_ITEMS) {
                throw new IOException(file.getFileName() + ": implausible label count " + count);
            }
            byte[] bytes = new byte[count];
            readFully(file, in, bytes);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = bytes[i] & 0xFF;
            }
            return labels;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in);
    }

    private static void expectMagic(Path file, int found, int expected) throws IOException {
        if (found != expected) {
            throw new IOException(String.format("%s: not an IDX %s file (magic number 0x%08x, expected 0x%08x)",
                    file.getFileName(), expected == IMAGES ? "image" : "label", found, expected));
        }
    }

    private static void readFully(Path file, DataInputStream in, byte[] into) throws IOException {
        try {
            in.readFully(into);
        } catch (EOFException e) {
            throw new IOException(file.getFileName() + ": the file ends before its last item", e);
        }
    }
}
