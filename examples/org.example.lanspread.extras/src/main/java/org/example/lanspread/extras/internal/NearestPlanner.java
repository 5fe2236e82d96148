package org.example.lanspread.extras.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.lanspread.api.download.DownloadPlanner;
import io.lanspread.api.download.PlannerName;
import io.lanspread.api.download.PlannerSession;
import io.lanspread.api.download.PlanningContext;

/**
 * The {@code nearest} download planner: chunks go to the sources on this host's own subnet first; a source beyond
 * it (reached through a router: another VLAN, the Wi-Fi behind an access point that routes) serves what the near
 * ones lack, and otherwise only a small share. At a LAN party with several networks this keeps the transfer off the
 * router. Ranked 100, above the built-in planners (adaptive 10, even 0): installing the bundle makes it plan every
 * download from its next request on, unless {@code planner.target} of {@code io.lanspread.download} pins another.
 * See {@link NearestSession} for the rules.
 */
@Component(name = NearestPlanner.PID, service = DownloadPlanner.class,
        property = "service.ranking:Integer=" + NearestPlanner.RANKING)
@PlannerName(NearestPlanner.NAME)
@Designate(ocd = NearestPlanner.Config.class)
public final class NearestPlanner implements DownloadPlanner {

    static final String PID = "org.example.lanspread.extras.nearest";
    static final String NAME = "nearest";
    static final int RANKING = 100;

    @ObjectClassDefinition(name = "lanspread nearest planner",
            description = "Download planner that prefers sources on this host's own subnet.")
    public @interface Config {
        @AttributeDefinition(name = "Far share (%)", min = "0", max = "100", description = "A source beyond this "
                + "host's subnet gets chunks that a source on the subnet also holds only while it delivers less than "
                + "this percentage of what the sources on the subnet deliver together (0: only what they lack).")
        int far_share_percent() default 25;

        @AttributeDefinition(name = "Endgame lateness (ms)", min = "1", description = "Near the end, a chunk whose "
                + "only request is older than this (and than three of its source's usual chunk times) is asked of an "
                + "idle source too; the first verified copy wins.")
        long endgame_late_millis() default 400;
    }

    /** The configuration as plain values; running sessions read the current ones, so a change applies at once. */
    record Settings(int farSharePercent, long lateMillis) {
        static Settings of(Config config) {
            return new Settings(Math.max(0, Math.min(100, config.far_share_percent())),
                    Math.max(1, config.endgame_late_millis()));
        }
    }

    /** How often this host's networks are listed again (an interface may come up or change its address). */
    static final long NETWORKS_REFRESH_SECONDS = 10;

    private final PlanTally tally = new PlanTally(NAME);
    private final ScheduledExecutorService networkWatch;
    private volatile Settings settings;
    /** Listed on this component's own thread: sessions run on the downloads' executors, which must not do I/O. */
    private volatile LocalNetworks networks;

    @Activate
    public NearestPlanner(Config config) {
        settings = Settings.of(config);
        networks = LocalNetworks.ofThisHost();
        networkWatch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lanspread-nearest-networks");
            t.setDaemon(true);
            return t;
        });
        networkWatch.scheduleWithFixedDelay(() -> networks = LocalNetworks.ofThisHost(), NETWORKS_REFRESH_SECONDS,
                NETWORKS_REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        networkWatch.shutdownNow();
    }

    @Modified
    void modified(Config config) {
        settings = Settings.of(config);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PlannerSession open(PlanningContext context) {
        tally.opened(context.downloadId());
        return new NearestSession(context, () -> settings, () -> networks, System::nanoTime, tally);
    }
}
