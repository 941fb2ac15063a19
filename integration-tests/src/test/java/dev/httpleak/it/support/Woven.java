package dev.httpleak.it.support;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the agent's advice does to the size of the methods it is woven into. C2 inlines a hot method only while
 * its bytecode is at most {@code FreqInlineSize} (325 bytes on x86-64 and AArch64): advice that takes a client's
 * method over that limit makes the client's own compiled code slower than the advice itself costs (it did to
 * {@code HttpClientImpl.send}). Byte Buddy writes each class it transforms, before and after, to the folder in its
 * dump property (relocated in the shaded jar); this reads their methods' code lengths back.
 */
public final class Woven {

    /** C2's default {@code FreqInlineSize}. */
    public static final int HOT_INLINE_LIMIT = 325;

    private static final String DUMP = "-Ddev.httpleak.shaded.net.bytebuddy.dump=";

    private Woven() {
    }

    /**
     * Runs the fork with the dump on, then fails if no class in {@code expected} was woven, or if a method that was
     * small enough to inline when hot no longer is.
     */
    public static void assertInlinable(Forked fork, String... expected) throws Exception {
        Path dir = Files.createTempDirectory(Paths.get("target"), "woven");
        fork.jvm(DUMP + dir.toAbsolutePath()).go().ok();
        TreeSet<String> woven = new TreeSet<>();
        List<String> over = new ArrayList<>();
        List<Path> originals;
        try (Stream<Path> files = Files.list(dir)) {
            originals = files.filter(p -> p.toString().contains("-original.")).collect(Collectors.toList());
        }
        for (Path before : originals) {
            String name = before.getFileName().toString();
            String type = name.substring(0, name.indexOf("-original."));
            woven.add(type);
            Map<String, Integer> was = codeLengths(before);
            Map<String, Integer> is = codeLengths(before.resolveSibling(name.replace("-original.", ".")));
            is.forEach((method, length) -> {
                Integer old = was.get(method);
                if (old != null && old <= HOT_INLINE_LIMIT && length > HOT_INLINE_LIMIT) {
                    over.add(type + "." + method + ": " + old + " -> " + length + " bytes");
                }
            });
        }
        for (String type : expected) {
            assertTrue(woven.contains(type), () -> type + " was not woven; woven: " + woven + " (in " + dir + ")");
        }
        assertTrue(over.isEmpty(), () -> "advice took these methods over C2's hot inlining limit ("
                + HOT_INLINE_LIMIT + " bytes): " + over);
    }

    /** Code length of each method with code, by name and descriptor, read from a class file. */
    static Map<String, Integer> codeLengths(Path classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(classFile)));
        in.skipBytes(8); // magic, minor and major version
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1: utf8[i] = in.readUTF(); break;
                case 5: case 6: in.skipBytes(8); i++; break; // long and double take two entries
                case 7: case 8: case 16: case 19: case 20: in.skipBytes(2); break;
                case 15: in.skipBytes(3); break;
                case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: in.skipBytes(4); break;
                default: throw new IOException("constant pool tag " + tag + " in " + classFile);
            }
        }
        in.skipBytes(6); // access, this, super
        in.skipBytes(2 * in.readUnsignedShort()); // interfaces
        members(in, utf8); // fields
        return members(in, utf8);
    }

    private static Map<String, Integer> members(DataInputStream in, String[] utf8) throws IOException {
        Map<String, Integer> lengths = new HashMap<>();
        for (int n = in.readUnsignedShort(); n > 0; n--) {
            in.skipBytes(2); // access
            String member = utf8[in.readUnsignedShort()] + utf8[in.readUnsignedShort()];
            for (int a = in.readUnsignedShort(); a > 0; a--) {
                String attribute = utf8[in.readUnsignedShort()];
                int length = in.readInt();
                if (attribute.equals("Code")) {
                    in.skipBytes(4); // max stack, max locals
                    lengths.put(member, in.readInt());
                    in.skipBytes(length - 8);
                } else {
                    in.skipBytes(length);
                }
            }
        }
        return lengths;
    }
}
