package io.lanspread.itests.bench;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bare JmDNS, the baseline of the discovery benchmark, run inside lab hosts. JmDNS is not a dependency of
 * this module, so it is loaded from the class path of the child JVM (the benchmark adds the jar) and
 * driven reflectively. Every printed time is epoch milliseconds (one clock: all hosts share the kernel).
 * <ul>
 * <li>{@code resolve <bindAddr> <hostName> <type>}: browses; prints {@code READY}, then {@code RESOLVED
 * <instance> <epochMs> <addr>:<port>} the first time each instance resolves to an IPv4 address.</li>
 * <li>{@code advertise <bindAddr> <hostName> <type> <instance> <port>}: prints {@code STARTED <epochMs>} on
 * entry, {@code ADVERTISING <epochMs>} just before registerService, {@code REGISTERED <epochMs>} after
 * it, then stays up until killed (JmDNS's shutdown hook says goodbye).</li>
 * </ul>
 */
public final class JmdnsProbe {

    private JmdnsProbe() {
    }

    public static void main(String[] args) throws Exception {
        long entered = System.currentTimeMillis();
        InetAddress bind = InetAddress.getByName(args[1]);
        Class<?> jmdnsType = Class.forName("javax.jmdns.JmDNS");
        Object jmdns = jmdnsType.getMethod("create", InetAddress.class, String.class).invoke(null, bind, args[2]);
        if (args[0].equals("advertise")) {
            say("STARTED " + entered);
            advertise(jmdnsType, jmdns, args[3], args[4], Integer.parseInt(args[5]));
        } else {
            resolve(jmdnsType, jmdns, args[3]);
        }
        // stay up until killed: the advert or the browser lives as long as this JVM
        Thread.currentThread().join();
    }

    /** One write per line, so that stderr (shared log) cannot land inside it. */
    private static void say(String line) {
        System.out.print(line + "\n");
        System.out.flush();
    }

    private static void advertise(Class<?> jmdnsType, Object jmdns, String type, String instance, int port)
            throws Exception {
        Class<?> infoType = Class.forName("javax.jmdns.ServiceInfo");
        Object info = infoType.getMethod("create", String.class, String.class, int.class, String.class)
                .invoke(null, type, instance, port, "probe");
        say("ADVERTISING " + System.currentTimeMillis());
        jmdnsType.getMethod("registerService", infoType).invoke(jmdns, info);
        say("REGISTERED " + System.currentTimeMillis());
    }

    private static void resolve(Class<?> jmdnsType, Object jmdns, String type) throws Exception {
        Class<?> listenerType = Class.forName("javax.jmdns.ServiceListener");
        Class<?> eventType = Class.forName("javax.jmdns.ServiceEvent");
        Class<?> infoType = Class.forName("javax.jmdns.ServiceInfo");
        Method eventName = eventType.getMethod("getName");
        Method eventInfo = eventType.getMethod("getInfo");
        Method addresses = infoType.getMethod("getInet4Addresses");
        Method port = infoType.getMethod("getPort");
        Method request = jmdnsType.getMethod("requestServiceInfo", String.class, String.class);
        Set<String> resolved = ConcurrentHashMap.newKeySet();
        Object listener = Proxy.newProxyInstance(JmdnsProbe.class.getClassLoader(), new Class<?>[] {listenerType},
                (proxy, method, margs) -> {
                    switch (method.getName()) {
                        case "serviceAdded" -> {
                            String name = (String) eventName.invoke(margs[0]);
                            say("ADDED " + name + " " + System.currentTimeMillis());
                            // off the JmDNS thread: requestServiceInfo may block
                            new Thread(() -> {
                                try {
                                    request.invoke(jmdns, type, name);
                                } catch (ReflectiveOperationException e) {
                                    say("REQUEST-FAILED " + name + " " + e);
                                }
                            }).start();
                        }
                        case "serviceResolved" -> {
                            long at = System.currentTimeMillis();
                            String name = (String) eventName.invoke(margs[0]);
                            Object info = eventInfo.invoke(margs[0]);
                            Inet4Address[] a = (Inet4Address[]) addresses.invoke(info);
                            if (a.length > 0 && resolved.add(name)) {
                                say("RESOLVED " + name + " " + at + " " + a[0].getHostAddress() + ":"
                                        + port.invoke(info));
                            }
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "equals" -> {
                            return proxy == margs[0];
                        }
                        case "toString" -> {
                            return "JmdnsProbe.listener";
                        }
                        default -> { }
                    }
                    return null;
                });
        jmdnsType.getMethod("addServiceListener", String.class, listenerType).invoke(jmdns, type, listener);
        say("READY");
    }
}
