package org.tokenctl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine;

/**
 * {@code tokenctl --version}: the version (from the jar manifest), the commit and
 * time it was built from (from {@code build.properties}, which the build writes),
 * and the Java runtime it runs on. What an operator pastes into a bug report.
 */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"tokenctl " + (v == null ? "(development build)" : v), built(read()),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                    + System.getProperty("java.home") + ")"};
    }

    /** @return e.g. "commit 0123456789 (with uncommitted changes), built 2026-12-07T04:31:00Z" */
    static String built(Properties p) {
        String commit = p.getProperty("git.commit.id.abbrev", "").trim();
        String time = p.getProperty("git.build.time", "").trim();
        return (commit.isEmpty() ? "commit unknown (not built from a git checkout)" : "commit " + commit
                + ("true".equals(p.getProperty("git.dirty")) ? " (with uncommitted changes)" : ""))
                + (time.isEmpty() ? "" : ", built " + time);
    }

    private static Properties read() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException | IllegalArgumentException e) {
            // an unreadable resource leaves the line without commit and time
        }
        return p;
    }
}
