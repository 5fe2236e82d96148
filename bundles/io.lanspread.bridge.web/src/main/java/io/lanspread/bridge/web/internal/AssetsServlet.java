package io.lanspread.bridge.web.internal;

import javax.servlet.Servlet;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The page's scripts, styles and icon under {@code /assets/}, the login page at {@code /login} (the only page
 * served without the token when the peer is reachable from the network), and the page again as
 * {@code /index.html}.
 */
@Component(name = "io.lanspread.bridge.web.assets", service = Servlet.class)
@HttpWhiteboardServletPattern({"/index.html", "/login", "/assets/*"})
@HttpWhiteboardServletName("lanspread-assets")
public final class AssetsServlet extends StaticFilesServlet {
    private static final long serialVersionUID = 1L;
}
