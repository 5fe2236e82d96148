package io.lanspread.bridge.http.paxweb.internal;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.osgi.service.component.annotations.Component;

/**
 * Makes Pax Web's Jetty answer its own errors as the API's JSON. Pax Web 8 hands its Jetty {@link Server}
 * to nothing but the {@link Handler} services it adds to the server (restarting it to do so); so this is
 * such a handler that handles no request: while it is started, the server's error handler is
 * {@link JsonErrorHandler}; stopped, it puts back the one it replaced.
 */
@Component(name = "io.lanspread.bridge.http.paxweb", service = Handler.class)
public final class JsonErrorsHandler extends AbstractHandler {

    private ErrorHandler replaced;

    @Override
    protected synchronized void doStart() throws Exception {
        super.doStart();
        Server server = getServer();
        if (server != null) {
            replaced = server.getErrorHandler();
            JsonErrorHandler json = new JsonErrorHandler();
            // before the server starts it as its bean: Jetty refuses to give a started handler its server
            json.setServer(server);
            server.setErrorHandler(json);
        }
    }

    @Override
    protected synchronized void doStop() throws Exception {
        Server server = getServer();
        if (server != null && replaced != null) {
            server.setErrorHandler(replaced);
        }
        replaced = null;
        super.doStop();
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response) {
        // not a request handler: every request goes on to Pax Web's contexts
    }
}
