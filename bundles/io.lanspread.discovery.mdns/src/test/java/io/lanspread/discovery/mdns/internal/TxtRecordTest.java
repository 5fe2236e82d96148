package io.lanspread.discovery.mdns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.lanspread.api.discovery.LocalPeer;

class TxtRecordTest {

    private static final LocalPeer SELF = new LocalPeer("peer-1", "Alice's rig", 42420, "ab12cd", 7, 3);

    @Test
    void encodesEveryKey() {
        Map<String, String> txt = TxtRecord.encode(SELF, "rig01");

        assertThat(txt).containsExactly(
                Map.entry("peer_id", "peer-1"), Map.entry("proto_ver", "3"), Map.entry("library_rev", "7"),
                Map.entry("fingerprint", "ab12cd"), Map.entry("name", "Alice's rig"),
                Map.entry("hostname", "rig01"));
    }

    @Test
    void roundTrips() {
        Advert advert = TxtRecord.decode(TxtRecord.encode(SELF, "rig01"));

        assertThat(advert).isEqualTo(new Advert("peer-1", 3, 7, "ab12cd", "Alice's rig", "rig01"));
    }

    @Test
    void leavesOutEmptyValues() {
        Map<String, String> txt = TxtRecord.encode(new LocalPeer("p", "", 1, null, 0, 1), "");

        assertThat(txt).containsOnlyKeys("peer_id", "proto_ver", "library_rev");
    }

    @Test
    void missingOrBadValuesDecodeToAbsent() {
        Map<String, String> txt = new HashMap<>();
        txt.put("peer_id", "  ");
        txt.put("proto_ver", "one");
        txt.put("library_rev", "-5");

        assertThat(TxtRecord.decode(txt)).isEqualTo(new Advert(null, -1, -1, null, null, null));
        assertThat(TxtRecord.decode(Map.of("proto_ver", "99999999999")).protocolVersion()).isEqualTo(-1);
    }

    @Test
    void longValuesFitOneTxtString() {
        String name = "é".repeat(300); // 2 bytes each
        String encoded = TxtRecord.encode(new LocalPeer("p", name, 1, "f", 0, 1), "h").get("name");

        int bytes = ("name=" + encoded).getBytes(StandardCharsets.UTF_8).length;
        assertThat(bytes).isLessThanOrEqualTo(TxtRecord.MAX_ENTRY_BYTES).isGreaterThan(TxtRecord.MAX_ENTRY_BYTES - 2);
        assertThat(encoded).matches("é+");
    }

    @Test
    void truncateKeepsSurrogatePairsWhole() {
        String emoji = "\uD83C\uDFAE"; // 4 bytes in UTF-8

        assertThat(TxtRecord.truncate(emoji + emoji, 6)).isEqualTo(emoji);
        assertThat(TxtRecord.truncate("abc", 3)).isEqualTo("abc");
    }
}
