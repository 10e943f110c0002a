package dev.runbook.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EventRingTest {

    @Test
    void keepsTheLastEventsAndSaysWhenAReaderMissedSome() {
        var ring = new EventRing(4);
        for (int i = 1; i <= 6; i++) {
            ring.append("t", "{\"n\":" + i + "}");
        }
        assertThat(ring.after(2).gap()).isFalse();
        assertThat(ring.after(2).events()).extracting(EventRing.Event::id).containsExactly(3L, 4L, 5L, 6L);
        assertThat(ring.after(1).gap()).isTrue();
        assertThat(ring.after(1).events()).extracting(EventRing.Event::id).containsExactly(3L, 4L, 5L, 6L);
        assertThat(ring.after(6).events()).isEmpty();
        // An id from before a restart, beyond ours: told to reload, given what there is.
        assertThat(ring.after(99).gap()).isTrue();
        assertThat(ring.after(99).events()).hasSize(4);
    }

    @Test
    @Timeout(10)
    void aWaitingReaderWakesOnTheNextEventAndOnWake() throws Exception {
        var ring = new EventRing(8);
        var reader = CompletableFuture.supplyAsync(() -> {
            try {
                return ring.await(0, TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        ring.append("guard", "{}");
        assertThat(reader.get(5, TimeUnit.SECONDS).events()).extracting(EventRing.Event::type).containsExactly("guard");

        var idle = CompletableFuture.supplyAsync(() -> {
            try {
                return ring.await(1, TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (!idle.isDone()) {
            ring.wake(); // the reader may not be waiting yet: wake until it has returned
            Thread.onSpinWait();
        }
        assertThat(idle.get().events()).isEmpty();
    }

    @Test
    void refusesAnEmptyRing() {
        assertThatThrownBy(() -> new EventRing(0)).hasMessageContaining("at least 1");
    }
}
