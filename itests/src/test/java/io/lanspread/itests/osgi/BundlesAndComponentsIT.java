package io.lanspread.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import io.lanspread.api.control.PeerControl;
import io.lanspread.api.download.DownloadManager;
import io.lanspread.api.transport.PeerServer;
import io.lanspread.itests.support.Conditions;
import io.lanspread.itests.support.LanspreadTestSupport;

/** Every lanspread bundle starts on real Felix + SCR, with every component satisfied. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundlesAndComponentsIT extends LanspreadTestSupport {

    private static final List<String> EXPECTED_BUNDLES = List.of("io.lanspread.api", "io.lanspread.protocol",
            "io.lanspread.catalog", "io.lanspread.transport.quic", "io.lanspread.discovery.static",
            "io.lanspread.discovery.mdns", "io.lanspread.download", "io.lanspread.peer", "io.lanspread.events",
            "io.lanspread.bridge.http", "io.lanspread.bridge.http.felix", "io.lanspread.bridge.web",
            "io.lanspread.bridge.shell");

    @Inject
    BundleContext context;

    @Inject
    ServiceComponentRuntime scr;

    // Injection waits for these, so the test starts once the runtime is wired end to end.
    @Inject
    PeerControl control;

    @Inject
    PeerServer server;

    @Inject
    DownloadManager downloads;

    @Test
    public void everyBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                notActive.add(b.getSymbolicName() + " state=" + b.getState());
            }
        }
        assertTrue("bundles not active: " + notActive, notActive.isEmpty());
        List<String> names = Arrays.stream(context.getBundles()).map(Bundle::getSymbolicName).collect(Collectors.toList());
        assertTrue("missing bundles, have " + names, names.containsAll(EXPECTED_BUNDLES));
    }

    @Test
    public void noLanspreadBundleHasAnActivatorOrExportsImplementation() {
        for (Bundle b : lanspreadBundles()) {
            assertNull(b.getSymbolicName() + " has an activator", b.getHeaders().get(Constants.BUNDLE_ACTIVATOR));
            String exports = b.getHeaders().get(Constants.EXPORT_PACKAGE);
            if (exports != null) {
                assertFalse(b.getSymbolicName() + " exports " + exports, exports.contains(".internal"));
            }
        }
    }

    @Test
    public void everyComponentIsSatisfied() {
        // Components activate asynchronously after their bundle starts: wait until none is unsatisfied.
        Conditions.await("every lanspread component satisfied", 30, () -> unsatisfied().isEmpty(), this::unsatisfied);
        List<ComponentDescriptionDTO> ours = scr.getComponentDescriptionDTOs(lanspreadBundles().toArray(new Bundle[0]))
                .stream().collect(Collectors.toList());
        List<String> names = ours.stream().map(d -> d.name).collect(Collectors.toList());
        assertTrue("components: " + names, names.containsAll(List.of("io.lanspread.catalog", "io.lanspread.catalog.peers",
                "io.lanspread.identity", "io.lanspread.transport.quic.server", "io.lanspread.transport.quic.client",
                "io.lanspread.discovery.static", "io.lanspread.discovery.mdns", "io.lanspread.download", "io.lanspread.download.planner.adaptive",
                "io.lanspread.download.planner.even", "io.lanspread.peer.downloads",
                "io.lanspread.peer", "io.lanspread.peer.control", "io.lanspread.peer.notices", "io.lanspread.events",
                "io.lanspread.bridge.http",
                "io.lanspread.bridge.web.page", "io.lanspread.bridge.web.assets", "io.lanspread.bridge.http.events",
                "io.lanspread.bridge.http.access", "io.lanspread.bridge.shell.commands",
                "io.lanspread.bridge.shell.progress")));
        for (ComponentDescriptionDTO d : ours) {
            assertTrue(d.name + " enabled", scr.isComponentEnabled(d));
        }
    }

    @Test
    public void theServerListensAndThePeerReportsItself() {
        assertTrue(server.localAddress().getPort() > 0);
        assertEquals(server.localAddress().getPort(), control.status().quicPort());
        assertEquals("paxexam", control.status().name());
        assertFalse(control.status().peerId().isBlank());
        assertTrue(control.games().isEmpty());
        assertTrue(downloads.downloads().isEmpty());
    }

    private List<Bundle> lanspreadBundles() {
        return Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith("io.lanspread."))
                .collect(Collectors.toList());
    }

    private List<String> unsatisfied() {
        List<String> bad = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(lanspreadBundles().toArray(new Bundle[0]))) {
            var configs = scr.getComponentConfigurationDTOs(d);
            if (configs.isEmpty()) {
                bad.add(d.name + ": no configuration");
            }
            for (ComponentConfigurationDTO c : configs) {
                if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
                    bad.add(d.name + ": state " + c.state + " unsatisfied refs "
                            + Arrays.stream(c.unsatisfiedReferences).map(r -> r.name).collect(Collectors.toList()));
                }
            }
        }
        return bad;
    }
}
