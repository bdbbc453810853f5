package io.hawkeye.detect;

/**
 * Online robust seasonal baseline and anomaly score for one series of window statistics. Pure Java; all
 * per-series memory is in {@link SeasonalState}, so the same code runs in a Flink keyed operator and in the
 * offline backtest.
 *
 * <h2>Method</h2>
 * The value is transformed ({@link SignalSpec}: log for latencies and rates) to y. Three candidate baselines run
 * side by side, each predicting y before seeing it:
 * <ul>
 *   <li><b>level</b>: an EWMA level ℓ (time constant {@code levelWindows}) — for series without seasonality;
 *   <li><b>daily</b>: a slower level plus a time-of-day profile D[b] (additive Holt-Winters without slope, one
 *       bucket per window up to {@code maxDailyBuckets} per day);
 *   <li><b>weekly</b>: its own level ℓ_W plus the time-of-day profile plus a time-of-week profile W[w] of its own
 *       residual (hourly buckets; its first period learnt unclipped, so one weekend is enough).
 * </ul>
 * Both seasonal candidates add a fast local correction (the 20-window mean of their own residual) to their
 * prediction. Each candidate keeps an EWMA of its absolute one-step error; the daily candidate is eligible after
 * two days, the weekly after one week, and a seasonal candidate is reported only if it cuts the error of the
 * simpler one by {@code minSeasonalStrength} (seasonality strength). Series without a daily/weekly rhythm therefore keep the plain level + spread baseline.
 * Trend is followed by the level (lag ≈ time constant × slope); no slope is extrapolated, which avoids runaway
 * forecasts after a shift.
 *
 * <p>Spread: mean absolute deviation s of the one-step residual, per seasonal bucket (shrunk towards the
 * model-wide value while a bucket has few samples), floored by {@link SignalSpec}. σ = 1.2533·s (exact for a
 * normal distribution). Robust z = (y - ŷ)/σ; the score is {@link TailModel#score} of z's estimated exceedance
 * probability under the series' own tail ({@link DetectionResult#probability}; 0.9 ↔ 10⁻⁹); specs without data
 * floors (the multivariate detectors' feature baselines) keep 1 - exp(-(|z|/z0)³), |z| = zHalf (3) → 0.5. The band
 * [lower, upper] is ŷ ± z(bandScore)·σ mapped back to the series' units. A series never negative is never
 * expected below 0 when scored.
 *
 * <p>Recovery: a level shift adopted as the new normal (below) is remembered for a week; a window back at the
 * pre-shift level in that time restores the old levels before it is scored, so the return does not alert.
 *
 * <p>Robustness: residuals are clipped to ±clipZ·σ before they update any level, profile or spread, and points
 * beyond clipZ are down-weighted — by (clipZ/|z|)² in levels and spreads, by clipZ/|z| in the profiles — so a
 * spike moves the baseline by a small fraction of clipZ·σ (anomalies do not poison it). A shift that persists for
 * {@code adaptAfterWindows} consecutive windows beyond clipZ on the same side moves every level by the mean
 * residual of that run: it becomes the new normal.
 *
 * <p>LEARNING: until {@code minLearnWindows} observations the detector reports state LEARNING with score 0;
 * during that time updates are plain running means (no clipping — there is no spread to clip against yet).
 */
