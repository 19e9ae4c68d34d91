package io.synod.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The client's response codes mirror the wire's: a code added to the schema without its client twin fails here (and
 * in {@link ResponseCode}'s static initialiser) instead of reaching an application as null.
 */
class ResponseCodeTest
{
    @Test
    void everyWireCodeHasAClientTwinOfTheSameName()
    {
        for (final io.synod.codecs.ResponseCode wire : io.synod.codecs.ResponseCode.values())
        {
            if (wire != io.synod.codecs.ResponseCode.NULL_VAL)
            {
                assertEquals(wire.name(), ResponseCode.of(wire).name());
            }
        }
    }
}
