package sinapsis.training;

/** Standardises columns to zero mean and unit variance with statistics from the training rows. */
public record Scaler(double[] mean, double[] std) {
    /** Leaves values as they are. */
    public static Scaler identity(int columns) {
        double[] ones = new double[columns];
        java.util.Arrays.fill(ones, 1);
        return new Scaler(new double[columns], ones);
    }

    public static Scaler fit(double[][] rows) {
        int columns = rows[0].length;
        double[] mean = new double[columns];
        double[] std = new double[columns];
        for (double[] row : rows) {
            for (int c = 0; c < columns; c++) {
                mean[c] += row[c] / rows.length;
            }
        }
        for (double[] row : rows) {
            for (int c = 0; c < columns; c++) {
                std[c] += (row[c] - mean[c]) * (row[c] - mean[c]) / rows.length;
            }
        }
        for (int c = 0; c < columns; c++) {
            std[c] = std[c] > 1e-24 ? Math.sqrt(std[c]) : 1;
        }
        return new Scaler(mean, std);
    }

    /** Whether this scaler leaves values as they are. */
    public boolean isIdentity() {
        for (int c = 0; c < mean.length; c++) {
            if (mean[c] != 0 || std[c] != 1) {
                return false;
            }
        }
        return true;
    }

    /** Scaled copies of the rows; the rows themselves (shared, never to be written) when this is the identity. */
    public double[][] transform(double[][] rows) {
        if (isIdentity()) {
            return rows;
        }
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = new double[rows[r].length];
            for (int c = 0; c < rows[r].length; c++) {
                out[r][c] = (rows[r][c] - mean[c]) / std[c];
            }
        }
        return out;
    }

    public double[][] inverse(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = new double[rows[r].length];
            for (int c = 0; c < rows[r].length; c++) {
                out[r][c] = rows[r][c] * std[c] + mean[c];
            }
        }
        return out;
    }
}
