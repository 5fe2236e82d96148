package io.lanspread.bridge.web.internal;

import javax.servlet.Servlet;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * The page at {@code /}: the servlet spec's empty pattern matches exactly the context root, ahead of the API
 * bridge's default servlet. It has a registration of its own, with the pattern as a single value: an empty
 * string in a multi-valued component property is lost. Pax Web (Karaf) maps the empty pattern to {@code /}, the
 * API bridge's pattern: the higher ranking makes the page win there, as it does in Felix.
 */
@Component(name = "io.lanspread.bridge.web.page", service = Servlet.class,
        property = {HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=", "service.ranking:Integer=1"})
@HttpWhiteboardServletName("lanspread-page")
public final class PageServlet extends StaticFilesServlet {
    private static final long serialVersionUID = 1L;
}
