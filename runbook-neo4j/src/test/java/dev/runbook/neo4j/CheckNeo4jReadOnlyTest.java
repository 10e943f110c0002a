package dev.runbook.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.runbook.core.action.ActionException;
import dev.runbook.testkit.TestActionContext;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

/**
 * Issue 13: {@code check_neo4j} ran in a read transaction, which is not read-only: {@code LOAD CSV} fetched URLs and
 * read files, {@code SHOW USERS}, {@code dbms.listConfig()} and {@code db.clearQueryCaches()} ran. Each is now refused
 * naming the clause, before anything reaches the server; ordinary reads still run.
 */
@Neo4jTest
class CheckNeo4jReadOnlyTest {
    private static final Incident INCIDENT = Incident.builder("ro-1").rootCause("X", 1.0)
            .resource(ResourceRef.of("Pod", "default", "p")).build();
    private HttpServer http;
    private final AtomicInteger fetched = new AtomicInteger();
    private String url;

    /** A URL that answers a CSV and counts the requests: the SSRF target. */
    @BeforeEach
    void target() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            fetched.incrementAndGet();
            byte[] body = "a,b\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        url = "http://127.0.0.1:" + http.getAddress().getPort() + "/secrets.csv";
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private static Object run(Driver driver, Map<String, Object> params) throws Exception {
        var action = new Neo4jActions(driver).actions().get(0);
        return action.execute(TestActionContext.builder(action).incident(INCIDENT).params(action.schema().apply(params))
                .build()).output().orElseThrow();
    }

    private static String refusal(Driver driver, Map<String, Object> params) {
        var thrown = org.assertj.core.api.Assertions.catchThrowable(() -> run(driver, params));
        assertThat(thrown).as("refused: %s", params).isInstanceOf(ActionException.class);
        assertThat(((ActionException) thrown).retryable()).isFalse();
        assertThat(thrown.getMessage()).startsWith("check_neo4j step 'step-1': ").doesNotContain("\tat ");
        return thrown.getMessage().substring("check_neo4j step 'step-1': ".length());
    }

    @Test
    void loadCsvFromAUrlIsRefusedAndTheServerFetchesNothing(Driver driver) {
        assertThat(refusal(driver, Map.of("query", "LOAD CSV FROM '" + url + "' AS line RETURN line")))
                .startsWith("LOAD CSV is refused: it makes the server read a file or fetch a URL; check_neo4j runs read "
                        + "clauses over the graph only");
        assertThat(refusal(driver, Map.of("query", "LOAD CSV FROM $url AS line RETURN line", "params", Map.of("url", url))))
                .startsWith("LOAD CSV is refused");
        assertThat(refusal(driver, Map.of("query", "load /* hidden */ csv FROM $url AS line RETURN count(line) AS n",
                "params", Map.of("url", url)))).startsWith("LOAD CSV is refused");
        assertThat(refusal(driver, Map.of("query", "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line")))
                .startsWith("LOAD CSV is refused");
        assertThat(fetched).as("requests the Neo4j server made to the URL").hasValue(0);
    }

    @Test
    void administrationAndProceduresOutsideTheListAreRefusedNamingThem(Driver driver) {
        assertThat(refusal(driver, Map.of("query", "SHOW USERS"))).startsWith("SHOW USERS is refused: it reads the "
                + "server's administration data, not the graph");
        assertThat(refusal(driver, Map.of("query", "// a comment\nshow databases"))).startsWith("SHOW DATABASES is refused");
        assertThat(refusal(driver, Map.of("query", "CALL dbms.listConfig()"))).startsWith("CALL dbms.listConfig is refused: "
                + "only these procedures may be called: db.labels, db.relationshipTypes");
        assertThat(refusal(driver, Map.of("query", "CALL db.clearQueryCaches()"))).startsWith("CALL db.clearQueryCaches is refused");
        assertThat(refusal(driver, Map.of("query", "CALL `dbms`.`listConfig`() YIELD name RETURN name")))
                .startsWith("CALL dbms.listConfig is refused");
        assertThat(refusal(driver, Map.of("query", "MATCH (n) WITH count(n) AS c CALL db.clearQueryCaches() YIELD value "
                + "RETURN value"))).startsWith("CALL db.clearQueryCaches is refused");
        assertThat(refusal(driver, Map.of("query", "USE system MATCH (n) RETURN count(n) AS n"))).startsWith("USE system is refused");
        assertThat(refusal(driver, Map.of("query", "MATCH (n) RETURN count(n) AS n", "database", "system")))
                .startsWith("database 'system' is refused: it holds users, roles and credentials");
        assertThat(refusal(driver, Map.of("query", "PROFILE MATCH (n) RETURN count(n) AS n"))).startsWith("PROFILE is refused");
        assertThat(refusal(driver, Map.of("query", "RETURN apoc.version() AS v"))).startsWith("apoc.version is refused");
    }

    @Test
    void readsWithTheseWordsInStringsCommentsAndNamesStillRun(Driver driver) throws Exception {
        assertThat(run(driver, Map.of("query", """
                // SHOW USERS and LOAD CSV in a comment; CALL dbms.listConfig() too
                MATCH (n) WHERE n.load = 'LOAD CSV FROM x' OR n.show = "SHOW USERS" OR n.`use` = 'USE system'
                WITH count(n) AS n
                RETURN n, {use: 1, show: 2, load: 3}.show AS two
                """))).isEqualTo(Map.of("n", 0L, "two", 2L));
        Object labels = run(driver, Map.of("query", "CALL db.labels() YIELD label RETURN count(label) >= 0 AS ok"));
        assertThat(labels).isEqualTo(Map.of("ok", true));
        assertThat(run(driver, Map.of("query", "CALL { MATCH (n) RETURN n } RETURN count(n) >= 0 AS ok")))
                .isEqualTo(Map.of("ok", true));
    }
}
