package org.tokenctl.core.pin;

/** The guard that allows every attempt; for embedders that keep their own counts. */
enum DisabledGuard implements AttemptGuard {
    INSTANCE;

    @Override
    public void checkAllowed(String serial, UserType userType) {
        // nothing to check
    }

    @Override
    public void recordFailure(String serial, UserType userType) {
        // nothing to record
    }

    @Override
    public void recordSuccess(String serial, UserType userType) {
        // nothing to record
    }

    @Override
    public void reset(String serial) {
        // nothing to reset
    }
}
