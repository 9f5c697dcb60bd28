package io.vmsnapshot.error;

/** Who has to act on an error: the customer (their config or scripts) or the platform. */
public enum Owner {
    CUSTOMER,
    PLATFORM
}
