package dev.runbook.k8s.internal;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a pod's or node's status shows is wrong, as problems with a stable key ({@code uid/container/reason}): the
 * incident source raises one incident per key and forgets the key once the problem is no longer shown.
 */
public final class ProblemDetector {
    private ProblemDetector() {
    }

    /**
     * One problem.
     *
     * @param key           uid/container/reason, stable while the problem lasts
     * @param symptom       what the status shows now ({@code CrashLoopBackOff})
     * @param rootCause     the cause ({@code OOMKilled})
     * @param confidence    how sure the observation is: 1.0 when the status names the cause itself
     * @param containerName the container concerned, empty for a node
     * @param detail        a line for humans
     */
    public record Problem(String key, String symptom, String rootCause, double confidence, Optional<String> containerName,
                          String detail) {
    }

    /** Problems a pod shows: OOMKilled, CrashLoopBackOff, ImagePullBackOff/ErrImagePull, per container. */
    public static List<Problem> problems(Pod pod) {
        var out = new ArrayList<Problem>();
        if (pod.getStatus() == null || pod.getMetadata().getDeletionTimestamp() != null) {
            return out;
        }
        String uid = pod.getMetadata().getUid();
        List<ContainerStatus> statuses = Stream.concat(
                Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).orElse(List.of()).stream(),
                Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()).stream()).toList();
        for (ContainerStatus cs : statuses) {
            String waiting = cs.getState() != null && cs.getState().getWaiting() != null
                    ? String.valueOf(cs.getState().getWaiting().getReason()) : "";
            String lastTerminated = cs.getLastState() != null && cs.getLastState().getTerminated() != null
                    ? String.valueOf(cs.getLastState().getTerminated().getReason()) : "";
            String nowTerminated = cs.getState() != null && cs.getState().getTerminated() != null
                    ? String.valueOf(cs.getState().getTerminated().getReason()) : "";
            boolean ready = Boolean.TRUE.equals(cs.getReady());
            String name = cs.getName();
            String base = uid + "/" + name + "/";
            if (!ready && (lastTerminated.equals("OOMKilled") || nowTerminated.equals("OOMKilled"))) {
                String symptom = waiting.isEmpty() ? "OOMKilled" : waiting;
                out.add(new Problem(base + "OOMKilled", symptom, "OOMKilled", 1.0, Optional.of(name),
                        "container " + name + " was OOMKilled (restarts: " + cs.getRestartCount() + ")"));
            } else if (waiting.equals("ImagePullBackOff") || waiting.equals("ErrImagePull")) {
                out.add(new Problem(base + "ImagePullBackOff", waiting, "ImagePullBackOff", 1.0, Optional.of(name),
                        "container " + name + " cannot pull image " + cs.getImage()));
            } else if (waiting.equals("CrashLoopBackOff")) {
                // the status does not say why it crashes: report the last exit reason with a low confidence
                String cause = lastTerminated.isEmpty() ? "CrashLoopBackOff" : lastTerminated;
                out.add(new Problem(base + "CrashLoopBackOff", "CrashLoopBackOff", cause, 0.5, Optional.of(name),
                        "container " + name + " is crash-looping (last exit: " + (lastTerminated.isEmpty() ? "unknown"
                                : lastTerminated) + ", restarts: " + cs.getRestartCount() + ")"));
            }
        }
        return out;
    }

    /** NodeNotReady when the node's Ready condition is not True. */
    public static List<Problem> problems(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return List.of();
        }
        for (NodeCondition c : node.getStatus().getConditions()) {
            if ("Ready".equals(c.getType()) && !"True".equals(c.getStatus())) {
                return List.of(new Problem(node.getMetadata().getUid() + "/NodeNotReady", "NodeNotReady", "NodeNotReady", 1.0,
                        Optional.empty(), "node " + node.getMetadata().getName() + " Ready=" + c.getStatus()
                        + (c.getReason() == null ? "" : " (" + c.getReason() + ")")));
            }
        }
        return List.of();
    }
}
