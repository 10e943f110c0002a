package dev.runbook.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Every module a host can depend on is ready for Maven Central: license, URL, SCM and developers (inherited from
 * the parent), a name and description of its own, an {@code Automatic-Module-Name}, sources and javadoc jars, a
 * reproducible timestamp, and a line in the BOM. Modules that set {@code maven.deploy.skip} are not published.
 */
class PublishedModulesTest {
    private static final Pattern MODULE_NAME = Pattern.compile("dev\\.runbook(\\.[a-z][a-z0-9]*)+");

    private static Document pom(Path file) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    /** The text of the first element at this path of direct children, if any. */
    private static Optional<String> text(Document d, String... path) {
        Node n = d.getDocumentElement();
        for (String name : path) {
            Node found = null;
            for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof Element e && e.getTagName().equals(name)) {
                    found = c;
                    break;
                }
            }
            if (found == null) {
                return Optional.empty();
            }
            n = found;
        }
        return Optional.of(n.getTextContent().trim());
    }

    private static List<String> all(Document d, String tag) {
        var out = new ArrayList<String>();
        var nodes = d.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent().trim());
        }
        return out;
    }

    @Test
    void everyPublishedModuleHasTheMetadataCentralAsksForAndIsInTheBom() throws Exception {
        Path root = Path.of("..");
        Document parent = pom(root.resolve("pom.xml"));
        assertThat(root.resolve("LICENSE")).content().contains("Apache License", "Version 2.0, January 2004");
        assertThat(text(parent, "licenses", "license", "name")).hasValue("Apache-2.0");
        assertThat(text(parent, "url")).hasValueSatisfying(u -> assertThat(u).startsWith("https://"));
        assertThat(text(parent, "scm", "connection")).hasValueSatisfying(c -> assertThat(c).startsWith("scm:git:"));
        assertThat(text(parent, "developers", "developer", "name")).isPresent();
        assertThat(text(parent, "properties", "project.build.outputTimestamp")).isPresent();
        String plugins = Files.readString(root.resolve("pom.xml"));
        assertThat(plugins).contains("<goal>jar-no-fork</goal>", "<id>attach-javadocs</id>",
                "<Automatic-Module-Name>${automatic.module.name}</Automatic-Module-Name>");

        Document bom = pom(root.resolve("runbook-bom/pom.xml"));
        assertThat(text(bom, "version")).isEqualTo(text(parent, "version"));
        assertThat(text(bom, "parent")).as("the BOM must not pin the versions Runbook builds with").isEmpty();
        List<String> inBom = all(bom, "artifactId").stream().filter(a -> !a.equals("runbook-bom")
                && !a.startsWith("maven-")).toList();

        var published = new ArrayList<String>();
        var moduleNames = new ArrayList<String>();
        for (String module : all(parent, "module")) {
            if (module.equals("runbook-bom")) {
                continue;
            }
            Document m = pom(root.resolve(module).resolve("pom.xml"));
            if (text(m, "properties", "maven.deploy.skip").filter("true"::equals).isPresent()) {
                continue;
            }
            published.add(module);
            assertThat(text(m, "name")).as(module + " name").isPresent();
            assertThat(text(m, "description")).as(module + " description").hasValueSatisfying(v -> assertThat(v).isNotBlank());
            assertThat(text(m, "properties", "maven.javadoc.skip")).as(module + " javadoc").isEmpty();
            assertThat(text(m, "properties", "maven.source.skip")).as(module + " sources").isEmpty();
            String name = text(m, "properties", "automatic.module.name").orElse("");
            assertThat(name).as(module + " Automatic-Module-Name").matches(MODULE_NAME);
            moduleNames.add(name);
        }
        assertThat(published).contains("runbook-core", "runbook-dsl", "runbook-k8s", "runbook-neo4j", "runbook-docker");
        assertThat(moduleNames).doesNotHaveDuplicates();
        assertThat(inBom).as("the BOM lists exactly the published modules").containsExactlyInAnyOrderElementsOf(published);
    }
}
