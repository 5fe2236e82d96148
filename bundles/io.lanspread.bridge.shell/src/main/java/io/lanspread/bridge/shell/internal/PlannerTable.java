package io.lanspread.bridge.shell.internal;

import java.util.Comparator;
import java.util.List;

import io.lanspread.api.download.DownloadPlanner;

/**
 * What {@code lanspread:planners} answers: the download planner services, and which one the download
 * manager uses (the highest-ranked one its {@code planner.target} filter accepts).
 *
 * @param target the download manager's planner.target filter, null when unknown; printed only when it is
 *               not the default, which takes any planner
 */
public record PlannerTable(List<Planner> planners, String target) {

    /** One planner service; {@code inUse} marks the one downloads use. */
    public record Planner(String name, int ranking, boolean inUse) {
    }

    static final String ANY = "(" + DownloadPlanner.NAME_PROPERTY + "=*)";

    public PlannerTable {
        planners = planners.stream().sorted(Comparator.comparingInt(Planner::ranking).reversed()
                .thenComparing(Planner::name)).toList();
    }

    @Override
    public String toString() {
        String pinned = target == null || target.equals(ANY) ? "" : "\nplanner.target " + target;
        if (planners.isEmpty()) {
            return "No planner service: downloads use the download manager's built-in adaptive planner." + pinned;
        }
        TextTable table = new TextTable("NAME", "RANKING", "IN USE");
        planners.forEach(p -> table.row(p.name(), String.valueOf(p.ranking()), p.inUse() ? "yes" : "no"));
        String none = planners.stream().anyMatch(Planner::inUse) ? ""
                : "\nNo planner matches planner.target: downloads use the built-in adaptive planner.";
        return table + pinned + none;
    }
}
