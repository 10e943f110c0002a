package dev.runbook.dsl.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.core.model.Runbook;
import dev.runbook.dsl.LoadResult;
import dev.runbook.dsl.RunbookLoader;
import dev.runbook.dsl.RunbookYaml;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * Parity proven for every key rather than for the examples we wrote: random runbooks over the whole file format
 * ({@link RunbookGenerator}, hostile text included) are written with {@link RunbookYaml#write}, loaded back with the
 * loader, and built again through the public Java DSL; all three are {@code equals}. {@link #theGeneratorCoversEveryKeyOfTheSchema}
 * keeps the generator complete: a key added to the format without a generator fails it.
 */
class RoundTripPropertyTest {
    /** Parse only: generated actions, templates and conditions are not meant to compile. */
    private static final RunbookLoader LOADER = RunbookLoader.builder().validate(false).build();

    @Property(tries = 1000)
    void writtenRunbooksLoadBackEqualAndTheDslBuildsThemEqual(@ForAll Random random) {
        Runbook rb = new RunbookGenerator(random).runbook();
        String yaml = RunbookYaml.write(rb);

        LoadResult loaded = LOADER.loadString(yaml, "generated.yaml");
        assertThat(loaded.diagnostics()).as(yaml).isEmpty();
        assertThat(loaded.runbooks().get(0).runbook()).as(yaml).isEqualTo(rb);
        assertThat(RunbookYaml.write(loaded.runbooks().get(0).runbook())).isEqualTo(yaml);

        if (FluentReplay.expressible(rb)) {
            assertThat(FluentReplay.build(rb)).as(yaml).isEqualTo(rb);
        }
    }

    @Example
    void theGeneratorCoversEveryKeyOfTheSchema() {
        var used = new TreeSet<String>();
        var random = new Random(17);
        var load = new Load(LoadSettings.builder().setSchema(new JsonSchema()).build());
        for (int i = 0; i < 500; i++) {
            used.addAll(SchemaKeys.used(load.loadFromString(RunbookYaml.write(new RunbookGenerator(random).runbook()))));
        }
        var missing = new TreeSet<>(SchemaKeys.all());
        missing.removeAll(used);
        assertThat(missing).as("schema keys (and forms) no generated runbook used").isEmpty();
        assertThat(used).isSubsetOf(SchemaKeys.all());
    }
}
