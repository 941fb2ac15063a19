package dev.httpleak.bench;

/** The application whose start-up {@link Startup} times: it says it reached {@code main} and exits. */
public final class Hello {

    private Hello() {
    }

    public static void main(String[] args) {
        System.out.println("main");
        System.out.flush();
    }
}
