package io.lanspread.api.download;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides which chunks to request from which source. Planners are services with a
 * {@value #NAME_PROPERTY} property (see {@link PlannerName}) and a service ranking; the download manager
 * uses the highest-ranked one unless its {@code planner.target} configuration names another.
 *
 * <p>The manager opens one {@link PlannerSession} per download and pulls requests from it whenever a
 * source has room. A planner registered or removed while a download runs takes over from the next request:
 * the manager closes the old session and opens a new one on the same {@link PlanningContext}, which
 * holds everything already done and in flight, so no chunk is lost or fetched twice.
 */
@ConsumerType
public interface DownloadPlanner {

    String NAME_PROPERTY = "lanspread.planner.name";

    String name();

    /** Opens a session for one download. Called on the manager's thread; must not block. */
    PlannerSession open(PlanningContext context);
}
