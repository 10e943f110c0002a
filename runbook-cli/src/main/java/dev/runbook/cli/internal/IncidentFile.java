package dev.runbook.cli.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.runbook.cli.RunbookCli;
import dev.runbook.core.internal.Json;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.IncidentFieldException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads an incident from JSON with the snake_case fields of the seed's {@code incident_context}:
 * {@code incident_id, symptom_reason, root_cause_reason, rca_confidence, resource{kind, name, namespace, uid,
 * controller, container_name}, cluster, event_time, labels, attributes} (and {@code causal_chain}), checked by
 * {@link Incident#fromMap}. Any problem is one {@link CliException} naming the file, line, column and field.
 */
final class IncidentFile {
    static final long MAX_SIZE = 1024 * 1024;
    private final String file;
    /** Where each value starts, by field path ({@code resource.kind}). */
    private final Map<String, JsonLocation> where = new HashMap<>();

    private IncidentFile(String file) {
        this.file = file;
    }

    /** Reads and checks the incident in this file. */
    static Incident read(Path path) {
        String name = path.toString();
        var reader = new IncidentFile(name);
        try {
            if (!Files.isRegularFile(path)) {
                throw reader.fail(null, "no such file; give --incident the path of an incident JSON file");
            }
            if (Files.size(path) > MAX_SIZE) {
                throw reader.fail(null, "file refused: more than " + MAX_SIZE + " bytes");
            }
            return reader.parse(Files.readString(path));
        } catch (IOException e) {
            throw reader.fail(null, "cannot read the file: " + e.getMessage());
        }
    }

    /** Reads and checks an incident from text; {@code file} names it in errors. */
    static Incident parse(String json, String file) {
        return new IncidentFile(file).parse(json);
    }

    private Incident parse(String json) {
        var factory = JsonFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Json.MAX_DEPTH).build()).build();
        Object root;
        try (JsonParser p = factory.createParser(json)) {
            if (p.nextToken() == null) {
                throw fail(null, "the file is empty; it must hold one JSON object");
            }
            root = value(p, "");
            if (p.nextToken() != null) {
                throw at(p.currentTokenLocation(), "", "unexpected content after the incident object");
            }
        } catch (JsonParseException e) {
            String msg = e.getOriginalMessage().replace("\n", " ");
            throw at(e.getLocation(), "", "invalid JSON: " + msg);
        } catch (IOException e) {
            throw fail(null, "cannot read the JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?>)) {
            throw fail("", "the incident must be a JSON object {\"incident_id\": ..., \"resource\": {...}, ...}");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) root;
        try {
            return Incident.fromMap(m);
        } catch (IncidentFieldException e) {
            throw fail(e.field(), e.problem());
        }
    }

    private Object value(JsonParser p, String path) throws IOException {
        where.put(path, p.currentTokenLocation());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                var m = new LinkedHashMap<String, Object>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    String child = path.isEmpty() ? name : path + "." + name;
                    where.put(child + "#key", p.currentTokenLocation());
                    p.nextToken();
                    m.put(name, value(p, child));
                }
                return m;
            }
            case START_ARRAY -> {
                var l = new ArrayList<Object>();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p, path + "[" + i++ + "]"));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getDecimalValue() : p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return p.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw at(p.currentTokenLocation(), path, "unexpected " + t);
        }
    }

    private CliException fail(String field, String message) {
        JsonLocation loc = field == null ? null
                : where.getOrDefault(field, where.getOrDefault(field + "#key", where.get("")));
        // Unknown keys are reported where the key is written, not where its value starts.
        if (field != null && message.startsWith("unknown field") && where.containsKey(field + "#key")) {
            loc = where.get(field + "#key");
        }
        return at(loc, field == null ? "" : field, message);
    }

    private CliException at(JsonLocation loc, String field, String message) {
        String position = loc == null || loc.getLineNr() < 1 ? "" : ":" + loc.getLineNr() + ":" + Math.max(1, loc.getColumnNr());
        String what = field.isEmpty() ? "" : " field '" + field + "':";
        return new CliException(RunbookCli.EXIT_USAGE, "incident " + file + position + ":" + what + " " + message);
    }
}
