package dev.runbook.dsl.internal;

import dev.runbook.core.action.Action;
import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.compile.RunbookCompiler;
import dev.runbook.core.internal.Json;
import dev.runbook.dsl.internal.Defs.Field;
import dev.runbook.dsl.internal.Defs.Obj;
import dev.runbook.dsl.internal.Defs.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON Schema (draft 2020-12) of runbook files, generated from {@link Defs} and the actions' parameter schemas. */
public final class SchemaGenerator {
    private static final String DURATION_PATTERN = "^(\\d+(\\.\\d+)?\\s*(ms|s|m|h|d|w)?|[Pp][0-9A-Za-z.]+)$";

    private SchemaGenerator() {
    }

    /** The schema as pretty-printed JSON text ending with a newline. */
    public static String generate(ActionRegistry registry) {
        var root = new LinkedHashMap<String, Object>();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$id", "https://runbook.dev/schema/runbook.schema.json");
        root.put("title", "Runbook");
        root.put("description", "A runbook file: one top-level key, runbook:");
        root.put("type", "object");
        root.put("properties", om("runbook", ref("runbook")));
        root.put("required", List.of("runbook"));
        root.put("additionalProperties", false);
        var defs = new LinkedHashMap<String, Object>();
        for (Obj o : Defs.namedObjects()) {
            defs.put(o.defName(), object(o));
        }
        defs.put("step", om(
                "description", "a step: an action step, or a branch step when it has an if key",
                "if", om("type", "object", "required", List.of("if")),
                "then", ref("branch_step"),
                "else", ref("action_step")));
        // Per-action params: the action step's schema gains one if/then per action name.
        @SuppressWarnings("unchecked")
        var actionStep = (Map<String, Object>) defs.get("action_step");
        var actions = new TreeMap<String, Object>();
        var names = new TreeMap<String, ParamSchema>();
        for (Action a : registry.actions()) {
            names.put(a.name(), a.schema());
            actions.put(a.name(), a.description());
            for (String alias : a.aliases()) {
                names.put(alias, a.schema());
                actions.put(alias, a.description() + " (alias of " + a.name() + ")");
            }
        }
        names.put(ActionRegistry.CHAIN_ACTION, RunbookCompiler.CHAIN_SCHEMA);
        actions.put(ActionRegistry.CHAIN_ACTION, "runs another runbook (chaining)");
        var oneOf = new ArrayList<Object>();
        actions.forEach((n, d) -> oneOf.add(om("const", n, "description", d)));
        @SuppressWarnings("unchecked")
        var props = (Map<String, Object>) actionStep.get("properties");
        var action = new LinkedHashMap<String, Object>();
        action.put("type", "string");
        action.put("description", "the action to call");
        action.put("oneOf", oneOf);
        props.put("action", action);
        var allOf = new ArrayList<Object>();
        names.forEach((n, schema) -> {
            defs.put("params." + n, params(schema));
            allOf.add(om("if", om("properties", om("action", om("const", n)), "required", List.of("action")),
                    "then", om("properties", om("params", ref("params." + n)))));
        });
        actionStep.put("allOf", allOf);
        root.put("$defs", defs);
        return JsonPretty.write(root);
    }

