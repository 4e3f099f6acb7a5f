package org.meterspec.check;

/** The parts of a spec the checks read; a check runs only on parts the model builder read without error. */
public enum Section {
    METER, TRANSPORT, SECURITY, NOTIFICATION, BODY, VALUES, TOLERANCES, ZIGBEE, EXAMPLES
}
