package io.hawkeye.jobs.detect;

import io.hawkeye.alerts.Alert;

/** What every detector's alert starts from. */
public final class DetectorAlerts {
    private DetectorAlerts() {}

    /**
     * A firing alert of {@code detector} on {@code signal} of {@code service}/{@code endpoint}, with its id (the
     * fingerprint of the four) and start, and no value, expectation or band yet (NaN) — the detector fills in the
     * rest.
     */
    public static Alert firing(String detector, String signal, String service, String endpoint, String severity,
            long startsAt) {
        Alert a = new Alert();
        a.alertId = Alert.fingerprint(service, endpoint, signal, detector);
        a.status = Alert.FIRING;
        a.severity = severity;
        a.detector = detector;
        a.signal = signal;
        a.service = service;
        a.endpoint = endpoint;
        a.startsAt = startsAt;
        a.value = Double.NaN;
        a.expected = Double.NaN;
        a.lower = Double.NaN;
        a.upper = Double.NaN;
        return a;
    }
}
