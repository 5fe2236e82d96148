package io.lanspread.fuzz;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A component's Config annotation as DS builds it: the given properties, else the annotation's defaults. */
public final class Configs {

    private Configs() {
    }

    /** @param properties by property name ({@code bind.address} for {@code bind_address()}) */
    public static <A> A of(Class<A> type, Map<String, ?> properties) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            String property = method.getName().replace('_', '.');
            if (properties.containsKey(property)) {
                return properties.get(property);
            }
            if (method.getDefaultValue() != null) {
                return method.getDefaultValue();
            }
            switch (method.getName()) {
                case "annotationType":
                    return type;
                case "toString":
                    return type.getSimpleName() + properties;
                case "hashCode":
                    return properties.hashCode();
                case "equals":
                    return self == args[0];
                default:
                    throw new IllegalStateException("no value for " + method);
            }
        });
        return type.cast(proxy);
    }
}
