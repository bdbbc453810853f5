package io.hawkeye.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawkeye.detect.SeasonalConfig;
import io.hawkeye.detect.multivariate.MultivariateConfig;
import io.hawkeye.forecast.ForecasterConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordCopiesTest {
    record Range(int low, int high, List<String> tags) {
        Range {
            if (low > high) throw new IllegalArgumentException("low > high");
        }
    }

    public static final class RangeBuilder {
        public int low;
        public int high = 10;
        public List<String> tags = List.of();
    }

    public static final class WrongBuilder {
        public long low;
        public int high;
        public List<String> tags;
    }

    @Test
    void copiesEveryComponentAndAppliesTheChangesThroughTheCanonicalConstructor() {
        Range r = new Range(1, 5, List.of("a"));
        assertThat(RecordCopies.with(r, RangeBuilder::new, b -> b.high = 7)).isEqualTo(new Range(1, 7, List.of("a")));
        assertThat(r).isEqualTo(new Range(1, 5, List.of("a")));
        assertThat(RecordCopies.build(Range.class, new RangeBuilder())).isEqualTo(new Range(0, 10, List.of()));
    }

    @Test
    void theRecordsValidationRunsAndABuilderThatDoesNotMatchIsRefused() {
        Range r = new Range(1, 5, List.of());
        assertThatThrownBy(() -> RecordCopies.with(r, RangeBuilder::new, b -> b.low = 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("low > high");
        assertThatThrownBy(() -> RecordCopies.with(r, WrongBuilder::new, b -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot copy Range");
    }

    @Test
    void theCoreConfigsCopyWithChanges() {
        SeasonalConfig s = SeasonalConfig.defaults().with(b -> b.zHalf = 4);
        assertThat(s.zHalf()).isEqualTo(4);
        assertThat(s.with(b -> b.zHalf = 3)).isEqualTo(SeasonalConfig.defaults());

        MultivariateConfig m = MultivariateConfig.generic(new String[] {"x", "y"}).with(b -> b.trees = 10);
        assertThat(m.trees()).isEqualTo(10);
        assertThat(m.dimension()).isEqualTo(2);
        assertThat(m.relFloor()).containsExactly(1e-3, 1e-3);

        ForecasterConfig f = ForecasterConfig.of(Duration.ofMinutes(1), Duration.ofHours(1))
                .with(b -> b.transform = ForecasterConfig.Transform.IDENTITY);
        assertThat(f.transform()).isEqualTo(ForecasterConfig.Transform.IDENTITY);
        assertThat(f.horizonSteps()).isEqualTo(60);
        assertThatThrownBy(() -> f.with(b -> b.lowerQuantile = 0.6)).isInstanceOf(IllegalArgumentException.class);
    }
}
