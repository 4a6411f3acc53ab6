package org.tokenctl.softhsm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs fixture tools (softhsm2-util, pkcs11-tool, openssl, tokenctl) as child processes. */
public final class Processes {

    /** No fixture command may take longer than this; a hang is a failure, not a stuck build. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private Processes() {
    }

    /**
     * Runs a command to completion.
     *
     * @param env variables added to the inherited environment
     * @param stdin bytes fed to its standard input (may be empty)
     * @param command the command and its arguments
     * @return its exit code and output
     * @throws UncheckedIOException if it cannot be started
     * @throws AssertionError if it outlives {@link #DEFAULT_TIMEOUT}
     */
    public static ProcessResult run(Map<String, String> env, byte[] stdin, List<String> command) {
        return run(env, stdin, null, command);
    }

    /**
     * Runs a command to completion in a working directory.
     *
     * @param env variables added to the inherited environment
     * @param stdin bytes fed to its standard input (may be empty)
     * @param workDir its working directory, or null for ours
     * @param command the command and its arguments
     * @return its exit code and output
     */
    public static ProcessResult run(Map<String, String> env, byte[] stdin, Path workDir, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException ignored) {
                // the child may exit without reading its input
            }
            if (!p.waitFor(DEFAULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after " + DEFAULT_TIMEOUT + ": " + command);
            }
            return new ProcessResult(p.exitValue(),
                    new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    private static byte[] drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
