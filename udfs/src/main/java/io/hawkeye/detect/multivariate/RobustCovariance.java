package io.hawkeye.detect.multivariate;

import java.util.Arrays;

/**
 * A small robust covariance estimate for the relationship-break detector ("MCD-lite"): start from the
 * coordinate-wise median and the Euclidean distance in robustly normalised space, then twice keep the
 * {@code trim} fraction of rows closest by Mahalanobis distance and re-estimate mean and covariance from them
 * (concentration steps of Rousseeuw &amp; Van Driessen's FAST-MCD, from one start). The covariance is shrunk
 * towards its diagonal (λ) and each variance floored at {@link #MIN_VARIANCE} (in units of the robust scale),
 * so a feature that was constant in training does not make the matrix singular or hypersensitive.
 *
 * <p>The Mahalanobis distance d = √((x−μ)ᵀ P (x−μ)), P = Σ⁻¹, also decomposes exactly per feature: setting
 * feature j to its conditional expectation given the others lowers d² by (P r)ⱼ² / Pⱼⱼ (r = x − μ) — the
 * attribution of a relationship break.
 */
public final class RobustCovariance {
    /** Variance floor in normalised units (a robust z of 1 = one robust sd): sd ≥ 0.5. */
    public static final double MIN_VARIANCE = 0.25;

    public final int dim;
    public final double[] center;
    public final double[] precision;

    public RobustCovariance(double[] center, double[] precision) {
        this.dim = center.length;
        this.center = center;
        this.precision = precision;
    }

    /** Fits on rows of normalised data. */
    public static RobustCovariance fit(double[][] z, double trim, double shrinkage) {
        int n = z.length;
        int d = z[0].length;
        double[] center = new double[d];
        for (int j = 0; j < d; j++) {
            double[] col = new double[n];
            for (int i = 0; i < n; i++) col[i] = z[i][j];
            Arrays.sort(col);
            center[j] = (col[(n - 1) / 2] + col[n / 2]) / 2;
        }
        double[] identity = new double[d * d];
        for (int j = 0; j < d; j++) identity[j * d + j] = 1;
        RobustCovariance est = new RobustCovariance(center, identity);
        int h = Math.max(d + 1, Math.min(n, (int) Math.ceil(trim * n)));
        for (int iter = 0; iter < 3; iter++) {
            Integer[] order = new Integer[n];
            double[] dist = new double[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
                dist[i] = est.distanceSquared(z[i]);
            }
            Arrays.sort(order, (a, b) -> Double.compare(dist[a], dist[b]));
            double[] mean = new double[d];
            for (int k = 0; k < h; k++) {
                double[] row = z[order[k]];
                for (int j = 0; j < d; j++) mean[j] += row[j];
            }
            for (int j = 0; j < d; j++) mean[j] /= h;
            double[] cov = new double[d * d];
            for (int k = 0; k < h; k++) {
                double[] row = z[order[k]];
                for (int a = 0; a < d; a++) {
                    double ra = row[a] - mean[a];
                    for (int b = 0; b <= a; b++) cov[a * d + b] += ra * (row[b] - mean[b]);
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    double v = cov[a * d + b] / Math.max(1, h - 1);
                    if (a != b) v *= 1 - shrinkage;
                    cov[a * d + b] = v;
                    cov[b * d + a] = v;
                }
            }
            // Raising a diagonal entry keeps the matrix positive semi-definite and only weakens correlations.
            for (int a = 0; a < d; a++) cov[a * d + a] = Math.max(cov[a * d + a], MIN_VARIANCE);
            est = new RobustCovariance(mean, invert(cov, d));
        }
        return est;
    }

    public double distanceSquared(double[] x) {
        double s = 0;
        for (int a = 0; a < dim; a++) {
            double ra = x[a] - center[a];
            double t = 0;
            for (int b = 0; b < dim; b++) t += precision[a * dim + b] * (x[b] - center[b]);
            s += ra * t;
        }
        return Math.max(0, s);
    }

    public double distance(double[] x) {
        return Math.sqrt(distanceSquared(x));
    }

    /** Per feature: the drop of d² when the feature is replaced by its conditional expectation given the others. */
    public double[] contributions(double[] x) {
        double[] c = new double[dim];
        for (int a = 0; a < dim; a++) {
            double t = 0;
            for (int b = 0; b < dim; b++) t += precision[a * dim + b] * (x[b] - center[b]);
            c[a] = t * t / precision[a * dim + a];
        }
        return c;
    }

    /** Inverse of a symmetric positive-definite matrix by Cholesky; adds a ridge if it is not numerically PD. */
    static double[] invert(double[] m, int d) {
        double ridge = 0;
        for (int attempt = 0; attempt < 20; attempt++) {
            double[] l = new double[d * d];
            boolean ok = true;
            for (int i = 0; i < d && ok; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = m[i * d + j] + (i == j ? ridge : 0);
                    for (int k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
                    if (i == j) {
                        if (s <= 1e-12) {
                            ok = false;
                            break;
                        }
                        l[i * d + i] = Math.sqrt(s);
                    } else {
                        l[i * d + j] = s / l[j * d + j];
                    }
                }
            }
            if (ok) {
                // inv = L⁻ᵀ L⁻¹
                double[] linv = new double[d * d];
                for (int i = 0; i < d; i++) {
                    linv[i * d + i] = 1 / l[i * d + i];
                    for (int j = 0; j < i; j++) {
                        double s = 0;
                        for (int k = j; k < i; k++) s -= l[i * d + k] * linv[k * d + j];
                        linv[i * d + j] = s / l[i * d + i];
                    }
                }
                double[] inv = new double[d * d];
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j <= i; j++) {
                        double s = 0;
                        for (int k = i; k < d; k++) s += linv[k * d + i] * linv[k * d + j];
                        inv[i * d + j] = s;
                        inv[j * d + i] = s;
                    }
                }
                return inv;
            }
            ridge = ridge == 0 ? 1e-6 : ridge * 10;
        }
        throw new IllegalStateException("covariance not invertible");
    }
}
