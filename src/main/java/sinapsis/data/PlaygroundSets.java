package sinapsis.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import sinapsis.model.InvalidSpecException;

/**
 * The classic two-input data sets of TensorFlow Playground, generated on demand from a seed, a
 * number of points and a noise level: circle, XOR, Gaussian blobs and spiral (classification, a
 * column {@code class} of 0 and 1), plane and multi-Gaussian (regression, a column {@code value}).
 * Points lie in [-1, 1]² before the noise; rows come in a seeded random order, so the validation
 * rows (the last ones) are a fair sample. The answer is a table like any pasted one.
 */
public final class PlaygroundSets {
    public static final int MIN_POINTS = 10;
    public static final int MAX_POINTS = 2000;
    public static final double MAX_NOISE = 1;

    /** The kinds, in the order the editor offers them. */
    public enum Kind {
        CIRCLE, XOR, GAUSS, SPIRAL, PLANE, MULTIGAUSS;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean classification() {
            return this != PLANE && this != MULTIGAUSS;
        }

        static Kind parse(String id) {
            for (Kind kind : values()) {
                if (kind.id().equals(id)) {
                    return kind;
                }
            }
            List<String> ids = new ArrayList<>();
            for (Kind kind : values()) {
                ids.add(kind.id());
            }
            throw new InvalidSpecException("kind", "error.generatorKind", String.valueOf(id), String.join(", ", ids));
        }
    }

    /** What to generate; refuses values out of range, naming the field. */
    public record Request(Kind kind, int points, double noise, long seed) {
        public Request {
            if (kind == null) {
                throw new InvalidSpecException("kind", "error.required");
            }
            if (points < MIN_POINTS || points > MAX_POINTS) {
                throw new InvalidSpecException("points", "error.range", points, MIN_POINTS, MAX_POINTS);
            }
            if (!(noise >= 0 && noise <= MAX_NOISE)) {
                throw new InvalidSpecException("noise", "error.range", noise, 0, MAX_NOISE);
            }
        }

        public static Request of(String kind, int points, double noise, long seed) {
            return new Request(Kind.parse(kind), points, noise, seed);
        }
    }

    /** A generated table: its CSV and which columns are inputs and target. */
    public record Generated(String csv, List<String> inputs, List<String> targets, String task) {
    }

    private PlaygroundSets() {
    }

    public static Generated generate(Request request) {
        Random random = new Random(request.seed());
        List<String> rows = new ArrayList<>();
        int n = request.points();
        double noise = request.noise();
        for (int i = 0; i < n; i++) {
            rows.add(row(request.kind(), i, n, noise, random));
        }
        for (int i = rows.size() - 1; i > 0; i--) { // seeded order: the last rows are a fair sample
            int j = random.nextInt(i + 1);
            String swap = rows.get(i);
            rows.set(i, rows.get(j));
            rows.set(j, swap);
        }
        String target = request.kind().classification() ? "class" : "value";
        return new Generated("x,y," + target + "\n" + String.join("\n", rows) + "\n", List.of("x", "y"),
                List.of(target), request.kind().classification() ? "classification" : "regression");
    }

    private static String row(Kind kind, int i, int n, double noise, Random random) {
        switch (kind) {
            case CIRCLE: { // class 0 inside radius 0.5, class 1 on a ring from 0.7 to 1
                int label = i % 2;
                double radius = label == 0 ? random.nextDouble() * 0.5 : 0.7 + random.nextDouble() * 0.3;
                double angle = random.nextDouble() * 2 * Math.PI;
                return point(radius * Math.cos(angle), radius * Math.sin(angle), noise, random) + "," + label;
            }
            case XOR: {
                double x = random.nextDouble() * 2 - 1;
                double y = random.nextDouble() * 2 - 1;
                x += Math.signum(x) * 0.05; // a small margin round the axes, as the playground leaves
                y += Math.signum(y) * 0.05;
                return point(x, y, noise, random) + "," + ((x > 0) != (y > 0) ? 1 : 0);
            }
            case GAUSS: { // two blobs round (0.5, 0.5) and (-0.5, -0.5)
                int label = i % 2;
                double centre = label == 0 ? -0.5 : 0.5;
                double spread = 0.15 + noise * 0.5;
                return fmt(centre + random.nextGaussian() * spread) + "," + fmt(centre + random.nextGaussian() * spread)
                        + "," + label;
            }
            case SPIRAL: {
                int label = i % 2;
                int k = i / 2;
                double t = 1.75 * 2 * Math.PI * k / Math.max(1, n / 2);
                double radius = 0.05 + 0.9 * k / Math.max(1, n / 2);
                double angle = t + label * Math.PI;
                return point(radius * Math.sin(angle), radius * Math.cos(angle), noise, random) + "," + label;
            }
            case PLANE: { // value = x + y over [-1, 1]², with noise on the value
                double x = random.nextDouble() * 2 - 1;
                double y = random.nextDouble() * 2 - 1;
                return fmt(x) + "," + fmt(y) + "," + fmt(x + y + random.nextGaussian() * noise);
            }
            default: { // MULTIGAUSS: value = sum of signed bumps at four centres
                double x = random.nextDouble() * 2 - 1;
                double y = random.nextDouble() * 2 - 1;
                double[][] centres = {{-0.5, -0.5, 1}, {0.5, 0.5, 1}, {-0.5, 0.5, -1}, {0.5, -0.5, -1}};
                double value = 0;
                for (double[] c : centres) {
                    value += c[2] * Math.exp(-((x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1])) / 0.08);
                }
                return fmt(x) + "," + fmt(y) + "," + fmt(value + random.nextGaussian() * noise);
            }
        }
    }

    /** A point with Gaussian noise of {@code noise / 4} on each coordinate (noise 1: a quarter of the half-width). */
    private static String point(double x, double y, double noise, Random random) {
        return fmt(x + random.nextGaussian() * noise / 4) + "," + fmt(y + random.nextGaussian() * noise / 4);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
