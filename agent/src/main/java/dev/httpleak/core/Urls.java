package dev.httpleak.core;

import java.net.URI;
import java.net.URL;
import java.util.Locale;

/** Renders request targets for reports: redacted (no user-info, no query values) unless told otherwise. */
public final class Urls {

    private Urls() {
    }

    /** The target as text; with {@code redact}, user-info and fragment dropped and query values masked. */
    public static String render(Object target, boolean redact) {
        String text = String.valueOf(target);
        if (!redact) {
            return text;
        }
        URI uri = parse(text);
        if (uri == null || uri.getScheme() == null) {
            return maskQuery(stripUserInfo(text));
        }
        StringBuilder b = new StringBuilder(uri.getScheme()).append("://");
        if (uri.getHost() != null) {
            b.append(uri.getHost());
            if (uri.getPort() >= 0) {
                b.append(':').append(uri.getPort());
            }
        }
        if (uri.getRawPath() != null) {
            b.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            b.append('?').append(maskValues(uri.getRawQuery()));
        }
        return b.toString();
    }

    /** {@code scheme://host:port} of a target, with the scheme's default port filled in, or null. */
    public static String route(Object target) {
        URI uri = parse(String.valueOf(target));
        if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
            return null;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        if (port < 0) {
            port = "https".equals(scheme) ? 443 : 80;
        }
        return scheme + "://" + uri.getHost() + ":" + port;
    }

    private static URI parse(String text) {
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            try {
                return new URL(text).toURI();
            } catch (Exception again) {
                return null;
            }
        }
    }

    private static String stripUserInfo(String text) {
        int scheme = text.indexOf("://");
        int at = text.indexOf('@');
        int slash = text.indexOf('/', scheme + 3);
        if (scheme >= 0 && at > scheme && (slash < 0 || at < slash)) {
            return text.substring(0, scheme + 3) + text.substring(at + 1);
        }
        return text;
    }

    private static String maskQuery(String text) {
        int q = text.indexOf('?');
        return q < 0 ? text : text.substring(0, q + 1) + maskValues(text.substring(q + 1));
    }

    private static String maskValues(String query) {
        StringBuilder b = new StringBuilder();
        for (String pair : query.split("&", -1)) {
            if (b.length() > 0) {
                b.append('&');
            }
            int eq = pair.indexOf('=');
            b.append(eq < 0 ? pair : pair.substring(0, eq) + "=*");
        }
        return b.toString();
    }
}
