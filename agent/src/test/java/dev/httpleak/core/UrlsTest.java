package dev.httpleak.core;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class UrlsTest {

    @Test
    void redactionDropsUserInfoFragmentAndQueryValues() throws Exception {
        assertEquals("https://api.acme.com:8443/v1/users?key=*&flag&page=*",
                Urls.render(URI.create("https://bob:pw@api.acme.com:8443/v1/users?key=abc&flag&page=2#frag"), true));
        assertEquals("http://h/p?token=*", Urls.render(new URL("http://u@h/p?token=x"), true));
        assertEquals("http://u:p@h/p?a=1", Urls.render("http://u:p@h/p?a=1", false));
    }

    @Test
    void aTargetKeptInPartsJoinsOnlyWhenShownAndIsRedactedLikeAnyOther() {
        assertEquals("http://h:8080/a?k=*", Urls.render(new Target("http://h:8080", "/a?k=v"), true));
        assertEquals("http://h:8080/a", Urls.render(new Target("http://h:8080", "a"), true));
        assertEquals("http://h:8080", Urls.render(new Target("http://h:8080", ""), true));
        // Sent through a proxy: the path is the absolute URL already.
        assertEquals("http://other/x", Urls.render(new Target("http://proxy:3128", "http://other/x"), true));
        assertEquals("http://h:8080", Urls.route(new Target("http://h:8080", "/a")));
    }

    @Test
    void unparseableTargetsAreStillRedacted() {
        assertEquals("http://h/a b?q=*", Urls.render("http://user:pw@h/a b?q=secret", true));
    }

    @Test
    void routesFillInDefaultPorts() {
        assertEquals("http://h:80", Urls.route(URI.create("http://h/x")));
        assertEquals("https://h:443", Urls.route("https://h/x?y=1"));
        assertEquals("http://127.0.0.1:8080", Urls.route("http://127.0.0.1:8080/"));
        assertNull(Urls.route("not a url"));
    }
}
