package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Usage errors: exit 2, one line on stderr, no stack trace. */
class UsageTest {
    @Test
    void anUnknownFlagIsAUsageError() {
        var r = Cli.run("validate", "--bogus", "x.yaml");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("runbook: Unknown option: '--bogus' (see 'runbook validate --help')\n");
    }

    @Test
    void aMissingRequiredOptionIsAUsageError() {
        var r = Cli.run("plan", "src/test/resources/runbooks/good");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("runbook: Missing required option: '--incident=FILE' (see 'runbook plan --help')\n");
    }

    @Test
    void aBadOutputFormatIsAUsageError() {
        var r = Cli.run("validate", "--output", "yaml", "x.yaml");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("runbook: Invalid value for option '--output': expected one of [text, json]")
                .doesNotContain("\tat ").hasLineCount(1);
    }

    @Test
    void noCommandIsAUsageError() {
        var r = Cli.run();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("runbook: a command is required: validate, schema, explain, plan, export, backtest or resume (see 'runbook --help')\n");
    }

    @Test
    void helpListsTheCommands() {
        var r = Cli.run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("validate", "schema", "explain", "plan", "Exit codes: 0 ok");
    }
}
