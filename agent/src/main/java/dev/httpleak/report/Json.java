package dev.httpleak.report;

/** A small streaming JSON writer: enough for the report, with correct string escaping and no dependency. */
final class Json {

    private final StringBuilder out = new StringBuilder();
    private boolean needComma;

    Json begin() {
        return open('{');
    }

    Json end() {
        return close('}');
    }

    Json beginArray(String name) {
        return name(name).open('[');
    }

    Json beginObject(String name) {
        return name(name).open('{');
    }

    Json beginArray() {
        return open('[');
    }

    Json endArray() {
        return close(']');
    }

    Json field(String name, String value) {
        name(name);
        return value(value);
    }

    Json field(String name, long value) {
        name(name);
        out.append(value);
        needComma = true;
        return this;
    }

    Json field(String name, boolean value) {
        name(name);
        out.append(value);
        needComma = true;
        return this;
    }

    /** A number, or null when the value is absent (as for a pool with no cap). */
    Json field(String name, Integer value) {
        name(name);
        out.append(value == null ? "null" : value.toString());
        needComma = true;
        return this;
    }

    Json value(String value) {
        comma();
        if (value == null) {
            out.append("null");
        } else {
            quote(value);
        }
        needComma = true;
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private Json name(String name) {
        comma();
        quote(name);
        out.append(':');
        needComma = false;
        return this;
    }

    private Json open(char c) {
        comma();
        out.append(c);
        needComma = false;
        return this;
    }

    private Json close(char c) {
        out.append(c);
        needComma = true;
        return this;
    }

    private void comma() {
        if (needComma) {
            out.append(',');
        }
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
