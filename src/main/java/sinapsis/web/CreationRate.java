package sinapsis.web;

import sinapsis.throttle.RecentEvents;

/**
 * How many things (sessions, forks, searches, classes) one client address created in the last
 * minute (over the cluster, on a database the nodes share); over the limit a request is refused
 * with a 429 naming the limit.
 */
final class CreationRate {
    private final int perMinute;
    private final RecentEvents creations;

    CreationRate(int perMinute, RecentEvents creations) {
        this.perMinute = perMinute;
        this.creations = creations;
    }

    /** Counts one creation by {@code client}, or refuses it. */
    void check(String client) {
        if (!creations.recordUnlessFull(client, System.currentTimeMillis(), perMinute)) {
            throw new ApiError(429, null, "error.tooManyCreated", perMinute);
        }
    }
}
