package org.tokenctl.core.token;

/**
 * Token memory in bytes, as CK_TOKEN_INFO gives it. A component is null when
 * the token reports CK_UNAVAILABLE_INFORMATION.
 *
 * @param totalPublic total memory for public objects
 * @param freePublic free memory for public objects
 * @param totalPrivate total memory for private objects
 * @param freePrivate free memory for private objects
 */
public record Memory(Long totalPublic, Long freePublic, Long totalPrivate, Long freePrivate) {
}
