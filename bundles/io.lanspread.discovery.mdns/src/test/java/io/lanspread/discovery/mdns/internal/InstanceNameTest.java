package io.lanspread.discovery.mdns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class InstanceNameTest {

    private static final UUID ID = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");

    @Test
    void hostnameThenUuid() {
        assertThat(InstanceName.of("gamer-pc.lan.example", ID)).isEqualTo("gamer-pc-" + ID);
    }

    @Test
    void sanitisesAndFitsOneLabel() {
        String name = InstanceName.of("Ümlaut_Host " + "x".repeat(80), ID);

        assertThat(name).matches("[a-z0-9-]+").endsWith("-" + ID);
        assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(InstanceName.MAX_LABEL);
    }

    @Test
    void fallsBackWhenHostnameIsUnknown() {
        assertThat(InstanceName.of("", ID)).isEqualTo("lanspread-" + ID);
        assertThat(InstanceName.of(null, ID)).isEqualTo("lanspread-" + ID);
    }

    @Test
    void hostLabelIsUniquePerLinkAndFitsOneLabel() {
        assertThat(InstanceName.hostLabel(ID, 3, "eth0")).isEqualTo("lanspread-0f8fad5b-3-eth0");
        assertThat(InstanceName.hostLabel(ID, 1, "Wi Fi:" + "x".repeat(80))).hasSize(InstanceName.MAX_LABEL)
                .matches("[a-z0-9-]+");
    }
}
