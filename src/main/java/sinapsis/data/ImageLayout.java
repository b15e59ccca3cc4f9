package sinapsis.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The common CSV layout of an image data set, {@code label,pixel1,…,pixelN} with N a square
 * (Fashion-MNIST's CSV: 28 × 28 = 784 pixels, one grey level 0–255 each, row by row).
 */
public final class ImageLayout {
    public static final String LABEL = "label";
    private ImageLayout() {
    }

    /** The side of the square images when the table has this layout. */
    public static Optional<Integer> side(Table table) {
        List<String> columns = table.columns();
        int pixels = columns.size() - 1;
        int side = (int) Math.round(Math.sqrt(pixels));
        if (pixels < 4 || side * side != pixels || !columns.get(0).trim().toLowerCase(Locale.ROOT).equals(LABEL)) {
            return Optional.empty();
        }
        for (int i = 1; i <= pixels; i++) {
            if (!columns.get(i).trim().toLowerCase(Locale.ROOT).equals("pixel" + i)) {
                return Optional.empty();
            }
        }
        return Optional.of(side);
    }

    /** The header of this layout for images of {@code side × side} pixels. */
    public static List<String> header(int side) {
        List<String> header = new ArrayList<>(side * side + 1);
        header.add(LABEL);
        header.addAll(pixelColumns(side));
        return header;
    }

    public static List<String> pixelColumns(int side) {
        List<String> names = new ArrayList<>(side * side);
        for (int i = 1; i <= side * side; i++) {
            names.add("pixel" + i);
        }
        return names;
    }
}
