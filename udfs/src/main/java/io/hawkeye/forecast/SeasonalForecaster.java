package io.hawkeye.forecast;

import io.hawkeye.forecast.Forecast.Phase;
import io.hawkeye.forecast.ForecasterConfig.Transform;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;

/**
 * Online forecaster for one regular time series (request rate, utilisation): double-seasonal exponential
 * smoothing (time-of-day and time-of-week profiles, after Taylor 2003) with a damped Holt level, a
 * short-term deviation whose persistence at the horizon is learned by regression, and an adaptively
 * calibrated prediction interval. Formulas and defaults: docs/scaling.md.
 *
 * <p>Model, on y = ln(v + δ) (or y = v with {@link Transform#IDENTITY}):
 * <pre>
 *   y_t = L_t + S(t) + r_t,     S(t) = D(time of day) + W(time of week)   (W only after 2 weeks)
 *   m_t = EWMA(r)               (short-term deviation, time constant ≈ horizon/3, 1 step … 1 h)
 *   ŷ(t+h) = L_t + b_t·Σ_{i=1..h} φ^i + S(t+h) + β_h·m_t
 * </pre>
 * D and W are piecewise-linear profiles with knots every max(step, 15 min), updated by stochastic gradient
 * steps whose weight is a running mean at first and an EWMA (per day / per week) later. β_h is the
 * regression coefficient of the deviation observed h later on m_t, clamped to [0, 1]. Innovations that
 * update L, D and W are clipped at 5 robust standard deviations, so outages and spikes do not corrupt the
 * profiles. The interval is ŷ + k⁺·E[e⁺] and ŷ − k⁻·E[e⁻] from the horizon-h errors e, with k
 * starting at the Laplace/Gaussian value −2·ln(2(1−q)) (≈ 3.2 for p90) and adjusted online towards the
 * nominal miss rate (adaptive conformal inference, Gibbs &amp; Candès 2021).
 *
 * <p>State is a few scalars, 8 profile arrays of at most 96 (day) and 672 (week) floats and three ring
 * buffers of horizon+1 entries; {@link #toBytes()} / {@link #fromBytes(byte[])} give a compact form for
 * keyed state (≈ 7 KB at 1-minute resolution with a 15-minute horizon). Gaps are allowed: the level and
 * trend are extrapolated over missing steps. Time of day/week is taken in UTC. Not thread-safe.
 */
public final class SeasonalForecaster implements java.io.Serializable {

    private static final long serialVersionUID = 1L;
    private static final int FORMAT = 1;
    private static final long DAY_MS = 86_400_000L;
    private static final long WEEK_MS = 7 * DAY_MS;
    /** Maximum knots per day: one every 15 minutes. */
    static final int MAX_KNOTS_PER_DAY = 96;
    /** Innovations beyond this many robust standard deviations are clipped. */
    static final double CLIP_SIGMAS = 5.0;
    /** Step of the online calibration of the interval multipliers. */
    static final double ACI_RATE = 0.05;
    /** Errors needed before the interval is reported. */
    static final int MIN_ERRORS_FOR_INTERVAL = 10;

    private final ForecasterConfig config;
    private final int horizon; // H in steps
    private final int knots; // K per day
    private final long knotMillis;
    private final long stepsPerDay;
    // per-observation weights derived from the time constants
    private final double alphaLevel;
    private final double alphaTrend;
    private final double phi;
    private final double alphaDev;
    private final double alphaErr;
    private final double gammaDay;
    private final double gammaWeek;

    // --- state ---
    private double delta = Double.NaN; // log offset, fixed at the first positive value
    private long firstStep = Long.MIN_VALUE;
    private long lastStep = Long.MIN_VALUE;
    private long observations;
    private boolean dailyActive;
    private double level;
    private double trend;
    private double deviation; // m
    private double scale; // EWMA |one-step innovation|, robust scale
    private double sxy;
    private double sxx;
    private double errPlus;
    private double errMinus;
    private double betaWeight; // observations in the persistence regression since the phase change
    private long errors;
    private double kUp;
    private double kLo;
    private final float[] day;
    private final float[] dayW;
    private final float[] week;
    private final float[] weekW;
    private final long[] ringTarget; // step index whose forecast is stored
    private final double[] ringBase; // forecast without the deviation term
    private final double[] ringDev; // m at the time of the forecast

