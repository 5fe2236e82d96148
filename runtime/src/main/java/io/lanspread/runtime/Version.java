package io.lanspread.runtime;

/** This build's version, from the launcher jar's manifest ({@code Implementation-Version}). */
final class Version {

    private Version() {
    }

    static String current() {
        String version = Launcher.class.getPackage().getImplementationVersion();
        return version == null ? "(unknown: not run from the built jar)" : version;
    }
}
