package dev.runbook.dsl;

import dev.runbook.core.action.ActionRegistry;
import dev.runbook.core.compile.RunbookCompiler;
import dev.runbook.core.expression.ExpressionCompiler;
import dev.runbook.dsl.internal.RunbookFormat;
import dev.runbook.dsl.internal.RunbookNodeReader;
import dev.runbook.dsl.internal.Utf8Text;
import dev.runbook.dsl.internal.Validation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads runbook files strictly: every problem of every file (YAML syntax, unknown keys with a did-you-mean, wrong
 * types, out-of-range values, missing keys, unknown actions and params, template and expression errors, misspelled
 * variables and incident fields, duplicate ids and step names, chaining cycles across files) is reported as
 * {@code file:line:col: message}. A variable nothing defines, that the host may supply, is a warning
 * ({@code file:line:col: warning: message}) unless declared with {@link Builder#hostParameters}. Hostile files (oversized, alias bombs, aliases amplifying text past
 * {@link Builder#maxExpandedSize}, recursive aliases, custom tags, control characters) are refused with a clear
 * message before they cost time. Immutable and thread-safe.
 *
 * <pre>{@code
 * LoadResult result = RunbookLoader.builder().build().load(Path.of("runbooks"));
 * result.diagnostics().forEach(System.err::println);
 * List<Runbook> runbooks = result.runbooksOrThrow();
 * }</pre>
 */
public final class RunbookLoader {
    /** The default limit for one file: 1 MiB. */
    public static final long DEFAULT_MAX_FILE_SIZE = 1024 * 1024;
    /**
     * The default limit for the text of one file once YAML aliases are expanded: 4 MiB. A runbook with no alias
     * expands to less than its file size; a file larger than this after expansion is an alias amplification.
     */
    public static final long DEFAULT_MAX_EXPANDED_SIZE = 4L * 1024 * 1024;

    private final ActionRegistry registry;
    private final ExpressionCompiler expressions;
    private final long maxFileSize;
    private final long maxExpandedSize;
    private final boolean validate;
    private final Set<String> hostParameters;
    private final Map<String, RunbookFormat> formats;

    private RunbookLoader(Builder b) {
        this.registry = b.registry != null ? b.registry
                : ActionRegistry.builder().discover(Thread.currentThread().getContextClassLoader()).build();
        this.expressions = b.expressions;
        this.maxFileSize = b.maxFileSize;
        this.maxExpandedSize = b.maxExpandedSize;
        this.validate = b.validate;
        this.hostParameters = Set.copyOf(b.hostParameters);
        var byExt = new LinkedHashMap<String, RunbookFormat>();
        for (RunbookFormat f : RunbookFormat.defaults()) {
            f.extensions().forEach(e -> byExt.put(e, f));
        }
        this.formats = Map.copyOf(byExt);
    }

    /**
     * A builder with the defaults: discovered actions, the standard expressions, 1 MiB per file, 4 MiB of text per
     * file once aliases are expanded, validation on.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The actions runbooks are checked against. */
    public ActionRegistry actions() {
        return registry;
    }

    /**
     * Loads one file, or every runbook file below a directory (recursively, sorted by path): {@code *.yaml},
     * {@code *.yml}, and {@code *.md}/{@code *.markdown} files that start with front matter (READMEs are skipped).
     */
    public LoadResult load(Path fileOrDirectory) {
        return load(List.of(fileOrDirectory));
    }

    /** Loads these files and directories as one library (chaining and duplicate ids are checked across them). */
    public LoadResult load(Collection<Path> paths) {
        var files = new ArrayList<Path>();
        var walked = new java.util.HashSet<String>();
        var diagnostics = new ArrayList<Diagnostic>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).filter(f -> formatOf(f.toString()).isPresent())
                            .sorted(Comparator.comparing(Path::toString)).forEach(f -> {
                                files.add(f);
                                walked.add(f.toString());
                            });
                } catch (IOException | java.io.UncheckedIOException e) {
                    diagnostics.add(new Diagnostic(p.toString(), 1, 1, "cannot list the directory: " + e.getMessage()));
                }
            } else {
                files.add(p);
            }
        }
        var texts = new LinkedHashMap<String, String>();
        for (Path f : files) {
            String name = f.toString();
            try {
                if (!Files.isRegularFile(f)) {
                    diagnostics.add(new Diagnostic(name, 1, 1, "no such file"));
                    continue;
                }
                long size = Files.size(f);
                if (size > maxFileSize) {
                    diagnostics.add(tooLarge(name, size));
                    continue;
                }
                Utf8Text.decode(Files.readAllBytes(f), name, diagnostics).ifPresent(t -> texts.put(name, t));
            } catch (IOException e) {
                diagnostics.add(new Diagnostic(name, 1, 1, "cannot read the file: " + e.getMessage()));
            }
        }
        texts.entrySet().removeIf(e -> walked.contains(e.getKey())
                && !formatOf(e.getKey()).map(f -> f.looksLikeRunbook(e.getValue())).orElse(true));
        return loadTexts(texts, diagnostics);
    }

    /**
     * Loads runbooks from text.
     *
     * @param content  the file's text
     * @param fileName used in diagnostics and, by its extension, to pick the format
     */
    public LoadResult loadString(String content, String fileName) {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(fileName, "fileName");
        var diagnostics = new ArrayList<Diagnostic>();
        long size = content.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxFileSize) {
            diagnostics.add(tooLarge(fileName, size));
            return new LoadResult(List.of(), diagnostics);
        }
        var texts = new LinkedHashMap<String, String>();
        texts.put(fileName, content);
        return loadTexts(texts, diagnostics);
    }

    private Diagnostic tooLarge(String name, long size) {
        return new Diagnostic(name, 1, 1, "file refused: it is " + size + " bytes, more than the limit of " + maxFileSize
                + " bytes; split it or raise RunbookLoader.builder().maxFileSize(...)");
    }

    private Optional<RunbookFormat> formatOf(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? Optional.empty()
                : Optional.ofNullable(formats.get(name.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }

    private LoadResult loadTexts(Map<String, String> texts, List<Diagnostic> diagnostics) {
        var order = new ArrayList<String>();
        diagnostics.forEach(d -> order.add(d.file()));
        var loaded = new ArrayList<LoadedRunbook>();
        var located = new ArrayList<Validation.Located>();
        texts.forEach((name, text) -> {
            order.add(name);
            Optional<RunbookFormat> format = formatOf(name);
            if (format.isEmpty()) {
                diagnostics.add(new Diagnostic(name, 1, 1, "unknown runbook file type; use one of the extensions "
                        + String.join(", ", formats.keySet().stream().sorted().map(e -> "." + e).toList())));
                return;
            }
            for (RunbookNodeReader.Result r : format.get().read(text, name, registry,
                    new RunbookFormat.Limits(maxFileSize, maxExpandedSize))) {
                diagnostics.addAll(r.diagnostics());
                r.runbook().ifPresent(rb -> {
                    loaded.add(new LoadedRunbook(rb, name));
                    located.add(new Validation.Located(rb, name, r.positions()));
                });
            }
        });
        if (validate) {
            diagnostics.addAll(Validation.validate(located, registry, expressions, hostParameters));
        }
        // The reader and the compiler both check ids and names, with the same words: report each problem once.
        var sorted = new ArrayList<>(new java.util.LinkedHashSet<>(diagnostics));
        sorted.sort(Comparator.comparingInt((Diagnostic d) -> order.indexOf(d.file()))
                .thenComparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column));
        return new LoadResult(loaded, sorted);
    }

    /** Builds a {@link RunbookLoader}; validates each setting as it is given. */
    public static final class Builder {
        private ActionRegistry registry;
        private ExpressionCompiler expressions = ExpressionCompiler.standard();
        private long maxFileSize = DEFAULT_MAX_FILE_SIZE;
        private long maxExpandedSize = DEFAULT_MAX_EXPANDED_SIZE;
        private boolean validate = true;
        private final Set<String> hostParameters = new LinkedHashSet<>();

        private Builder() {
        }

        /**
         * Names of values the host application supplies to runbooks (registry credentials, a cluster's name), given
         * to the engine with {@code RunbookEngine.builder().parameter(name, value)} or a {@code ParameterResolver}.
         * Templates and expressions may read them without declaring them under {@code parameters:}. A name that
         * nothing defines and that is not declared here is reported as a {@link Diagnostic.Severity#WARNING}, unless
         * it is a typo of a known name (then it is an error with a did-you-mean).
         *
         * @throws IllegalArgumentException when a name cannot be a variable, naming it
         */
        public Builder hostParameters(Collection<String> names) {
            for (String name : Objects.requireNonNull(names, "names")) {
                RunbookCompiler.hostParameterProblem(name).ifPresent(m -> {
                    throw new IllegalArgumentException(m);
                });
                hostParameters.add(name);
            }
            return this;
        }

        /** Same as {@link #hostParameters(Collection)}. */
        public Builder hostParameters(String... names) {
            return hostParameters(List.of(names));
        }

        /** The actions runbooks may use (default: the providers on the thread's context class loader). */
        public Builder actions(ActionRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The expression compiler templates and conditions are checked with (default: the standard one). */
        public Builder expressionCompiler(ExpressionCompiler compiler) {
            this.expressions = Objects.requireNonNull(compiler, "compiler");
            return this;
        }

        /** The largest file accepted, in bytes (default 1 MiB); larger files are refused before parsing. */
        public Builder maxFileSize(long bytes) {
            if (bytes < 1 || bytes > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException("maxFileSize must be between 1 and " + Integer.MAX_VALUE / 2
                        + " bytes, got " + bytes);
            }
            this.maxFileSize = bytes;
            return this;
        }

        /**
         * The most text one file may hold once YAML aliases are expanded, in bytes (default 4 MiB): every scalar
         * counts its UTF-8 bytes each time it is used, through aliases too. A file past it is refused at the alias
         * that crosses it, before anything is built from it.
         */
        public Builder maxExpandedSize(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxExpandedSize must be at least 1 byte, got " + bytes);
            }
            this.maxExpandedSize = bytes;
            return this;
        }

        /** Whether to check actions, params, templates and chaining with core's compiler (default true). */
        public Builder validate(boolean validate) {
            this.validate = validate;
            return this;
        }

        /** The loader. */
        public RunbookLoader build() {
            return new RunbookLoader(this);
        }
    }
}