    public SeasonalForecaster(ForecasterConfig config) {
        this.config = config;
        this.horizon = config.horizonSteps();
        this.stepsPerDay = config.stepsPerDay();
        this.knots = (int) Math.min(MAX_KNOTS_PER_DAY, stepsPerDay);
        this.knotMillis = DAY_MS / knots;
        double step = config.stepMillis();
        this.alphaLevel = weight(step, config.levelTau());
        this.alphaTrend = weight(step, config.trendTau());
        this.phi = Math.pow(config.trendDampingPerDay(), step / DAY_MS);
        long devTau = Math.max(config.stepMillis(), Math.min(3_600_000L, horizon * config.stepMillis() / 3));
        this.alphaDev = 1 - Math.exp(-step / devTau);
        this.alphaErr = weight(step, config.errorTau());
        double visitsPerKnot = Math.max(1.0, (double) knotMillis / step);
        this.gammaDay = 1 - Math.pow(1 - config.dailyWeightPerDay(), 1 / visitsPerKnot);
        this.gammaWeek = 1 - Math.pow(1 - config.weeklyWeightPerWeek(), 1 / visitsPerKnot);
        double k0 = -2 * Math.log(2 * (1 - config.upperQuantile()));
        this.kUp = k0;
        this.kLo = -2 * Math.log(2 * config.lowerQuantile());
        this.day = new float[knots];
        this.dayW = new float[knots];
        this.week = new float[7 * knots];
        this.weekW = new float[7 * knots];
        this.ringTarget = new long[horizon + 1];
        Arrays.fill(ringTarget, Long.MIN_VALUE);
        this.ringBase = new double[horizon + 1];
        this.ringDev = new double[horizon + 1];
    }

    private static double weight(double stepMillis, Duration tau) {
        return 1 - Math.exp(-stepMillis / Math.max(1, tau.toMillis()));
    }

    public ForecasterConfig config() {
        return config;
    }

    /** Number of observations ingested. */
    public long observations() {
        return observations;
    }

    /** Timestamp (grid-snapped) of the last observation, or Long.MIN_VALUE. */
    public long lastMillis() {
        return lastStep == Long.MIN_VALUE ? Long.MIN_VALUE : lastStep * config.stepMillis();
    }

    public Phase phase() {
        if (!dailyActive) {
            return Phase.LEARNING;
        }
        return weeklyActive() ? Phase.WEEKLY : Phase.DAILY;
    }

    private boolean weeklyActive() {
        return dailyActive && lastStep - firstStep >= 14 * stepsPerDay;
    }

    // ------------------------------------------------------------------ transform

    private double toModel(double v) {
        if (config.transform() == Transform.IDENTITY) {
            return v;
        }
        return Math.log(Math.max(0, v) + delta);
    }

    private double fromModel(double y) {
        if (config.transform() == Transform.IDENTITY) {
            return y;
        }
        return Math.max(0, Math.exp(y) - delta);
    }

    // ------------------------------------------------------------------ profiles

    private double profile(float[] p, long posMillis, int n) {
        double x = (double) posMillis / knotMillis;
        int i = (int) Math.floor(x);
        double f = x - i;
        i = Math.floorMod(i, n);
        return (1 - f) * p[i] + f * p[(i + 1) % n];
    }

    /**
     * Kernel (triangular) update of the two knots around {@code posMillis} towards {@code target}: each
     * knot is a weighted running mean of the targets near it until its weight reaches 1/γ, then an EWMA
     * with per-visit weight γ. Reading is by linear interpolation ({@link #profile}); unlike a gradient step
     * on the interpolated value, this never lets an unvisited knot pull its neighbour.
     */
    private static void learn(float[] p, float[] w, double x, int n, double target, double gamma) {
        int i = (int) Math.floor(x);
        double f = x - i;
        i = Math.floorMod(i, n);
        int j = (i + 1) % n;
        if (1 - f > 0) {
            w[i] += (float) (1 - f);
            p[i] += (float) (Math.max(gamma * (1 - f), (1 - f) / w[i]) * (target - p[i]));
        }
        if (f > 0) {
            w[j] += (float) f;
            p[j] += (float) (Math.max(gamma * f, f / w[j]) * (target - p[j]));
        }
    }

