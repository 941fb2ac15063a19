package dev.httpleak.core;

/** The clients httpleak instruments, by the ids every report and the {@code disable=} option use. */
public enum Client {
    JDK_HTTPCLIENT("jdk-httpclient"),
    URLCONNECTION("urlconnection"),
    APACHE_HTTPCLIENT4("apache-httpclient4"),
    APACHE_HTTPCLIENT5("apache-httpclient5"),
    OKHTTP("okhttp");

    private static final Client[] ALL = values();

    private final String id;

    Client(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /**
     * The client with this id, or null. Called per request: no copy of {@code values()}, and the advice passes the
     * very (interned) literal, found by identity without reading the other ids.
     */
    public static Client byId(String id) {
        for (Client c : ALL) {
            if (c.id == id) {
                return c;
            }
        }
        for (Client c : ALL) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        return null;
    }

    public static String ids() {
        StringBuilder b = new StringBuilder();
        for (Client c : values()) {
            b.append(b.length() == 0 ? "" : ", ").append(c.id);
        }
        return b.toString();
    }
}
