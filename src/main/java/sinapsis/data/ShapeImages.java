package sinapsis.data;

import java.util.Random;

/**
 * A seeded, generated image set for trying convolutional networks offline: 28 × 28 grey drawings
 * of six shapes (circle, square, triangle, cross, horizontal bar, ring) at random sizes and
 * positions, with stroke jitter and noise. The same seed always gives the same images.
 */
public final class ShapeImages {
    public static final String ID = "shapes";
    public static final int SIDE = 28;
    public static final int CLASSES = 6;

    private ShapeImages() {
    }

    public static ImageSet generate(long seed, int train, int test) {
        Random random = new Random(seed);
        int count = train + test;
        byte[] pixels = new byte[count * SIDE * SIDE];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % CLASSES;
            draw(labels[i], random, pixels, i * SIDE * SIDE);
        }
        return new ImageSet(ID, SIDE, pixels, labels, train, CLASSES, "generated-" + seed + "-" + train + "-" + test);
    }

    private static void draw(int shape, Random random, byte[] pixels, int offset) {
        double radius = 5 + random.nextDouble() * 5;
        double cx = radius + 2 + random.nextDouble() * (SIDE - 2 * radius - 4);
        double cy = radius + 2 + random.nextDouble() * (SIDE - 2 * radius - 4);
        double stroke = 1.2 + random.nextDouble() * 1.2;
        double ink = 170 + random.nextDouble() * 85;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double dx = x - cx;
                double dy = y - cy;
                boolean on = switch (shape) {
                    case 0 -> Math.hypot(dx, dy) <= radius; // filled circle
                    case 1 -> Math.abs(dx) <= radius * 0.85 && Math.abs(dy) <= radius * 0.85; // filled square
                    case 2 -> dy <= radius * 0.8 && dy >= -radius && Math.abs(dx) <= (dy + radius) * 0.6; // triangle
                    case 3 -> (Math.abs(dx) <= stroke && Math.abs(dy) <= radius)
                            || (Math.abs(dy) <= stroke && Math.abs(dx) <= radius); // cross
                    case 4 -> Math.abs(dy) <= stroke * 1.5 && Math.abs(dx) <= radius; // bar
                    default -> Math.abs(Math.hypot(dx, dy) - radius) <= stroke; // ring
                };
                double value = (on ? ink : 0) + random.nextGaussian() * 20;
                pixels[offset + y * SIDE + x] = (byte) Math.max(0, Math.min(255, Math.round(value)));
            }
        }
    }
}
