package io.lanspread.bridge.http.felix.internal;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.osgi.service.component.annotations.Component;

/**
 * Makes Felix HTTP Jetty answer its own errors as the API's JSON. Those errors happen before any servlet,
 * filter or whiteboard error page is involved (a request line or header Jetty's parser refuses, an
 * ambiguous path, an over-long URI, a missing Host), so only Jetty's server-wide error handler can answer
 * them. Felix calls this factory with its server each time it starts Jetty, and stops the returned
 * connector when this service goes away.
 */
@Component(name = "io.lanspread.bridge.http.felix", service = ConnectorFactory.class)
public final class JsonErrorsConnectorFactory implements ConnectorFactory {

    @Override
    public Connector createConnector(Server server) {
        return new JsonErrorsConnector(server);
    }
}
