package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** Refusals are logged at most once per address per interval, and the line after a pause counts the rest. */
class RefusalLogTest {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                if (method.getName().equals("warn")) {
                    String line = (String) args[0];
                    Object[] values = args.length == 2 && args[1] instanceof Object[] many ? many
                            : Arrays.copyOfRange(args, 1, args.length);
                    for (Object value : values) {
                        line = line.replaceFirst("\\{\\}", String.valueOf(value));
                    }
                    lines.add(line);
                }
                return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
            });

    @Test
    void aFloodFromOneAddressIsOneLineAndOtherAddressesGetTheirOwn() throws Exception {
        RefusalLog log = new RefusalLog(logger, TimeUnit.HOURS.toNanos(1));
        InetAddress flood = InetAddress.getByName("10.0.0.7");
        for (int i = 0; i < 1000; i++) {
            log.refused(flood, "too many connections");
        }
        log.refused(InetAddress.getByName("10.0.0.8"), "too many connections");
        assertThat(lines).containsExactly("refused 10.0.0.7: too many connections",
                "refused 10.0.0.8: too many connections");
    }

    @Test
    void afterTheIntervalTheNextLineSaysHowManyWereLeftOut() throws Exception {
        RefusalLog log = new RefusalLog(logger, TimeUnit.MILLISECONDS.toNanos(50));
        InetAddress flood = InetAddress.getByName("10.0.0.7");
        log.refused(flood, "too many connections");
        int[] calls = {0};
        assertThat(Poll.until(() -> {
            calls[0]++;
            log.refused(flood, "too many connections");
            return lines.size() == 2;
        }, Duration.ofSeconds(10))).isTrue();
        assertThat(lines.get(1)).isEqualTo("refused 10.0.0.7: too many connections (" + (calls[0] - 1)
                + " more refused since the last line)");
    }
}
