package dev.httpleak.it.incident;

import dev.httpleak.it.support.TestServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * A service that runs until told to stop, started WITHOUT the agent: the incident tests attach to it. It opens
 * (and keeps) one body before anything attaches, prints {@code ready}, then obeys one command a line on
 * standard input, answering {@code done COMMAND}: {@code leak N}, {@code keep N}, {@code jfr} (waits until the
 * running JFR recording holds the agent's events), {@code exit}.
 */
public final class IncidentApp {

    /** 1 MiB: more than the JDK drains in the background on close. */
    static final String BIG = "/bytes?n=1048576";
    private static final List<Object> KEPT = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        try (TestServer server = TestServer.start()) {
            // Opened before any attach: must not be counted.
            KEPT.add(open(server.url(false, BIG)).getInputStream());
            System.out.println("ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("exit"); line = in.readLine()) {
                String[] words = line.trim().split(" ");
                switch (words[0]) {
                    case "leak":
                        for (int i = 0; i < Integer.parseInt(words[1]); i++) {
                            leak(open(server.url(false, BIG)));
                        }
                        break;
                    case "keep":
                        for (int i = 0; i < Integer.parseInt(words[1]); i++) {
                            keep(open(server.url(false, BIG)));
                        }
                        break;
                    case "jfr":
                        awaitRecorded("dev.httpleak.Leak", "dev.httpleak.PoolOccupancy");
                        break;
                    default:
                        throw new IllegalArgumentException(line);
                }
                System.out.println("done " + line);
            }
        }
    }

    private static HttpURLConnection open(String url) throws IOException {
        return (HttpURLConnection) new URL(url).openConnection();
    }

    static void leak(HttpURLConnection c) throws IOException {
        InputStream in = c.getInputStream(); // site:leak
        in.read();
    }

    static void keep(HttpURLConnection c) throws IOException {
        KEPT.add(c.getInputStream()); // site:keep
    }

    /** Waits (bounded) until the recording started by -XX:StartFlightRecording holds these events. */
    private static void awaitRecorded(String... names) throws Exception {
        Recording recording = FlightRecorder.getFlightRecorder().getRecordings().get(0);
        Path copy = Files.createTempFile("incident", ".jfr");
        long deadline = System.nanoTime() + 30_000_000_000L;
        Set<String> seen = new HashSet<>();
        while (System.nanoTime() < deadline) {
            recording.dump(copy);
            for (RecordedEvent e : RecordingFile.readAllEvents(copy)) {
                seen.add(e.getEventType().getName());
            }
            if (seen.containsAll(List.of(names))) {
                Files.delete(copy);
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the recording never held " + List.of(names) + "; it has " + seen);
    }
}
