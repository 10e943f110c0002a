package dev.runbook.core.action.builtin.internal;

import dev.runbook.core.action.ActionContext;
import dev.runbook.core.action.ActionException;
import dev.runbook.core.action.ActionResult;
import dev.runbook.core.action.ParamSchema;
import dev.runbook.core.action.ParamSpec;
import dev.runbook.core.action.ParamType;
import java.util.List;
import java.util.Locale;

/** The built-in actions that need no configuration: calculate, log, set, assert and fail. */
final class SimpleActions {
    private SimpleActions() {
    }

    static List<BaseAction> all() {
        return List.of(new Calculate(), new Log(), new SetValue(), new Assert(), new Fail());
    }

    /** These actions work on values the engine rendered, in memory: the engine runs them on the execution's thread. */
    private abstract static class InMemory extends BaseAction {
        InMemory(String name, String description, ParamSchema schema, boolean mutating) {
            super(name, description, schema, mutating);
        }

        @Override
        public final boolean inMemory() {
            return true;
        }
    }

    /** {@code calculate}: its output is the rendered {@code expression}. */
    static final class Calculate extends InMemory {
        Calculate() {
            super("calculate", "Outputs the value of an expression (rendered by the engine before the action runs)",
                    ParamSchema.of(ParamSpec.required("expression", ParamType.ANY,
                            "the value to compute, usually a template such as {{ current_memory | multiply(2) }}")),
                    false);
        }

        @Override
        public ActionResult execute(ActionContext context) {
            return ActionResult.of(context.params().get("expression"));
        }
    }

    /** {@code log}: logs {@code message} at {@code level}. */
    static final class Log extends InMemory {
        private static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error");

        Log() {
            super("log", "Writes a message to the execution's log",
                    ParamSchema.of(ParamSpec.required("message", ParamType.STRING, "the text to log"),
                            ParamSpec.withDefault("level", ParamType.STRING, "info",
                                    "trace, debug, info, warn or error")),
                    false);
        }

        @Override
        public ActionResult execute(ActionContext context) throws ActionException {
            String message = context.string("message");
            String level = context.string("level").trim().toLowerCase(Locale.ROOT);
            var log = context.logger();
            switch (level) {
                case "trace" -> log.trace("{}", message);
                case "debug" -> log.debug("{}", message);
                case "info" -> log.info("{}", message);
                case "warn" -> log.warn("{}", message);
                case "error" -> log.error("{}", message);
                default -> throw ActionException.permanent("parameter 'level' must be one of "
                        + String.join(", ", LEVELS) + ", got '" + context.string("level") + "'");
            }
            return ActionResult.of(message);
        }
    }

    /** {@code set}: its output is {@code value}. */
    static final class SetValue extends InMemory {
        SetValue() {
            super("set", "Outputs a value, to store it in a variable with output_var",
                    ParamSchema.of(ParamSpec.required("value", ParamType.ANY, "the value to output")), false);
        }

        @Override
        public ActionResult execute(ActionContext context) {
            return ActionResult.of(context.params().get("value"));
        }
    }

    /** {@code assert}: fails permanently unless {@code that} is true. */
    static final class Assert extends InMemory {
        Assert() {
            super("assert", "Fails the step (without retries) unless a condition is true",
                    ParamSchema.of(ParamSpec.required("that", ParamType.BOOLEAN, "the condition that must hold"),
                            ParamSpec.optional("message", ParamType.STRING, "the failure message")),
                    false);
        }

        @Override
        public ActionResult execute(ActionContext context) throws ActionException {
            if (!context.bool("that", false)) {
                throw ActionException.permanent(context.optionalString("message")
                        .filter(m -> !m.isBlank())
                        .orElse("assertion failed: parameter 'that' is false"));
            }
            return ActionResult.of(Boolean.TRUE);
        }
    }

    /** {@code fail}: always fails permanently with {@code message}. */
    static final class Fail extends InMemory {
        Fail() {
            super("fail", "Always fails the step (without retries) with a message, for instance to force a rollback",
                    ParamSchema.of(ParamSpec.required("message", ParamType.STRING, "the failure message")), false);
        }

        @Override
        public ActionResult execute(ActionContext context) throws ActionException {
            throw ActionException.permanent(context.string("message"));
        }
    }
}
