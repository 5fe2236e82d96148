package io.lanspread.download.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Component configuration for tests: an annotation proxy with the annotation's defaults. */
final class Configs {
    private Configs() {
    }

    /** Keys are property names ({@code parallel.per.peer}); anything not given takes its default. */
    static <T> T of(Class<T> type, Map<String, ?> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (proxy, method, args) -> {
            String name = method.getName();
            switch (name) {
                case "annotationType":
                    return type;
                case "toString":
                    return type.getSimpleName() + values;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    String key = name.replace('_', '.');
                    return values.containsKey(key) ? values.get(key) : method.getDefaultValue();
            }
        }));
    }
}
