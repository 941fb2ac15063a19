package dev.httpleak.bench;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal keep-alive HTTP/1.1 server on 127.0.0.1: one thread per connection, every request answered with
 * the same small body. It does as little as it can (no parsing beyond the end of the headers, one write per
 * response) so that the clients, not the server, set the pace; the JDK's HttpServer costs several times more
 * per request, which would hide the agent's share.
 */
final class Responder implements Closeable {

    /** The body every response carries. */
    static final int BODY_BYTES = 128;

    private final ServerSocket server;
    private final byte[] response;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;
    /** Connections accepted so far, by every responder of this JVM: keep-alive means few. */
    static final AtomicInteger accepted = new AtomicInteger();

    Responder() throws IOException {
        server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + BODY_BYTES
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        response = new byte[head.length + BODY_BYTES];
        System.arraycopy(head, 0, response, 0, head.length);
        for (int i = head.length; i < response.length; i++) {
            response[i] = (byte) ('a' + i % 26);
        }
        Thread acceptor = new Thread(this::accept, "responder-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code http://127.0.0.1:PORT/bytes}. */
    String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/bytes";
    }

    private void accept() {
        while (running) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                accepted.incrementAndGet();
                connections.add(s);
                Thread t = new Thread(() -> serve(s), "responder-" + s.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    /** Answers each request once its headers end (CRLF CRLF); GETs carry no body. */
    private void serve(Socket s) {
        try (Socket socket = s) {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            OutputStream out = socket.getOutputStream();
            int state = 0;
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    state = state == 1 ? 2 : state == 3 ? 4 : 0;
                } else if (b == '\r') {
                    state = state == 2 ? 3 : 1;
                } else {
                    state = 0;
                }
                if (state == 4) {
                    out.write(response);
                    out.flush();
                    state = 0;
                }
            }
        } catch (IOException e) {
            // The client went away.
        } finally {
            connections.remove(s);
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
        for (Socket s : connections) {
            s.close();
        }
    }
}
