package dev.runbook.k8s.testing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON merge patch ({@code application/merge-patch+json}, RFC 7386 section 2), for the test stand-in: fabric8's CRUD
 * mock applies this content type with Jackson's {@code readerForUpdating}, which appends to lists and stores
 * {@code null}s where RFC 7386 replaces lists and deletes keys.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7386#section-2">RFC 7386, section 2</a>
 */
public final class JsonMergePatch {
    private JsonMergePatch() {
    }

    /**
     * The RFC's MergePatch(Target, Patch): an object patch merges key by key ({@code null} removes the key), any other
     * patch value replaces the target whole (lists included). Neither argument is changed.
     */
    public static Object apply(Object target, Object patch) {
        if (!(patch instanceof Map<?, ?> p)) {
            return patch;
        }
        var out = target instanceof Map<?, ?> t ? new LinkedHashMap<Object, Object>(t) : new LinkedHashMap<Object, Object>();
        p.forEach((k, v) -> {
            if (v == null) {
                out.remove(k);
            } else {
                out.put(k, apply(out.get(k), v));
            }
        });
        return Collections.unmodifiableMap(out);
    }
}
