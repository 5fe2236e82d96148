package io.lanspread.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PeerConfigurationsTest {

    @Test
    void flagsBecomeConfigurationsUnderTheFixedPids() throws Exception {
        LaunchOptions o = LaunchOptions.parse(new String[] {
            "--games", "g", "--state", "s", "--name", "bob", "--port", "0", "--http-port", "0",
            "--bind", "127.0.0.1", "--peer", "a:1", "--peer", "b:2"
        }, Path.of("/w"));

        Map<String, Hashtable<String, Object>> c = PeerConfigurations.from(o);

        assertThat(c).containsOnlyKeys("io.lanspread.catalog", "io.lanspread.download", "io.lanspread.identity",
                "io.lanspread.transport.quic.server", "io.lanspread.discovery.static", "org.apache.felix.http",
                "io.lanspread.bridge.http.access");
        assertThat(c.get("io.lanspread.catalog")).containsOnly(entry("games.dir", Path.of("/w/g").toString()),
                entry("state.dir", Path.of("/w/s").toString()));
        assertThat(c.get("io.lanspread.download")).containsOnly(entry("state.dir", Path.of("/w/s").toString()));
        assertThat(c.get("io.lanspread.identity"))
                .containsEntry("state.dir", Path.of("/w/s").toString())
                .containsEntry("name", "bob");
        assertThat(c.get("io.lanspread.transport.quic.server"))
                .containsEntry("bind.address", "127.0.0.1")
                .containsEntry("port", 0);
        assertThat((String[]) c.get("io.lanspread.discovery.static").get("peers")).containsExactly("a:1", "b:2");
        assertThat(c.get("org.apache.felix.http"))
                .containsEntry("org.osgi.service.http.port", 0)
                .containsEntry("org.apache.felix.http.host", "127.0.0.1");
        assertThat(c.get("io.lanspread.bridge.http.access")).containsOnly(entry("state.dir", Path.of("/w/s").toString()));
    }

    @Test
    void httpBindOpensThePageAndApiToTheNetwork() throws Exception {
        LaunchOptions o = LaunchOptions.parse(new String[] {"--http-bind", "0.0.0.0"}, Path.of("/w"));

        assertThat(PeerConfigurations.from(o).get("org.apache.felix.http"))
                .containsEntry("org.apache.felix.http.host", "0.0.0.0");
    }

    @Test
    void aPartyKeyGoesToTheIdentityWhichServerAndClientShare() throws Exception {
        LaunchOptions o = LaunchOptions.parse(new String[] {"--party-key", "open sesame"}, Path.of("/w"));

        assertThat(PeerConfigurations.from(o).get("io.lanspread.identity")).containsEntry(".party.key", "open sesame");
        assertThat(PeerConfigurations.OWNED.get("io.lanspread.identity")).contains(".party.key");
    }

    @Test
    void anUnsetNameLeavesTheComponentDefault() throws Exception {
        LaunchOptions o = LaunchOptions.parse(new String[0], Path.of("/w"));

        assertThat(PeerConfigurations.from(o).get("io.lanspread.identity")).doesNotContainKey("name")
                .doesNotContainKey(".party.key");
        assertThat((String[]) PeerConfigurations.from(o).get("io.lanspread.discovery.static").get("peers")).isEmpty();
    }

    @Test
    void everyWrittenPropertyIsOwnedSoThatAnAbsentFlagIsRemovedNextTime() throws Exception {
        LaunchOptions o = LaunchOptions.parse(new String[] { "--name", "bob" }, Path.of("/w"));
        PeerConfigurations.from(o).forEach((pid, properties) ->
                assertThat(PeerConfigurations.OWNED.get(pid)).as(pid).containsAll(java.util.Collections.list(properties.keys())));
    }

    @Test
    void aRestartKeepsWhatTheOperatorSetAndReplacesWhatTheFlagsDecide() {
        Hashtable<String, Object> stored = new Hashtable<>();
        stored.put("service.pid", "io.lanspread.identity");
        stored.put("state.dir", "/old");
        stored.put("name", "last-run");
        stored.put("planner.target", "(lanspread.planner.name=even)");
        Hashtable<String, Object> fromFlags = new Hashtable<>();
        fromFlags.put("state.dir", "/new");

        Hashtable<String, Object> merged = PeerConfigurations.merge(stored,
                PeerConfigurations.OWNED.get("io.lanspread.identity"), fromFlags);

        assertThat(merged).containsEntry("state.dir", "/new")
                .containsEntry("planner.target", "(lanspread.planner.name=even)")
                .doesNotContainKey("name");
        assertThat(PeerConfigurations.merge(null, java.util.Set.of("a"), fromFlags)).containsOnly(entry("state.dir", "/new"));
    }
}
