package org.tokenctl.core.module;

/**
 * What {@code C_GetInfo} says about a module.
 *
 * @param cryptokiVersion the PKCS#11 version it implements, e.g. "2.40"
 * @param manufacturer its manufacturer id
 * @param description its library description
 * @param libraryVersion its own version
 */
public record ModuleInfo(String cryptokiVersion, String manufacturer, String description, String libraryVersion) {
}