    private static long dayPos(long ts) {
        return Math.floorMod(ts, DAY_MS);
    }

    private static long weekPos(long ts) {
        return Math.floorMod(ts, WEEK_MS);
    }

    /** Seasonal component S(t) used in forecasts at the current phase. */
    private double seasonal(long ts) {
        if (!dailyActive) {
            return 0;
        }
        double s = profile(day, dayPos(ts), knots);
        if (weeklyActive()) {
            s += profile(week, weekPos(ts), 7 * knots);
        }
        return s;
    }

    private double phiSum(long k) {
        if (phi >= 1) {
            return k;
        }
        return phi * (1 - Math.pow(phi, k)) / (1 - phi);
    }

    private double clip(double x) {
        if (observations < 10 || scale <= 0) {
            return x;
        }
        double c = CLIP_SIGMAS * 1.25 * scale;
        return Math.max(-c, Math.min(c, x));
    }

    // ------------------------------------------------------------------ update

    /**
     * Ingests one observation. Timestamps are snapped to the step grid; an observation at or before the
     * last one (a duplicate or out-of-order row) is ignored and {@code false} returned, as is a non-finite
     * value. Never throws on data.
     */
    public boolean update(long tsMillis, double value) {
        if (!Double.isFinite(value)) {
            return false;
        }
        long n = Math.floorDiv(tsMillis + config.stepMillis() / 2, config.stepMillis());
        if (lastStep != Long.MIN_VALUE && n <= lastStep) {
            return false;
        }
        if (config.transform() == Transform.LOG && Double.isNaN(delta)) {
            if (!(value > 0)) {
                return false; // nothing to scale the offset by yet
            }
            delta = 0.05 * value;
        }
        long ts = n * config.stepMillis();
        double y = toModel(value);
        if (firstStep == Long.MIN_VALUE) {
            firstStep = n;
            lastStep = n - 1;
            level = y;
        }
        long k = n - lastStep;
        observations++;

        // 1. level and trend extrapolated over the k steps since the last observation
        double levelPrior = level + trend * phiSum(k);
        double s = seasonal(ts);

        // 2. horizon-h error of the forecast made h steps ago, persistence regression, interval calibration
        int slot = (int) Math.floorMod(n, (long) ringTarget.length);
        if (ringTarget[slot] == n) {
            double base = ringBase[slot];
            double mOld = ringDev[slot];
            double u = clip(y - base);
            betaWeight++;
            double ab = Math.max(alphaErr, 1.0 / betaWeight);
            sxy += ab * (mOld * u - sxy);
            sxx += ab * (mOld * mOld - sxx);
            double a = Math.max(alphaErr, 1.0 / (errors + 1));
            double e = y - (base + beta() * mOld);
            if (errors >= MIN_ERRORS_FOR_INTERVAL) {
                // An error beyond 5 robust standard deviations (1.25 × mean |e|) is an outlier (a burst, an outage),
                // as for the innovations: it neither moves the multipliers nor, beyond the clip, the scales; otherwise
                // one burst, missed by every forecast made during it, widens the interval for hours.
                double c = CLIP_SIGMAS * 1.25 * (errPlus + errMinus);
                boolean outlier = c > 0 && Math.abs(e) > c;
                if (!outlier) {
                    kUp *= Math.exp(ACI_RATE * ((e > kUp * errPlus ? 1 : 0) - (1 - config.upperQuantile())));
                    kLo *= Math.exp(ACI_RATE * ((-e > kLo * errMinus ? 1 : 0) - config.lowerQuantile()));
                    kUp = Math.max(0.2, Math.min(50, kUp));
                    kLo = Math.max(0.2, Math.min(50, kLo));
                } else {
                    e = Math.max(-c, Math.min(c, e));
                }
            }
            errPlus += a * (Math.max(e, 0) - errPlus);
            errMinus += a * (Math.max(-e, 0) - errMinus);
            errors++;
        }

        // 3. innovation, robust scale, short-term deviation
        double innovation = y - levelPrior - s;
        scale += Math.max(alphaErr, 1.0 / observations) * (Math.abs(innovation) - scale);
        double ak = 1 - Math.pow(1 - alphaDev, k);
        deviation += ak * (innovation - deviation);

        // 4. level (running mean while learning) and trend
        double aL = 1 - Math.pow(1 - alphaLevel, k);
        if (!dailyActive) {
            aL = Math.max(aL, 1.0 / observations);
        }
        double newLevel = levelPrior + aL * clip(innovation);
        if (dailyActive) {
            double decayed = trend * Math.pow(phi, k);
            trend = decayed + (1 - Math.pow(1 - alphaTrend, k)) * ((newLevel - level) / k - decayed);
        }
        level = newLevel;

        // 5. seasonal profiles
        if (!dailyActive) {
            learn(day, dayW, (double) dayPos(ts) / knotMillis, knots, y, 0); // raw time-of-day means during the first day
            if (n - firstStep >= stepsPerDay) {
                activateDaily();
            }
        } else {
            boolean weekly = weeklyActive();
            double w = weekly ? profile(week, weekPos(ts), 7 * knots) : 0;
            double d = profile(day, dayPos(ts), knots);
            learn(day, dayW, (double) dayPos(ts) / knotMillis, knots, d + clip(y - level - w - d), gammaDay);
            learn(week, weekW, (double) weekPos(ts) / knotMillis, 7 * knots, w + clip(y - level - d - w), gammaWeek);
            if (Math.floorDiv(n, stepsPerDay) != Math.floorDiv(lastStep, stepsPerDay)) {
                renormalise(weekly);
            }
        }
        lastStep = n;

        // 6. remember the forecast for step n + H to score it when that step arrives
        long target = n + horizon;
        int ts2 = (int) Math.floorMod(target, (long) ringTarget.length);
        ringTarget[ts2] = target;
        ringBase[ts2] = level + trend * phiSum(horizon) + seasonal(target * config.stepMillis());
        ringDev[ts2] = deviation;
        return true;
    }

