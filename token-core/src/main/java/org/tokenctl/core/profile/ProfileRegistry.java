package org.tokenctl.core.profile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.io.InputFiles;
import org.tokenctl.core.token.TokenInfo;

/**
 * The vendor profiles: the built-in ones (gd, mingwah, huada, watchdata, softhsm,
 * generic; data files under {@code org/tokenctl/core/profile/}) plus any
 * {@code *.properties} in a user directory, which add profiles or replace a
 * built-in one with the same id. Immutable and thread-safe once loaded.
 */
public final class ProfileRegistry {

    /** The built-in profiles, in the order they are tried when recognising a token. */
    public static final List<String> BUILT_IN = List.of("gd", "mingwah", "huada", "watchdata", "softhsm", "generic");

    /** The profile used when nothing recognises a token. */
    public static final String GENERIC = "generic";

    /** The most a user profile file may hold; the built-in ones are under 2 KiB. */
    public static final long MAX_PROFILE_BYTES = 64 * 1024;

    private final Map<String, VendorProfile> profiles;

    private ProfileRegistry(Map<String, VendorProfile> profiles) {
        this.profiles = profiles;
    }

    /**
     * @return the built-in profiles only
     * @throws InvalidInputException never for a correct build (the files are tested)
     */
    public static ProfileRegistry builtIn() throws InvalidInputException {
        return load(null);
    }

    /**
     * Loads the built-in profiles and the user's.
     *
     * @param userDir a directory of {@code *.properties} profiles; null or absent means none
     * @return the registry
     * @throws InvalidInputException if a profile file is malformed (naming the file and the key)
     */
    public static ProfileRegistry load(Path userDir) throws InvalidInputException {
        Map<String, VendorProfile> map = new LinkedHashMap<>();
        for (String id : BUILT_IN) {
            String resource = id + ".properties";
            try (InputStream in = ProfileRegistry.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("built-in profile " + resource + " missing from token-core");
                }
                VendorProfile p = ProfileParser.parse(in.readAllBytes(), "built-in " + id);
                map.put(p.id(), p);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read built-in profile " + resource, e);
            }
        }
        if (userDir != null && Files.isDirectory(userDir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(userDir, "*.properties")) {
                List<Path> sorted = new ArrayList<>();
                files.forEach(sorted::add);
                sorted.sort(null);
                for (Path f : sorted) {
                    VendorProfile p = ProfileParser.parse(readUserProfile(f), f.toString());
                    map.put(p.id(), p);
                }
            } catch (IOException e) {
                throw new InvalidInputException("profile", "Cannot read profiles from " + userDir + ": "
                        + e.getMessage(), e);
            }
        }
        return new ProfileRegistry(map);
    }

    /**
     * Reads no more than {@link #MAX_PROFILE_BYTES}: a profile may be a symlink to a
     * device without end ({@code /dev/zero}), which must not exhaust the heap.
     */
    private static byte[] readUserProfile(Path f) throws InvalidInputException {
        return InputFiles.read(f, "profile", "Profile", MAX_PROFILE_BYTES);
    }

    /** @return every profile, built-in ones first */
    public List<VendorProfile> all() {
        return List.copyOf(profiles.values());
    }

    /**
     * @param id a profile id
     * @return that profile
     * @throws InvalidInputException if there is none, listing the known ids
     */
    public VendorProfile get(String id) throws InvalidInputException {
        VendorProfile p = profiles.get(id);
        if (p == null) {
            throw new InvalidInputException("profile", "Unknown profile '" + id + "' (known: "
                    + String.join(", ", profiles.keySet()) + ")");
        }
        return p;
    }

    /**
     * Recognises a token by its manufacturer id.
     *
     * @param token the token
     * @return the first profile whose patterns match, else the generic profile
     */
    public VendorProfile detect(TokenInfo token) {
        for (VendorProfile p : profiles.values()) {
            if (!p.id().equals(GENERIC) && p.recognises(token)) {
                return p;
            }
        }
        return profiles.get(GENERIC);
    }
}
