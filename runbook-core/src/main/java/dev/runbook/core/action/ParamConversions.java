package dev.runbook.core.action;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Converts rendered parameter values to their declared {@link ParamType}. */
public final class ParamConversions {
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d|w)?");

    private ParamConversions() {
    }

    /**
     * The value converted to the spec's type.
     *
     * @throws IllegalArgumentException naming the parameter and the offending value
     */
    public static Object convert(ParamSpec spec, Object value) {
        String name = spec.name();
        if (value == null) {
            throw new IllegalArgumentException("parameter '" + name + "' is null; expected " + describe(spec.type()));
        }
        switch (spec.type()) {
            case STRING:
                if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                    return value instanceof Double d ? formatNumber(d) : value.toString();
                }
                break;
            case INTEGER:
                if (value instanceof Long || value instanceof Integer || value instanceof Short) {
                    return ((Number) value).longValue();
                }
                if (value instanceof Number n) {
                    double d = n.doubleValue();
                    if (d == Math.rint(d) && !Double.isInfinite(d)) {
                        return (long) d;
                    }
                }
                if (value instanceof String s) {
                    try {
                        return new BigDecimal(s.trim()).longValueExact();
                    } catch (NumberFormatException | ArithmeticException e) {
                        // falls through to the error below
                    }
                }
                break;
            case NUMBER:
                if (value instanceof Number n) {
                    return n instanceof Long || n instanceof Integer ? n.longValue() : n.doubleValue();
                }
                if (value instanceof String s) {
                    try {
                        return Double.parseDouble(s.trim());
                    } catch (NumberFormatException e) {
                        // falls through
                    }
                }
                break;
            case BOOLEAN:
                if (value instanceof Boolean) {
                    return value;
                }
                if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
                    return Boolean.parseBoolean(s);
                }
                break;
            case DURATION:
                try {
                    return toDuration(value);
                } catch (IllegalArgumentException e) {
                    // falls through
                }
                break;
            case MAP:
                if (value instanceof Map) {
                    return value;
                }
                break;
            case LIST:
                if (value instanceof List) {
                    return value;
                }
                break;
            case ANY:
                return value;
            default:
                break;
        }
        throw new IllegalArgumentException("parameter '" + name + "' must be " + describe(spec.type()) + ", got "
                + quote(value));
    }

    /**
     * A duration from a number of seconds, {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d},
     * {@code 2w} or ISO-8601 ({@code PT5M}): the one parser of durations, for runbooks and command lines alike.
     */
    public static Duration toDuration(Object value) {
        if (value instanceof Duration d) {
            return d;
        }
        if (value instanceof Number n) {
            return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
        }
        if (value instanceof String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            var m = SIMPLE_DURATION.matcher(t);
            if (m.matches()) {
                double amount = Double.parseDouble(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                double millis = switch (unit) {
                    case "ms" -> amount;
                    case "s" -> amount * 1000;
                    case "m" -> amount * 60_000;
                    case "h" -> amount * 3_600_000;
                    case "d" -> amount * 86_400_000;
                    default -> amount * 604_800_000;
                };
                return Duration.ofMillis(Math.round(millis));
            }
            try {
                return Duration.parse(s.trim().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a duration: " + quote(s) + " (use 300, 30s, 5m, 1h or PT5M)");
            }
        }
        throw new IllegalArgumentException("not a duration: " + quote(value));
    }

    private static String formatNumber(Double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return d.toString();
    }

    private static String describe(ParamType t) {
        return switch (t) {
            case STRING -> "a string";
            case INTEGER -> "an integer";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case DURATION -> "a duration (300, 30s, 5m, 1h)";
            case MAP -> "a map";
            case LIST -> "a list";
            case ANY -> "a value";
        };
    }

    private static String quote(Object v) {
        String s = String.valueOf(v);
        if (s.length() > 80) {
            s = s.substring(0, 77) + "...";
        }
        return v instanceof String ? "'" + s + "'" : s + " (" + v.getClass().getSimpleName() + ")";
    }
}
