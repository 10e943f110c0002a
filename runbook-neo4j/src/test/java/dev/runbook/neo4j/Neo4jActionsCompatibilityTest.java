package dev.runbook.neo4j;

import dev.runbook.core.action.ActionProvider;
import dev.runbook.testkit.ActionProviderCompatibilityKit;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.neo4j.driver.Driver;

/** Core's action compatibility kit against {@link Neo4jActions} on the shared harness. */
@Neo4jTest
class Neo4jActionsCompatibilityTest extends ActionProviderCompatibilityKit {
    private Driver driver;

    @BeforeEach
    void connect(Driver driver) {
        this.driver = driver;
    }

    @Override
    protected ActionProvider provider() {
        return new Neo4jActions(driver);
    }

    @Override
    protected Map<String, Map<String, Object>> validParams() {
        return Map.of("check_neo4j", Map.of("query", "MATCH (e:Episodic {eid: $id}) RETURN count(e) AS n",
                "params", Map.of("id", "x"), "database", "neo4j"));
    }

    @Override
    protected Object externalState() {
        try (var s = driver.session()) {
            return s.run("MATCH (n) RETURN count(n) AS nodes").single().get("nodes").asLong();
        }
    }
}
