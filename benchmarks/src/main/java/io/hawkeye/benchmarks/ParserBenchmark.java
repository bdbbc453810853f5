package io.hawkeye.benchmarks;

import io.hawkeye.telemetry.DeadLetter;
import io.hawkeye.telemetry.MetricSample;
import io.hawkeye.telemetry.Span;
import io.hawkeye.telemetry.TelemetryParser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link TelemetryParser} throughput (events/s, one core) on 4,096 distinct span records in the simulator's JSON
 * shape ({@link SpanJsonGenerator}, ~300 bytes each), one JSON object per record as on the telemetry topic.
 * Includes validation and building the {@link Span} objects, the work the Kafka deserializer does per record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParserBenchmark {
    static final int N = 4096;

    byte[][] records;
    TelemetryParser parser;
    long now;

    @Setup
    public void setup() {
        SpanJsonGenerator gen = new SpanJsonGenerator(11, 10_000);
        records = new byte[N][];
        for (int i = 0; i < N; i++) {
            records[i] = gen.next().value();
        }
        parser = new TelemetryParser(TelemetryParser.Config.defaults());
        now = SpanJsonGenerator.BASE.toEpochMilli() + 3_600_000L;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void parseSpans(Blackhole bh) {
        Handler h = new Handler(bh);
        for (int i = 0; i < N; i++) {
            parser.parse(records[i], "telemetry", 0, i, now, h);
        }
        if (h.deadLetters != 0) throw new IllegalStateException(h.deadLetters + " dead letters");
    }

    private static final class Handler implements TelemetryParser.Handler {
        final Blackhole bh;
        int deadLetters;

        Handler(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void span(Span span) {
            bh.consume(span);
        }

        @Override
        public void metric(MetricSample metric) {
            bh.consume(metric);
        }

        @Override
        public void deadLetter(DeadLetter deadLetter) {
            deadLetters++;
        }
    }
}
