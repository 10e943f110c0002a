package com.example.jobs;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The host's batch-job scheduler (here in memory): jobs by name, each running or paused. Thread-safe. */
public final class JobScheduler {
    private final Map<String, Boolean> paused = new ConcurrentHashMap<>();

    /** Adds a running job. */
    public void add(String job) {
        paused.putIfAbsent(job, false);
    }

    /** Whether the job is paused; empty when there is no such job. */
    public Optional<Boolean> paused(String job) {
        return Optional.ofNullable(paused.get(job));
    }

    /** Pauses the job; false when there is no such job. */
    public boolean pause(String job) {
        return paused.computeIfPresent(job, (k, v) -> true) != null;
    }

    /** Every job and whether it is paused, as of now. */
    public Map<String, Boolean> snapshot() {
        return Map.copyOf(paused);
    }
}
