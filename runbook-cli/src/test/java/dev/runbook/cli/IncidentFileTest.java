package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A bad incident file is one line on stderr naming the file, position and field; exit 2; no stack trace. */
class IncidentFileTest {
    static final String GOOD = "src/test/resources/runbooks/good";

    @TempDir
    Path dir;

    static Stream<Arguments> badIncidents() {
        return Stream.of(
            row("syntax|{\"incident_id\": \"i1\",\n \"resource\": {\"kind\": \"Pod\" \"name\": \"x\"}}" + "|:2:29: invalid JSON: Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries"),
            row("confidence type|{\"incident_id\": \"i1\", \"rca_confidence\": \"high\", \"resource\": {\"kind\": \"Pod\", \"name\": \"x\"}}" + "|:1:41: field 'rca_confidence': must be a number between 0 and 1, got \"high\""),
            row("confidence range|{\"incident_id\": \"i1\", \"rca_confidence\": 1.5, \"resource\": {\"kind\": \"Pod\", \"name\": \"x\"}}" + "|:1:41: field 'rca_confidence': must be a number between 0 and 1, got 1.5"),
            row("unknown field|{\"incident_id\": \"i1\",\n  \"root_cause\": \"OOMKilled\", \"resource\": {\"kind\": \"Pod\", \"name\": \"x\"}}" + "|:2:3: field 'root_cause': unknown field (did you mean 'root_cause_reason'?); known: incident_id," + " symptom_reason, root_cause_reason, rca_confidence, resource, cluster, event_time, labels, attributes," + " causal_chain"),
            row("missing resource|{\"incident_id\": \"i1\"}|:1:1: missing field 'resource' ({\"kind\": \"Pod\", \"name\": ..., \"namespace\": ...})"),
            row("resource name|{\"incident_id\": \"i1\", \"resource\": {\"kind\": \"Pod\", \"name\": 7}}" + "|:1:59: field 'resource.name': must be non-empty text, got 7"),
            row("missing id|{\"resource\": {\"kind\": \"Pod\", \"name\": \"x\"}}|:1:1: missing field 'incident_id'"),
            row("event time|{\"incident_id\": \"i1\", \"event_time\": \"yesterday\", \"resource\": {\"kind\": \"Pod\", \"name\": \"x\"}}" + "|:1:37: field 'event_time': must be an ISO-8601 time such as 2025-01-15T10:30:00Z, got \"yesterday\""),
            row("not an object|[1, 2]|:1:1: the incident must be a JSON object {\"incident_id\": ..., \"resource\": {...}, ...}"),
            row("duplicate key|{\"incident_id\": \"i1\", \"incident_id\": \"i2\"}|:1:36: invalid JSON: Duplicate field 'incident_id'")
        );
    }

    /** "name|json|expected". */
    private static Arguments row(String spec) {
        String[] p = spec.split("\\|", 3);
        return Arguments.of(p[0], p[1], p[2]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badIncidents")
    void badIncidentIsOneLineNamingFileAndField(String name, String json, String expected) throws Exception {
        Path file = Files.writeString(dir.resolve("incident.json"), json);
        var r = Cli.run("explain", "--incident", file.toString(), GOOD);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("runbook explain: incident " + file + expected + "\n");
    }

    @Test
    void aMissingIncidentFileIsNamed() {
        var r = Cli.run("plan", "--incident", "nope.json", GOOD);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(
                "runbook plan: incident nope.json: no such file; give --incident the path of an incident JSON file\n");
    }

    @Test
    void verboseAddsTheStackTrace() throws Exception {
        Path file = Files.writeString(dir.resolve("incident.json"), "{");
        var r = Cli.run("explain", "--verbose", "--incident", file.toString(), GOOD);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("runbook explain: incident " + file + ":1:2: invalid JSON: ")
                .contains("CliException", "\tat ");
    }
}
