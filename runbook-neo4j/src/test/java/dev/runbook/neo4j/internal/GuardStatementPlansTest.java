package dev.runbook.neo4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.neo4j.Neo4jGuardStore;
import dev.runbook.neo4j.Neo4jTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neo4j.driver.Driver;

/**
 * Every guard and pause statement finds its nodes through an index, never by scanning a label: a scan costs in
 * proportion to every key the graph holds, on a decision's or an execution's path. (The sweep once looked events up
 * by key alone, which a {@code (key, at)} index cannot serve, and took a second per hundred keys; and the planner
 * picks a scan while a graph is small whatever the predicate, then keeps that plan as the graph grows, so each lookup
 * names its index.) The plans come from {@code EXPLAIN} against the shared database in whatever state the other tests
 * left it, with parameters of the types the store sends. Two statements scan by design and are not listed:
 * recovery's {@code RELEASE_ALL} (see its comment) and {@code FOLD_OLD_EVENTS}, which reads the label of an earlier
 * layout once per build, empty after the first.
 */
@Neo4jTest
class GuardStatementPlansTest {
    private static final Map<String, Object> LOCK = Map.of("key", "resource:Pod/a/b", "token", "t", "ttl", 1000L);

    static List<Arguments> statements() {
        Map<String, Object> reserve = new java.util.HashMap<>();
        reserve.put("keys", List.of("cooldown:x", "rate:x", "resource:Pod/a/b"));
        reserve.put("now", null);
        reserve.put("keep", 1000L);
        reserve.put("locks", List.of(LOCK));
        reserve.put("counters", List.of(Map.of("key", "rate:x", "window", 1000L, "amount", 1, "limit", 5)));
        reserve.put("spacings", List.of(Map.of("key", "cooldown:x", "nanos", 1_000_000_000L)));
        reserve.put("counted", List.of(Map.of("key", "rate:x", "n", 1L), Map.of("key", "cooldown:x", "n", 1L)));
        reserve.put("mark", 7L);
        reserve.put("owner", "execution-1");
        reserve.put("pauses", List.of("pause:x"));
        return List.of(
                Arguments.of("reserve", GuardTransactions.RESERVE, reserve),
                Arguments.of("release", GuardTransactions.RELEASE, Map.of("locks", List.of(LOCK))),
                Arguments.of("cancel", GuardTransactions.CANCEL, Map.of("locks", List.of(LOCK), "keys",
                        List.of("rate:x", "cooldown:x"), "mark", 7L)),
                Arguments.of("renew", GuardTransactions.RENEW, Map.of("locks", List.of(LOCK), "now", 5L)),
                Arguments.of("sweep: pick stale keys", GuardTransactions.SWEEP_SELECT, Map.of("now", 5L, "limit", 100)),
                Arguments.of("sweep: delete the keys still stale", GuardTransactions.SWEEP_STALE_KEYS,
                        Map.of("keys", List.of("a", "b"), "now", 5L)),
                Arguments.of("record a failure", PauseTransactions.RECORD, Map.of("key", "pause:x", "now", 5L,
                        "within", 1000L, "execution", "execution-1", "failures", 3, "description", "d", "prune", 500)),
                Arguments.of("resume", PauseTransactions.RESUME, Map.of("key", "pause:x", "who", "ops", "now", 5L)),
                Arguments.of("pause state", PauseTransactions.STATE, Map.of("key", "pause:x")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statements")
    void findsItsNodesThroughIndexes(String name, String statement, Map<String, Object> parameters, Driver driver) {
        Neo4jGuardStore.builder().driver(driver).build(); // the schema the statements are planned against
        List<String> operators = StatementPlans.operators(driver, statement, parameters);
        assertThat(operators).as("operators of the %s statement", name)
                .isNotEmpty()
                .noneMatch(op -> op.contains("LabelScan") || op.contains("AllNodesScan"));
    }
}
