package io.hawkeye.detect.multivariate;

import io.hawkeye.alerts.Attribution;
import java.util.List;

/**
 * The verdict of {@link MultivariateDetector#update} for one window. Scores are calibrated to [0, 1] (0.5 = a
 * typical training window); both are 0 while {@code learning}. Attributions are empty below
 * {@link MultivariateConfig#attributeFrom}. {@code newModel} is non-null when this window triggered a (re)fit;
 * the window itself was scored with the previous model.
 */
public record MultivariateResult(
        boolean learning,
        double forestScore, double forestRaw, List<Attribution> forestAttribution,
        double relationshipScore, double distance, List<Attribution> relationshipAttribution,
        String modelVersion, boolean admitted, MultivariateModel newModel) {
}
