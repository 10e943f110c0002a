package dev.runbook.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardFeedTest {

    @Test
    void aHostEventReachesTheStreamAsData() {
        var feed = DashboardFeed.create();
        feed.publish("anomaly", Map.of("container", "<script>alert(1)</script>", "kind", "MEMORY_SPIKE"));

        var events = feed.ring().after(0).events();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).type()).isEqualTo("anomaly");
        assertThat(events.get(0).json()).contains("\"kind\":\"MEMORY_SPIKE\"", "\"type\":\"anomaly\"");
    }

    @Test
    void aHostEventTypeThatCouldBreakTheStreamIsRefusedWithTheRule() {
        var feed = DashboardFeed.create();
        assertThatThrownBy(() -> feed.publish("anomaly\ndata: x", Map.of()))
                .hasMessageContaining("event type 'anomaly\ndata: x'").hasMessageContaining("for instance 'anomaly'");
        assertThatThrownBy(() -> feed.publish("execution.finished", Map.of())).hasMessageContaining("not execution*");
        assertThat(feed.ring().lastId()).isZero();
    }

    @Test
    void sizesOutOfRangeAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> DashboardFeed.builder().eventBuffer(2)).hasMessageStartingWith("eventBuffer");
        assertThatThrownBy(() -> DashboardFeed.builder().historySize(0)).hasMessageStartingWith("historySize");
    }
}
