package dev.httpleak.it.support;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads JFR recordings that forked JVMs wrote. */
public final class Recordings {

    private Recordings() {
    }

    /** The events of one type in a recording file, in the file's order. */
    public static List<RecordedEvent> events(Path recording, String type) throws IOException {
        List<RecordedEvent> found = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (e.getEventType().getName().equals(type)) {
                found.add(e);
            }
        }
        return found;
    }
}
