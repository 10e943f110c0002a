package dev.runbook.cli.internal;

import picocli.CommandLine;

/** The version from the jar's manifest, when there is one. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"runbook " + (v == null ? "(development build)" : v)};
    }
}
