package dev.runbook.cli;

import dev.runbook.cli.plugin.AcmePlugin;
import dev.runbook.core.action.ActionProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds a plugin jar holding {@link AcmePlugin} and its META-INF/services entry. */
final class PluginJar {
    private PluginJar() {
    }

    /** Writes {@code acme-plugin.jar} into this folder and returns the folder. */
    static Path build(Path folder) throws IOException {
        var manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream file = Files.newOutputStream(folder.resolve("acme-plugin.jar"));
             var jar = new JarOutputStream(file, manifest)) {
            for (Class<?> c : List.of(AcmePlugin.class, AcmePlugin.class.getDeclaredClasses()[0])) {
                String entry = c.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(entry));
                try (InputStream in = c.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
            jar.putNextEntry(new JarEntry("META-INF/services/" + ActionProvider.class.getName()));
            jar.write((AcmePlugin.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return folder;
    }
}
