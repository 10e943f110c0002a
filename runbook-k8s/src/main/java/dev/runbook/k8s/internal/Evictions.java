package dev.runbook.k8s.internal;

import dev.runbook.core.retry.RetryAfter;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.URLUtils;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One eviction through the Eviction API, posted on the client's own HTTP client rather than through
 * {@code pods().evict()}: that answers a 429 with a bare {@code false}, dropping the API server's
 * {@code Retry-After} (header, or {@code Status.details.retryAfterSeconds}), which the drain's backoff honours.
 */
final class Evictions {
    private Evictions() {
    }

    /** What became of an eviction. */
    enum Kind {
        /** Accepted, or the pod is already gone. */
        ACCEPTED,
        /** Refused for now (429: a PodDisruptionBudget allows no disruption); worth another round. */
        REFUSED,
        /** Refused for good (500 for a pod several PodDisruptionBudgets cover); kubectl does not retry it either. */
        FAILED
    }

    /**
     * An eviction's outcome.
     *
     * @param reason     why it was refused or failed, empty text when accepted
     * @param retryAfter how long the API server asked to wait, for a refusal
     */
    record Outcome(Kind kind, String reason, Optional<Duration> retryAfter) {
        static final Outcome ACCEPTED = new Outcome(Kind.ACCEPTED, "", Optional.empty());
    }

    /**
     * Posts the eviction of {@code p}.
     *
     * @param wait how long to wait for the answer (the drain's time left; at least a second)
     * @throws KubernetesClientException for any other answer than 2xx, 404, 429 or the several-budgets 500
     */
    static Outcome evict(KubernetesClient client, Pod p, boolean dryRun, Long grace, Clock clock, Duration wait)
            throws InterruptedException {
        String ns = p.getMetadata().getNamespace();
        String name = p.getMetadata().getName();
        var options = new DeleteOptionsBuilder();
        if (dryRun) {
            options.withDryRun(K8sAction.DRY_RUN_ALL);
        }
        if (grace != null) {
            options.withGracePeriodSeconds(grace);
        }
        Eviction eviction = new EvictionBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withDeleteOptions(options.build()).build();
        var http = client.getHttpClient();
        var request = http.newHttpRequestBuilder()
                .uri(URLUtils.join(client.getMasterUrl().toString(), "api", "v1", "namespaces", ns, "pods", name, "eviction"))
                .post("application/json", client.getKubernetesSerialization().asJson(eviction)).build();
        HttpResponse<String> r;
        var future = http.sendAsync(request, String.class);
        try {
            r = future.get(Math.max(1000, wait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof KubernetesClientException kce) {
                throw kce;
            }
            throw new KubernetesClientException("eviction of pod " + ns + "/" + name + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new KubernetesClientException("eviction of pod " + ns + "/" + name + " got no answer within "
                    + Math.max(1, wait.toSeconds()) + "s", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        }
        int code = r.code();
        if ((code >= 200 && code < 300) || code == 404) {
            return Outcome.ACCEPTED;
        }
        Status status = status(client, r);
        String message = Optional.ofNullable(status.getMessage()).orElse("");
        if (code == 429) {
            Optional<Duration> hint = Optional.ofNullable(r.header(RetryAfter.HEADER))
                    .flatMap(v -> RetryAfter.parse(v, clock))
                    .or(() -> Optional.ofNullable(status.getDetails()).map(d -> d.getRetryAfterSeconds())
                            .flatMap(s -> RetryAfter.ofSeconds(s)));
            return new Outcome(Kind.REFUSED, "eviction refused: a PodDisruptionBudget allows no disruption now", hint);
        }
        if (code == 500 && message.contains(DrainAction.MULTIPLE_PDBS)) {
            // kubectl: "error when evicting pods/NAME -n NS: ..."
            return new Outcome(Kind.FAILED, "error when evicting pods/" + name + " -n " + ns + ": " + message,
                    Optional.empty());
        }
        throw new KubernetesClientException(status);
    }

    private static Status status(KubernetesClient client, HttpResponse<String> r) {
        String body = Optional.ofNullable(r.body()).orElse("");
        try {
            Status s = client.getKubernetesSerialization().unmarshal(body, Status.class);
            if (s != null) {
                if (s.getCode() == null) {
                    s.setCode(r.code());
                }
                return s;
            }
        } catch (RuntimeException e) {
            // not a Status: quote the body
        }
        return new StatusBuilder().withCode(r.code())
                .withMessage(body.length() > 200 ? body.substring(0, 200) + "..." : body).build();
    }
}