    private void activateDaily() {
        double sum = 0;
        int cnt = 0;
        for (int i = 0; i < knots; i++) {
            if (dayW[i] > 0) {
                sum += day[i];
                cnt++;
            }
        }
        double mean = cnt == 0 ? level : sum / cnt;
        for (int i = 0; i < knots; i++) {
            day[i] = dayW[i] > 0 ? (float) (day[i] - mean) : 0f;
        }
        // The level becomes the mean of the first day plus the current deviation from the profile.
        level = mean;
        trend = 0;
        dailyActive = true;
        // The deviation and its persistence were relative to the flat level; start them afresh. Forecasts
        // already in the ring were made without the profile: drop them rather than score them.
        deviation = 0;
        sxy = 0;
        sxx = 0;
        betaWeight = 0;
        Arrays.fill(ringTarget, Long.MIN_VALUE);
    }

    /** Keeps the profiles centred: the weekly one per time of day, the daily one overall (into the level). */
    private void renormalise(boolean weekly) {
        if (weekly) {
            for (int i = 0; i < knots; i++) {
                double m = 0;
                for (int d = 0; d < 7; d++) {
                    m += week[d * knots + i];
                }
                m /= 7;
                for (int d = 0; d < 7; d++) {
                    week[d * knots + i] -= (float) m;
                }
                day[i] += (float) m;
            }
        }
        double m = 0;
        for (float v : day) {
            m += v;
        }
        m /= knots;
        for (int i = 0; i < knots; i++) {
            day[i] -= (float) m;
        }
        level += m;
    }

    /** Persistence β_H of the short-term deviation at the calibrated horizon, in [0, 1]. */
    public double beta() {
        if (sxx <= 0 || betaWeight < MIN_ERRORS_FOR_INTERVAL) {
            return 0.5; // uninformed prior until a few horizon errors were seen
        }
        return Math.max(0, Math.min(1, sxy / sxx));
    }

    // ------------------------------------------------------------------ forecast

