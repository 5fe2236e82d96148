package io.lanspread.discovery.mdns.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import javax.jmdns.JmDNS;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a fresh JmDNS 3.6.1 instance probe and announce at the pace of RFC 6762 section 8.
 *
 * <p>JmDNS probes a host that was never announced three times 1000 ms apart (its after-a-conflict pace;
 * the RFC's 250 ms applies only to an instance that is announced already) and waits 1000 ms more before
 * its first announcement; it answers no query until the second. A new peer thus stays invisible for
 * about 4 s. RFC 6762 asks for a random 0-250 ms delay, three probes 250 ms apart, and allows announcing
 * 250 ms after the third; then two announcements one second apart.
 *
 * <p>JmDNS keeps one task starter per instance (in {@code DNSTaskStarter.Factory}). This swaps the entry
 * of ONE instance for a proxy that, while the instance has not been announced, schedules JmDNS's own
 * {@code Prober} and {@code Announcer} with the RFC's delays on that instance's own state timer; every
 * other call goes to the original starter. No static setting changes, so other JmDNS users in the same
 * framework are untouched. The implementation package is not exported by the JmDNS bundle, hence
 * reflection; if anything differs from 3.6.1, the instance is left alone (it then starts slowly).
 */
final class FastProbing {

    static final int PROBE_INTERVAL_MS = 250;
    static final int ANNOUNCE_DELAY_MS = 250;
    static final int ANNOUNCE_INTERVAL_MS = 1000;
    /** Fast probing starts per instance: more (repeated conflicts) fall back to JmDNS's throttled pace. */
    static final int FAST_STARTS = 3;

    private static final String IMPL = "javax.jmdns.impl.";
    private static final Logger LOG = LoggerFactory.getLogger(FastProbing.class);

    private FastProbing() {
    }

    /**
     * Call right after {@code JmDNS.create} and before registering a service.
     *
     * @return whether the instance now probes at the RFC's pace
     */
    static boolean install(JmDNS jmdns) {
        try {
            ClassLoader loader = jmdns.getClass().getClassLoader();
            Class<?> dnsClass = Class.forName(IMPL + "JmDNSImpl", false, loader);
            Class<?> starterClass = Class.forName(IMPL + "DNSTaskStarter", false, loader);
            Class<?> factoryClass = Class.forName(IMPL + "DNSTaskStarter$Factory", false, loader);
            if (!dnsClass.isInstance(jmdns)) {
                throw new IllegalStateException("not a JmDNSImpl: " + jmdns.getClass());
            }
            Object factory = factoryClass.getMethod("getInstance").invoke(null);
            Field instancesField = factoryClass.getDeclaredField("_instances");
            instancesField.setAccessible(true);
            @SuppressWarnings("unchecked")
            ConcurrentMap<Object, Object> starters = (ConcurrentMap<Object, Object>) instancesField.get(factory);
            Object original = factoryClass.getMethod("getStarter", dnsClass).invoke(factory, jmdns);
            Field timerField = original.getClass().getDeclaredField("_stateTimer");
            timerField.setAccessible(true);
            Timer stateTimer = (Timer) timerField.get(original);
            Starter handler = new Starter(jmdns, original, stateTimer,
                    Class.forName(IMPL + "tasks.state.Prober", false, loader).getConstructor(dnsClass),
                    Class.forName(IMPL + "tasks.state.Announcer", false, loader).getConstructor(dnsClass),
                    dnsClass.getMethod("isAnnounced"), dnsClass.getMethod("isCanceling"),
                    dnsClass.getMethod("isCanceled"), dnsClass.getMethod("getServices"));
            Object proxy = Proxy.newProxyInstance(loader, new Class<?>[] {starterClass}, handler);
            return starters.replace(jmdns, original, proxy);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("Cannot speed up JmDNS probing of {}; it starts at its own pace", jmdns.getName(), e);
            return false;
        }
    }

    private static final class Starter implements InvocationHandler {
        private final JmDNS dns;
        private final Object original;
        private final Timer stateTimer;
        private final Constructor<?> prober;
        private final Constructor<?> announcer;
        private final Method isAnnounced;
        private final Method isCanceling;
        private final Method isCanceled;
        private final Method getServices;
        private final AtomicInteger fastStarts = new AtomicInteger();

        Starter(JmDNS dns, Object original, Timer stateTimer, Constructor<?> prober, Constructor<?> announcer,
                Method isAnnounced, Method isCanceling, Method isCanceled, Method getServices) {
            this.dns = dns;
            this.original = original;
            this.stateTimer = stateTimer;
            this.prober = prober;
            this.announcer = announcer;
            this.isAnnounced = isAnnounced;
            this.isCanceling = isCanceling;
            this.isCanceled = isCanceled;
            this.getServices = getServices;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getParameterCount() == 0 && !is(dns, isAnnounced)) {
                if (method.getName().equals("startProber") && fastStarts.getAndIncrement() < FAST_STARTS) {
                    stateTimer.schedule(task(this::probe), 0);
                    return null;
                }
                if (method.getName().equals("startAnnouncer")) {
                    if (!stopping()) {
                        stateTimer.schedule((TimerTask) announcer.newInstance(dns), ANNOUNCE_DELAY_MS,
                                ANNOUNCE_INTERVAL_MS);
                    }
                    return null;
                }
            }
            try {
                return method.invoke(original, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        /**
         * State timer thread, so no JmDNS state task runs meanwhile. Takes the host and every service that
         * is still probing away from the slow probers already scheduled (they find nothing left to do and
         * cancel themselves), back to the first probe, and hands them to one prober at the RFC's pace.
         */
        private void probe() throws ReflectiveOperationException {
            if (stopping()) {
                return;
            }
            recoverIfProbing(dns);
            for (Object info : ((Map<?, ?>) getServices.invoke(dns)).values()) {
                recoverIfProbing(info);
            }
            TimerTask task = (TimerTask) prober.newInstance(dns); // takes every object in the first probe state
            stateTimer.schedule(task, ThreadLocalRandom.current().nextInt(PROBE_INTERVAL_MS + 1), PROBE_INTERVAL_MS);
        }

        private boolean stopping() throws ReflectiveOperationException {
            return is(dns, isCanceling) || is(dns, isCanceled);
        }

        private static void recoverIfProbing(Object stateful) throws ReflectiveOperationException {
            if ((Boolean) stateful.getClass().getMethod("isProbing").invoke(stateful)) {
                stateful.getClass().getMethod("recoverState").invoke(stateful);
            }
        }

        private static boolean is(Object target, Method method) throws ReflectiveOperationException {
            return (Boolean) method.invoke(target);
        }

        private TimerTask task(Step step) {
            return new TimerTask() {
                @Override
                public void run() {
                    try {
                        step.run();
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        LOG.warn("Fast mDNS probing of {} failed; JmDNS probes at its own pace", dns.getName(), e);
                        try {
                            original.getClass().getMethod("startProber").invoke(original);
                        } catch (ReflectiveOperationException | RuntimeException e2) {
                            LOG.debug("Cannot start JmDNS's own prober", e2);
                        }
                    }
                }
            };
        }
    }

    private interface Step {
        void run() throws ReflectiveOperationException;
    }
}
