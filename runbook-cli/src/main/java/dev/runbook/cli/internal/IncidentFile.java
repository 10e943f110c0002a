package dev.runbook.cli.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.runbook.cli.RunbookCli;
import dev.runbook.core.model.CausalLink;
import dev.runbook.core.model.Incident;
import dev.runbook.core.model.ResourceRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an incident from JSON with the snake_case fields of the seed's {@code incident_context}:
 * {@code incident_id, symptom_reason, root_cause_reason, rca_confidence, resource{kind, name, namespace, uid,
 * controller, container_name}, cluster, event_time, labels, attributes} (and {@code causal_chain}). Any problem is
 * one {@link CliException} naming the file, line, column and field.
 */
final class IncidentFile {
    static final long MAX_SIZE = 1024 * 1024;
    private static final List<String> TOP = List.of("incident_id", "symptom_reason", "root_cause_reason",
            "rca_confidence", "resource", "cluster", "event_time", "labels", "attributes", "causal_chain");
    private static final List<String> RESOURCE = List.of("kind", "name", "namespace", "uid", "controller",
            "container_name");
    private static final List<String> LINK = List.of("cause_event_id", "cause_reason", "effect_event_id", "confidence");

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
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build();
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
        checkKeys(m, "", TOP);
        var b = Incident.builder(requiredText(m, "incident_id", ""));
        b.symptomReason(optionalText(m, "symptom_reason", "").orElse(""));
        String cause = optionalText(m, "root_cause_reason", "").orElse("");
        double confidence = 0.0;
        if (m.containsKey("rca_confidence")) {
            Object c = m.get("rca_confidence");
            if (!(c instanceof Number n) || !(n.doubleValue() >= 0.0 && n.doubleValue() <= 1.0)) {
                throw fail("rca_confidence", "must be a number between 0 and 1, got " + show(c));
            }
            confidence = n.doubleValue();
        }
        b.rootCause(cause, confidence);
        b.resource(resource(m));
        optionalText(m, "cluster", "").ifPresent(b::cluster);
        optionalText(m, "event_time", "").ifPresent(t -> b.eventTime(time(t)));
        if (m.containsKey("labels")) {
            Map<String, Object> labels = object(m, "labels", "");
            var out = new LinkedHashMap<String, String>();
            labels.forEach((k, v) -> {
                if (!(v instanceof String s)) {
                    throw fail("labels." + k, "a label value must be text, got " + show(v));
                }
                out.put(k, s);
            });
            b.labels(out);
        }
        if (m.containsKey("attributes")) {
            object(m, "attributes", "").forEach(b::attribute);
        }
        if (m.containsKey("causal_chain")) {
            b.causalChain(chain(m.get("causal_chain")));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw fail("", e.getMessage());
        }
    }

    private ResourceRef resource(Map<String, Object> m) {
        if (!m.containsKey("resource")) {
            throw fail("", "missing field 'resource' ({\"kind\": \"Pod\", \"name\": ..., \"namespace\": ...})");
        }
        Map<String, Object> r = object(m, "resource", "");
        checkKeys(r, "resource.", RESOURCE);
        var ref = ResourceRef.of(requiredText(r, "kind", "resource."), optionalText(r, "namespace", "resource.").orElse(""),
                requiredText(r, "name", "resource."));
        ref = optionalText(r, "uid", "resource.").map(ref::withUid).orElse(ref);
        ref = optionalText(r, "controller", "resource.").map(ref::withController).orElse(ref);
        return optionalText(r, "container_name", "resource.").map(ref::withContainerName).orElse(ref);
    }

    private List<CausalLink> chain(Object v) {
        if (!(v instanceof List<?> list)) {
            throw fail("causal_chain", "must be a list of {cause_event_id, cause_reason, effect_event_id, confidence}, got "
                    + show(v));
        }
        var out = new ArrayList<CausalLink>();
        for (int i = 0; i < list.size(); i++) {
            String path = "causal_chain[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?>)) {
                throw fail(path, "must be an object, got " + show(list.get(i)));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> link = (Map<String, Object>) list.get(i);
            checkKeys(link, path + ".", LINK);
            Object c = link.get("confidence");
            if (!(c instanceof Number n) || !(n.doubleValue() >= 0.0 && n.doubleValue() <= 1.0)) {
                throw fail(path + ".confidence", "must be a number between 0 and 1, got " + show(c));
            }
            out.add(new CausalLink(requiredText(link, "cause_event_id", path + "."),
                    requiredText(link, "cause_reason", path + "."), requiredText(link, "effect_event_id", path + "."),
                    n.doubleValue()));
        }
        return out;
    }

    private Instant time(String t) {
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw fail("event_time", "must be an ISO-8601 time such as 2025-01-15T10:30:00Z, got " + show(t));
        }
    }

    private void checkKeys(Map<String, Object> m, String prefix, List<String> allowed) {
        for (String k : m.keySet()) {
            if (!allowed.contains(k)) {
                String hint = closest(k, allowed).map(s -> " (did you mean '" + s + "'?)").orElse("");
                throw fail(prefix + k, "unknown field" + hint + "; known: " + String.join(", ", allowed));
            }
        }
    }

    private String requiredText(Map<String, Object> m, String key, String prefix) {
        if (!m.containsKey(key)) {
            throw fail(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1),
                    "missing field '" + prefix + key + "'");
        }
        Object v = m.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw fail(prefix + key, "must be non-empty text, got " + show(v));
        }
        return s;
    }

    private Optional<String> optionalText(Map<String, Object> m, String key, String prefix) {
        Object v = m.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw fail(prefix + key, "must be text, got " + show(v));
        }
        return Optional.of(s);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(Map<String, Object> m, String key, String prefix) {
        Object v = m.get(key);
        if (!(v instanceof Map<?, ?>)) {
            throw fail(prefix + key, "must be an object, got " + show(v));
        }
        return (Map<String, Object>) v;
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

    private static String show(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "\"" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "\"";
        }
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        return String.valueOf(v);
    }

    private static Optional<String> closest(String word, List<String> candidates) {
        // A shortened name ("root_cause") is as likely a slip as a typo.
        for (String c : candidates) {
            if (word.length() >= 4 && (c.startsWith(word) || word.startsWith(c))) {
                return Optional.of(c);
            }
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return bestDistance <= Math.max(2, word.length() / 3) ? Optional.ofNullable(best) : Optional.empty();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
