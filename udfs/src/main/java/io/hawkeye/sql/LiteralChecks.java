package io.hawkeye.sql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.ArgumentCount;
import org.apache.flink.table.types.inference.CallContext;
import org.apache.flink.table.types.inference.InputTypeStrategy;
import org.apache.flink.table.types.inference.Signature;
import org.apache.flink.table.types.inference.TypeInference;

/**
 * Planning-time argument checks for the sketch functions: wraps the type inference Flink extracts from the
 * {@code accumulate}/{@code eval} signatures with an input type strategy that rejects, before the job is built,
 * <ul>
 *   <li>a quantile / relative accuracy given as a literal out of range (or a NULL literal);
 *   <li>for the aggregates, a quantile / relative accuracy that is not a literal at all: the aggregate keeps one
 *       sketch per group and must know which quantile to read, so a per-row value is not supported.
 * </ul>
 * A quantile array ({@code APPROX_PERCENTILES}) is an {@code ARRAY[...]} constructor, not a literal, for the
 * planner, so its elements are checked when the first row arrives (the runtime rule in {@link SketchArgs}).
 */
final class LiteralChecks {
    private LiteralChecks() {}

    enum Kind { QUANTILE, ACCURACY }

    /** One checked argument position. {@code literalOnly}: a non-literal argument is rejected too. */
    record Check(int position, Kind kind, boolean literalOnly) {}

    static TypeInference wrap(TypeInference base, String function, Check... checks) {
        TypeInference.Builder b = TypeInference.newBuilder()
                .inputTypeStrategy(new Checked(base.getInputTypeStrategy(), function, List.of(checks)))
                .stateTypeStrategies(base.getStateTypeStrategies())
                .outputTypeStrategy(base.getOutputTypeStrategy())
                .disableSystemArguments(base.disableSystemArguments());
        base.getStaticArguments().ifPresent(b::staticArguments);
        return b.build();
    }

    /** The literal's value as a double (numeric literals may be INT, DECIMAL or DOUBLE). */
    static Optional<Double> numericLiteral(CallContext ctx, int i) {
        Optional<Double> d = ctx.getArgumentValue(i, Double.class);
        if (d.isPresent()) return d;
        Optional<BigDecimal> bd = ctx.getArgumentValue(i, BigDecimal.class);
        if (bd.isPresent()) return Optional.of(bd.get().doubleValue());
        return ctx.getArgumentValue(i, Long.class).map(Long::doubleValue)
                .or(() -> ctx.getArgumentValue(i, Integer.class).map(Integer::doubleValue));
    }

    private record Checked(InputTypeStrategy delegate, String function, List<Check> checks)
            implements InputTypeStrategy {
        @Override
        public ArgumentCount getArgumentCount() {
            return delegate.getArgumentCount();
        }

        @Override
        public Optional<List<DataType>> inferInputTypes(CallContext ctx, boolean throwOnFailure) {
            int n = ctx.getArgumentDataTypes().size();
            for (Check c : checks) {
                if (c.position() >= n) continue;
                String what = c.kind() == Kind.QUANTILE ? "quantile" : "relative_accuracy";
                String range = c.kind() == Kind.QUANTILE ? "[0, 1]" : "(0, 1)";
                boolean literal;
                try {
                    literal = ctx.isArgumentLiteral(c.position());
                } catch (UnsupportedOperationException laterPhase) {
                    // Aggregate translation (after validation) cannot tell literals any more: the literal was
                    // projected into the aggregate's input. The call was checked when the query was validated.
                    continue;
                }
                if (!literal) {
                    if (c.literalOnly()) {
                        return ctx.fail(throwOnFailure, "%s: the %s (argument %d) must be a constant literal in %s;"
                                + " a per-row value is not supported", function, what, c.position() + 1, range);
                    }
                    continue;
                }
                if (ctx.isArgumentNull(c.position())) {
                    return ctx.fail(throwOnFailure, "%s: %s must not be NULL", function, what);
                }
                Optional<Double> v = numericLiteral(ctx, c.position());
                if (v.isEmpty()) continue; // not numeric: the delegate reports the type mismatch
                double x = v.get();
                boolean ok = c.kind() == Kind.QUANTILE ? x >= 0.0 && x <= 1.0 : x > 0.0 && x < 1.0;
                if (!ok) {
                    return ctx.fail(throwOnFailure, "%s: %s must be in %s, got %s", function, what, range, x);
                }
            }
            return delegate.inferInputTypes(ctx, throwOnFailure);
        }

        @Override
        public List<Signature> getExpectedSignatures(FunctionDefinition definition) {
            return new ArrayList<>(delegate.getExpectedSignatures(definition));
        }
    }
}
