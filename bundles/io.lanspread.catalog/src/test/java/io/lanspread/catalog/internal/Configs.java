package io.lanspread.catalog.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Builds a component's Config annotation as DS would: given values, else the annotation's defaults. */
final class Configs {

    private Configs() {
    }

    static <A> A of(Class<A> type, Map<String, ?> values) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            switch (method.getName()) {
                case "annotationType":
                    return type;
                case "toString":
                    return type.getSimpleName() + values;
                case "hashCode":
                    return values.hashCode();
                case "equals":
                    return self == args[0];
                default:
                    return values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
            }
        });
        return type.cast(proxy);
    }
}
