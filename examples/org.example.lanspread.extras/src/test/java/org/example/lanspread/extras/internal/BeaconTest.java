package org.example.lanspread.extras.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Beacons as they go on the wire, and what a hostile LAN may send instead. */
class BeaconTest {

    private static final String ID = "3f2a9c0d4e5b6a7980f1e2d3c4b5a69788776655";

    private static Optional<Beacon> parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return Beacon.parse(b, b.length);
    }

    @Test
    void aBeaconSurvivesTheWire() {
        Beacon beacon = new Beacon(ID, 42420, 17, 2);
        byte[] bytes = beacon.encode();
        assertThat(bytes.length).isLessThan(Beacon.MAX_BYTES);
        assertThat(Beacon.parse(bytes, bytes.length)).contains(beacon);
    }

    @Test
    void unknownKeysAndEmptyLinesAreAllowedAndTheRevisionIsOptional() {
        assertThat(parse("LSBEACON 1\npeer=" + ID + "\n\nport=1\nproto=2\nname=future\n"))
                .contains(new Beacon(ID, 1, -1, 2));
    }

    @Test
    void anythingElseIsIgnored() {
        String ok = "LSBEACON 1\npeer=" + ID + "\nport=42420\nrev=1\nproto=2\n";
        assertThat(parse(ok)).isPresent();
        assertThat(parse(ok.replace("LSBEACON 1", "LSBEACON 2"))).as("other magic").isEmpty();
        assertThat(parse(ok.replace("port=42420", "port=0"))).as("port 0").isEmpty();
        assertThat(parse(ok.replace("port=42420", "port=65536"))).as("port too high").isEmpty();
        assertThat(parse(ok.replace("port=42420", "port=4242a"))).as("port not a number").isEmpty();
        assertThat(parse(ok.replace("port=42420", "port=-1"))).as("negative port").isEmpty();
        assertThat(parse(ok.replace("port=42420", "port=00000000042420"))).as("too many digits").isEmpty();
        assertThat(parse(ok.replace("rev=1", "rev=-5"))).as("negative revision").isEmpty();
        assertThat(parse(ok.replace("proto=2", "proto=0"))).as("protocol 0").isEmpty();
        assertThat(parse(ok.replace("peer=" + ID + "\n", ""))).as("no peer").isEmpty();
        assertThat(parse(ok.replace(ID, "../../etc"))).as("odd peer id").isEmpty();
        assertThat(parse(ok.replace(ID, "a".repeat(129)))).as("peer id too long").isEmpty();
        assertThat(parse(ok + "port=1\n")).as("a key twice").isEmpty();
        assertThat(parse(ok.replace("\n", "\r\n"))).as("control characters").isEmpty();
        assertThat(parse(ok.replace(ID, ID.substring(1) + "\u00e9"))).as("not ASCII").isEmpty();
        assertThat(parse(ok + "x".repeat(600))).as("too long").isEmpty();
        assertThat(parse(ok + "a=b\n".repeat(20))).as("too many lines").isEmpty();
        assertThat(parse(ok + "Peer=x\n")).as("keys are lower case").isEmpty();
        assertThat(parse(ok + "=x\n")).as("empty key").isEmpty();
        assertThat(parse(ok + "novalue\n")).as("no =").isEmpty();
        assertThat(Beacon.parse(new byte[0], 0)).isEmpty();
        assertThat(Beacon.parse(null, 3)).isEmpty();
        byte[] b = ok.getBytes(StandardCharsets.US_ASCII);
        assertThat(Beacon.parse(b, b.length + 1)).as("length beyond the buffer").isEmpty();
    }

    @Test
    void randomBytesNeverThrow() {
        SplittableRandom random = new SplittableRandom(42);
        byte[] base = new Beacon(ID, 42420, 3, 2).encode();
        for (int round = 0; round < 20_000; round++) {
            byte[] data = new byte[1 + random.nextInt(Beacon.MAX_BYTES + 8)];
            if (random.nextBoolean()) {
                System.arraycopy(base, 0, data, 0, Math.min(base.length, data.length));
                data[random.nextInt(data.length)] = (byte) random.nextInt(256); // one byte flipped
            } else {
                random.nextBytes(data);
            }
            Beacon.parse(data, data.length); // must answer, valid or not
        }
    }
}
