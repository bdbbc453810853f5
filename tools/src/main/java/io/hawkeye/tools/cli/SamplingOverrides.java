package io.hawkeye.tools.cli;

import io.hawkeye.topology.Topology;
import picocli.CommandLine.Option;

/** {@code simulate}'s overrides of the topology's trace sampling (a picocli mixin). */
final class SamplingOverrides {
    @Option(names = "--span-sample-rate", paramLabel = "P",
            description = "Override the topology's sampling.span_sample_rate (fraction of traces kept).")
    Double spanSampleRate;

    @Option(names = "--max-spans-per-second", paramLabel = "N",
            description = "Override the topology's sampling.max_spans_per_second (0 = unlimited).")
    Integer maxSpansPerSecond;

    /** {@code t} with the sampling the options override, the rest of it as it is. */
    Topology applyTo(Topology t) {
        if (spanSampleRate == null && maxSpansPerSecond == null) return t;
        return t.withSampling(spanSampleRate != null ? spanSampleRate : t.spanSampleRate(),
                maxSpansPerSecond != null ? maxSpansPerSecond : t.maxSpansPerSecond());
    }
}
