package dev.runbook.dsl.internal;

import dev.runbook.core.internal.Durations;
import dev.runbook.core.model.ParamValue;
import dev.runbook.dsl.internal.Defs.Obj;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * The nodes {@link YamlWriter} builds: every string a {@link Tag#STR} node whose style is only a wish (the emitter
 * quotes whatever needs it), numbers and booleans with their own tags, so the reader resolves each to what it was.
 */
final class YamlNodes {
    /** Text written without quotes: plain words other tools cannot take for a number, boolean or null either. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_./-]*( [A-Za-z0-9_./-]+)*");
    private static final Pattern SIMPLE_DURATION = Pattern.compile("[0-9]+(ms|s|m|h)");
    /** YAML 1.1 booleans and nulls: text to this project's reader, but not to every YAML tool, so quoted. */
    private static final Set<String> AMBIGUOUS = Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null");

    private YamlNodes() {
    }


    /** A mapping of {@code values} in the key order of {@code def}; a key {@code def} does not have is a bug here. */
    static Node map(Obj def, Map<String, Node> values) {
        return map(def, values, FlowStyle.BLOCK);
    }

    static Node map(Obj def, Map<String, Node> values, FlowStyle style) {
        for (String k : values.keySet()) {
            if (def.field(k).isEmpty()) {
                throw new IllegalStateException("key '" + k + "' is not in " + def.defName());
            }
        }
        var tuples = new ArrayList<NodeTuple>();
        for (String k : def.names()) {
            Node v = values.get(k);
            if (v != null) {
                tuples.add(new NodeTuple(str(k), v));
            }
        }
        return new MappingNode(Tag.MAP, tuples, style);
    }

    static Node seq(List<Node> items, FlowStyle style) {
        return new SequenceNode(Tag.SEQ, items, items.isEmpty() ? FlowStyle.FLOW : style);
    }

    static Node value(ParamValue v) {
        if (v instanceof ParamValue.MapValue m) {
            var tuples = new ArrayList<NodeTuple>();
            m.entries().forEach((k, x) -> tuples.add(new NodeTuple(str(k), value(x))));
            return new MappingNode(Tag.MAP, tuples, tuples.isEmpty() ? FlowStyle.FLOW : FlowStyle.BLOCK);
        }
        if (v instanceof ParamValue.ListValue l) {
            var items = new ArrayList<Node>();
            for (int i = 0; i < l.items().size(); i++) {
                items.add(value(l.items().get(i)));
            }
            boolean scalars = l.items().stream().allMatch(x -> x instanceof ParamValue.Scalar || x == ParamValue.Null.INSTANCE);
            return seq(items, scalars ? FlowStyle.FLOW : FlowStyle.BLOCK);
        }
        if (v == ParamValue.Null.INSTANCE) {
            return new ScalarNode(Tag.NULL, "null", ScalarStyle.PLAIN);
        }
        Object o = ((ParamValue.Scalar) v).value();
        if (o instanceof String s) {
            return str(s);
        }
        if (o instanceof Boolean b) {
            return bool(b);
        }
        if (o instanceof Long l) {
            return new ScalarNode(Tag.INT, Long.toString(l), ScalarStyle.PLAIN);
        }
        return number((Double) o);
    }

    static Node str(String s) {
        return new ScalarNode(Tag.STR, s, style(s));
    }

    /** Plain for simple words, a literal block for multi-line text, double quotes otherwise; the emitter may quote more. */
    static ScalarStyle style(String s) {
        if (PLAIN.matcher(s).matches() && !AMBIGUOUS.contains(s.toLowerCase(Locale.ROOT))) {
            return ScalarStyle.PLAIN;
        }
        // Only \n breaks: a \r, U+0085, U+2028 or U+2029 in a block scalar would come back as \n. Text that starts
        // with a blank, a tab or a break is quoted: the emitter's block scalar gets leading empty lines wrong.
        if (s.indexOf('\n') >= 0 && " \t\n".indexOf(s.charAt(0)) < 0
                && s.chars().noneMatch(c -> c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029)) {
            return ScalarStyle.LITERAL;
        }
        return ScalarStyle.DOUBLE_QUOTED;
    }

    static Node bool(boolean b) {
        return new ScalarNode(Tag.BOOL, Boolean.toString(b), ScalarStyle.PLAIN);
    }

    static Node integer(long v) {
        return new ScalarNode(Tag.INT, Long.toString(v), ScalarStyle.PLAIN);
    }

    static Node number(double d) {
        // Double.toString always has a '.' or an exponent, so the reader takes it for a float, and gives the same double.
        String text = Double.isNaN(d) ? ".nan" : Double.isInfinite(d) ? (d > 0 ? ".inf" : "-.inf") : Double.toString(d);
        return new ScalarNode(Tag.FLOAT, text, ScalarStyle.PLAIN);
    }

    /** {@code 30s}, {@code 5m}, {@code 250ms} when exact; ISO-8601 otherwise, which the reader parses to the nanosecond. */
    static Node duration(Duration d) {
        boolean millis = d.toNanosPart() % 1_000_000 == 0 && d.toSeconds() < 1_000_000_000L;
        String text = millis ? Durations.human(d) : d.toString();
        // written by us, never from input: 30s reads as text to every YAML tool, so it needs no quotes
        return new ScalarNode(Tag.STR, text, SIMPLE_DURATION.matcher(text).matches() ? ScalarStyle.PLAIN : style(text));
    }

    static Node strings(Map<String, String> values) {
        var tuples = new ArrayList<NodeTuple>();
        values.forEach((k, v) -> tuples.add(new NodeTuple(str(k), str(v))));
        return new MappingNode(Tag.MAP, tuples, FlowStyle.BLOCK);
    }

    static void putText(Map<String, Node> m, String key, String value, String dflt) {
        if (!value.equals(dflt)) {
            m.put(key, str(value));
        }
    }

    static void putList(Map<String, Node> m, String key, Collection<String> values) {
        if (!values.isEmpty()) {
            m.put(key, seq(values.stream().map(YamlNodes::str).toList(), FlowStyle.FLOW));
        }
    }

    /** The seed writes one reason as text ({@code root_cause_reason: "OOMKilled"}) and several as a list. */
    static void putOneOrList(Map<String, Node> m, String key, Collection<String> values) {
        if (values.size() == 1) {
            m.put(key, str(values.iterator().next()));
        } else {
            putList(m, key, values);
        }
    }
}
