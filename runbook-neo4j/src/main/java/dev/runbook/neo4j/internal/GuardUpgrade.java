package dev.runbook.neo4j.internal;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * Brings a guard graph written by an earlier snapshot up to date when a Neo4j guard store is built: that version kept
 * one {@code :RunbookGuardEvent} node per counted event, this one keeps a key's times on the key's node.
 */
public final class GuardUpgrade {
    private GuardUpgrade() {
    }

    /**
     * Folds every {@code :RunbookGuardEvent} of the one-node-per-event layout of earlier snapshots
     * into its key, a bounded batch per transaction, so an upgraded database still counts them. Nothing to fold
     * costs one read of an empty label. A store of the older version writing meanwhile would count apart: stop older
     * replicas before starting this one.
     *
     * @param retention how long folded times count at least, as for times the store adds
     * @param log       the store's logger, so the fold logs under the store's name
     * @throws IllegalStateException when Neo4j cannot be used; the message says how many were folded and the fix
     */
    public static void foldOldEvents(GuardCalls calls, Duration retention, Logger log) {
        long folded = 0;
        try (var session = calls.session()) {
            long n;
            do {
                n = session.executeWrite(tx -> GuardTransactions.foldOldEvents(tx, retention));
                folded += n;
            } while (n > 0);
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not fold the guard events of an earlier version into their keys ("
                    + folded + " folded so far): " + Neo4jErrors.describe(e) + "; build the store again once Neo4j "
                    + "answers, with the replicas of the earlier version stopped", e);
        }
        if (folded > 0) {
            log.info("folded {} guard events of an earlier version into their keys", folded);
        }
    }
}
