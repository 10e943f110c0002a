package dev.runbook.cli.internal;

import dev.runbook.cli.RunbookCli;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Runs a command with the plugins' class loader as the context class loader and turns every failure into one line
 * on stderr and an exit code (a stack trace only with {@code --verbose}).
 */
abstract class PluginCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    final CliEnvironment env;

    PluginCommand(CliEnvironment env) {
        this.env = env;
    }

    /** The folder of plugin jars, when given. */
    abstract Optional<Path> pluginsDir();

    /** Whether stack traces are wanted. */
    abstract boolean verbose();

    /** The command's work; returns the exit code. */
    abstract int run(Plugins plugins) throws Exception;

    @Override
    public final Integer call() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (Plugins plugins = Plugins.open(pluginsDir())) {
            thread.setContextClassLoader(plugins.classLoader());
            return run(plugins);
        } catch (CliException e) {
            return fail(e.exitCode(), e.getMessage(), e);
        } catch (Exception e) {
            return fail(RunbookCli.EXIT_USAGE, "unexpected error: " + oneLine(e), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private int fail(int code, String message, Throwable e) {
        PrintWriter err = err();
        err.println(TerminalText.escape("runbook " + spec.name() + ": " + message));
        if (verbose()) {
            TerminalText.printStackTrace(e, err);
        }
        err.flush();
        return code;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** An exception's message on one line, naming its type when it has no message. */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        return m.replace("\r", "").replace("\n", "; ");
    }
}