    /**
     * Forecast for {@code targetMillis} from the state after the last observation; {@code null} before any
     * observation or for a target not after the last observation.
     */
    public Forecast forecastAt(long targetMillis) {
        if (lastStep == Long.MIN_VALUE) {
            return null;
        }
        long target = Math.floorDiv(targetMillis + config.stepMillis() / 2, config.stepMillis());
        long k = target - lastStep;
        if (k < 1) {
            return null;
        }
        double ratio = (double) k / horizon;
        double b = beta();
        double persistence = ratio == 1 ? b : Math.pow(Math.max(b, 1e-9), ratio);
        double yhat = level + trend * phiSum(k) + seasonal(target * config.stepMillis()) + persistence * deviation;
        double lo = Double.NaN;
        double hi = Double.NaN;
        if (errors >= MIN_ERRORS_FOR_INTERVAL) {
            double widen = Math.sqrt(Math.max(0.25, Math.min(4, ratio)));
            hi = fromModel(yhat + widen * kUp * errPlus);
            lo = fromModel(yhat - widen * kLo * errMinus);
        }
        return new Forecast(targetMillis, targetMillis - lastMillis(), fromModel(yhat), lo, hi, phase());
    }

    /** Forecast {@code horizon} after the last observation. */
    public Forecast forecast(Duration horizon) {
        return lastStep == Long.MIN_VALUE ? null : forecastAt(lastMillis() + horizon.toMillis());
    }

    // ------------------------------------------------------------------ serialisation

    /** Compact binary form of config and state (floats for the profiles). */
    public byte[] toBytes() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(64 + 16 * (knots * 8) + 24 * ringTarget.length);
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeByte(FORMAT);
            ForecasterConfig c = config;
            out.writeLong(c.stepMillis());
            out.writeLong(c.horizonMillis());
            out.writeByte(c.transform().ordinal());
            out.writeLong(c.levelTau().toMillis());
            out.writeLong(c.trendTau().toMillis());
            out.writeDouble(c.trendDampingPerDay());
            out.writeDouble(c.dailyWeightPerDay());
            out.writeDouble(c.weeklyWeightPerWeek());
            out.writeLong(c.errorTau().toMillis());
            out.writeDouble(c.lowerQuantile());
            out.writeDouble(c.upperQuantile());
            for (double d : new double[] {delta, level, trend, deviation, scale, sxy, sxx, errPlus, errMinus,
                betaWeight, kUp, kLo}) {
                out.writeDouble(d);
            }
            out.writeLong(firstStep);
            out.writeLong(lastStep);
            out.writeLong(observations);
            out.writeLong(errors);
            out.writeBoolean(dailyActive);
            for (float[] a : new float[][] {day, dayW, week, weekW}) {
                for (float f : a) {
                    out.writeFloat(f);
                }
            }
            for (int i = 0; i < ringTarget.length; i++) {
                out.writeLong(ringTarget[i]);
                out.writeDouble(ringBase[i]);
                out.writeDouble(ringDev[i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /** @throws IllegalArgumentException for bytes not produced by {@link #toBytes()} */
    public static SeasonalForecaster fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown forecaster state format " + format);
            }
            ForecasterConfig c = new ForecasterConfig(in.readLong(), in.readLong(),
                    Transform.values()[in.readByte()], Duration.ofMillis(in.readLong()),
                    Duration.ofMillis(in.readLong()), in.readDouble(), in.readDouble(), in.readDouble(),
                    Duration.ofMillis(in.readLong()), in.readDouble(), in.readDouble());
            SeasonalForecaster f = new SeasonalForecaster(c);
            f.delta = in.readDouble();
            f.level = in.readDouble();
            f.trend = in.readDouble();
            f.deviation = in.readDouble();
            f.scale = in.readDouble();
            f.sxy = in.readDouble();
            f.sxx = in.readDouble();
            f.errPlus = in.readDouble();
            f.errMinus = in.readDouble();
            f.betaWeight = in.readDouble();
            f.kUp = in.readDouble();
            f.kLo = in.readDouble();
            f.firstStep = in.readLong();
            f.lastStep = in.readLong();
            f.observations = in.readLong();
            f.errors = in.readLong();
            f.dailyActive = in.readBoolean();
            for (float[] a : new float[][] {f.day, f.dayW, f.week, f.weekW}) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readFloat();
                }
            }
            for (int i = 0; i < f.ringTarget.length; i++) {
                f.ringTarget[i] = in.readLong();
                f.ringBase[i] = in.readDouble();
                f.ringDev[i] = in.readDouble();
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("trailing bytes in forecaster state");
            }
            return f;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("malformed forecaster state", e);
        }
    }
}
