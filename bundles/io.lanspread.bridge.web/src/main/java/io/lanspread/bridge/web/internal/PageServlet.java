package io.lanspread.bridge.web.internal;

import javax.servlet.Servlet;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * The page at {@code /}: the servlet spec's empty pattern matches exactly the context root, ahead of the API
 * bridge's default servlet. It has a registration of its own, with the pattern as a single value: an empty
 * string in a multi-valued component property is lost.
 */
@Component(name = "io.lanspread.bridge.web.page", service = Servlet.class,
        property = HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=")
@HttpWhiteboardServletName("lanspread-page")
public final class PageServlet extends StaticFilesServlet {
    private static final long serialVersionUID = 1L;
}
