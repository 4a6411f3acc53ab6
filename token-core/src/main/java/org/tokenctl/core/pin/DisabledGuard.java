package org.tokenctl.core.pin;

/** The guard that allows every attempt; for embedders that keep their own counts. */
enum DisabledGuard implements AttemptGuard {
    INSTANCE;

    @Override
    public Ticket begin(String serial, UserType userType) {
        return Ticket.NONE;
    }

    @Override
    public void reset(String serial) {
        // nothing to reset
    }
}
