package dev.runbook.slack.internal;

import dev.runbook.slack.SlackApiException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who may decide: the allow-listed user ids and the members of a user group (read through
 * {@code usergroups.users.list} at each click, so a person removed from the group loses the right at once). With
 * neither configured, anyone who can click in the channel may decide. The requester of an execution may deny it
 * but, with {@code forbidRequester}, not approve it.
 *
 * @param users           allow-listed user ids
 * @param group           a user group id whose members may decide
 * @param forbidRequester whether the requester may not approve
 */
public record Approvers(Set<String> users, Optional<String> group, boolean forbidRequester) {
    public Approvers {
        users = Set.copyOf(users);
        Objects.requireNonNull(group, "group");
    }

    /**
     * Why this user may not take this decision, or empty when they may.
     *
     * @param requester who requested the execution, when known
     */
    public Optional<String> refusal(String userId, boolean approve, Optional<String> requester, SlackWebApi api,
                                    String retryKey) throws InterruptedException {
        if (approve && forbidRequester && requester.filter(userId::equals).isPresent()) {
            return Optional.of("<@" + userId + "> requested this execution and may not approve it: "
                    + "someone else must approve");
        }
        if (users.isEmpty() && group.isEmpty()) {
            return Optional.empty();
        }
        if (users.contains(userId)) {
            return Optional.empty();
        }
        if (group.isPresent()) {
            try {
                var body = api.postForm("usergroups.users.list", Map.of("usergroup", group.get()), retryKey);
                if (body.get("users") instanceof List<?> members && members.contains(userId)) {
                    return Optional.empty();
                }
            } catch (SlackApiException e) {
                return Optional.of("the members of the approver group could not be read (" + e.getMessage()
                        + "); nothing was decided, try again");
            }
        }
        return Optional.of("<@" + userId + "> is not allowed to approve or deny runbook executions"
                + (group.isPresent() ? " (not an allow-listed user nor a member of <!subteam^" + group.get() + ">)"
                : " (not an allow-listed user)"));
    }
}
