package dev.runbook.core.action;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters an action accepts. Unknown parameters are rejected unless {@code additionalAllowed}
 * (for actions such as {@code set} or {@code log} whose parameters are free).
 *
 * @param params            the declared parameters, in order
 * @param additionalAllowed whether undeclared parameters are accepted
 */
public record ParamSchema(List<ParamSpec> params, boolean additionalAllowed) {

    public ParamSchema {
        params = List.copyOf(params);
        var seen = new java.util.HashSet<String>();
        for (ParamSpec p : params) {
            if (!seen.add(p.name())) {
                throw new IllegalArgumentException("parameter " + p.name() + " declared twice");
            }
        }
    }

    /** A strict schema with these parameters. */
    public static ParamSchema of(ParamSpec... params) {
        return new ParamSchema(List.of(params), false);
    }

    /** A schema that accepts any parameters besides these. */
    public static ParamSchema open(ParamSpec... params) {
        return new ParamSchema(List.of(params), true);
    }

    /** The declared parameter with this name. */
    public Optional<ParamSpec> param(String name) {
        // a loop, not a stream: the compiler asks this for every parameter of every step of a library
        for (ParamSpec p : params) {
            if (p.name().equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Names of the declared parameters. */
    public List<String> names() {
        return params.stream().map(ParamSpec::name).toList();
    }

    /**
     * Checks rendered values against the schema, applies defaults and converts values to their declared
     * type ({@code "3"} to {@code 3L} for an integer, {@code 300} to a {@link java.time.Duration}).
     *
     * @return the converted parameters
     * @throws ParamException listing every problem at once
     */
    public Map<String, Object> apply(Map<String, Object> rendered) {
        var problems = new ArrayList<String>();
        var out = new LinkedHashMap<String, Object>();
        for (var e : rendered.entrySet()) {
            var spec = param(e.getKey());
            if (spec.isEmpty()) {
                if (additionalAllowed) {
                    out.put(e.getKey(), e.getValue());
                } else {
                    problems.add("unknown parameter '" + e.getKey() + "' (known: " + String.join(", ", names()) + ")");
                }
                continue;
            }
            try {
                out.put(e.getKey(), ParamConversions.convert(spec.get(), e.getValue()));
            } catch (IllegalArgumentException ex) {
                problems.add(ex.getMessage());
            }
        }
        for (ParamSpec p : params) {
            if (!out.containsKey(p.name())) {
                if (p.defaultValue().isPresent()) {
                    out.put(p.name(), ParamConversions.convert(p, p.defaultValue().get()));
                } else if (p.required()) {
                    problems.add("missing required parameter '" + p.name() + "' (" + p.description() + ")");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ParamException(problems);
        }
        return Collections.unmodifiableMap(out);
    }
}
