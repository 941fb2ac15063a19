package dev.httpleak.demo; public final class Demo { public static void main(String[] a) {} }
