package sinapsis.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded generators of the synthetic built-in data sets. The files in {@code datasets/} were
 * written by {@link #main}; a test checks that the generators still reproduce them exactly.
 */
public final class DatasetGenerators {
    public static final long SEED = 42;

    private DatasetGenerators() {
    }

    /** Heart rate (60–130 bpm) → stress (1–10): linear with Gaussian noise, clipped, one decimal. */
    public static String heartRateStress(long seed, int rows) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("heart_rate,stress\n");
        for (int i = 0; i < rows; i++) {
            int bpm = 60 + random.nextInt(71);
            double stress = 1 + 9 * (bpm - 60) / 70.0 + random.nextGaussian() * 0.6;
            stress = Math.max(1, Math.min(10, stress));
            csv.append(bpm).append(',').append(fmt1(stress)).append('\n');
        }
        return csv.toString();
    }

    /** XOR: points in [-1, 1]²; class 1 when x and y have different signs. */
    public static String xor(long seed, int rows) {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            double x = random.nextDouble() * 2 - 1;
            double y = random.nextDouble() * 2 - 1;
            int label = (x > 0) != (y > 0) ? 1 : 0;
            lines.add(fmt3(x) + "," + fmt3(y) + "," + label);
        }
        return "x,y,class\n" + String.join("\n", lines) + "\n";
    }

    /** Two circles: class 0 inside (radius ≈ 0.5), class 1 on the outer ring (radius ≈ 1), with noise. */
    public static String circles(long seed, int rows) {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int label = i % 2;
            double radius = (label == 0 ? 0.5 : 1.0) + random.nextGaussian() * 0.08;
            double angle = random.nextDouble() * 2 * Math.PI;
            lines.add(fmt3(radius * Math.cos(angle)) + "," + fmt3(radius * Math.sin(angle)) + "," + label);
        }
        shuffle(lines, random);
        return "x,y,class\n" + String.join("\n", lines) + "\n";
    }

    /** Two interleaved spirals, one turn and a half each, with a little noise. */
    public static String spirals(long seed, int rows) {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        int perClass = rows / 2;
        for (int label = 0; label < 2; label++) {
            for (int i = 0; i < perClass; i++) {
                double t = 0.25 + 3 * Math.PI * i / perClass;
                double radius = t / (3 * Math.PI);
                double angle = t + label * Math.PI;
                double x = radius * Math.cos(angle) + random.nextGaussian() * 0.02;
                double y = radius * Math.sin(angle) + random.nextGaussian() * 0.02;
                lines.add(fmt3(x) + "," + fmt3(y) + "," + label);
            }
        }
        shuffle(lines, random);
        return "x,y,class\n" + String.join("\n", lines) + "\n";
    }

    private static void shuffle(List<String> lines, Random random) {
        for (int i = lines.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String tmp = lines.get(i);
            lines.set(i, lines.get(j));
            lines.set(j, tmp);
        }
    }

    private static String fmt1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String fmt3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** Writes the generated files: {@code java … DatasetGenerators datasets/}. */
    public static void main(String[] args) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Path.of(args.length > 0 ? args[0] : "datasets");
        for (var entry : generated().entrySet()) {
            java.nio.file.Files.writeString(dir.resolve(entry.getKey()), entry.getValue());
        }
    }

    /** File name → content of every generated data set. */
    public static java.util.Map<String, String> generated() {
        var files = new java.util.LinkedHashMap<String, String>();
        files.put("heart-rate-stress.csv", heartRateStress(SEED, 100));
        files.put("xor.csv", xor(SEED, 200));
        files.put("circles.csv", circles(SEED, 300));
        files.put("spirals.csv", spirals(SEED, 400));
        return files;
    }
}
