package org.tokenctl.softhsm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OpenSSL's CMP mock server ({@code openssl cmp -port PORT ...}, OpenSSL 3) on
 * loopback, as an independent CMP peer for tests. It answers every enrollment with
 * the certificate it was started with ({@code -rsp_cert}), so a test that wants a
 * certificate for its own key certifies that key first and starts a server for it.
 *
 * <p>Start it with the server options ({@code -srv_secret}, {@code -rsp_cert},
 * {@code -poll_count}...); it listens on a free port, and {@link #start} returns once
 * it accepts connections. Close it in a {@code finally} or {@code @AfterAll}; its
 * output is kept for failure messages ({@link #output()}).
 */
public final class CmpMockServer implements AutoCloseable {

    private static final AtomicInteger COUNT = new AtomicInteger();

    private final Process process;
    private final int port;
    private final Path log;

    private CmpMockServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * @param workDir where the server's log goes
     * @param options server options after {@code -port PORT -max_msgs 0}, e.g.
     *                {@code -srv_ref mock-srv -srv_secret pass:S -rsp_cert ee.pem}
     * @return the running server
     * @throws AssertionError if it does not come up (its output says why)
     */
    public static CmpMockServer start(Path workDir, String... options) {
        AssertionError last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Path log = workDir.resolve("cmp-mock-" + COUNT.incrementAndGet() + ".log");
            List<String> cmd = new ArrayList<>(List.of(SoftHsm.tool("openssl", "openssl").toString(), "cmp",
                    "-port", Integer.toString(port), "-max_msgs", "0"));
            cmd.addAll(List.of(options));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + cmd, e);
            }
            CmpMockServer server = new CmpMockServer(p, port, log);
            if (server.awaitListening()) {
                return server;
            }
            last = new AssertionError("the CMP mock server did not start: " + cmd + "\n" + server.output());
            server.close();
        }
        throw last;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls for a listening socket; false if the process died (e.g. the port was taken after all). */
    private boolean awaitListening() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return true;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    /** @return the port it listens on (loopback) */
    public int port() {
        return port;
    }

    /** @return its CMP URL, {@code http://127.0.0.1:PORT/pkix/} */
    public String url() {
        return "http://127.0.0.1:" + port + "/pkix/";
    }

    /** @return everything it printed so far */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** @return how many requests it has received ("Received request" lines) */
    public long requests() {
        return output().lines().filter(l -> l.contains("Received request")).count();
    }

    /** Stops it and waits for it to exit. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
