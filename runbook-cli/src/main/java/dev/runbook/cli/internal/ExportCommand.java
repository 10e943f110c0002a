package dev.runbook.cli.internal;

import dev.runbook.cli.RunbookCli;
import dev.runbook.dsl.Diagnostic;
import dev.runbook.dsl.LoadResult;
import dev.runbook.dsl.LoadedRunbook;
import dev.runbook.dsl.RunbookYaml;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runbook export PATH... [--output-file FILE|DIR]}: each runbook as normalised YAML ({@link RunbookYaml#write}),
 * whatever it was written in. Its {@code --output} names where the YAML goes, so it does not take the other
 * commands' {@code --output text|json}.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes runbook files and folders (YAML or Markdown) as normalised YAML: the schema's key order, "
                + "defaults left out, strings quoted safely; each loads back into an equal runbook.",
                "Prints to stdout (several runbooks as one stream, separated by ---), or writes --output. "
                        + "Problems in the files are printed to stderr as file:line:col: message, with exit 1."})
public final class ExportCommand extends PluginCommand {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "runbook files or folders")
    List<Path> paths;

    @Option(names = {"-o", "--output-file"}, paramLabel = "FILE|DIR",
            description = "write the YAML here instead of stdout; a folder (or several runbooks) gets one ID.yaml per runbook")
    Path output;

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "a folder of jars with more action providers (META-INF/services)")
    Path plugins;

    @Option(names = "--verbose", description = "stack traces with errors")
    boolean verboseOption;

    public ExportCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    Optional<Path> pluginsDir() {
        return Optional.ofNullable(plugins);
    }

    @Override
    boolean verbose() {
        return verboseOption;
    }

    @Override
    int run(Plugins loaded) throws IOException {
        LoadResult result = Library.load(paths, loaded.registry(), true);
        if (!result.ok()) {
            // stdout carries YAML, so the problems go to stderr
            PrintWriter err = err();
            for (Diagnostic d : result.diagnostics()) {
                err.println(TerminalText.escape(d.toString()));
            }
            err.flush();
            return RunbookCli.EXIT_PROBLEMS;
        }
        var texts = new LinkedHashMap<LoadedRunbook, String>();
        for (LoadedRunbook r : result.runbooks()) {
            try {
                texts.put(r, RunbookYaml.write(r.runbook()));
            } catch (IllegalArgumentException e) {
                throw new CliException(RunbookCli.EXIT_PROBLEMS, r.file() + ": cannot be written as YAML: "
                        + oneLine(e), e);
            }
        }
        if (output == null) {
            PrintWriter out = out();
            boolean first = true;
            for (String yaml : texts.values()) {
                if (!first) {
                    out.print("---\n");
                }
                out.print(yaml);
                first = false;
            }
            out.flush();
        } else {
            write(texts);
        }
        return RunbookCli.EXIT_OK;
    }

    private void write(Map<LoadedRunbook, String> texts) throws IOException {
        boolean folder = Files.isDirectory(output) || texts.size() > 1;
        PrintWriter out = out();
        try {
            if (folder) {
                Files.createDirectories(output);
            }
            for (var e : texts.entrySet()) {
                // ids are ASCII letters, digits, '-', '_' and '.', starting with a letter or digit: safe file names
                Path target = folder ? output.resolve(e.getKey().runbook().id() + ".yaml") : output;
                Files.writeString(target, e.getValue(), StandardCharsets.UTF_8);
                out.println(TerminalText.escape("wrote " + target + " (" + e.getKey().runbook().id() + " from "
                        + e.getKey().file() + ")"));
            }
        } catch (IOException e) {
            throw new CliException(RunbookCli.EXIT_USAGE, "--output " + output + ": " + oneLine(e), e);
        }
        out.flush();
    }
}
