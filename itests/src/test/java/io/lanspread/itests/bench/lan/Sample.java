package io.lanspread.itests.bench.lan;

/**
 * One timed transfer of one tool: the bytes moved and the seconds they took (from both sides knowing the
 * file to the file complete on the receiver's disk), the CPU seconds of the receiving and the sending
 * processes over those seconds, their peak RSS (VmHWM, reset at the start) and, for lanspread, the receiver's
 * heap at the end. {@code round} 0 is the warm-up (not counted). {@code error} is null when the transfer
 * completed byte-identical; {@code note} says anything odd seen on the way (or is empty).
 */
public record Sample(String scenario, String tool, int round, long bytes, double seconds, double receiverCpu,
        double senderCpu, long receiverHwmKib, long senderHwmKib, long heapKib, String note, String error) {

    public static final double MIB = 1024 * 1024;
    public static final double GIB = 1024 * MIB;

    public static Sample failed(String scenario, String tool, int round, long bytes, String error) {
        return new Sample(scenario, tool, round, bytes, Double.NaN, Double.NaN, Double.NaN, -1, -1, -1, "", error);
    }

    public boolean ok() {
        return error == null;
    }

    public double mibPerSecond() {
        return bytes / MIB / seconds;
    }

    public double receiverCpuPerGib() {
        return receiverCpu / (bytes / GIB);
    }

    public double senderCpuPerGib() {
        return senderCpu / (bytes / GIB);
    }

    public double totalCpuPerGib() {
        return receiverCpuPerGib() + senderCpuPerGib();
    }
}
