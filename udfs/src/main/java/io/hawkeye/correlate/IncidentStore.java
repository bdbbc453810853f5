package io.hawkeye.correlate;

import java.util.HashMap;
import java.util.List;

/**
 * The state of an {@link IncidentBook} (of one partition): the open incidents by id, their heads (what the join
 * test reads of a candidate) by id, one {@link Member} per member alert occurrence ({@code alert_id|starts_at}),
 * and the open incidents of each service.
 */
public record IncidentStore(StateMap<String, IncidentState> open, StateMap<String, IncidentHead> heads,
        StateMap<String, Member> members, StateMap<String, List<String>> byService) {

    /** On plain hash maps: for offline use and tests. */
    public static IncidentStore inMemory() {
        return new IncidentStore(StateMap.of(new HashMap<>()), StateMap.of(new HashMap<>()),
                StateMap.of(new HashMap<>()), StateMap.of(new HashMap<>()));
    }
}
