package org.tokenctl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A slow HTTP server on loopback: for every request it reads the request's headers and
 * sends its answer one byte a second, either from the status line on or after whole
 * headers (an {@code application/pkixcmp} answer announcing a large body). It gives up
 * after {@code maxBytes} bytes, so a client without a deadline fails late rather than
 * hanging the test. Connections that send nothing (tokenctl's reachability probe) are
 * closed.
 */
final class TricklingHttpServer implements AutoCloseable {

    private static final String HEADERS = "HTTP/1.1 200 OK\r\nContent-Type: application/pkixcmp\r\n"
            + "Content-Length: 100000\r\nConnection: close\r\n\r\n";

    private final ServerSocket socket;
    private final Thread thread;

    /**
     * @param trickleHeaders whether the headers are trickled too, or sent at once before the body
     * @param maxBytes the bytes trickled before the server closes the connection
     */
    TricklingHttpServer(boolean trickleHeaders, int maxBytes) {
        try {
            socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(() -> serve(trickleHeaders, maxBytes), "trickling-http");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return the URL to post to */
    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/pkix/";
    }

    private void serve(boolean trickleHeaders, int maxBytes) {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                if (!readHeaders(s.getInputStream())) {
                    continue;
                }
                OutputStream out = s.getOutputStream();
                byte[] head = HEADERS.getBytes(StandardCharsets.US_ASCII);
                int sent = 0;
                if (!trickleHeaders) {
                    out.write(head);
                    out.flush();
                }
                for (; sent < maxBytes; sent++) {
                    out.write(trickleHeaders && sent < head.length ? head[sent] : 0x30);
                    out.flush();
                    Thread.sleep(1000);
                }
            } catch (IOException e) {
                // the client went away, or close(): next connection, or the end
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** @return whether a request's headers came (the body is not needed: the answer is never right) */
    private static boolean readHeaders(InputStream in) throws IOException {
        int state = 0;
        int b;
        while ((b = in.read()) != -1) {
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : 0;
            if (state == 4) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        thread.interrupt();
    }
}
