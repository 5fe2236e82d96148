package io.lanspread.itests.lab;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A multicast sender and receiver to run inside lab hosts.
 * <ul>
 * <li>{@code receive <group> <port> <iface> <token> <timeoutMs>}: joins the group on iface, prints
 * {@code READY}, then waits for a datagram whose payload is the token, prints {@code GOT <token> from
 * <address>} and exits 0 (exit 2 with {@code TIMEOUT} when none came).</li>
 * <li>{@code send <group> <port> <iface> <token> <count> <intervalMs>}: sends the token count times,
 * paced by intervalMs (datagrams can be lost, receivers stop at the first), prints {@code SENT}.</li>
 * </ul>
 */
public final class MulticastProbe {

    private MulticastProbe() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress group = InetAddress.getByName(args[1]);
        int port = Integer.parseInt(args[2]);
        NetworkInterface nic = NetworkInterface.getByName(args[3]);
        if (nic == null) {
            System.out.println("NO-INTERFACE " + args[3]);
            System.exit(3);
        }
        String token = args[4];
        if (args[0].equals("receive")) {
            System.exit(receive(group, port, nic, token, Long.parseLong(args[5])));
        }
        send(group, port, nic, token, Integer.parseInt(args[5]), Long.parseLong(args[6]));
    }

    private static int receive(InetAddress group, int port, NetworkInterface nic, String token, long timeoutMs)
            throws Exception {
        try (MulticastSocket socket = new MulticastSocket(null)) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            socket.joinGroup(new InetSocketAddress(group, 0), nic);
            System.out.println("READY");
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            byte[] buf = new byte[9000];
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    break;
                }
                String payload = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                if (payload.equals(token)) {
                    System.out.println("GOT " + token + " from " + packet.getAddress().getHostAddress());
                    return 0;
                }
            }
            System.out.println("TIMEOUT");
            return 2;
        }
    }

    private static void send(InetAddress group, int port, NetworkInterface nic, String token, int count,
            long intervalMs) throws Exception {
        byte[] data = token.getBytes(StandardCharsets.UTF_8);
        try (MulticastSocket socket = new MulticastSocket()) {
            socket.setNetworkInterface(nic);
            socket.setTimeToLive(255);
            for (int i = 0; i < count; i++) {
                socket.send(new DatagramPacket(data, data.length, group, port));
                if (i + 1 < count) {
                    Thread.sleep(intervalMs); // pacing the repeats, not waiting for state
                }
            }
        }
        System.out.println("SENT " + count);
    }
}
