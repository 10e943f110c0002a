package dev.runbook.dsl.internal;

import dev.runbook.core.action.ParamConversions;
import dev.runbook.core.internal.Suggestions;
import dev.runbook.core.model.Ids;
import dev.runbook.core.model.ParamValue;
import dev.runbook.dsl.internal.Defs.Field;
import dev.runbook.dsl.internal.Defs.Obj;
import dev.runbook.dsl.internal.Defs.Type;
import dev.runbook.dsl.internal.PositionMapper.Position;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * The generic reading of {@link RunbookNodeReader}, driven by the definitions ({@link Defs}): objects, lists and
 * maps, scalars with their types and ranges (numbers, durations, enums), and free values as {@link ParamValue}s,
 * each wrong value reported with what was expected.
 */
abstract class ValueReading extends NodeGuard {
    /** A step as read, made into a model step by {@link StepReading} once the whole document is read. */
    record StepData(Obj def, Map<String, Object> values, Node node, String path) {
    }

    ValueReading(String source, String file, PositionMapper mapper) {
        super(source, file, mapper);
    }

    /**
     * A float as the YAML 1.2 JSON schema resolves it: {@code .inf}, {@code -.inf} and {@code .nan} too, which Java's
     * parser does not know (a range check then refuses them where a range applies).
     */
    static double floatOf(String text) {
        return switch (text) {
            case ".inf" -> Double.POSITIVE_INFINITY;
            case "-.inf" -> Double.NEGATIVE_INFINITY;
            case ".nan" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    Object read(Node n, Type t, String path) {
        if (reported.contains(n)) {
            return null;
        }
        if (t instanceof Defs.Either e) {
            return read(n, n instanceof ScalarNode && n.getTag() != Tag.NULL ? e.scalar() : e.collection(), path);
        }
        if (t instanceof Defs.Obj o) {
            return readObject(n, o, path);
        }
        if (t instanceof Defs.ListOf l) {
            if (!(n instanceof SequenceNode seq)) {
                return wrong(n, path, "a list");
            }
            var out = new ArrayList<Object>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                Node item = seq.getValue().get(i);
                String p = path + "[" + i + "]";
                positions.put(p, null, item, mapper);
                Object v = read(item, l.item(), p);
                if (v != null) {
                    out.add(v);
                }
            }
            return out;
        }
        if (t instanceof Defs.MapOf mo) {
            if (!(n instanceof MappingNode map)) {
                return wrong(n, path, "a map");
            }
            var out = new LinkedHashMap<String, Object>();
            for (NodeTuple tu : map.getValue()) {
                if (!(tu.getKeyNode() instanceof ScalarNode k) || reported.contains(k)) {
                    continue;
                }
                String p = path + "." + k.getValue();
                positions.put(p, k, tu.getValueNode(), mapper);
                Object v = read(tu.getValueNode(), mo.value(), p);
                if (v != null) {
                    out.put(k.getValue(), v);
                }
            }
            return out;
        }
        if (t instanceof Defs.Params) {
            if (n instanceof ScalarNode s && s.getTag() == Tag.NULL) {
                return null;
            }
            return n instanceof MappingNode ? n : wrong(n, path, "a map of parameters");
        }
        if (t instanceof Defs.StepRef) {
            if (!(n instanceof MappingNode map)) {
                return wrong(n, path, "a step (a map with name and action, or name and if)");
            }
            boolean branch = map.getValue().stream()
                    .anyMatch(tu -> tu.getKeyNode() instanceof ScalarNode k && k.getValue().equals("if"));
            Obj def = branch ? Defs.BRANCH_STEP : Defs.ACTION_STEP;
            @SuppressWarnings("unchecked")
            var values = (Map<String, Object>) readObject(n, def, path);
            return values == null ? null : new StepData(def, values, n, path);
        }
        if (t instanceof Defs.Any) {
            return toValue(n, path, mapper);
        }
        return readScalar(n, t, path);
    }

    Object readObject(Node n, Obj o, String path) {
        if (!(n instanceof MappingNode map)) {
            return wrong(n, path, o.description() + " (a map with the keys " + String.join(", ", o.names()) + ")");
        }
        var out = new LinkedHashMap<String, Object>();
        var present = new java.util.HashSet<String>();
        for (NodeTuple tu : map.getValue()) {
            if (!(tu.getKeyNode() instanceof ScalarNode k) || reported.contains(k)) {
                continue;
            }
            String key = k.getValue();
            String p = path.isEmpty() ? key : path + "." + key;
            Optional<Field> f = o.field(key);
            if (f.isEmpty()) {
                error(pos(k, mapper), show(p) + ": unknown key '" + key + "' in " + show(path)
                        + Suggestions.didYouMean(key, o.names()) + " (allowed: " + String.join(", ", o.names()) + ")");
                continue;
            }
            present.add(key);
            Node v = tu.getValueNode();
            positions.put(p, k, v, mapper);
            Object value = read(v, f.get().type(), p);
            if (value != null) {
                out.put(key, value);
            }
        }
        for (Field f : o.fields()) {
            if (f.required() && !present.contains(f.name())) {
                Position at = path.isEmpty() ? positions.locate("") : positions.key(path).orElse(pos(n, mapper));
                error(at, show(path) + ": missing required key '" + f.name() + "' (" + f.description() + ")");
            }
        }
        return out;
    }

    Object readScalar(Node n, Type t, String path) {
        if (!(n instanceof ScalarNode s)) {
            return wrong(n, path, expected(t));
        }
        Tag tag = s.getTag();
        String text = s.getValue();
        Position at = pos(n, mapper);
        if (t instanceof Defs.Str str) {
            if (tag == Tag.STR || (str.acceptNumbers() && (tag == Tag.INT || tag == Tag.FLOAT))) {
                return text;
            }
            return wrong(n, path, expected(t));
        }
        if (t instanceof Defs.Bool) {
            return tag == Tag.BOOL ? Boolean.valueOf(text) : wrong(n, path, expected(t));
        }
        if (t instanceof Defs.Int i) {
            if (tag != Tag.INT) {
                return wrong(n, path, expected(t));
            }
            BigDecimal v = new BigDecimal(text);
            if (v.compareTo(BigDecimal.valueOf(i.min())) < 0 || v.compareTo(BigDecimal.valueOf(i.max())) > 0) {
                error(at, show(path) + ": " + text + " is out of range; " + range(i));
                return null;
            }
            return v.longValue();
        }
        if (t instanceof Defs.Num num) {
            if (tag != Tag.INT && tag != Tag.FLOAT) {
                return wrong(n, path, expected(t));
            }
            double v = floatOf(text);
            if (!(v >= num.min() && v <= num.max())) {
                error(at, show(path) + ": " + text + " is out of range; it must be between " + fmt(num.min())
                        + " and " + fmt(num.max()));
                return null;
            }
            return v;
        }
        if (t instanceof Defs.Dur d) {
            Duration v;
            try {
                if (tag == Tag.INT || tag == Tag.FLOAT) {
                    v = ParamConversions.toDuration(Double.parseDouble(text));
                } else if (tag == Tag.STR) {
                    v = ParamConversions.toDuration(text);
                } else {
                    return wrong(n, path, expected(t));
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                return wrong(n, path, expected(t));
            }
            if (v.isNegative() || (d.positive() && v.isZero())) {
                error(at, show(path) + ": " + text + " is out of range; the duration must be "
                        + (d.positive() ? "positive" : "zero or more"));
                return null;
            }
            return v;
        }
        if (t instanceof Defs.Enum e) {
            if (tag == Tag.STR && e.values().contains(text)) {
                return text;
            }
            error(at, show(path) + ": '" + text + "' is not allowed; use one of " + String.join(", ", e.values())
                    + Suggestions.didYouMean(text, e.values()));
            return null;
        }
        throw new IllegalStateException("unhandled type " + t);
    }

    Object wrong(Node n, String path, String expected) {
        error(pos(n, mapper), show(path) + ": expected " + expected + ", got " + describe(n));
        return null;
    }

    String expected(Type t) {
        if (t instanceof Defs.Str) {
            return "text";
        }
        if (t instanceof Defs.Bool) {
            return "true or false";
        }
        if (t instanceof Defs.Int i) {
            return "a whole number (" + range(i) + ")";
        }
        if (t instanceof Defs.Num num) {
            return "a number between " + fmt(num.min()) + " and " + fmt(num.max());
        }
        if (t instanceof Defs.Dur) {
            return "a duration (seconds, or 250ms, 30s, 5m, 1h, PT5M)";
        }
        return "a value";
    }

    String range(Defs.Int i) {
        return i.max() >= Integer.MAX_VALUE ? "it must be at least " + i.min()
                : "it must be between " + i.min() + " and " + i.max();
    }

    String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    String describe(Node n) {
        if (n instanceof MappingNode) {
            return "a map";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode s = (ScalarNode) n;
        if (s.getTag() == Tag.NULL) {
            return "nothing (an empty value)";
        }
        String v = Ids.quote(s.getValue().length() > 60 ? s.getValue().substring(0, 57) + "..." : s.getValue());
        String kind = s.getTag() == Tag.STR ? "text" : s.getTag() == Tag.BOOL ? "a boolean" : "a number";
        return kind + " " + v;
    }

    ParamValue toValue(Node n, String path, PositionMapper m) {
        if (reported.contains(n)) {
            return ParamValue.Null.INSTANCE;
        }
        if (n instanceof MappingNode map) {
            var out = new LinkedHashMap<String, ParamValue>();
            for (NodeTuple tu : map.getValue()) {
                if (!(tu.getKeyNode() instanceof ScalarNode k) || reported.contains(k)) {
                    continue;
                }
                String p = path + "." + k.getValue();
                positions.put(p, k, tu.getValueNode(), m);
                out.put(k.getValue(), toValue(tu.getValueNode(), p, m));
            }
            return new ParamValue.MapValue(out);
        }
        if (n instanceof SequenceNode seq) {
            var out = new ArrayList<ParamValue>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                Node item = seq.getValue().get(i);
                String p = path + "[" + i + "]";
                positions.put(p, null, item, m);
                out.add(toValue(item, p, m));
            }
            return new ParamValue.ListValue(out);
        }
        ScalarNode s = (ScalarNode) n;
        Tag tag = s.getTag();
        if (tag == Tag.NULL) {
            return ParamValue.Null.INSTANCE;
        }
        if (tag == Tag.BOOL) {
            return new ParamValue.Scalar(Boolean.valueOf(s.getValue()));
        }
        if (tag == Tag.INT) {
            try {
                return new ParamValue.Scalar(Long.parseLong(s.getValue()));
            } catch (NumberFormatException e) {
                return new ParamValue.Scalar(floatOf(s.getValue()));
            }
        }
        if (tag == Tag.FLOAT) {
            return new ParamValue.Scalar(floatOf(s.getValue()));
        }
        return new ParamValue.Scalar(s.getValue());
    }

    Optional<String> str(Map<?, ?> v, String key) {
        return v.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }
}
