package io.lanspread.bridge.web.internal;

import javax.servlet.Servlet;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/** The page's scripts, styles and icon under {@code /assets/}, and the page again as {@code /index.html}. */
@Component(name = "io.lanspread.bridge.web.assets", service = Servlet.class)
@HttpWhiteboardServletPattern({"/index.html", "/assets/*"})
@HttpWhiteboardServletName("lanspread-assets")
public final class AssetsServlet extends StaticFilesServlet {
    private static final long serialVersionUID = 1L;
}
