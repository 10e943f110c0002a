package dev.runbook.cli.internal;

import dev.runbook.cli.RunbookCli;
import dev.runbook.core.action.ActionProvider;
import dev.runbook.core.action.ActionRegistry;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.stream.Stream;

/**
 * The class loader the commands discover action providers with: the command's own class path (the bundled
 * integrations and anything on {@code -cp}) plus every jar of the {@code --plugins} folder.
 */
final class Plugins implements AutoCloseable {
    private final ClassLoader loader;
    private final Optional<URLClassLoader> owned;
    private final List<Path> jars;

    private Plugins(ClassLoader loader, Optional<URLClassLoader> owned, List<Path> jars) {
        this.loader = loader;
        this.owned = owned;
        this.jars = List.copyOf(jars);
    }

    /** The loader for this plugins folder, or the command's own loader without one. */
    static Plugins open(Optional<Path> folder) {
        ClassLoader base = RunbookCli.class.getClassLoader();
        if (folder.isEmpty()) {
            return new Plugins(base, Optional.empty(), List.of());
        }
        Path dir = folder.get();
        if (!Files.isDirectory(dir)) {
            throw new CliException(RunbookCli.EXIT_USAGE, "--plugins " + dir + ": not a directory; give a folder of jars");
        }
        var jars = new ArrayList<Path>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(p -> p.getFileName().toString().endsWith(".jar")).filter(Files::isRegularFile).sorted()
                    .forEach(jars::add);
        } catch (IOException e) {
            throw new CliException(RunbookCli.EXIT_USAGE, "--plugins " + dir + ": cannot list the folder: " + e.getMessage(), e);
        }
        var urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new CliException(RunbookCli.EXIT_USAGE, "--plugins: bad jar path " + jars.get(i), e);
            }
        }
        var cl = new URLClassLoader("runbook-plugins", urls, base);
        return new Plugins(cl, Optional.of(cl), jars);
    }

    ClassLoader classLoader() {
        return loader;
    }

    List<Path> jars() {
        return jars;
    }

    /** Every provider found, sorted by id. */
    List<ActionProvider> providers() {
        try {
            return ActionRegistry.discover(loader);
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new CliException(RunbookCli.EXIT_USAGE, "cannot load an action provider: " + BaseCommand.oneLine(e)
                    + " (check META-INF/services/" + ActionProvider.class.getName() + " in the plugin jars)", e);
        }
    }

    /** The registry of every provider found. */
    ActionRegistry registry() {
        return registry(providers());
    }

    static ActionRegistry registry(List<ActionProvider> providers) {
        var b = ActionRegistry.builder();
        providers.forEach(b::provider);
        try {
            return b.build();
        } catch (IllegalStateException e) {
            throw new CliException(RunbookCli.EXIT_USAGE, BaseCommand.oneLine(e), e);
        }
    }

    @Override
    public void close() throws IOException {
        if (owned.isPresent()) {
            owned.get().close();
        }
    }
}
