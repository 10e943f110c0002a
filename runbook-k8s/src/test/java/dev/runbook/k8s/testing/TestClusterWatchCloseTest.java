package dev.runbook.k8s.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The mock cluster keeps answering after clients stop watches while events are being sent on them, as a wait
 * condition's informer does when its time is up (regression: fabric8 7.8.0's watch listener blocked the server's
 * event loop for 30 s there; {@link StandInDispatcher#handleWatch} finishes the close off the loop).
 */
class TestClusterWatchCloseTest {
    @Test
    void stoppingInformersWhileEventsFlowLeavesTheServerAnswering() throws Exception {
        try (TestCluster cluster = TestCluster.mock()) {
            KubernetesClient client = cluster.client();
            var cm = client.configMaps().inNamespace("shop");
            cm.resource(new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata().addToData("n", "0").build())
                    .create();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                for (int n = 1; !stop.get(); n++) {
                    String value = String.valueOf(n);
                    // a request that times out shows below as a slow or failed read
                    try {
                        cm.withName("cm").edit(c -> new ConfigMapBuilder(c).addToData("n", value).build());
                    } catch (RuntimeException e) {
                        stop.set(true);
                    }
                }
            }, "config-map-writer");
            writer.start();
            try {
                for (int i = 0; i < 20; i++) {
                    CountDownLatch updated = new CountDownLatch(1);
                    var informer = cm.withName("cm").inform(new ResourceEventHandler<ConfigMap>() {
                        @Override
                        public void onAdd(ConfigMap c) {
                        }

                        @Override
                        public void onUpdate(ConfigMap o, ConfigMap c) {
                            updated.countDown();
                        }

                        @Override
                        public void onDelete(ConfigMap c, boolean unknown) {
                        }
                    });
                    assertThat(updated.await(5, TimeUnit.SECONDS)).as("informer %d saw an update", i).isTrue();
                    // stopped while the writer's next events are on their way to it
                    informer.close();
                }
            } finally {
                stop.set(true);
                writer.join();
            }
            // every request fails after the client's 5 s timeout while an event loop is blocked; 4 s is ample here
            long start = System.nanoTime();
            for (int i = 0; i < 8; i++) {
                assertThat(cm.withName("cm").get()).isNotNull();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }
}