public final class SeasonalDetector implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    static final long DAY = 86_400_000L;
    static final long WEEK = 7 * DAY;
    /** σ per mean absolute deviation of a normal distribution (√(π/2) ≈ 1.2533). */
    public static final double SIGMA_PER_MAD = Math.sqrt(Math.PI / 2);
    static final String[] MODELS = {"level", "daily", "weekly"};

    private final SeasonalConfig cfg;
    private final SignalSpec spec;

    public SeasonalDetector(SeasonalConfig cfg, SignalSpec spec) {
        this.cfg = cfg;
        this.spec = spec;
    }

    public SignalSpec spec() {
        return spec;
    }

    public SeasonalConfig config() {
        return cfg;
    }

    /**
     * Scores the observation at {@code ts} (window start, epoch ms) against the baseline learnt from earlier
     * observations, then updates the baseline. Returns null for a non-finite value or a timestamp not after
     * the previous one (duplicates and out-of-order windows are ignored; state is unchanged).
     */
    public DetectionResult update(SeasonalState st, long ts, double value) {
        return update(st, ts, value, 0);
    }

    /**
     * As {@link #update(SeasonalState, long, double)}, with the number of trials behind the value ({@code count}
     * requests behind an error rate; ≤ 0 = unknown). For a {@link SignalSpec#binomial} signal the score's σ
     * includes the sampling noise of a ratio of {@code count} trials at the expected rate (Agresti–Coull:
     * p̃ = (count·p + 2)/(count + 4), variance p̃(1 − p̃)/(count + 4)): one failed request out of 20 is a 5 % error
     * rate but no evidence of an error burst. Only the score and band use it; the baseline learns as without.
     */
    public DetectionResult update(SeasonalState st, long ts, double value, long count) {
        if (!Double.isFinite(value)) return null;
        double y = spec.forward(value);
        if (!Double.isFinite(y)) return null;
        if (st.n == 0) {
            st.firstTs = ts;
            st.lastTs = ts;
            st.n = 1;
            st.levelL = y;
            st.levelS = y;
            st.levelW = y;
            NoiseModel.observe(st, value, y);
            return new DetectionResult(ts, value, value, value, value, 0, 0, 0, DetectionResult.State.LEARNING,
                    "level", 0);
        }
        if (ts <= st.lastTs) return null;
        // State restored from a version without the weekly level (a new field reads 0): start it at the daily
        // model's level, which the weekly profile of that version was relative to. In a state of this version
        // levelW follows levelS, so 0 beside a non-zero levelS occurs only then.
        if (st.levelW == 0 && st.levelS != 0) st.levelW = st.levelS;
        long delta = ts - st.lastTs;
        if (st.stepMs == 0 || (delta < st.stepMs && st.n < cfg.minLearnWindows())) {
            // The resolution is the smallest spacing seen while learning; gaps may make the first spacing larger.
            st.stepMs = delta;
            allocate(st);
        }
        boolean learning = st.n < cfg.minLearnWindows();

        // Predictions of each candidate, before seeing y.
        int bD = st.daily == null ? -1 : bucket(ts, DAY, st.daily.length);
        int bW = st.weekly == null ? -1 : bucket(ts, WEEK, st.weekly.length);
        double eL = st.levelL;
        double eD = st.levelS + (bD >= 0 ? st.daily[bD] : 0);
        // The weekly candidate has its own level: the daily model's level follows a weekend within hours, so
        // its residual would show a weekend only in the first hour and the weekly profile could never learn it.
        double eW = st.levelW + (bD >= 0 ? st.daily[bD] : 0) + (bW >= 0 ? st.weekly[bW] : 0);
        // Each seasonal candidate predicts its profile plus a fast local correction: the recent (20-window) mean of
        // its own residual. On a smooth series the profile alone is a poor one-step predictor next to the plain
        // level (its slow level lags by a few percent), so it would never be plausible and could not explain a
        // weekly step it anticipates — e.g. Monday 00:00 after a weekend, which the level model sees as a jump.
        double pD = eD + st.biasD;
        double pW = eW + st.biasW;
        double sL = floor(st, st.spreadL, eL);
        double sD = bD >= 0 ? floor(st, dailySpread(st, bD), pD) : sL;
        double sW = bW >= 0 ? floor(st, shrink(st.weeklySpread[bW], st.weeklyCount[bW], st.spreadW), pW) : sD;

        long age = ts - st.firstTs;
        boolean[] eligible = {true, bD >= 0 && age >= 2 * DAY && st.nErrD > 0,
            bW >= 0 && age >= WEEK && st.nErrW > 0};
        double[] es = {eL, pD, pW};
        double[] ss = {sL, sD, sW};
        double[] errs = {st.errL, st.errD, st.errW};
        // The reported baseline: the simplest model unless a seasonal one cuts the error by minSeasonalStrength.
        int best = 0;
        for (int c = 1; c < 3; c++) {
            if (eligible[c] && errs[c] < (1 - cfg.minSeasonalStrength()) * errs[best]) best = c;
        }
        // Recovery is not an anomaly: after a level shift became the new normal, a window back at the pre-shift
        // level (within clipZ of the old baseline, beyond it of the new one, on the side the shift came from)
        // gets the old levels back before it is scored, so the return does not alert.
        if (!learning && st.shiftTs != 0 && ts - st.shiftTs <= WEEK) {
            double shift = best == 0 ? st.shiftL : best == 1 ? st.shiftS : st.shiftW;
            double sigma = cfg.clipZ() * SIGMA_PER_MAD * ss[best];
            double rNow = y - es[best];
            if (Math.abs(rNow) > sigma && Math.abs(rNow + shift) <= sigma && Math.signum(rNow) == -Math.signum(shift)) {
                st.levelL -= st.shiftL;
                st.levelS -= st.shiftS;
                st.levelW -= st.shiftW;
                st.biasD = 0;
                st.biasW = 0;
                st.shiftTs = 0;
                resetRun(st);
                eL = st.levelL;
                eD = st.levelS + (bD >= 0 ? st.daily[bD] : 0);
                eW = st.levelW + (bD >= 0 ? st.daily[bD] : 0) + (bW >= 0 ? st.weekly[bW] : 0);
                pD = eD;
                pW = eW;
                sL = floor(st, st.spreadL, eL);
                sD = bD >= 0 ? floor(st, dailySpread(st, bD), pD) : sL;
                sW = bW >= 0 ? floor(st, shrink(st.weeklySpread[bW], st.weeklyCount[bW], st.spreadW), pW) : sD;
                es = new double[] {eL, pD, pW};
                ss = new double[] {sL, sD, sW};
            }
        }
        // The score is the smallest |z| among the plausible models (error within plausibleErrorRatio of the
        // best's): a window is anomalous only if no credible seasonal baseline explains it — e.g. a daily batch
        // spike is normal for the daily model on a weekend the weekly model has seen only once.
        double zb = cfg.zAt(cfg.bandScore());
        double z = Double.POSITIVE_INFINITY;
        double zScore = Double.POSITIVE_INFINITY;
        double r = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 3; c++) {
            if (!eligible[c] || (c != best && errs[c] > cfg.plausibleErrorRatio() * errs[best])) continue;
            // The plain level never overrides a seasonal baseline: its wide band would hide contextual anomalies.
            if (c == 0 && best > 0) continue;
            double sigmaC = SIGMA_PER_MAD * ss[c];
            double ec = nonNegative(st, es[c]);
            double rc = y - ec;
            double zc = sigmaC > 0 ? rc / sigmaC : (rc == 0 ? 0 : Math.copySign(1e9, rc));
            if (Math.abs(zc) < Math.abs(z)) {
                z = zc;
                r = rc;
            }
            double sigmaS = spec.binomial && count > 0 ? Math.sqrt(sigmaC * sigmaC + binomialVariance(ec, count))
                    : sigmaC;
            double zs = sigmaS > 0 ? rc / sigmaS : (rc == 0 ? 0 : Math.copySign(1e9, rc));
            if (Math.abs(zs) < Math.abs(zScore)) zScore = zs;
            lo = Math.min(lo, ec - zb * sigmaS);
            hi = Math.max(hi, ec + zb * sigmaS);
        }
        double rBest = y - es[best];
        double sigmaBest = SIGMA_PER_MAD * ss[best];
        double zBest = sigmaBest > 0 ? rBest / sigmaBest : (rBest == 0 ? 0 : Math.copySign(1e9, rBest));
        String model = MODELS[best];
        double e = nonNegative(st, es[best]);
        double strength = best == 0 ? 0 : 1 - errs[best] / st.errL;
        int direction = r > 0 ? 1 : r < 0 ? -1 : 0;
        // The score ranks by the estimated exceedance probability under the series' own tail (TailModel); the
        // multivariate detectors' feature baselines (no data floors) use only z and keep the normal-shape score.
        double logP = learning ? 0 : spec.dataFloors ? TailModel.logProbability(st, zScore)
                : Math.log(2 * (1 - normalCdf(Math.abs(zScore))));
        double probability = Math.exp(logP);
        double score = learning ? 0 : spec.dataFloors ? TailModel.scoreOfLog(logP) : cfg.score(Math.abs(zScore));
        double lower = spec.inverse(lo);
        double upper = spec.inverse(hi);

        // Update every candidate with its own clipped residual; points beyond clipZ are also down-weighted by
        // (clipZ/|z|)², so a burst of anomalies neither drags the level nor inflates the spread.
        double w = learning || Math.abs(z) <= cfg.clipZ() ? 1 : (cfg.clipZ() / z) * (cfg.clipZ() / z);
        // Profiles: down-weighted linearly (clipZ/|z|), so a one-off fault moves a bucket by at most clipZ²·σ/|z|
        // per window (a ×0.2 traffic drop at z ≈ 20: a tenth of the clipped step), while a recurring spike, whose
        // |z| shrinks as it is learnt, still becomes normal within a few periods.
        double wProfile = Math.sqrt(w);
        double rate = learning ? 1.0 / (st.n + 1) : 0;
        double aL = learning ? rate : w / cfg.levelWindows();
        double rL = clip(y - eL, sL, learning);
        st.levelL += aL * rL;
        st.spreadL += (learning ? rate : w / cfg.levelWindows()) * (capAbs(y - eL, sL, learning) - st.spreadL);

        double perDay = st.stepMs > 0 ? (double) DAY / st.stepMs : 1;
        double aS = learning ? rate : w / Math.max(cfg.levelWindows(), Math.min(1000, perDay / 2));
        double rD = clip(y - eD, sD, learning);
        st.levelS += aS * rD;
        if (bD >= 0) {
            // Profiles learn a bucket's first periods unclipped (a new bucket has no spread to clip against) and
            // are clipped but not down-weighted afterwards, so a recurring spike is learnt within a few periods
            // while a one-off one moves the bucket by at most clipZ·σ/seasonalMemory.
            // A bucket may hold several windows per period (k); its memory is seasonalMemory periods.
            int k = perBucket(DAY, st.daily.length, st.stepMs);
            int c = st.dailyCount[bD];
            boolean fresh = learning || c < cfg.seasonalMemory() - 1;
            double g = 1.0 / Math.min(c + 1, cfg.seasonalMemory() * k);
            st.daily[bD] += (float) (g * (fresh ? 1 : wProfile) * (1 - aS) * clip(y - eD, sD, fresh));
            st.dailySpread[bD] += (float) (g * (capAbs(y - pD, sD, fresh) - st.dailySpread[bD]));
            if (c < Short.MAX_VALUE) st.dailyCount[bD]++;
        }
        double aSpread = learning ? rate : w / Math.max(cfg.levelWindows(), Math.min(1000, perDay));
        st.spreadD += aSpread * (capAbs(y - pD, sD, learning) - st.spreadD);
        st.levelW += aS * clip(y - eW, sW, learning);
        // The weekly profile learns the weekly model's residual once the time-of-day bucket has a sample (before,
        // the residual is the daily shape itself), and its first period unclipped: a weekend is one sample per
        // period, which clipping would cut to 3 σ, so the second weekend would alert like the first.
        if (bW >= 0 && (bD < 0 || st.dailyCount[bD] > 0)) {
            int k = perBucket(WEEK, st.weekly.length, st.stepMs);
            int c = st.weeklyCount[bW];
            boolean fresh = learning || c < Math.max(cfg.seasonalMemory() - 1, k);
            double g = 1.0 / Math.min(c + 1, cfg.seasonalMemory() * k);
            st.weekly[bW] += (float) (g * (fresh ? 1 : wProfile) * (1 - aS) * clip(y - eW, sW, fresh));
            st.weeklySpread[bW] += (float) (g * (capAbs(y - pW, sW, fresh) - st.weeklySpread[bW]));
            if (c < Short.MAX_VALUE) st.weeklyCount[bW]++;
        }
        st.spreadW += aSpread * (capAbs(y - pW, sW, learning) - st.spreadW);
        st.biasD += aL * (clip(y - eD, sD, learning) - st.biasD);
        st.biasW += aL * (clip(y - eW, sW, learning) - st.biasW);

        // Model selection errors: tracked from the first day on (the weekly profile is still filling during its first
        // week, when the weekly candidate is mostly the daily one; it is eligible only after a week).
        double aErr = 1.0 / Math.max(cfg.levelWindows(), Math.min(5000, perDay));
        st.errL += (st.n < 2 ? 1 : aErr) * (capAbs(y - eL, sL, learning) - st.errL);
        if (bD >= 0 && age >= DAY) {
            st.nErrD++;
            st.errD += Math.max(aErr, 1.0 / st.nErrD) * (capAbs(y - pD, sD, learning) - st.errD);
        }
        if (bW >= 0 && age >= DAY) {
            st.nErrW++;
            st.errW += Math.max(aErr, 1.0 / st.nErrW) * (capAbs(y - pW, sW, learning) - st.errW);
        }

        // Persistent shift → new normal. Windows beyond clipZ on one side count; windows still beyond 1 σ on
        // that side keep the run alive (a shift of a few σ dips under clipZ now and then); others end it.
        // Judged on the reported (best) model, which is the one whose level must move.
        if (!learning && Math.abs(zBest) > 1 && (st.runCount == 0 || Math.signum(st.runSumS) == Math.signum(rBest))) {
            if (Math.abs(zBest) > cfg.clipZ() || st.runCount > 0) {
                if (Math.abs(zBest) > cfg.clipZ()) st.run++;
                st.runCount++;
                st.runSumL += y - eL;
                st.runSumS += y - eD;
                st.runSumW += y - eW;
            }
            if (st.run >= cfg.adaptAfterWindows()) {
                // Remember the shift: a return to the old level within a week restores it (above).
                st.shiftL = st.runSumL / st.runCount;
                st.shiftS = st.runSumS / st.runCount;
                st.shiftW = st.runSumW / st.runCount;
                st.shiftTs = ts;
                st.levelL += st.shiftL;
                st.levelS += st.shiftS;
                st.levelW += st.shiftW;
                st.biasD = 0;
                st.biasW = 0;
                resetRun(st);
            }
        } else {
            resetRun(st);
        }

        NoiseModel.observe(st, value, y);
        if (!learning && spec.dataFloors) TailModel.observe(st, zScore, st.stepMs > 0 ? WEEK / st.stepMs : 1);
        st.lastTs = ts;
        st.n++;
        return new DetectionResult(ts, value, spec.inverse(e), lower, upper, score, zScore, direction,
                learning ? DetectionResult.State.LEARNING : DetectionResult.State.READY, model, strength, probability);
    }

    /** Φ(x), the standard normal CDF (Abramowitz–Stegun 7.1.26 via erf; |error| < 1.5·10⁻⁷). */
    static double normalCdf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.sqrt(2));
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        double erf = 1 - poly * Math.exp(-x * x / 2);
        return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }

    /**
     * The expected value of a series that has never been negative (a count, ratio, percentage or positive series,
     * {@link NoiseModel#kind}) is not below 0: a seasonal profile plus level can extrapolate below it (seen: an
     * error rate of 0.000 every window scored as 5 σ above an expected −0.035 on the simulator's postgres, the
     * daily profile after a fault at that hour two days earlier). Scoring only; the baselines learn as before.
     */
    private double nonNegative(SeasonalState st, double expectedY) {
        if (!spec.dataFloors || st.nNoise == 0 || NoiseModel.kind(st) == NoiseModel.Kind.SIGNED) return expectedY;
        double zero = spec.forward(0);
        return Double.isFinite(zero) ? Math.max(zero, expectedY) : expectedY;
    }

    /** Agresti–Coull variance of a ratio of {@code n} trials whose expected rate is {@code p}. */
    static double binomialVariance(double p, long n) {
        double pc = Math.min(1, Math.max(0, p));
        double nt = n + 4.0;
        double pt = (n * pc + 2) / nt;
        return pt * (1 - pt) / nt;
    }

    /**
     * Gap policy for rate signals: called when a window passed (the watermark is beyond its end) without any
     * data for this series. A series that normally has traffic then really had zero requests, so the window is
     * scored as a 0 observation. Returns null (no observation) while LEARNING or when the expected rate is so low
     * that an empty window is unremarkable (expected count per window below {@code minExpectedCount}).
     */
    public DetectionResult updateAbsent(SeasonalState st, long ts, double minExpectedCount) {
        if (st.n < cfg.minLearnWindows() || st.stepMs <= 0 || ts <= st.lastTs) return null;
        double expectedRate = spec.inverse(st.levelL);
        if (expectedRate * st.stepMs / 1000.0 < minExpectedCount) return null;
        return update(st, ts, 0.0);
    }

    private static void resetRun(SeasonalState st) {
        st.run = 0;
        st.runCount = 0;
        st.runSumL = 0;
        st.runSumS = 0;
        st.runSumW = 0;
    }

    private void allocate(SeasonalState st) {
        long step = st.stepMs;
        if (step <= 6 * 3_600_000L) {
            int nd = (int) Math.max(1, Math.min(cfg.maxDailyBuckets(), DAY / step));
            st.daily = new float[nd];
            st.dailySpread = new float[nd];
            st.dailyCount = new short[nd];
        } else {
            st.daily = null;
            st.dailySpread = null;
            st.dailyCount = null;
        }
        if (step <= DAY) {
            int nw = (int) Math.max(1, Math.min(cfg.maxWeeklyBuckets(), WEEK / step));
            st.weekly = new float[nw];
            st.weeklySpread = new float[nw];
            st.weeklyCount = new short[nw];
        } else {
            st.weekly = null;
            st.weeklySpread = null;
            st.weeklyCount = null;
        }
        st.nErrD = 0;
        st.nErrW = 0;
        st.errD = 0;
        st.errW = 0;
    }

    static int perBucket(long period, int buckets, long step) {
        return (int) Math.max(1, Math.min(1000, period / buckets / Math.max(1, step)));
    }

    static int bucket(long ts, long period, int buckets) {
        long phase = Math.floorMod(ts, period);
        return (int) Math.min(buckets - 1, phase * buckets / period);
    }

    /**
     * Width of the part of the day whose bucket spreads are pooled for the daily model's spread at a bucket: one
     * hour, centred on the bucket.
     */
    static final long SPREAD_POOL_MS = 3_600_000L;

    /**
     * The daily model's spread at time-of-day bucket {@code b}: the mean absolute deviation of the buckets within
     * {@link #SPREAD_POOL_MS} centred on it, weighted by their sample counts, and shrunk towards the model-wide
     * spread {@code spreadD} with the weight of two samples. Noise that depends on the time of day (a quiet
     * trough at a fifth of the peak's noise) is kept; the estimate rests on the pool's samples (an hour of windows
     * per day, times the bucket memory) instead of one bucket's few (a bucket of a 5-minute series holds about
     * four samples, and its mean absolute deviation is off by ±40 %), and one outlier moves a pooled estimate by a
     * thirteenth of what it adds to its own bucket (5-minute buckets). Series with fewer than two buckets per pool
     * (hourly data) keep their bucket's own spread.
     */
    static double dailySpread(SeasonalState st, int b) {
        int buckets = st.daily.length;
        int half = (int) (buckets * SPREAD_POOL_MS / DAY / 2);
        double sum = 0;
        double count = 0;
        for (int i = b - half; i <= b + half; i++) {
            int j = Math.floorMod(i, buckets);
            sum += st.dailyCount[j] * (double) st.dailySpread[j];
            count += st.dailyCount[j];
        }
        return shrink(count == 0 ? 0 : sum / count, count, st.spreadD);
    }

    /** A bucket's spread shrunk towards the model-wide spread while the bucket has few samples. */
    private static double shrink(double bucketSpread, double count, double global) {
        double k = 2;
        return (count * bucketSpread + k * global) / (count + k);
    }

    /**
     * The spread (mean absolute deviation) floored by the signal's own floors and by the series' data-aware
     * floors ({@link NoiseModel}: resolution, Poisson sampling noise of counts, typical move size).
     */
    private double floor(SeasonalState st, double spread, double expected) {
        double data = spec.dataFloors ? NoiseModel.sigmaFloor(st, spec, expected) / SIGMA_PER_MAD : 0;
        return Math.max(Math.max(spread, data), Math.max(spec.minSpread, spec.relSpread * Math.abs(expected)));
    }

    private double clip(double r, double spread, boolean learning) {
        if (learning) return r;
        double c = cfg.clipZ() * SIGMA_PER_MAD * spread;
        return Math.max(-c, Math.min(c, r));
    }

    /** |r| capped at clipZ·σ so that one outlier grows the spread by a bounded amount. */
    private double capAbs(double r, double spread, boolean learning) {
        double a = Math.abs(r);
        if (learning) return a;
        return Math.min(a, cfg.clipZ() * SIGMA_PER_MAD * spread);
    }
}
