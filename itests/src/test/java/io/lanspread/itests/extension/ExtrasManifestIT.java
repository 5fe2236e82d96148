package io.lanspread.itests.extension;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.jar.Attributes;

import org.junit.jupiter.api.Test;

/**
 * The example extension is built as a third party would build it: its bundle imports only lanspread's API
 * packages, OSGi packages and java.*, exports nothing, and names no bundle it requires.
 */
class ExtrasManifestIT {

    @Test
    void theExampleBundleImportsOnlyTheApiOsgiAndJava() throws Exception {
        Attributes m = ExtrasBundle.manifest();
        assertThat(m.getValue("Bundle-SymbolicName")).isEqualTo(ExtrasBundle.BSN);
        List<String> imports = ExtrasBundle.packages(m.getValue("Import-Package"));
        assertThat(imports).as("Import-Package").contains("io.lanspread.api.download", "io.lanspread.api.discovery")
                .allSatisfy(p -> assertThat(p.startsWith("io.lanspread.api.") || p.startsWith("org.osgi.")
                        || p.equals("java") || p.startsWith("java.")).as(p + " is an API, OSGi or java package")
                        .isTrue());
        assertThat(m.getValue("Export-Package")).as("Export-Package").isNull();
        assertThat(m.getValue("Require-Bundle")).as("Require-Bundle").isNull();
        assertThat(m.getValue("DynamicImport-Package")).as("DynamicImport-Package").isNull();
        assertThat(ExtrasBundle.packages(m.getValue("Service-Component")))
                .containsExactlyInAnyOrder("OSGI-INF/org.example.lanspread.extras.nearest.xml",
                        "OSGI-INF/org.example.lanspread.extras.beacon.xml");
    }

    @Test
    void theHeaderParserSplitsOnlyBetweenClauses() {
        assertThat(ExtrasBundle.packages("a.b;version=\"[1.0,2)\",c;resolution:=optional,d"))
                .containsExactly("a.b", "c", "d");
    }
}
