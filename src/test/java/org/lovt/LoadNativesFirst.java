package org.lovt;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.lovt.torch.Natives;

/**
 * Loads libtorch the library's way (and so applies the oneDNN kernel check) before any test class runs, whatever
 * the test order: a test that touches a bytedeco class first would otherwise load libtorch without it. Registered
 * for every test class through JUnit's extension auto-detection ({@code junit-platform.properties}).
 */
public final class LoadNativesFirst implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        Natives.load();
    }
}
