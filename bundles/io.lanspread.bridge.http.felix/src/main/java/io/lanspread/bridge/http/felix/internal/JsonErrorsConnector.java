package io.lanspread.bridge.http.felix.internal;

import java.util.IdentityHashMap;
import java.util.Map;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * A connector that opens no socket and runs no thread: while it is started, the server and each of its
 * contexts answer errors with {@link JsonErrorHandler}; stopped, it puts the handlers back that it replaced.
 * <p>
 * Felix HTTP Jetty hands its {@link Server} to nothing but a {@code ConnectorFactory}, and it requires what
 * such a factory returns to be a {@link ServerConnector} (it reads host and port to list the
 * {@code osgi.http.endpoint}s). So this connector takes the host and port of the server's real HTTP
 * connector: the endpoint it adds to that list is the real one again, never a wrong one.
 */
final class JsonErrorsConnector extends ServerConnector {

    private final Map<ContextHandler, ErrorHandler> replaced = new IdentityHashMap<>();
    private ErrorHandler replacedOfServer;

    JsonErrorsConnector(Server server) {
        super(server, 0, 1);
        setName("lanspread-json-errors");
        ServerConnector listening = listeningConnector(server);
        if (listening != null) {
            setHost(listening.getHost());
            setPort(listening.getLocalPort());
        }
    }

    /** Felix's plain HTTP connector (this one names no scheme of its own, so Felix lists it as http). */
    private static ServerConnector listeningConnector(Server server) {
        for (Connector c : server.getConnectors()) {
            if (c instanceof ServerConnector s && !(c instanceof JsonErrorsConnector) && s.getLocalPort() > 0
                    && !s.getDefaultProtocol().startsWith("SSL")) {
                return s;
            }
        }
        return null;
    }

    @Override
    protected synchronized void doStart() {
        // no super.doStart(): nothing to accept, so no selector and no acceptor
        Server server = getServer();
        replacedOfServer = server.getErrorHandler();
        server.setErrorHandler(new JsonErrorHandler());
        for (Handler h : server.getChildHandlersByClass(ContextHandler.class)) {
            ContextHandler context = (ContextHandler) h;
            replaced.put(context, context.getErrorHandler());
            context.setErrorHandler(new JsonErrorHandler());
        }
    }

    @Override
    protected synchronized void doStop() {
        getServer().setErrorHandler(replacedOfServer);
        replaced.forEach(ContextHandler::setErrorHandler);
        replaced.clear();
        replacedOfServer = null;
    }

    @Override
    public void open() {
        // accepts nothing
    }

    @Override
    public boolean isOpen() {
        return false;
    }
}
