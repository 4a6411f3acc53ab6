package org.tokenctl.core.profile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.tokenctl.core.module.ModuleLoadException;

/**
 * Finds a profile's PKCS#11 module file on this machine. Absolute candidates are
 * taken as they are; bare file names are looked for in the directories vendors'
 * installers use.
 */
public final class ModuleCandidates {

    /** Where bare module names are searched, per operating system. */
    static final Map<OperatingSystem, List<Path>> SEARCH_DIRS = Map.of(
            OperatingSystem.LINUX, List.of(Path.of("/usr/lib"), Path.of("/usr/lib64"), Path.of("/usr/local/lib"),
                    Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/usr/lib/aarch64-linux-gnu"),
                    Path.of("/usr/lib/pkcs11"), Path.of("/usr/lib64/pkcs11"), Path.of("/opt/lib")),
            OperatingSystem.MACOS, List.of(Path.of("/usr/local/lib"), Path.of("/opt/homebrew/lib"),
                    Path.of("/Library/Frameworks")),
            OperatingSystem.WINDOWS, List.of(Path.of(System.getenv().getOrDefault("SystemRoot", "C:\\Windows"),
                    "System32")));

    private ModuleCandidates() {
    }

    /**
     * @param profile a profile
     * @param os the operating system
     * @return every path that would be tried, in order
     */
    public static List<Path> paths(VendorProfile profile, OperatingSystem os) {
        Set<Path> out = new LinkedHashSet<>();
        for (String name : profile.modulesFor(os)) {
            Path p = Path.of(name);
            if (p.isAbsolute()) {
                out.add(p);
            } else {
                for (Path dir : SEARCH_DIRS.getOrDefault(os, List.of())) {
                    out.add(dir.resolve(name));
                }
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * @param profile a profile
     * @return the first candidate that exists on this machine
     * @throws ModuleLoadException (NOT_LOCATED) listing every path tried
     */
    public static Path locate(VendorProfile profile) throws ModuleLoadException {
        List<Path> tried = paths(profile, OperatingSystem.current());
        for (Path p : tried) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        String list = tried.isEmpty() ? "the profile lists none for this system"
                : "tried " + tried.stream().map(Path::toString).collect(Collectors.joining(", "));
        throw ModuleLoadException.notLocated(profile.id(), "No PKCS#11 module for profile '" + profile.id() + "' ("
                + profile.name() + ") on this machine: " + list);
    }
}
