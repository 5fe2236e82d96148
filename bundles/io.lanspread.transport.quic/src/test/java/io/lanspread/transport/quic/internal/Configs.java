package io.lanspread.transport.quic.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Builds a component's Config annotation the way DS would: defaults, overridden by property names. */
final class Configs {

    private Configs() {
    }

    static <A> A of(Class<A> type, Map<String, Object> properties) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
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
                    return p == args[0];
                default:
                    throw new IllegalStateException("no value for " + method);
            }
        });
        return type.cast(proxy);
    }
}
