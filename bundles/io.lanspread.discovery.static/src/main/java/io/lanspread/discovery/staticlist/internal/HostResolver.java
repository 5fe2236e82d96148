package io.lanspread.discovery.staticlist.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns a configured host name into an address; the system resolver in the product. */
@FunctionalInterface
interface HostResolver {

    HostResolver SYSTEM = InetAddress::getByName;

    InetAddress resolve(String host) throws UnknownHostException;
}
