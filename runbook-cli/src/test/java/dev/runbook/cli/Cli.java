package dev.runbook.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the picocli command line in-process with captured stdout and stderr. */
final class Cli {
    private Cli() {
    }

    record Result(int code, String out, String err) {
        String[] outLines() {
            return out.isEmpty() ? new String[0] : out.split("\\R");
        }
    }

    static Result run(String... args) {
        return runWithEnv(Map.of(), args);
    }

    static Result runWithEnv(Map<String, String> env, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = RunbookCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), env).execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
