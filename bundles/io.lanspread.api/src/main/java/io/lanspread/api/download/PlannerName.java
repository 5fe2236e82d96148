package io.lanspread.api.download;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/** Sets the {@value DownloadPlanner#NAME_PROPERTY} service property of a download planner component. */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface PlannerName {
    String PREFIX_ = "lanspread.";

    String value();
}