    /** An insertion-ordered map, so the generated text is the same on every run. */
    private static Map<String, Object> om(Object... kv) {
        var out = new LinkedHashMap<String, Object>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put((String) kv[i], kv[i + 1]);
        }
        return out;
    }

    private static Map<String, Object> ref(String name) {
        return om("$ref", "#/$defs/" + name);
    }

    private static Map<String, Object> object(Obj o) {
        var out = new LinkedHashMap<String, Object>();
        out.put("type", "object");
        out.put("description", o.description());
        var props = new LinkedHashMap<String, Object>();
        var required = new ArrayList<String>();
        for (Field f : o.fields()) {
            var p = new LinkedHashMap<String, Object>(type(f.type()));
            p.put("description", f.description());
            props.put(f.name(), p);
            if (f.required()) {
                required.add(f.name());
            }
        }
        out.put("properties", props);
        if (!required.isEmpty()) {
            out.put("required", required);
        }
        out.put("additionalProperties", false);
        return out;
    }

    private static Map<String, Object> type(Type t) {
        var out = new LinkedHashMap<String, Object>();
        if (t instanceof Obj o) {
            out.put("$ref", "#/$defs/" + o.defName());
        } else if (t instanceof Defs.Str s) {
            out.put("type", s.acceptNumbers() ? List.of("string", "number") : "string");
        } else if (t instanceof Defs.Bool) {
            out.put("type", "boolean");
        } else if (t instanceof Defs.Int i) {
            out.put("type", "integer");
            out.put("minimum", i.min());
            if (i.max() < Integer.MAX_VALUE) {
                out.put("maximum", i.max());
            }
        } else if (t instanceof Defs.Num n) {
            out.put("type", "number");
            out.put("minimum", n.min());
            out.put("maximum", n.max());
        } else if (t instanceof Defs.Dur d) {
            out.put("anyOf", List.of(
                    d.positive() ? om("type", "number", "exclusiveMinimum", 0) : om("type", "number", "minimum", 0),
                    om("type", "string", "pattern", DURATION_PATTERN)));
        } else if (t instanceof Defs.Enum e) {
            out.put("enum", e.values());
        } else if (t instanceof Defs.ListOf l) {
            out.put("type", "array");
            out.put("items", type(l.item()));
        } else if (t instanceof Defs.MapOf m) {
            out.put("type", "object");
            out.put("additionalProperties", type(m.value()));
        } else if (t instanceof Defs.Either e) {
            out.put("anyOf", List.of(type(e.scalar()), type(e.collection())));
        } else if (t instanceof Defs.Params) {
            out.put("type", "object");
        } else if (t instanceof Defs.StepRef) {
            out.put("$ref", "#/$defs/step");
        }
        return out;
    }

    private static Map<String, Object> params(ParamSchema schema) {
        var out = new LinkedHashMap<String, Object>();
        out.put("type", "object");
        var props = new LinkedHashMap<String, Object>();
        var required = new ArrayList<String>();
        for (ParamSpec p : schema.params()) {
            var s = new LinkedHashMap<String, Object>();
            // Every type also takes text: a {{ }} template, or a YAML/JSON document for maps and lists.
            switch (p.type()) {
                case STRING -> s.put("type", List.of("string", "number", "boolean"));
                case INTEGER -> s.put("type", List.of("integer", "string"));
                case NUMBER, DURATION -> s.put("type", List.of("number", "string"));
                case BOOLEAN -> s.put("type", List.of("boolean", "string"));
                case MAP -> s.put("type", List.of("object", "string"));
                case LIST -> s.put("type", List.of("array", "string"));
                case ANY -> { }
            }
            s.put("description", p.description());
            p.defaultValue().ifPresent(d -> s.put("default", d));
            props.put(p.name(), s);
            if (p.required()) {
                required.add(p.name());
            }
        }
        if (schema.param("expect").isEmpty()) {
            props.put("expect", om("type", "string",
                    "description", "condition over the result; lifted to the step's expect"));
        }
        out.put("properties", props);
        if (!required.isEmpty()) {
            out.put("required", required);
        }
        out.put("additionalProperties", schema.additionalAllowed());
        return out;
    }

    /** Pretty JSON: core's {@link Json} writes each leaf, this adds indentation. */
    static final class JsonPretty {
        private JsonPretty() {
        }

        static String write(Object v) {
            var sb = new StringBuilder();
            write(v, sb, 0);
            return sb.append('\n').toString();
        }

        private static void write(Object v, StringBuilder sb, int indent) {
            if (v instanceof Map<?, ?> m && !m.isEmpty()) {
                sb.append("{\n");
                int i = 0;
                for (var e : m.entrySet()) {
                    sb.append("  ".repeat(indent + 1)).append(Json.write(String.valueOf(e.getKey()))).append(": ");
                    write(e.getValue(), sb, indent + 1);
                    sb.append(++i < m.size() ? ",\n" : "\n");
                }
                sb.append("  ".repeat(indent)).append('}');
            } else if (v instanceof List<?> l && !l.isEmpty() && l.stream().anyMatch(x -> x instanceof Map || x instanceof List)) {
                sb.append("[\n");
                for (int i = 0; i < l.size(); i++) {
                    sb.append("  ".repeat(indent + 1));
                    write(l.get(i), sb, indent + 1);
                    sb.append(i + 1 < l.size() ? ",\n" : "\n");
                }
                sb.append("  ".repeat(indent)).append(']');
            } else if (v instanceof List<?> l) {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    sb.append(i == 0 ? "" : ", ").append(Json.write(l.get(i)));
                }
                sb.append(']');
            } else {
                sb.append(Json.write(v));
            }
        }
    }
}
